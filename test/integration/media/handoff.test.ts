/**
 * Issue 15, the hand-off: for each case, a frame map computed from ffprobe frame counts alone
 * (for every record frame: which file and source frame is shown, two inside a dissolve) is
 * compared with what each written timeline declares, read back by readers written here from
 * the formats (handoff/*.ts: our own EDL and OTIO readers, fast-xml-parser for xmeml and
 * FCPXML), and with the render's decoded frame count. Clips are made with real ffmpeg.
 * Apple's FCPXML DTD is not available offline: handoff/fcpxml.ts checks the structure.
 */
import { execFileSync } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

import { afterAll, beforeAll, describe, expect, it } from 'vitest';

import { planEdit, renderEdit, writeTimeline } from '../../../electron/core/media';
import type { Edit, EditPlan } from '../../../shared/media';
import { readEdl } from './handoff/edl';
import { readFcp7 } from './handoff/fcp7';
import { readFcpxml } from './handoff/fcpxml';
import { conv, frameMap, sameRate, type Rate, type ReadClip, type ReadTimeline, type Shown } from './handoff/model';
import { readOtio } from './handoff/otio';

let dir: string;
beforeAll(() => {
  dir = mkdtempSync(join(tmpdir(), 'shotline handoff '));
});
afterAll(() => rmSync(dir, { recursive: true, force: true }));

interface Gen {
  rate: string;
  d: number;
  /** Audio length (default d); 0 = no audio. */
  audioD?: number;
  channels?: number;
  size?: string;
}

function gen(name: string, g: Gen): string {
  const out = join(dir, name);
  const a = g.audioD ?? g.d;
  // Each frame's brightness is (37 x its number) mod 256: neighbours differ by 37 levels everywhere,
  // so a decoded frame tells which source frame it is (renderShows).
  const args = [
    '-v',
    'error',
    '-y',
    '-f',
    'lavfi',
    '-i',
    `color=c=black:s=${g.size ?? '96x64'}:r=${g.rate}:d=${g.d},format=yuv420p,geq=lum='mod(N*37\\,256)':cb=128:cr=128`,
  ];
  if (a > 0) args.push('-f', 'lavfi', '-i', `sine=f=330:r=48000:d=${a}`);
  args.push('-map', '0:v');
  if (a > 0) args.push('-map', '1:a', '-c:a', 'aac', '-ac', String(g.channels ?? 2));
  args.push('-c:v', 'libx264', '-preset', 'ultrafast', '-g', '12', '-pix_fmt', 'yuv420p', out);
  execFileSync('ffmpeg', args);
  return out;
}

/** ffprobe's truth: decoded video frames, the video rate, audio channels. */
interface Truth {
  frames: number;
  rate: Rate;
  channels: number | null;
}
function truth(file: string): Truth {
  const j = JSON.parse(
    execFileSync('ffprobe', [
      '-v',
      'error',
      '-count_frames',
      '-of',
      'json',
      '-show_entries',
      'stream=codec_type,nb_read_frames,r_frame_rate,channels',
      file,
    ]).toString(),
  ) as {
    streams: Array<{ codec_type: string; nb_read_frames?: string; r_frame_rate?: string; channels?: number }>;
  };
  const v = j.streams.find((s) => s.codec_type === 'video');
  const a = j.streams.find((s) => s.codec_type === 'audio');
  const [num = 0, den = 1] = (v?.r_frame_rate ?? '0/1').split('/').map(Number);
  return { frames: Number(v?.nb_read_frames), rate: { num, den }, channels: a?.channels ?? null };
}

/**
 * The expected picture, from ffprobe counts and the edit alone: clip i (trimmed to whole own
 * frames) lasts its frames converted to the first clip's rate; a crossfade of s seconds is
 * round(s x rate) frames in which the last frames of one clip and the first of the next are
 * both shown.
 */
function expectedMap(
  edit: Edit,
  t: Map<string, Truth>,
): { map: Shown[][]; starts: number[]; recs: number[]; fades: number[] } {
  const seq = (t.get(edit.clips[0]?.file as string) as Truth).rate;
  const fps = (r: Rate): number => r.num / r.den;
  let start = 0;
  const starts: number[] = [];
  const recs: number[] = [];
  const fades: number[] = [];
  const map: Shown[][] = [];
  edit.clips.forEach((c, i) => {
    const tr = t.get(c.file) as Truth;
    const srcIn = Math.round((c.inS ?? 0) * fps(tr.rate));
    const srcOut = c.outS === undefined ? tr.frames : Math.min(tr.frames, Math.round(c.outS * fps(tr.rate)));
    const rec = conv(srcOut - srcIn, tr.rate, seq);
    const fade = c.transition && i < edit.clips.length - 1 ? Math.round(c.transition.seconds * fps(seq)) : 0;
    for (let k = 0; k < rec; k++)
      (map[start + k] ??= []).push({ file: c.file, src: srcIn + conv(k, seq, tr.rate), rate: tr.rate });
    starts.push(start);
    recs.push(rec);
    fades.push(fade);
    start += rec - fade;
  });
  return { map, starts, recs, fades };
}

