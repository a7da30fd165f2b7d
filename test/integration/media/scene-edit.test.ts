/**
 * Native audio survives a scene's split, the edit and every NLE timeline (issue 13 item 3): the
 * shots of a sandbox scene with AAC (electron/core/sandbox/scene-clip.ts, each shot its own
 * tone), split by splitScene, cut with a silent shot between them. The edit is made by
 * renderEdit, the path of `run --edit` (electron/core/engine/edit.ts) and of the Edit page;
 * it must carry each scene shot's own tone where that shot is and silence under the silent
 * shot. The timelines (FCP7 XML, FCPXML, OTIO, EDL) must have an audio track with the scene
 * shots' audio linked to their pictures, and none for the silent shot. Real ffmpeg throughout.
 */
import { execFileSync } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

import { XMLParser } from 'fast-xml-parser';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';

import { cutEdit } from '../../../electron/core/engine/edit';
import { planEdit, probe, splitScene, writeTimeline } from '../../../electron/core/media';
import { ensureClip, sceneClipSpec } from '../../../electron/core/sandbox';
import type { Edit, EditPlan } from '../../../shared/media';
import { countFrames, toneOf } from './scene-frames';

let dir: string;
let clips: string[];
let edit: Edit;
let plan: EditPlan;

beforeAll(async () => {
  dir = mkdtempSync(join(tmpdir(), 'shotline-scene-edit-'));
  // A two-shot 5 s scene with Kling's own soundtrack, and a 3 s shot without audio (2.5 Turbo), all 720p24.
  const scene = await ensureClip(sceneClipSpec([3, 2], { width: 1280, height: 720, fps: 24, audio: true }));
  const split = await splitScene(scene, [3, 2], { outDir: dir, names: ['s1.mp4', 's2.mp4'] });
  const silent = await ensureClip({
    width: 1280,
    height: 720,
    fps: 24,
    durationSec: 3.041,
    variant: 0,
    variants: 2,
    audio: false,
  });
  clips = [split.shots[0]?.file ?? '', silent, split.shots[1]?.file ?? ''];
  edit = { title: 'scene with audio and a silent shot', clips: clips.map((file) => ({ file })) };
  plan = await planEdit(edit);
}, 300_000);

afterAll(() => rmSync(dir, { recursive: true, force: true }));

/** Pitch (zero crossings) and RMS of 40 ms of mono 48 kHz audio from `atS`. */
function toneAt(samples: Int16Array, atS: number): { hz: number; rms: number } {
  const from = Math.round(atS * 48000);
  let crossings = 0;
  let sq = 0;
  for (let i = from + 1; i < from + 1920; i++) {
    const a = samples[i - 1] ?? 0;
    const b = samples[i] ?? 0;
    if (a < 0 !== b < 0) crossings++;
    sq += b * b;
  }
  return { hz: crossings / 2 / 0.04, rms: Math.sqrt(sq / 1919) };
}

