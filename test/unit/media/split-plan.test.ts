/** The scene split's frame arithmetic (electron/core/media/split-plan.ts), without ffmpeg. */
import { describe, expect, it } from 'vitest';

import { fpsOf, planCuts } from '../../../electron/core/media/split-plan';

const every = (gop: number, total: number): Set<number> =>
  new Set(Array.from({ length: Math.ceil(total / gop) }, (_, i) => i * gop));

describe('planCuts', () => {
  it('cuts at round(cumulative seconds x fps); the last shot takes the remainder; copy only with keyframes at both ends', () => {
    const cuts = planCuts('s.mp4', [4, 2, 3], { num: 24, den: 1 }, { total: 217, keyframes: every(48, 217) });
    expect(cuts.map((c) => [c.start, c.end, c.method])).toEqual([
      [0, 96, 'copy'],
      [96, 144, 'copy'],
      [144, 217, 'copy'],
    ]);
    const off = planCuts('s.mp4', [3, 1, 2], { num: 24, den: 1 }, { total: 145, keyframes: every(48, 145) });
    expect(off.map((c) => c.method)).toEqual(['reencode', 'reencode', 'copy']);
  });

  it('NTSC rates round each boundary to the nearest frame', () => {
    const cuts = planCuts('s.mp4', [1, 1, 1], fpsOf('30000/1001'), { total: 91, keyframes: new Set([0]) });
    expect(cuts.map((c) => [c.start, c.end])).toEqual([
      [0, 30],
      [30, 60],
      [60, 91],
    ]);
  });

  it('refuses a file shorter or much longer than the declared shots, and a shot under one frame', () => {
    expect(() => planCuts('s.mp4', [4, 2], { num: 24, den: 1 }, { total: 100, keyframes: new Set([0]) })).toThrow(
      /s\.mp4: 100 frames .* declare 6 s \(144 frames\)/,
    );
    expect(() => planCuts('s.mp4', [4, 2], { num: 24, den: 1 }, { total: 160, keyframes: new Set([0]) })).toThrow(
      /0\.667 s more than the 6 s/,
    );
    expect(() => planCuts('s.mp4', [2, 0.01, 1], { num: 24, den: 1 }, { total: 73, keyframes: new Set([0]) })).toThrow(
      /shot 2 \(0\.01 s\) is shorter than one frame/,
    );
    expect(() => fpsOf('0/0')).toThrow(/frame rate "0\/0"/);
  });
});