/** Same clips frame by frame; a clip at another rate than the sequence is conformed by time, so its source frame may round either way (±1). */
function sameMap(got: Shown[][], want: Shown[][], t: Map<string, Truth>, seq: Rate, format: string): void {
  expect(got.length, `${format}: timeline length`).toBe(want.length);
  want.forEach((w, r) => {
    const g = got[r] ?? [];
    const show = (s: Shown[]): string => s.map((x) => `${x.file}@${x.src}`).join(' + ');
    const own = g.map((x) => {
      const tr = t.get(x.file);
      if (!tr) throw new Error(`${format}: record frame ${r} shows ${x.file}, not a clip of the edit`);
      return { ...x, src: conv(x.src, x.rate, tr.rate), rate: tr.rate };
    });
    const ok =
      own.length === w.length &&
      own.every(
        (x, k) => x.file === w[k]?.file && Math.abs(x.src - (w[k]?.src ?? -1)) <= (sameRate(x.rate, seq) ? 0 : 1),
      );
    if (!ok) expect(`${format} frame ${r}: ${show(own)}`).toBe(`${format} frame ${r}: ${show(w)}`);
    for (const x of own) {
      const tr = t.get(x.file) as Truth;
      if (x.src < 0 || x.src >= tr.frames)
        throw new Error(`${format}: record frame ${r} asks ${x.file} for frame ${x.src}; it has ${tr.frames}`);
    }
  });
}

/** Every decoded frame of a file as 8-bit grey at w x h. */
function grey(file: string, w: number, h: number): Buffer[] {
  const raw = execFileSync(
    'ffmpeg',
    [
      '-v',
      'error',
      '-i',
      file,
      '-map',
      '0:v:0',
      '-fps_mode',
      'passthrough',
      '-vf',
      `scale=${w}:${h},format=gray`,
      '-f',
      'rawvideo',
      '-',
    ],
    { maxBuffer: 1 << 28 },
  );
  const size = w * h;
  return Array.from({ length: Math.floor(raw.length / size) }, (_, k) => raw.subarray(k * size, (k + 1) * size));
}
const distance = (a: Buffer, b: Buffer): number => {
  let d = 0;
  for (let k = 0; k < a.length; k++) d += Math.abs((a[k] ?? 0) - (b[k] ?? 0));
  return d;
};

/**
 * The render shows what the map says: at the first, middle and last frame each clip has on its
 * own, the decoded render frame is closest to the mapped source frame among its neighbours
 * (testsrc2 changes every frame). Clips at the sequence's rate only (others are resampled).
 */
function renderShows(out: string, map: Shown[][], seq: Rate, size: string): void {
  const [w = 0, h = 0] = size.split('x').map(Number);
  const rendered = grey(out, w, h);
  const sources = new Map<string, Buffer[]>();
  const runs = new Map<string, number[]>();
  map.forEach((m, r) => {
    const only = m.length === 1 ? m[0] : undefined;
    if (only && sameRate(only.rate, seq)) runs.set(only.file, [...(runs.get(only.file) ?? []), r]);
  });
  for (const [file, frames] of runs) {
    const src = sources.get(file) ?? grey(file, w, h);
    sources.set(file, src);
    for (const r of [frames[0], frames[Math.floor(frames.length / 2)], frames[frames.length - 1]] as number[]) {
      const want = (map[r]?.[0] as Shown).src;
      const scores = [want - 1, want, want + 1]
        .filter((k) => k >= 0 && k < src.length)
        .map((k) => ({ k, d: distance(rendered[r] as Buffer, src[k] as Buffer) }));
      const best = scores.reduce((a, b) => (b.d < a.d ? b : a));
      expect(`render frame ${r}: ${file}@${best.k}`).toBe(`render frame ${r}: ${file}@${want}`);
    }
  }
}

function contiguous(tl: ReadTimeline, format: string): void {
  tl.clips.forEach((c, i) => {
    const next = tl.clips[i + 1];
    if (next) expect(next.recIn, `${format}: clip ${i + 2} starts where clip ${i + 1} ends`).toBe(c.recOut);
  });
}

