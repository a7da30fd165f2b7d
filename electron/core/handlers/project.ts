/**
 * storyboard.openFile / get / addImage, edit.get / save, dialog.saveOutput: the studio's
 * project surface (shared/contract/project.ts). Dialogs come from the front
 * (electron/core/app/dialogs.ts); images are kept by electron/core/app/images.ts; the edit
 * lives in electron/core/edits/store.ts.
 */
import { existsSync, mkdirSync, readFileSync } from 'node:fs';
import { basename, dirname, extname, join, relative, sep } from 'node:path';

import type { Handlers, OutputKind, projectContract, ShotImages } from '../../../shared/contract';
import { looksLikeUrl } from '../../../shared/kling/images';
import { formatProblem, PREVIOUS_FRAME, type ResolvedShot } from '../../../shared/storyboard/schema';
import { ShotlineError } from '../../../shared/result';
import { dialogsOf } from '../app/dialogs';
import { withKeptElementImages } from '../app/element-files';
import { decodeImage, ingestImageFile, storeImage } from '../app/images';
import type { CoreContext } from '../context';
import { getEdit, rememberOutput, saveEdit } from '../edits/store';
import type { ToolPaths } from '../media';
import { insideDataDir } from '../privacy/files';
import { ReviewStore } from '../reviews/store';
import { withMarks } from '../reviews/takes';
import { storyboardIdFor } from '../queue/store';
import { formatChange, upgradeStoryboard } from '../../../shared/storyboard/upgrade';
import { loadStoryboard } from '../storyboard';
import type { CoreServices } from '../services';

type ResourcesProcess = NodeJS.Process & { resourcesPath?: string };

const OUTPUT_FILTERS: Record<OutputKind, { name: string; extensions: string[] }> = {
  mp4: { name: 'MP4 video', extensions: ['mp4', 'm4v'] },
  mov: { name: 'QuickTime movie', extensions: ['mov'] },
  fcpxml: { name: 'Final Cut Pro XML', extensions: ['fcpxml'] },
  xml: { name: 'FCP7 XML (Premiere, Resolve)', extensions: ['xml'] },
  edl: { name: 'EDL', extensions: ['edl'] },
  otio: { name: 'OpenTimelineIO', extensions: ['otio'] },
  html: { name: 'Web page (report)', extensions: ['html'] },
  pdf: { name: 'PDF (report)', extensions: ['pdf'] },
};

const safeName = (s: string): string =>
  s
    .replace(/[^\w .()-]+/g, '-')
    .replace(/^[-. ]+|[-. ]+$/g, '')
    .slice(0, 80) || 'edit';

/** A stored shot (ResolvedShot) back in the storyboard file's shape, images as data-dir paths. */
function toFileShot(s: ResolvedShot, dataDir: string): Record<string, unknown> {
  // The stored prompt already carries the camera words (shared/storyboard/validate.ts): the camera field is not written back.
  const { index: _i, row: _r, kind: _k, unitsPerTake: _u, camera: _c, ...rest } = s;
  const local = (p: string | undefined): string | undefined => {
    if (p === undefined) return undefined;
    const abs = insideDataDir(dataDir, p);
    return abs ? relative(dataDir, abs).split(sep).join('/') : p;
  };
  const out: Record<string, unknown> = { ...rest, startImage: local(s.startImage), endImage: local(s.endImage) };
  for (const k of Object.keys(out)) if (out[k] === undefined) delete out[k];
  return out;
}

