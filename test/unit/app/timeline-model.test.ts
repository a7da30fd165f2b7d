/**
 * The Edit page's timeline in numbers (renderer/src/pages/edit/timeline-model.ts) and the
 * inverse patches of its undo (renderer/src/pages/edit/history.ts): lengths and positions
 * from the probes, trims and fades snapped to the clip's frames, drop places, the whole
 * order kept for unpicked shots, and the source time under the playhead.
 */
import { describe, expect, it } from 'vitest';

import type { StoredEdit } from '../../../shared/contract';
import type { EditPlan, ProbeResult } from '../../../shared/media';
import { inverseOf } from '../../../renderer/src/pages/edit/history';
import {
  dropIndex,
  fadeFrom,
  layout,
  orderWith,
  programLength,
  sourceAt,
  timecode,
  trimEdge,
} from '../../../renderer/src/pages/edit/timeline-model';

const probe = (file: string, durationS: number, fps: number): ProbeResult => ({
  file,
  formatName: 'mp4',
  durationS,
  sizeBytes: 1,
  streams: 1,
  audio: null,
  video: {
    codec: 'h264',
    profile: null,
    width: 320,
    height: 180,
    sar: '1:1',
    fpsFraction: `${fps}/1`,
    fps,
    timebase: '1/12800',
    pixFmt: 'yuv420p',
    frames: Math.round(durationS * fps),
    durationS,
  },
});
const plan = (probes: ProbeResult[]): EditPlan => ({
  mode: 'copy',
  reasons: [],
  target: { width: 320, height: 180, fpsFraction: '25/1', pixFmt: 'yuv420p', sampleRate: 48000, channels: 2 },
  clipDurationsS: [],
  durationS: 0,
  probes,
  frames: [],
  totalFrames: 0,
  alternates: [],
});

const clips = layout(
  [
    { file: '/d/a.mp4', name: 'a', inS: 1, outS: 4, transition: { kind: 'crossfade', seconds: 0.5 } },
    { file: '/d/b.mp4', name: 'b' },
    { file: '/d/c.mp4', name: 'c', transition: { kind: 'crossfade', seconds: 1 } },
  ],
  plan([probe('/d/a.mp4', 5, 25), probe('/d/b.mp4', 2, 24), probe('/d/c.mp4', 3, 30)]),
);

describe('the timeline model', () => {
  it('lays clips end to end by trimmed length less the fade into the next; the last clip has no fade', () => {
    expect(clips.map((c) => [c.id, c.startS, c.spanS, c.fps])).toEqual([
      ['a', 0, 2.5, 25],
      ['b', 2.5, 2, 24],
      ['c', 4.5, 3, 30],
    ]);
    expect(programLength(clips)).toBe(7.5);
  });

  it('a clip not probed yet is assumed 5 s at 24 fps', () => {
    const [c] = layout([{ file: '/d/x.mp4', name: 'x' }], null);
    expect([c?.lenS, c?.fps, c?.spanS]).toEqual([5, 24, 5]);
  });

  it('trims snap to the clip frames, stay at least one frame long and inside the file', () => {
    const a = clips[0]!;
    expect(trimEdge(a, 'in', 0.013)).toEqual({ inS: 1, outS: 4 });
    expect(trimEdge(a, 'in', 0.03)).toEqual({ inS: 1.04, outS: 4 });
    expect(trimEdge(a, 'in', -5)).toEqual({ inS: 0, outS: 4 });
    expect(trimEdge(a, 'in', 10)).toEqual({ inS: 3.96, outS: 4 });
    expect(trimEdge(a, 'out', 10)).toEqual({ inS: 1, outS: 5 });
    expect(trimEdge(a, 'out', -10)).toEqual({ inS: 1, outS: 1.04 });
    const b = clips[1]!;
    expect(trimEdge(b, 'out', -0.5).outS).toBe(1.5);
    expect(trimEdge(b, 'out', -0.51).outS).toBe(Number((36 / 24).toFixed(3)));
  });

  it('a crossfade snaps to frames, 0 to 10 s', () => {
    const a = clips[0]!;
    expect(fadeFrom(a, 0.27)).toBe(0.76);
    expect(fadeFrom(a, -2)).toBe(0);
    expect(fadeFrom(a, 40)).toBe(10);
  });

  it('a moved clip lands before the first clip whose middle it has not passed', () => {
    expect(dropIndex(clips, 0, 0.1)).toBe(0);
    expect(dropIndex(clips, 0, 1.2)).toBe(1);
    expect(dropIndex(clips, 0, 6)).toBe(2);
    expect(dropIndex(clips, 2, 0.5)).toBe(0);
  });

  it('reordering the picked shots keeps the unpicked ones where they were', () => {
    expect(orderWith(['a', 'x', 'b', 'c'], new Set(['a', 'b', 'c']), ['c', 'a', 'b'])).toEqual(['c', 'x', 'a', 'b']);
  });

  it('the playhead maps to a clip and its source time (in point plus the time into the clip)', () => {
    expect(sourceAt(clips, 0)).toEqual({ index: 0, srcS: 1 });
    expect(sourceAt(clips, 2.6)).toMatchObject({ index: 1 });
    expect(sourceAt(clips, 2.6)?.srcS).toBeCloseTo(0.1);
    expect(sourceAt(clips, 99)).toEqual({ index: 2, srcS: 3 });
    expect(timecode(61.5, 24)).toBe('00:01:01:12');
  });
});

describe('undo of an edit patch', () => {
  const edit: StoredEdit = {
    storyboardId: 's',
    storyboard: 'S',
    shots: [],
    order: ['a', 'b'],
    picks: { a: '/d/a.mp4' },
    trims: { a: { inS: 1 } },
    preset: null,
    output: null,
    updatedAt: null,
  };
  it('puts back what the patch changes, and only that (absent values become null: cleared)', () => {
    expect(
      inverseOf(edit, {
        order: ['b', 'a'],
        picks: { a: '/d/a2.mp4', b: '/d/b.mp4' },
        trims: { a: null, b: { fade: 1 } },
      }),
    ).toEqual({ order: ['a', 'b'], picks: { a: '/d/a.mp4', b: null }, trims: { a: { inS: 1 }, b: null } });
    expect(inverseOf(edit, { preset: 'hevc' })).toEqual({ preset: null });
  });
});
