/** The media pipeline over real ffmpeg: probe/verify/stills, copy vs normalised edits, crossfades, errors. */
import {
  existsSync,
  mkdtempSync,
  readdirSync,
  rmSync,
  statSync,
  truncateSync,
  writeFileSync,
  copyFileSync,
} from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

import { afterAll, beforeAll, describe, expect, it } from 'vitest';

import { lastFrame, planEdit, probe, renderEdit, thumbnails, verifyClip } from '../../../electron/core/media';
import { ShotlineError } from '../../../shared/result';
import { ffprobeJson, makeClip, packetHashes, videoDuration } from './clips';

let dir: string;
let a: string; // 320x240 30 fps with audio, 1 s
let b: string; // same spec, awkward name
let c: string; // same spec
let hd: string; // 1280x720 30 fps, no audio
let fhd: string; // 1920x1080 24 fps, audio

beforeAll(() => {
  dir = mkdtempSync(join(tmpdir(), 'shotline media '));
  a = makeClip(join(dir, 'a.mp4'));
  b = makeClip(join(dir, `b with spaces 'quote' "dq" é日本.mp4`));
  c = makeClip(join(dir, 'c.mp4'), { d: 2 });
  hd = makeClip(join(dir, 'hd720p30.mp4'), { w: 1280, h: 720, fps: 30, audio: false });
  fhd = makeClip(join(dir, 'fhd1080p24.mp4'), { w: 1920, h: 1080, fps: 24, d: 1 });
}, 60_000);

afterAll(() => rmSync(dir, { recursive: true, force: true }));

const noPartials = (): string[] => readdirSync(dir).filter((f) => f.includes('.partial') || f.includes('.ffconcat'));

describe('probe and verify', () => {
  it('probes the fields the planner compares', async () => {
    const p = await probe(a);
    expect(p.video).toMatchObject({ codec: 'h264', width: 320, height: 240, fps: 30, pixFmt: 'yuv420p', sar: '1:1' });
    expect(p.video?.timebase).toMatch(/^1\/\d+$/);
    expect(p.audio).toMatchObject({ codec: 'aac', sampleRate: 48000, channels: 2 });
    expect(p.durationS).toBeCloseTo(1, 1);
    expect((await probe(hd)).audio).toBeNull();
  });

  it('verifies a good clip and its expected size and duration', async () => {
    await expect(verifyClip(a, { durationS: 1, width: 320, height: 240 })).resolves.toMatchObject({
      durationS: expect.any(Number) as number,
    });
    await expect(verifyClip(a, { width: 640 })).rejects.toThrow(/width 320, expected 640/);
    await expect(verifyClip(a, { durationS: 5 })).rejects.toThrow(/duration .* expected 5 s/);
  });

  it('rejects missing, truncated and non-video files with a clear message', async () => {
    const missing = join(dir, 'nope.mp4');
    const text = join(dir, 'notes.mp4');
    writeFileSync(text, 'not a video');
    const cut = join(dir, 'cut.mp4');
    copyFileSync(makeClip(join(dir, 'fs.mp4'), { faststart: true, d: 2 }), cut);
    truncateSync(cut, Math.floor(statSync(cut).size * 0.6));
    const audioOnly = join(dir, 'audio.m4a');
    const { execFileSync } = await import('node:child_process');
    execFileSync('ffmpeg', ['-v', 'error', '-y', '-f', 'lavfi', '-i', 'sine=d=1', '-c:a', 'aac', audioOnly]);
    await expect(verifyClip(missing)).rejects.toThrow(/nope\.mp4: no such file/);
    await expect(verifyClip(text)).rejects.toThrow(/notes\.mp4: not a readable media file/);
    await expect(verifyClip(cut)).rejects.toThrow(/cut\.mp4: truncated/);
    await expect(verifyClip(audioOnly)).rejects.toThrow(/has no video stream/);
    const err = await verifyClip(missing).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(ShotlineError);
    expect((err as ShotlineError).info.where).toBe(missing);
  });
});

describe('stills', () => {
  it('writes the exact last frame as PNG', async () => {
    const png = join(dir, 'last.png');
    await lastFrame(c, png);
    const { execFileSync } = await import('node:child_process');
    // Reference: frame number (count - 1) selected by index, through the same PNG encoder.
    const ref = join(dir, 'ref.png');
    const n = (await probe(c)).video?.frames ?? 0;
    expect(n).toBe(60);
    execFileSync('ffmpeg', [
      '-v',
      'error',
      '-y',
      '-i',
      c,
      '-vf',
      `select=eq(n\\,${n - 1})`,
      '-frames:v',
      '1',
      '-c:v',
      'png',
      ref,
    ]);
    const md5 = (f: string): string | undefined =>
      execFileSync('ffmpeg', ['-v', 'error', '-i', f, '-f', 'framemd5', '-'])
        .toString()
        .trim()
        .split('\n')
        .pop()
        ?.split(',')
        .pop();
    expect(md5(png)).toBe(md5(ref));
    expect((await probe(png)).video).toMatchObject({ width: 320, height: 240 });
  });

  it('writes a poster and a filmstrip', async () => {
    const t = await thumbnails(c, join(dir, 'thumbs'), { count: 4, width: 96 });
    expect(existsSync(t.poster)).toBe(true);
    expect(t.filmstrip).toHaveLength(4);
    expect((await probe(t.filmstrip[0] as string)).video?.width).toBe(96);
  });
});