describe('a scene with audio next to a silent shot', () => {
  it('the split shots keep their audio; the silent shot has none', async () => {
    const p = await Promise.all(clips.map((c) => probe(c)));
    expect(p.map((x) => x.audio !== null)).toEqual([true, false, true]);
  });

  it(
    'one edit (run --edit, the Edit page): every scene shot with its own tone where it is, silence under the silent shot',
    { timeout: 300_000 },
    async () => {
      const out = await cutEdit(clips, join(dir, 'edit.mp4'));
      const frames = clips.map(countFrames);
      expect(countFrames(out)).toBe(frames.reduce((a, b) => a + b, 0));
      const p = await probe(out);
      expect(p.audio).not.toBeNull();
      const pcm = execFileSync('ffmpeg', [
        '-v',
        'error',
        '-i',
        out,
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
      // The audio lasts as long as the picture (a silent track under the silent shot, not a gap that shifts the rest).
      expect(Math.abs(samples.length / 48000 - frames.reduce((a, b) => a + b, 0) / 24)).toBeLessThan(0.06);
      const starts = [0, frames[0] ?? 0, (frames[0] ?? 0) + (frames[1] ?? 0)].map((f) => f / 24);
      const lens = frames.map((f) => f / 24);
      // Near both ends of every part (60 ms in) and in its middle.
      const at = (k: number): number[] => [
        (starts[k] ?? 0) + 0.06,
        (starts[k] ?? 0) + (lens[k] ?? 0) / 2,
        (starts[k] ?? 0) + (lens[k] ?? 0) - 0.1,
      ];
      for (const t of at(0))
        expect(Math.abs(toneAt(samples, t).hz - toneOf(0)), `scene shot 1 at ${t.toFixed(2)} s`).toBeLessThan(30);
      for (const t of at(1)) expect(toneAt(samples, t).rms, `silent shot at ${t.toFixed(2)} s`).toBeLessThan(50);
      for (const t of at(2))
        expect(Math.abs(toneAt(samples, t).hz - toneOf(1)), `scene shot 2 at ${t.toFixed(2)} s`).toBeLessThan(30);
    },
  );

  it('FCP7 XML: an audio track with the scene shots, each linked to its picture; nothing for the silent shot', () => {
    const xml = new XMLParser({
      ignoreAttributes: false,
      attributeNamePrefix: '@',
      parseTagValue: false,
      isArray: (n) => ['track', 'clipitem', 'link'].includes(n),
    });
    const doc = xml.parse(writeTimeline('fcp7', edit, plan)) as {
      xmeml: {
        sequence: {
          media: {
            video: { track: Array<{ clipitem: Array<Record<string, unknown>> }> };
            audio: { track?: Array<{ clipitem: Array<Record<string, unknown>> }> };
          };
        };
      };
    };
    const v = doc.xmeml.sequence.media.video.track[0]?.clipitem ?? [];
    const a = doc.xmeml.sequence.media.audio.track?.[0]?.clipitem ?? [];
    expect(v).toHaveLength(3);
    expect(a).toHaveLength(2);
    expect(a.map((c) => [c.start, c.end])).toEqual([v[0], v[2]].map((c) => [c?.start, c?.end]));
    for (const [vi, ai] of [
      [0, 0],
      [2, 1],
    ] as const) {
      const links = (x: Record<string, unknown> | undefined): string[] =>
        ((x?.link ?? []) as Array<{ linkclipref: string }>).map((l) => l.linkclipref);
      expect(links(v[vi])).toEqual([v[vi]?.['@id'], a[ai]?.['@id']]);
      expect(links(a[ai])).toEqual([v[vi]?.['@id'], a[ai]?.['@id']]);
    }
    expect(v[1]?.link).toBeUndefined();
  });

  it('FCPXML: the scene shots are assets with audio, the silent shot one without, each used once in order', () => {
    const xml = new XMLParser({
      ignoreAttributes: false,
      attributeNamePrefix: '@',
      parseTagValue: false,
      isArray: (n) => ['asset', 'asset-clip'].includes(n),
    });
    const text = writeTimeline('fcpxml', edit, plan);
    const doc = xml.parse(text) as { fcpxml: { resources: { asset: Array<Record<string, string>> } } };
    const assets = doc.fcpxml.resources.asset;
    expect(assets.map((x) => x['@hasAudio'] ?? '0')).toEqual(['1', '0', '1']);
    const used = [...text.matchAll(/<asset-clip [^>]*ref="([^"]+)"/g)].map((m) => m[1]);
    expect(used).toEqual(assets.map((x) => x['@id']));
  });

  it('OTIO: an audio track of clip, gap, clip under the pictures', () => {
    const doc = JSON.parse(writeTimeline('otio', edit, plan)) as {
      tracks: {
        children: Array<{
          name: string;
          kind: string;
          children: Array<{ OTIO_SCHEMA: string; source_range?: { duration: { value: number } } }>;
        }>;
      };
    };
    const a1 = doc.tracks.children.find((t) => t.kind === 'Audio');
    const v1 = doc.tracks.children.find((t) => t.kind === 'Video');
    expect(a1?.children.map((c) => c.OTIO_SCHEMA.split('.')[0])).toEqual(['Clip', 'Gap', 'Clip']);
    expect(a1?.children.map((c) => c.source_range?.duration.value)).toEqual(
      v1?.children.map((c) => c.source_range?.duration.value),
    );
  });

  it('EDL: the scene shots are audio+video events, the silent shot video only', () => {
    const events = writeTimeline('edl', edit, plan)
      .split('\n')
      .filter((l) => /^\d{3}\s/.test(l))
      .map((l) => l.trim().split(/\s+/)[2]);
    expect(events).toEqual(['AA/V', 'V', 'AA/V']);
  });
});
