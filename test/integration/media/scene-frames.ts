/**
 * Which shot of a sandbox scene (electron/core/sandbox/scene-clip.ts) a decoded frame or a
 * stretch of audio belongs to: every shot's box has its own colour, its tone its own pitch.
 * Used by the split test (split.test.ts) and the scene runs through the engine and the CLI.
 */
import { execFileSync } from 'node:child_process';

import { expect } from 'vitest';

import { SHOT_BOX, SHOT_COLOURS } from '../../../electron/core/sandbox';

/** Index in SHOT_COLOURS of the box colour of frames `ns` of a clip (one decode for all). */
export function shotsOfFrames(file: string, ns: number[]): number[] {
  const select = ns.map((n) => `eq(n\\,${n})`).join('+');
  const crop = `crop=iw*${SHOT_BOX.w.toFixed(6)}:ih*${SHOT_BOX.h.toFixed(6)}:0:0`;
  const raw = execFileSync('ffmpeg', [
    '-v',
    'error',
    '-i',
    file,
    '-vf',
    `select='${select}',${crop},scale=1:1:flags=area`,
    '-fps_mode',
    'passthrough',
    '-f',
    'rawvideo',
    '-pix_fmt',
    'rgb24',
    '-',
  ]);
  expect(raw.length).toBe(3 * ns.length);
  return ns.map((_, k) => {
    const px = [raw[3 * k] ?? 0, raw[3 * k + 1] ?? 0, raw[3 * k + 2] ?? 0];
    const dist = SHOT_COLOURS.map((c) => Math.hypot(c[0] - (px[0] ?? 0), c[1] - (px[1] ?? 0), c[2] - (px[2] ?? 0)));
    const best = dist.indexOf(Math.min(...dist));
    // Unambiguous: near its colour, far from every other (the palette's colours are >= 255 apart).
    expect(dist[best]).toBeLessThan(40);
    return best;
  });
}

/**
 * Tone pitch (Hz) of the audio at the clip's start and end, by zero crossings over 40 ms, 10 ms
 * in from each end; `tailS` more from the end for the last shot, whose file ends with the
 * scene's own AAC padding (ffmpeg 5.1 writes no end trim, so ~20 ms of silence decode there).
 */
export function pitchAtEnds(file: string, tailS = 0): [number, number] {
  const pcm = execFileSync('ffmpeg', [
    '-v',
    'error',
    '-i',
    file,
    '-map',
    '0:a:0',
    '-ac',
    '1',
    '-ar',
    '48000',
    '-f',
    's16le',
    '-',
  ]);
  const samples = new Int16Array(pcm.buffer, pcm.byteOffset, Math.floor(pcm.length / 2));
  const pitch = (from: number): number => {
    let crossings = 0;
    for (let i = from + 1; i < from + 1920; i++) if ((samples[i - 1] ?? 0) < 0 !== (samples[i] ?? 0) < 0) crossings++;
    return crossings / 2 / 0.04;
  };
  return [pitch(480), pitch(samples.length - 480 - Math.round(tailS * 48000) - 1920)];
}

/** The tone of shot `shot` (0-based) of a sandbox scene. */
export const toneOf = (shot: number): number => 330 + 110 * shot;

/** Video frames of a clip, counted by decoding it. */
export function countFrames(file: string): number {
  const out = execFileSync('ffprobe', [
    '-v',
    'error',
    '-count_frames',
    '-select_streams',
    'v:0',
    '-show_entries',
    'stream=nb_read_frames',
    '-of',
    'csv=p=0',
    file,
  ]).toString();
  return Number(out.trim());
}