describe('edits', () => {
  it('stream-copies compatible clips: output packets equal input packets', async () => {
    const out = join(dir, 'copy out é.mp4');
    const plan = await planEdit({ clips: [{ file: a }, { file: b }, { file: c }] });
    expect(plan).toMatchObject({ mode: 'copy', reasons: [] });
    await renderEdit({ clips: [{ file: a }, { file: b }, { file: c }] }, out);
    for (const s of ['v', 'a'] as const)
      expect(packetHashes(out, s)).toEqual([...packetHashes(a, s), ...packetHashes(b, s), ...packetHashes(c, s)]);
    // Metadata stripped: no encoder tag in the container.
    const fmt = ffprobeJson(out, ['-show_entries', 'format_tags']) as { format: { tags?: Record<string, string> } };
    expect(fmt.format.tags?.encoder).toBeUndefined();
    expect(noPartials()).toEqual([]);
  });

  it('normalises mixed 720p30 / 1080p24 / with and without audio', async () => {
    const edit = { clips: [{ file: hd }, { file: fhd }, { file: a }] };
    const plan = await planEdit(edit);
    expect(plan.mode).toBe('reencode');
    expect(plan.reasons.join('\n')).toMatch(/resolution: .*fhd1080p24\.mp4 has 1920x1080/);
    expect(plan.reasons.join('\n')).toMatch(/frame rate: .*24\/1/);
    expect(plan.reasons.join('\n')).toMatch(/audio: .* has present/);
    const out = join(dir, 'mixed.mp4');
    const progress: number[] = [];
    await renderEdit(edit, out, { plan, onProgress: (p) => progress.push(p.percent) });
    const p = await probe(out);
    expect(p.video).toMatchObject({ codec: 'h264', width: 1280, height: 720, fps: 30, pixFmt: 'yuv420p', sar: '1:1' });
    expect(p.audio).toMatchObject({ sampleRate: 48000, channels: 2 });
    expect(Math.abs(videoDuration(out) - 3)).toBeLessThanOrEqual((1 / 30) * 2);
    expect(progress.at(-1)).toBe(100);
    const fmt = ffprobeJson(out, ['-show_entries', 'format_tags:stream_tags']) as {
      format: { tags?: Record<string, string> };
    };
    expect(JSON.stringify(fmt)).not.toMatch(/Lavf|x264/);
  }, 60_000);

  it('crossfades and trims: duration = sum of trimmed clips minus overlaps, within one frame per cut', async () => {
    const edit = {
      clips: [
        { file: c, inS: 0.5, transition: { kind: 'crossfade' as const, seconds: 0.5 } },
        { file: a, outS: 0.8, transition: { kind: 'crossfade' as const, seconds: 0.3 } },
        { file: c, inS: 0.2, outS: 1.2 },
      ],
    };
    const plan = await planEdit(edit);
    const expected = 1.5 + 0.8 + 1.0 - 0.5 - 0.3;
    expect(plan.durationS).toBeCloseTo(expected, 6);
    const out = join(dir, 'xfade.mp4');
    await renderEdit(edit, out, { plan });
    expect(Math.abs(videoDuration(out) - expected)).toBeLessThanOrEqual((1 / 30) * 2);
  }, 60_000);

  it('exports hevc and prores presets', async () => {
    const hevc = join(dir, 'x.mp4');
    await renderEdit({ clips: [{ file: a }], preset: 'hevc' }, hevc);
    expect((await probe(hevc)).video).toMatchObject({ codec: 'hevc' });
    const prores = join(dir, 'x.mov');
    await renderEdit({ clips: [{ file: a }], preset: 'prores' }, prores);
    expect((await probe(prores)).video).toMatchObject({ codec: 'prores', pixFmt: 'yuv422p10le' });
  }, 60_000);

  it('a bad input fails before anything runs and leaves no output', async () => {
    const out = join(dir, 'bad.mp4');
    await expect(renderEdit({ clips: [{ file: a }, { file: join(dir, 'missing clip.mp4') }] }, out)).rejects.toThrow(
      /missing clip\.mp4: no such file/,
    );
    const text = join(dir, 'text.mov');
    writeFileSync(text, 'hello');
    await expect(renderEdit({ clips: [{ file: text }, { file: a }] }, out)).rejects.toThrow(
      /text\.mov: not a readable media file/,
    );
    expect(existsSync(out)).toBe(false);
    expect(noPartials()).toEqual([]);
  });

  it('cancel kills ffmpeg and removes the partial output', async () => {
    const out = join(dir, 'cancelled.mov');
    const ac = new AbortController();
    const run = renderEdit({ clips: [{ file: fhd }, { file: hd }, { file: fhd }], preset: 'prores' }, out, {
      signal: ac.signal,
      onProgress: () => ac.abort(),
    });
    await expect(run).rejects.toMatchObject({ info: { code: 'cancelled' } });
    expect(existsSync(out)).toBe(false);
    expect(noPartials()).toEqual([]);
  }, 60_000);
});