interface Case {
  name: string;
  clips: Array<{
    name: string;
    gen: Gen;
    inS?: number;
    outS?: number;
    fade?: number;
    alternates?: Array<{ name: string; gen: Gen }>;
  }>;
  mode?: 'copy' | 'reencode';
}

const AWKWARD = `shot 1 "q" & #1 %41 é.mp4`;
const CASES: Case[] = [
  {
    name: '24 fps: trims, even and odd crossfades, alternates of different lengths, awkward names',
    clips: [
      {
        name: AWKWARD,
        gen: { rate: '24', d: 3 },
        inS: 0.5,
        fade: 0.5,
        alternates: [
          { name: 'alt short.mp4', gen: { rate: '24', d: 1 } },
          { name: "alt 'long' ü.mp4", gen: { rate: '24', d: 4 } },
        ],
      },
      {
        name: "it's shot 2.mp4",
        gen: { rate: '24', d: 2 },
        fade: 0.375,
        alternates: [{ name: 'alt two.mp4', gen: { rate: '24', d: 1.5 } }],
      },
      { name: 'shot 3 #.mp4', gen: { rate: '24', d: 2 }, outS: 1.5 },
    ],
  },
  {
    name: '25 fps, odd crossfade (0.5 s = 13 frames)',
    clips: [
      { name: '25 a.mp4', gen: { rate: '25', d: 2 }, fade: 0.5 },
      { name: '25 b.mp4', gen: { rate: '25', d: 2 } },
    ],
  },
  {
    name: '29.97 fps past one minute, odd crossfade, mono audio',
    clips: [
      { name: 'ntsc long.mp4', gen: { rate: '30000/1001', d: 62, size: '64x48' }, inS: 1, fade: 0.5 },
      { name: 'ntsc b.mp4', gen: { rate: '30000/1001', d: 2, size: '64x48', channels: 1 } },
    ],
  },
  {
    name: 'audio longer than video (re-encoded, never copied)',
    clips: [
      { name: 'long audio.mp4', gen: { rate: '24', d: 2, audioD: 2.54 } },
      { name: 'plain.mp4', gen: { rate: '24', d: 2 } },
    ],
    mode: 'reencode',
  },
  {
    name: 'stream copy: video starts with the audio',
    clips: [
      { name: 'copy a.mp4', gen: { rate: '24', d: 2 } },
      { name: 'copy b.mp4', gen: { rate: '24', d: 2 } },
    ],
    mode: 'copy',
  },
  {
    name: 'mixed rates: 24 sequence with 25 and 29.97 sources, a clip without audio',
    clips: [
      { name: 'mix 24.mp4', gen: { rate: '24', d: 2 } },
      {
        name: 'mix 25.mp4',
        gen: { rate: '25', d: 2, audioD: 0 },
        alternates: [{ name: 'mix alt 29.97.mp4', gen: { rate: '30000/1001', d: 1 } }],
      },
      { name: 'mix 29.97.mp4', gen: { rate: '30000/1001', d: 2 } },
    ],
  },
  {
    name: 'mixed rates with a crossfade: 25 sequence, 24 fps clip between',
    clips: [
      { name: 'mx 25 a.mp4', gen: { rate: '25', d: 2 }, fade: 0.44 },
      { name: 'mx 24.mp4', gen: { rate: '24', d: 2 }, fade: 0.2 },
      { name: 'mx 25 b.mp4', gen: { rate: '25', d: 2 } },
    ],
  },
];

