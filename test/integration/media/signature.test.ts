/**
 * The planner's fast path: MP4 stream signatures (one ffprobe for the first clip, a header
 * read for the others) must give the same verdict as probing every clip, and fall back to
 * full probes (with their errors) on any difference.
 */
import { mkdtempSync, rmSync, copyFileSync, truncateSync, statSync, existsSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

import { afterAll, beforeAll, describe, expect, it } from 'vitest';

import { planEdit, probe, renderEdit } from '../../../electron/core/media';
import { mp4Signature } from '../../../electron/core/media/signature';
import type { EditPlan } from '../../../shared/media';
import { makeClip, packetHashes } from './clips';

let dir: string;
let a: string; // 160x120 24 fps, AAC 48 kHz stereo, 1 s
let b: string; // same spec, other picture and tone, 2 s
let c: string; // same spec, faststart
let fps30: string;
let silent: string;
let hz44: string;
let wide: string;

beforeAll(() => {
  dir = mkdtempSync(join(tmpdir(), 'shotline sig é '));
  const base = { w: 160, h: 120, fps: 24 };
  a = makeClip(join(dir, 'a.mp4'), { ...base, d: 1 });
  b = makeClip(join(dir, `b 'q' 日本.mp4`), { ...base, d: 2, src: 'smptebars', tone: 880 });
  c = makeClip(join(dir, 'c.mp4'), { ...base, d: 1, src: 'rgbtestsrc', tone: 220, faststart: true });
  fps30 = makeClip(join(dir, 'fps30.mp4'), { ...base, fps: 30 });
  silent = makeClip(join(dir, 'silent.mp4'), { ...base, audio: false });
  hz44 = makeClip(join(dir, 'hz44.mp4'), { ...base, rate: 44100 });
  wide = makeClip(join(dir, 'wide.mp4'), { ...base, w: 192 });
}, 60_000);

afterAll(() => rmSync(dir, { recursive: true, force: true }));

const strip = (p: EditPlan): unknown => ({ mode: p.mode, reasons: p.reasons, target: p.target });

describe('MP4 stream signatures', () => {
  it('are equal for the same stream spec whatever the content, length or box order', () => {
    const s = [a, b, c].map((f) => mp4Signature(f));
    expect(s.every((x) => x !== null)).toBe(true);
    expect(s[1]?.sig).toBe(s[0]?.sig);
    expect(s[2]?.sig).toBe(s[0]?.sig);
    expect(s[1]?.videoFrames).toBe(48);
    expect(s[1]?.durationS).toBeCloseTo(2, 2);
  });

  it('differ on frame rate, audio presence, sample rate and resolution', () => {
    const sa = mp4Signature(a)?.sig;
    for (const f of [fps30, silent, hz44, wide]) expect(mp4Signature(f)?.sig, f).not.toBe(sa);
  });

  it('are null for missing, truncated or non-MP4 files', () => {
    const cut = join(dir, 'cut.mp4');
    copyFileSync(b, cut);
    truncateSync(cut, Math.floor(statSync(cut).size / 2));
    expect(mp4Signature(cut)).toBeNull();
    expect(mp4Signature(join(dir, 'nope.mp4'))).toBeNull();
    expect(mp4Signature(join(dir, '..'))).toBeNull();
  });
});

describe('planner fast path', () => {
  it('gives the verdict, durations and frame counts of full probes', async () => {
    const edit = { clips: [a, b, c, a].map((file) => ({ file })) };
    const fast = await planEdit(edit, { fresh: true });
    const full = await Promise.all(edit.clips.map((x) => probe(x.file, { fresh: true })));
    expect(fast.mode).toBe('copy');
    fast.probes.forEach((p, i) => {
      const q = full[i];
      expect(p.video).toEqual(q?.video);
      expect(p.audio).toEqual(q?.audio);
      expect(p.durationS).toBeCloseTo(q?.durationS ?? 0, 2);
    });
    const out = join(dir, 'fast.mp4');
    await renderEdit(edit, out, { plan: fast });
    expect(packetHashes(out, 'v')).toEqual([a, b, c, a].flatMap((f) => packetHashes(f, 'v')));
  });

  it('falls back to full probes on a mismatch: same reasons as before', async () => {
    const edit = { clips: [a, b, fps30, hz44, silent].map((file) => ({ file })) };
    const plan = await planEdit(edit);
    expect(plan.mode).toBe('reencode');
    expect(plan.reasons.join('\n')).toMatch(/frame rate: .*fps30\.mp4 has 30\/1/);
    expect(plan.reasons.join('\n')).toMatch(/sample rate: .*hz44\.mp4 has 44100/);
    expect(plan.reasons.join('\n')).toMatch(/audio: .*silent\.mp4 has none/);
    expect(strip(plan)).toEqual(strip(await planEdit(edit, { fresh: true })));
  });

  it('still names a truncated or missing clip, and writes nothing', async () => {
    const cut = join(dir, 'cut2.mp4');
    copyFileSync(b, cut);
    truncateSync(cut, Math.floor(statSync(cut).size / 2));
    await expect(planEdit({ clips: [a, b, cut].map((file) => ({ file })) })).rejects.toThrow(
      /cut2\.mp4: (truncated|not a readable media file)/,
    );
    await expect(planEdit({ clips: [a, join(dir, 'gone.mp4')].map((file) => ({ file })) })).rejects.toThrow(
      /gone\.mp4: no such file/,
    );
    const out = join(dir, 'never.mp4');
    await expect(renderEdit({ clips: [a, cut].map((file) => ({ file })) }, out)).rejects.toThrow(/cut2\.mp4/);
    expect(existsSync(out)).toBe(false);
  });
});
