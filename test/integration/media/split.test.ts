/**
 * The scene split (electron/core/media/split.ts, issue 13 item 1) on the sandbox's multi-shot
 * clips (electron/core/sandbox/scene-clip.ts), real ffmpeg throughout: every shot's box has its
 * own colour and its tone its own pitch, so a decoded frame or a stretch of audio names the shot
 * it came from. The first, middle and last frame of every clip must be its own shot's.
 */
import { execFileSync } from 'node:child_process';
import { mkdtempSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

import { afterAll, describe, expect, it } from 'vitest';

import { splitScene } from '../../../electron/core/media';
import { ensureClip, sceneClipSpec } from '../../../electron/core/sandbox';
import type { SceneSplit } from '../../../shared/media';
import { ffprobeJson } from './clips';
import { pitchAtEnds, shotsOfFrames, toneOf } from './scene-frames';

const dirs: string[] = [];
function tempDir(): string {
  const d = mkdtempSync(join(tmpdir(), 'shotline-split-'));
  dirs.push(d);
  return d;
}
afterAll(() => {
  for (const d of dirs) rmSync(d, { recursive: true, force: true });
});

interface Case {
  shots: number[];
  width: number;
  height: number;
  fps: number;
  gop: number;
  audio: boolean;
}

async function splitCase(c: Case): Promise<{ scene: string; result: SceneSplit; out: string }> {
  const scene = await ensureClip(
    sceneClipSpec(c.shots, { width: c.width, height: c.height, fps: c.fps, audio: c.audio, gop: c.gop }),
  );
  const out = tempDir();
  const before = statSync(scene);
  const result = await splitScene(scene, c.shots, { outDir: out });
  const after = statSync(scene);
  expect([after.size, after.mtimeMs]).toEqual([before.size, before.mtimeMs]);
  return { scene, result, out };
}

/** Every clip: frame count, first/middle/last frame's shot, audio (present, length, pitch at both ends). */
function checkClips(c: Case, r: SceneSplit): void {
  const total = Math.round((c.shots.reduce((a, b) => a + b, 0) + 0.041) * c.fps);
  expect(r.frames).toBe(total);
  expect(r.shots).toHaveLength(c.shots.length);
  let first = 0;
  r.shots.forEach((s, i) => {
    const last = i === c.shots.length - 1;
    const declared = Math.round((c.shots[i] ?? 0) * c.fps);
    const info = ffprobeJson(s.file, [
      '-count_frames',
      '-show_entries',
      'stream=codec_type,nb_read_frames,duration',
    ]) as { streams: Array<{ codec_type: string; nb_read_frames: string; duration: string }> };
    const v = info.streams.find((x) => x.codec_type === 'video');
    const a = info.streams.find((x) => x.codec_type === 'audio');
    const frames = Number(v?.nb_read_frames);
    expect(s.frames).toBe(frames);
    expect(s.firstFrame).toBe(first);
    if (last)
      expect(frames).toBe(total - first); // the remainder Kling adds
    else expect(Math.abs(frames - declared)).toBeLessThanOrEqual(1);
    first += frames;
    expect(shotsOfFrames(s.file, [0, Math.floor(frames / 2), frames - 1]), `shot ${i + 1} (${s.method})`).toEqual([
      i,
      i,
      i,
    ]);
    if (!c.audio) {
      expect(a, `shot ${i + 1} has no audio`).toBeUndefined();
      return;
    }
    expect(a, `shot ${i + 1} has audio`).toBeDefined();
    expect(Math.abs(Number(a?.duration) - frames / c.fps)).toBeLessThan(last ? 0.05 : 0.03);
    const [start, end] = pitchAtEnds(s.file, last ? 0.1 : 0);
    expect(Math.abs(start - toneOf(i)), `shot ${i + 1} audio starts with its own tone`).toBeLessThan(30);
    expect(Math.abs(end - toneOf(i)), `shot ${i + 1} audio ends with its own tone`).toBeLessThan(30);
  });
  expect(first).toBe(total);
}

describe('splitScene', () => {
  it(
    'six shots, 15 s at 1080p with AAC, 2 s GOP: boundaries on and off keyframes, every frame in its own shot',
    { timeout: 600_000 },
    async () => {
      // Cuts at 4, 6, 9, 10, 13 s = frames 96, 144, 216, 240, 312; keyframes every 48 frames:
      // 96, 144 and 240 fall on keyframes, 216 and 312 do not.
      const c: Case = { shots: [4, 2, 3, 1, 3, 2], width: 1920, height: 1080, fps: 24, gop: 48, audio: true };
      const { result } = await splitCase(c);
      expect(result.shots.map((s) => s.method)).toEqual([
        'copy',
        'copy',
        'reencode',
        'reencode',
        'reencode',
        'reencode',
      ]);
      checkClips(c, result);
      // Copied and re-encoded shots keep the stream fields an edit compares (plan.ts), so they still join by stream copy.
      const fields = result.shots.map((s) => {
        const j = ffprobeJson(s.file, [
          '-show_entries',
          'stream=codec_name,profile,level,width,height,pix_fmt,time_base,r_frame_rate,sample_rate,channels',
        ]) as { streams: unknown[] };
        return JSON.stringify(j.streams);
      });
      expect(new Set(fields).size).toBe(1);
    },
  );

  it(
    'silent scene, every cut on a keyframe (1 s GOP): all shots stream-copied, the last one to the end of the file',
    { timeout: 300_000 },
    async () => {
      const c: Case = { shots: [2, 3, 1, 4, 3, 2], width: 640, height: 360, fps: 24, gop: 24, audio: false };
      const { result } = await splitCase(c);
      expect(result.shots.map((s) => s.method)).toEqual(Array(6).fill('copy'));
      checkClips(c, result);
    },
  );

  it(
    'silent scene, no cut on a keyframe and a shot with no keyframe inside (5 s GOP at 30 fps)',
    { timeout: 300_000 },
    async () => {
      const c: Case = { shots: [3, 1, 2], width: 640, height: 360, fps: 30, gop: 150, audio: false };
      const { result } = await splitCase(c);
      expect(result.shots.map((s) => s.method)).toEqual(['reencode', 'reencode', 'reencode']);
      checkClips(c, result);
    },
  );

  it(
    'refuses shots that do not match the file, naming the file and the fix, and writes nothing',
    { timeout: 120_000 },
    async () => {
      const scene = await ensureClip(sceneClipSpec([3, 1, 2], { width: 640, height: 360, fps: 30, gop: 150 }));
      const out = tempDir();
      await expect(splitScene(scene, [3, 1, 3], { outDir: out })).rejects.toThrow(
        /declare 7 s .*truncated: download it again/,
      );
      await expect(splitScene(scene, [2, 1, 2], { outDir: out })).rejects.toThrow(
        /more than the 5 s the shots declare/,
      );
      await expect(splitScene(scene, [3, 0, 3], { outDir: out })).rejects.toThrow(/shot 2 has duration 0/);
      await expect(splitScene(scene, [], { outDir: out })).rejects.toThrow(/no shot durations/);
      await expect(splitScene(join(out, 'missing.mp4'), [6], { outDir: out })).rejects.toThrow(
        /missing\.mp4: no such file/,
      );
      expect(execFileSync('ls', ['-A', out]).toString()).toBe('');
    },
  );
});