export function createProjectHandlers(ctx: CoreContext, s: CoreServices): Handlers<typeof projectContract> {
  const tools: ToolPaths = {
    ffmpeg: ctx.options.ffmpegPath,
    ffprobe: ctx.options.ffprobePath,
    resourcesPath: (process as ResourcesProcess).resourcesPath,
  };
  const closed = {
    opened: false,
    fileName: null,
    format: null,
    content: null,
    images: [],
    storyboardId: null,
    messages: [],
  };

  return {
    async 'storyboard.openFile'() {
      const path = await dialogsOf(ctx, 'Open storyboard').open({
        title: 'Open a storyboard',
        filters: [{ name: 'Storyboards (JSON, CSV)', extensions: ['json', 'csv'] }],
      });
      if (!path) return closed;
      // Relative image paths resolve against the file's own folder (loadStoryboard's base dir).
      const fileName = basename(path);
      const format = /\.csv$/i.test(path) ? 'csv' : 'json';
      // A file written for retired Kling models is upgraded on the way in (shared/storyboard/upgrade.ts), each change listed.
      const up = upgradeStoryboard(readFileSync(path, 'utf8'), format);
      const content = up.ok ? up.text : readFileSync(path, 'utf8');
      const l =
        up.ok && up.changes.length
          ? loadStoryboard({
              content,
              format,
              baseDir: dirname(path),
              ...(format === 'csv' ? { name: fileName.replace(/\.csv$/i, '') } : {}),
            })
          : loadStoryboard({ path });
      if (!l.result.ok)
        return {
          ...closed,
          opened: true,
          fileName,
          format: l.format,
          content,
          messages: l.result.problems.map(formatProblem),
        };
      const messages: string[] = up.ok
        ? up.changes.map((c) => `upgraded for live Kling models: ${formatChange(c)}`)
        : [];
      const ingest = (shot: string, field: string, p: string | undefined): string | undefined => {
        if (p === undefined || p === PREVIOUS_FRAME || looksLikeUrl(p)) return undefined;
        try {
          return ingestImageFile(ctx, p, field).path;
        } catch (err) {
          messages.push(`${fileName}, shot ${shot}, ${field} = ${p}: ${(err as Error).message}`);
          return undefined;
        }
      };
      const images: ShotImages[] = l.result.storyboard.shots.map((s) => {
        const img: ShotImages = {
          startImage: ingest(s.id, 'startImage', s.startImage),
          endImage: ingest(s.id, 'endImage', s.endImage),
        };
        for (const k of Object.keys(img) as Array<keyof ShotImages>) if (img[k] === undefined) delete img[k];
        return img;
      });
      // Element images are kept in the data dir too, and the text names the copies (../app/element-files.ts).
      const text = withKeptElementImages(content, l.result.storyboard.elements, (el, field, p) => {
        try {
          return ingestImageFile(ctx, p, field).path;
        } catch (err) {
          messages.push(`${fileName}, element ${el}, ${field} = ${p}: ${(err as Error).message}`);
          return undefined;
        }
      });
      const id = storyboardIdFor(l.result.storyboard.name);
      const known = s.queue.storyboardName(id) !== null;
      return {
        opened: true,
        fileName,
        format: l.format,
        content: text,
        images,
        storyboardId: known ? id : null,
        messages,
      };
    },

    async 'storyboard.get'({ storyboardId }) {
      await Promise.resolve();
      const store = s.queue;
      const name = store.storyboardName(storyboardId);
      if (name === null)
        throw new ShotlineError({
          code: 'not_found',
          where: 'storyboardId',
          message: `No storyboard "${storyboardId}".`,
        });
      const shots = store
        .activeShotSpecs(storyboardId)
        .map((spec) => toFileShot(JSON.parse(spec) as ResolvedShot, ctx.dataDir));
      return { storyboardId, name, content: JSON.stringify({ name, shots }, null, 2) };
    },

    async 'storyboard.addImage'({ name, base64 }) {
      await Promise.resolve();
      const img = storeImage(ctx, decodeImage(base64), name);
      return { path: img.path, width: img.width, height: img.height };
    },

    async 'edit.get'({ storyboardId }) {
      await Promise.resolve();
      return getEdit(ctx.db(), s.queue, storyboardId);
    },

    async 'edit.save'(patch) {
      // A take picked here brings its review marks as the shot's trim (electron/core/reviews/takes.ts).
      const deps = { db: ctx.db(), queue: s.queue, reviews: new ReviewStore(ctx.db()), tools };
      return saveEdit(ctx.db(), s.queue, withMarks(deps, patch), tools);
    },

    async 'dialog.saveOutput'({ storyboardId, kind }) {
      const edit = getEdit(ctx.db(), s.queue, storyboardId);
      const ext = OUTPUT_FILTERS[kind].extensions[0] as string;
      const name = `${edit.output ? basename(edit.output, extname(edit.output)) : safeName(edit.storyboard)}.${ext}`;
      let folder = edit.output ? dirname(edit.output) : join(ctx.dataDir, 'edits', storyboardId);
      if (!existsSync(folder)) {
        if (edit.output) folder = join(ctx.dataDir, 'edits', storyboardId);
        mkdirSync(folder, { recursive: true });
      }
      const answer = await dialogsOf(ctx, 'Choose where the file goes').save({
        title:
          kind === 'mp4' || kind === 'mov'
            ? `Export the edit of ${edit.storyboard}`
            : kind === 'html' || kind === 'pdf'
              ? `Export the report of ${edit.storyboard}`
              : `Export the timeline of ${edit.storyboard}`,
        defaultPath: join(folder, name),
        filters: [OUTPUT_FILTERS[kind]],
      });
      if (!answer) return { chosen: false, path: null, exists: false, overwriteConfirmed: false };
      const withExt = extname(answer.path) ? answer.path : `${answer.path}.${ext}`;
      const path = s.outputs.grant({ ...answer, path: withExt });
      if (kind === 'mp4' || kind === 'mov') rememberOutput(ctx.db(), storyboardId, path);
      return { chosen: true, path, exists: existsSync(path), overwriteConfirmed: answer.overwriteConfirmed };
    },
  };
}
