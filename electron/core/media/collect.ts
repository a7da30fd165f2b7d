/**
 * A timeline that carries its media (issue 17 item 4): each clip the timeline uses (and each
 * alternate take) is copied into `<timeline name>_media/` beside it under a readable name,
 * `<shot>_T<take>.mp4`, and the timeline is written over the copies, so the timeline and its
 * folder can go to another editor's machine as they are. Clip files in the data dir are named
 * `<shot>_take<N>_<task id>.mp4` (electron/core/engine/download.ts clipPath); the shot comes
 * from the clip's name in the edit (the Edit page sets it to the shot id) when it has one.
 */
import { constants, copyFileSync, mkdirSync } from 'node:fs';
import { basename, dirname, extname, join, resolve } from 'node:path';

import type { Edit, EditPlan, TimelineFormat } from '../../../shared/media';
import { ShotlineError } from '../../../shared/result';
import { writeTimeline } from './timelines';

/** A name safe on every file system: letters, digits, dot, dash, underscore; never empty or hidden. */
export function safeMediaName(s: string): string {
  const clean = s
    .normalize('NFKD')
    .replace(/[^\w.-]+/g, '-')
    .replace(/^[.-]+|-+$/g, '')
    .slice(0, 80);
  return clean || 'clip';
}

/** `<shot>_T<take>` for a clip file, from the edit's clip name or the data dir's file name. */
export function readableStem(file: string, shot?: string): string {
  const stem = basename(file, extname(file));
  const m = /^(.*)_take(\d+)_[^_]+$/.exec(stem);
  if (m) return safeMediaName(`${shot ?? m[1]}_T${m[2]}`);
  return safeMediaName(shot ? `${shot}_${stem}` : stem);
}

/** The folder the media of `timeline` is collected into: `<timeline stem>_media` beside it. */
export function mediaFolderOf(timeline: string): string {
  return join(dirname(timeline), `${basename(timeline, extname(timeline))}_media`);
}

export interface Collected {
  /** The timeline's text, written over the copies. */
  text: string;
  folder: string;
  /** Each copy and the clip it was copied from. */
  copies: Array<{ source: string; copy: string }>;
}

/**
 * Copies the edit's clips into the media folder of `timeline` (one copy per distinct source,
 * names made unique with -2, -3...) and returns the timeline written over them. The plan is the
 * source edit's: the copies are the same files, and the layout reads probes by position.
 */
export function collectTimeline(timeline: string, format: TimelineFormat, edit: Edit, plan: EditPlan): Collected {
  const folder = mediaFolderOf(timeline);
  try {
    mkdirSync(folder, { recursive: true });
  } catch (err) {
    throw new ShotlineError({
      code: 'io',
      where: 'collect',
      message: `Could not make the media folder ${folder}: ${(err as Error).message}. Choose another place for the timeline.`,
    });
  }
  const bySource = new Map<string, string>();
  const used = new Set<string>();
  const copyOf = (file: string, shot?: string): string => {
    const source = resolve(file);
    const have = bySource.get(source);
    if (have) return have;
    const stem = readableStem(source, shot);
    const ext = extname(source).toLowerCase() || '.mp4';
    let name = `${stem}${ext}`;
    for (let n = 2; used.has(name.toLowerCase()); n++) name = `${stem}-${n}${ext}`;
    used.add(name.toLowerCase());
    const copy = join(folder, name);
    copyInto(source, copy);
    bySource.set(source, copy);
    return copy;
  };
  const collected: Edit = {
    ...edit,
    clips: edit.clips.map((c) => ({
      ...c,
      file: copyOf(c.file, c.name),
      ...(c.alternates ? { alternates: c.alternates.map((a) => copyOf(a)) } : {}),
    })),
  };
  return {
    text: writeTimeline(format, collected, plan, { relativeTo: dirname(timeline) }),
    folder,
    copies: [...bySource].map(([source, copy]) => ({ source, copy })),
  };
}

/** A copy-on-write clone where the file system has one, else a plain copy (replacing an older copy). */
function copyInto(source: string, copy: string): void {
  try {
    copyFileSync(source, copy, constants.COPYFILE_FICLONE);
  } catch (err) {
    throw new ShotlineError({
      code: 'io',
      where: 'collect',
      message: `Could not copy ${basename(source)} to ${copy}: ${(err as Error).message}. Check the free space and that the folder is writable.`,
    });
  }
}