describe('hand-off: every format agrees with the frame map and the render', () => {
  for (const c of CASES) {
    it(
      c.name,
      async () => {
        const t = new Map<string, Truth>();
        const edit: Edit = {
          title: 'Hand-off & "tests" é',
          clips: c.clips.map((k, i) => {
            const file = gen(k.name, k.gen);
            t.set(file, truth(file));
            const alternates = (k.alternates ?? []).map((a) => {
              const f = gen(a.name, a.gen);
              t.set(f, truth(f));
              return f;
            });
            return {
              file,
              ...(k.inS !== undefined ? { inS: k.inS } : {}),
              ...(k.outS !== undefined ? { outS: k.outS } : {}),
              ...(k.fade && i < c.clips.length - 1
                ? { transition: { kind: 'crossfade' as const, seconds: k.fade } }
                : {}),
              ...(alternates.length ? { alternates } : {}),
            };
          }),
        };
        const want = expectedMap(edit, t);
        const plan: EditPlan = await planEdit(edit, { fresh: true });
        if (c.mode) expect(plan.mode).toBe(c.mode);
        const seq = (t.get(edit.clips[0]?.file as string) as Truth).rate;

        const edl = readEdl(writeTimeline('edl', edit, plan), seq);
        const otio = readOtio(writeTimeline('otio', edit, plan));
        const fcp7 = readFcp7(writeTimeline('fcp7', edit, plan));
        const fcpxml = readFcpxml(writeTimeline('fcpxml', edit, plan));
        const formats: Array<[string, ReadTimeline]> = [
          ['edl', edl],
          ['otio', otio],
          ['fcp7', fcp7],
          ['fcpxml', fcpxml],
        ];
        for (const [name, tl] of formats) {
          contiguous(tl, name);
          expect(tl.totalFrames, `${name}: declared length`).toBe(want.map.length);
          sameMap(frameMap(tl), want.map, t, seq, name);
        }
        expect(writeTimeline('edl', edit, plan).split('\n')[0]).toBe('TITLE: Hand-off & "tests" e');

        // Every file (alternates too) is declared with its own rate, length and channels.
        for (const [name, tl] of formats.slice(1)) {
          for (const [file, tr] of t) {
            const got = tl.files.get(file);
            expect(got, `${name}: ${file} declared`).toBeDefined();
            expect(
              sameRate(got?.rate ?? { num: 0, den: 1 }, tr.rate),
              `${name}: ${file} rate ${got?.rate.num}/${got?.rate.den}`,
            ).toBe(true);
            expect(got?.frames, `${name}: ${file} length`).toBe(tr.frames);
            expect(got?.channels ?? null, `${name}: ${file} channels`).toBe(tr.channels);
          }
        }

        // Alternates: alternate k of shot i on its own track, at the shot's cut, from its first
        // frame, as long as the shot or itself if shorter, disabled.
        const fps = (r: Rate): number => r.num / r.den;
        edit.clips.forEach((clip, i) => {
          (clip.alternates ?? []).forEach((alt, k) => {
            const head = Math.floor((want.fades[i - 1] ?? 0) / 2);
            const recIn = (want.starts[i] ?? 0) + head;
            const recOut =
              (want.starts[i] ?? 0) + (want.recs[i] ?? 0) - (want.fades[i] ?? 0) + Math.floor((want.fades[i] ?? 0) / 2);
            const tr = t.get(alt) as Truth;
            const len = Math.min(recOut - recIn, conv(tr.frames, tr.rate, seq));
            for (const [name, tl] of formats.slice(1)) {
              const got = tl.alternates[k]?.find((a: ReadClip) => a.file === alt);
              expect(got, `${name}: alternate ${alt}`).toMatchObject({
                recIn,
                recOut: recIn + len,
                srcIn: 0,
                enabled: false,
              });
            }
          });
          void fps;
        });

        // Audio: linked to its video in xmeml, crossfaded like the render, same ranges in OTIO.
        const withAudio = edit.clips.filter((k) => (t.get(k.file) as Truth).channels !== null).length;
        expect(fcp7.audioItems.length).toBe(withAudio);
        for (const item of fcp7.audioItems) expect((item.link as unknown[]).length).toBe(2);
        const audioFades = edit.clips.filter(
          (k, i) =>
            k.transition &&
            (t.get(k.file) as Truth).channels !== null &&
            (t.get(edit.clips[i + 1]?.file as string) as Truth).channels !== null,
        ).length;
        expect(fcp7.audioTransitions.length).toBe(audioFades);
        expect(otio.audio?.dissolves.length ?? 0).toBe(audioFades);
        for (const a of otio.audio?.clips ?? [])
          expect(otio.clips.find((v) => v.file === a.file)).toMatchObject({
            recIn: a.recIn,
            recOut: a.recOut,
            srcIn: a.srcIn,
          });

        // The render decodes to exactly the timeline's frames, video from time 0.
        const out = join(dir, `${c.name.slice(0, 10).replace(/\W/g, '_')}.mp4`);
        await renderEdit(edit, out, { plan });
        const r = truth(out);
        expect(r.frames, 'render frames').toBe(want.map.length);
        renderShows(out, want.map, seq, c.clips[0]?.gen.size ?? '96x64');
        const starts = JSON.parse(
          execFileSync('ffprobe', [
            '-v',
            'error',
            '-of',
            'json',
            '-show_entries',
            'stream=codec_type,start_time,duration',
            out,
          ]).toString(),
        ) as { streams: Array<{ codec_type: string; start_time: string; duration: string }> };
        const v = starts.streams.find((s) => s.codec_type === 'video');
        expect(Number(v?.start_time)).toBe(0);
        const a = starts.streams.find((s) => s.codec_type === 'audio');
        if (a) expect(Math.abs(Number(a.duration) - want.map.length / fps(seq))).toBeLessThan(1 / fps(seq));
      },
      240_000,
    );
  }
});
