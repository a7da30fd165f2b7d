/**
 * Real MP4s for the sandbox: ffmpeg's testsrc2 pattern, hue-rotated per variant so each
 * task's clip looks different; H.264 at the model's resolution, fps and duration, with an AAC
 * track (a tone) when the task has sound and no audio stream at all when it has none
 * (kling-api.md §11, §20).
 * Made lazily, once per (size, fps, duration, variant), in a private cache dir (the data dir's
 * sandbox/clips for the app and CLI, else the user's cache folder); one ffmpeg at a time so tests on two cores stay responsive.
 */
import { execFile } from 'node:child_process';
import { createHash } from 'node:crypto';
import { existsSync, lstatSync, mkdirSync, renameSync, rmSync, writeFileSync } from 'node:fs';
import { homedir } from 'node:os';
import { join } from 'node:path';

import { childEnv } from '../child-env';
import { findTool } from '../media/locate';
import { sceneEncodeArgs } from './scene-clip';

export interface ClipSpec {
  width: number;
  height: number;
  fps: number;
  durationSec: number;
  variant: number;
  /** How many variants exist (the hue step). */
  variants: number;
  /** An AAC track (native audio; always on 3.0 Turbo); absent = no audio stream. */
  audio?: boolean;
  /**
   * A multi-shot scene (kling-api.md §10): the declared shot durations in seconds. The clip
   * then has hard cuts at their cumulative sums and every shot looks different
   * (scene-clip.ts); `durationSec` stays the whole file (sum + Kling's remainder).
   */
  shots?: number[] | undefined;
  /** Frames between keyframes of a scene clip (default 2 s). */
  gop?: number | undefined;
  /** Motion control with audio `original` (motion.ts): the reference video whose sound track the clip carries instead of a tone. */
  audioFrom?: string | undefined;
}

/**
 * The user's own cache folder, never a predictable name in a shared temp folder that another
 * user could create first and fill with clips of their choosing (issue 16.7). The app and the
 * CLI keep the sandbox's clips in the data dir instead (sandbox/cli.ts).
 */
export const DEFAULT_CLIP_CACHE = join(
  process.env.XDG_CACHE_HOME || join(homedir(), '.cache'),
  'shotline',
  'sandbox-clips',
);

/** Why `dir` is not a private cache folder (a link, someone else's, writable by others), or null. */
export function cacheDirProblem(dir: string): string | null {
  const st = lstatSync(dir, { throwIfNoEntry: false });
  if (!st) return `${dir} does not exist`;
  if (!st.isDirectory()) return `${dir} is not a folder (a link or a file)`;
  if (typeof process.getuid === 'function' && st.uid !== process.getuid()) return `${dir} belongs to another user`;
  if (process.platform !== 'win32' && (st.mode & 0o022) !== 0) return `${dir} is writable by other users`;
  return null;
}

let chain: Promise<unknown> = Promise.resolve();
const pending = new Map<string, Promise<string>>();

export function clipFileName(c: ClipSpec): string {
  const scene = c.shots ? `-shots${c.shots.join('+')}-g${c.gop ?? c.fps * 2}` : '';
  const from = c.audioFrom ? `-from${createHash('sha256').update(c.audioFrom).digest('hex').slice(0, 12)}` : '';
  return `${c.width}x${c.height}-${c.fps}fps-${c.durationSec}s-v${c.variant}of${c.variants}${scene}${c.audio ? '-aac' : ''}${from}.mp4`;
}

/** A scene clip of the given shot durations, size and fps (issue 13 item 6): see scene-clip.ts. */
export function sceneClipSpec(
  shots: number[],
  o: { width: number; height: number; fps: number; extraSec?: number; audio?: boolean; gop?: number },
): ClipSpec {
  const sum = shots.reduce((a, b) => a + b, 0);
  const durationSec = Math.round((sum + (o.extraSec ?? 0.041)) * 1000) / 1000;
  return {
    width: o.width,
    height: o.height,
    fps: o.fps,
    durationSec,
    variant: 0,
    variants: 1,
    audio: o.audio ?? false,
    shots: [...shots],
    gop: o.gop,
  };
}

