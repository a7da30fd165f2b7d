import { randomUUID } from 'node:crypto';
import { writeFileSync } from 'node:fs';
import { basename, extname, join } from 'node:path';

import type { Handlers, mediaContract } from '../../../shared/contract';
import type { Edit } from '../../../shared/media';
import { confineOutput } from '../app/dialogs';
import type { CoreContext } from '../context';
import { registerExport } from '../privacy';
import { withReviews } from '../reviews/export';
import { ReviewStore } from '../reviews/store';
import type { CoreServices } from '../services';
import {
  collectTimeline,
  lastFrame,
  planEdit,
  probe,
  renderEdit,
  stillDir as stillDirOf,
  thumbnails,
  TIMELINE_EXT,
  verifyClip,
  writeTimeline,
  type ToolPaths,
} from '../media';

type ResourcesProcess = NodeJS.Process & { resourcesPath?: string };

export function createMediaHandlers(ctx: CoreContext, s: CoreServices): Handlers<typeof mediaContract> {
  const tools: ToolPaths = {
    ffmpeg: ctx.options.ffmpegPath,
    ffprobe: ctx.options.ffprobePath,
    resourcesPath: (process as ResourcesProcess).resourcesPath,
  };
  const running = new Map<string, AbortController>();
  ctx.onClose(() => {
    for (const c of running.values()) c.abort();
  });
  // <dataDir>/thumbnails/<clip stem>-<hash>: the take id stays in every name (privacy erase).
  const stem = (file: string): string => basename(file, extname(file));
  const stillDir = (file: string): string => stillDirOf(ctx.dataDir, file);

  /** Every clip (and alternate) of an edit passes confineInput; the edit itself is returned. */
  const confineEdit = <E extends { clips: Array<{ file: string; alternates?: string[] | undefined }> }>(edit: E): E => {
    edit.clips.forEach((c, i) => {
      s.outputs.confineInput(c.file, `clips[${i}].file`);
      c.alternates?.forEach((a, k) => s.outputs.confineInput(a, `clips[${i}].alternates[${k}]`));
    });
    return edit;
  };

  // The editor's reviews of the takes an edit cuts go into its timelines (electron/core/reviews/export.ts).
  const reviewed = <E extends Edit>(edit: E): E => withReviews(edit, s.queue, new ReviewStore(ctx.db()));

  return {
    async 'media.probe'({ file }) {
      return probe(s.outputs.confineInput(file, 'file'), tools);
    },
    async 'media.verify'({ file, expect }) {
      return verifyClip(s.outputs.confineInput(file, 'file'), expect ?? {}, tools);
    },
    async 'media.thumbnails'({ file, outDir, count }) {
      s.outputs.confineInput(file, 'file');
      return thumbnails(file, confineOutput(ctx, outDir, 'outDir') ?? stillDir(file), {
        ...tools,
        ...(count ? { count } : {}),
      });
    },
    async 'media.lastFrame'({ file, outPng }) {
      s.outputs.confineInput(file, 'file');
      return {
        file: await lastFrame(
          file,
          confineOutput(ctx, outPng, 'outPng') ?? join(stillDir(file), `${stem(file)}.last.png`),
          tools,
        ),
      };
    },
    async 'media.planEdit'({ edit }) {
      confineEdit(edit);
      return planEdit(edit, tools);
    },
    async 'media.exportEdit'({ edit: asked0, output: asked, exportId, timelines, overwrite }) {
      const edit = reviewed(confineEdit(asked0));
      // With the app's dialogs, only where the user chose (electron/core/app/dialogs.ts).
      const output = s.outputs.check(asked, overwrite);
      const id = exportId ?? randomUUID();
      const ac = new AbortController();
      running.set(id, ac);
      try {
        const { plan } = await renderEdit(edit, output, {
          ...tools,
          signal: ac.signal,
          onProgress: (p) => ctx.emit('media.progress', { exportId: id, ...p }),
        });
        registerExport(
          ctx.db(),
          output,
          edit.clips.map((c) => c.file),
        );
        const written = (timelines ?? []).map((t) => {
          const file = s.outputs.check(
            `${output.slice(0, output.length - extname(output).length)}${TIMELINE_EXT[t]}`,
            overwrite,
            'timelines',
          );
          writeFileSync(file, writeTimeline(t, edit, plan));
          return file;
        });
        return { exportId: id, output, mode: plan.mode, durationS: plan.durationS, timelines: written };
      } finally {
        running.delete(id);
      }
    },
    'media.cancel'({ exportId }) {
      const ac = running.get(exportId);
      ac?.abort();
      return Promise.resolve({ cancelled: Boolean(ac) });
    },
    async 'media.timeline'({ edit: asked0, format, output: asked, overwrite, collect }) {
      const edit = reviewed(confineEdit(asked0));
      const output = s.outputs.check(asked, overwrite);
      const plan = await planEdit(edit, tools);
      if (!collect) {
        writeFileSync(output, writeTimeline(format, edit, plan));
        return { file: output };
      }
      const got = collectTimeline(output, format, edit, plan);
      writeFileSync(output, got.text);
      // The copies and the timeline are exports of these clips: erasure and retention find them.
      for (const c of got.copies) registerExport(ctx.db(), c.copy, [c.source]);
      registerExport(
        ctx.db(),
        output,
        got.copies.map((c) => c.source),
      );
      return { file: output, media: { folder: got.folder, files: got.copies.map((c) => c.copy) } };
    },
  };
}
