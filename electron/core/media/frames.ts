/** Still images: the exact last frame (shot chaining) and a poster + filmstrip for the UI. */
import { createHash } from 'node:crypto';
import { mkdirSync, renameSync, rmSync, statSync } from 'node:fs';
import { basename, extname, join } from 'node:path';

import type { ThumbnailSet } from '../../../shared/media';
import { ShotlineError } from '../../../shared/result';
import { probe } from './probe';
import { requireTool, runFfmpeg, type ToolPaths } from './tools';

/**
 * Writes the clip's last decoded frame as PNG. Seeking near the end and letting `-update 1`
 * overwrite the image with every frame leaves exactly the final one, whatever the GOP.
 */
export async function lastFrame(file: string, outPng: string, opts: ToolPaths = {}): Promise<string> {
  const p = await probe(file, opts);
  if (!p.video)
    throw new ShotlineError({ code: 'media_invalid', message: `${file}: has no video stream`, where: file });
  const ffmpeg = requireTool('ffmpeg', opts);
  const tmp = `${outPng}.part.png`;
  const seek = Math.max(0, p.durationS - 1);
  try {
    await runFfmpeg(ffmpeg, [
      '-v',
      'error',
      '-ss',
      seek.toFixed(3),
      '-i',
      file,
      '-map',
      '0:v:0',
      '-update',
      '1',
      '-fps_mode',
      'passthrough',
      '-f',
      'image2',
      '-c:v',
      'png',
      tmp,
    ]);
    if (statSync(tmp).size === 0) throw new Error('empty image');
    renameSync(tmp, outPng);
  } catch (err) {
    rmSync(tmp, { force: true });
    throw err instanceof ShotlineError
      ? err
      : new ShotlineError({ code: 'media_invalid', message: `${file}: could not read the last frame` });
  }
  return outPng;
}

/**
 * Where a clip's stills live: <dataDir>/thumbnails/<clip stem>-<hash of its path>. The take id
 * stays in every name (privacy erase finds them by it). media.thumbnails and the stills the
 * engine makes at verify time (electron/core/reviews/stills.ts) share it, so a clip is done once.
 */
export function stillDir(dataDir: string, file: string): string {
  const stem = basename(file, extname(file));
  return join(dataDir, 'thumbnails', `${stem}-${createHash('sha256').update(file).digest('hex').slice(0, 8)}`);
}

export interface ThumbnailOptions extends ToolPaths {
  /** Filmstrip frames (default 6). */
  count?: number;
  /** Thumbnail width in pixels (default 160). */
  width?: number;
}

/**
 * <stem>.poster.jpg (frame at 10%) and <stem>.strip-NN.jpg evenly spaced, all `width` wide.
 * Named after the clip so privacy erase/retention find them by the take id in the name.
 */
export async function thumbnails(file: string, outDir: string, opts: ThumbnailOptions = {}): Promise<ThumbnailSet> {
  const p = await probe(file, opts);
  if (!p.video)
    throw new ShotlineError({ code: 'media_invalid', message: `${file}: has no video stream`, where: file });
  const ffmpeg = requireTool('ffmpeg', opts);
  mkdirSync(outDir, { recursive: true });
  const count = opts.count ?? 6;
  const width = opts.width ?? 160;
  const scale = `scale=${width}:-2`;
  const stem = basename(file, extname(file));
  const poster = join(outDir, `${stem}.poster.jpg`);
  await runFfmpeg(ffmpeg, [
    '-v',
    'error',
    '-ss',
    (p.durationS * 0.1).toFixed(3),
    '-i',
    file,
    '-map',
    '0:v:0',
    '-frames:v',
    '1',
    '-vf',
    scale,
    '-q:v',
    '4',
    poster,
  ]);
  // One decode pass: pick `count` frames evenly by fps over the duration. Rounding up: with
  // round=down a clip a little over whole seconds (Kling gives 5.041 s for 5 s) lost its last frame.
  const rate = count / Math.max(p.durationS, 0.001);
  await runFfmpeg(ffmpeg, [
    '-v',
    'error',
    '-i',
    file,
    '-map',
    '0:v:0',
    '-vf',
    `fps=${rate.toFixed(6)}:round=up,${scale}`,
    '-frames:v',
    String(count),
    '-q:v',
    '5',
    join(outDir, `${stem}.strip-%02d.jpg`),
  ]);
  const filmstrip: string[] = [];
  for (let i = 1; i <= count; i++) {
    const f = join(outDir, `${stem}.strip-${String(i).padStart(2, '0')}.jpg`);
    try {
      statSync(f);
      filmstrip.push(f);
    } catch {
      break;
    }
  }
  return { poster, filmstrip };
}