export function ffmpegArgs(c: ClipSpec, out: string): string[] {
  if (c.shots) {
    // The source's own duration fixes the frame count (round(duration x fps)): `-frames:v` would
    // also end the audio early (ffmpeg 5.1 closes the whole output at the video's frame limit).
    const frames = Math.round(c.durationSec * c.fps);
    const source = `testsrc2=size=${c.width}x${c.height}:rate=${c.fps}:duration=${((frames - 0.5) / c.fps).toFixed(6)}`;
    const scene = { fps: c.fps, shots: c.shots, durationSec: c.durationSec, audio: c.audio, gop: c.gop };
    return [
      '-hide_banner',
      '-loglevel',
      'error',
      '-f',
      'lavfi',
      '-i',
      source,
      ...sceneEncodeArgs(scene),
      '-movflags',
      '+faststart',
      '-f',
      'mp4',
      '-y',
      out,
    ];
  }
  const hue = Math.round((360 / Math.max(1, c.variants)) * c.variant);
  return [
    '-hide_banner',
    '-loglevel',
    'error',
    '-f',
    'lavfi',
    '-i',
    `testsrc2=size=${c.width}x${c.height}:rate=${c.fps}:duration=${c.durationSec}`,
    ...(c.audio && c.audioFrom ? ['-i', c.audioFrom, '-map', '0:v', '-map', '1:a:0', '-t', String(c.durationSec)] : []),
    ...(c.audio && !c.audioFrom
      ? ['-f', 'lavfi', '-i', `sine=frequency=${330 + 55 * c.variant}:sample_rate=48000:duration=${c.durationSec}`]
      : []),
    '-vf',
    `hue=h=${hue}:s=${1 + (c.variant % 3) * 0.5},format=yuv420p`,
    ...(c.audio ? ['-c:a', 'aac', '-b:a', '64k', '-ac', '2'] : ['-an']),
    '-c:v',
    'libx264',
    '-preset',
    'ultrafast',
    '-crf',
    '38',
    '-g',
    String(c.fps * 2),
    '-movflags',
    '+faststart',
    '-f',
    'mp4',
    '-y',
    out,
  ];
}

/** Downloads `url` next to `file` (the private cache folder); the caller removes it. */
async function fetchCopy(url: string, dir: string, file: string): Promise<string> {
  const res = await fetch(url);
  if (!res.ok)
    throw new Error(`the sandbox could not fetch the reference video ${url} for its sound (HTTP ${res.status})`);
  mkdirSync(dir, { recursive: true, mode: 0o700 });
  const unsafe = cacheDirProblem(dir);
  if (unsafe) throw new Error(`the sandbox clip cache is not private: ${unsafe}; remove it or pass another cacheDir`);
  const copy = `${file}.ref.${process.pid}.${Math.random().toString(36).slice(2)}`;
  writeFileSync(copy, Buffer.from(await res.arrayBuffer()), { mode: 0o600 });
  return copy;
}

/** Path of the cached clip, generating it first when needed. */
export function ensureClip(c: ClipSpec, opts: { cacheDir?: string; ffmpegPath?: string } = {}): Promise<string> {
  const dir = opts.cacheDir ?? DEFAULT_CLIP_CACHE;
  const file = join(dir, clipFileName(c));
  if (existsSync(file)) return Promise.resolve(file);
  const running = pending.get(file);
  if (running) return running;
  const job = chain.then(async () => {
    // The reference whose sound a motion clip carries is read from a local copy: ffmpeg over HTTP
    // seeks with Range requests, which plain file servers do not all answer (and then it writes a silent clip).
    const audioCopy = c.audioFrom && !existsSync(file) ? await fetchCopy(c.audioFrom, dir, file) : null;
    try {
      return await new Promise<string>((resolve, reject) => {
        if (existsSync(file)) return resolve(file);
        const ffmpeg = opts.ffmpegPath ?? findTool('ffmpeg').path;
        if (!ffmpeg)
          return reject(new Error('the sandbox needs ffmpeg to make its clips: install it or set SHOTLINE_FFMPEG'));
        mkdirSync(dir, { recursive: true, mode: 0o700 });
        const unsafe = cacheDirProblem(dir);
        if (unsafe)
          return reject(
            new Error(`the sandbox clip cache is not private: ${unsafe}; remove it or pass another cacheDir`),
          );
        // Unique temp name, then an atomic rename: parallel test workers share the cache.
        const tmp = `${file}.${process.pid}.${Math.random().toString(36).slice(2)}.tmp`;
        execFile(
          ffmpeg,
          ffmpegArgs(audioCopy ? { ...c, audioFrom: audioCopy } : c, tmp),
          { timeout: 120_000, env: childEnv() },
          (err, _out, stderr) => {
            if (err) {
              rmSync(tmp, { force: true });
              return reject(new Error(`ffmpeg could not make a sandbox clip: ${stderr || err.message}`));
            }
            try {
              renameSync(tmp, file);
            } catch (e) {
              // Another process won the race (Windows refuses to rename over a file): keep theirs.
              rmSync(tmp, { force: true });
              if (!existsSync(file)) return reject(e instanceof Error ? e : new Error(String(e)));
            }
            resolve(file);
          },
        );
      });
    } finally {
      if (audioCopy) rmSync(audioCopy, { force: true });
    }
  });
  chain = job.catch(() => undefined);
  pending.set(file, job);
  void job.finally(() => pending.delete(file)).catch(() => undefined);
  return job;
}
