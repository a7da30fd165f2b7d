/**
 * The viewer's frame math (renderer/src/components/viewer/timecode.ts) and key map (keys.ts):
 * frames, timecode, I/O marks on frame edges, J/K/L shuttle speeds, drift of synced takes.
 */
import { describe, expect, it } from 'vitest';

import { playerAction } from '../../../renderer/src/components/viewer/keys';
import {
  drifted,
  frameAt,
  frameCount,
  markIn,
  markOut,
  nextShuttle,
  seekTimeOf,
  timecode,
} from '../../../renderer/src/components/viewer/timecode';

describe('frames and timecode', () => {
  it('a frame covers [n/fps, (n+1)/fps), with slack for rounded media times', () => {
    expect(frameAt(0, 24)).toBe(0);
    expect(frameAt(1 / 24, 24)).toBe(1);
    // A pts rounded to microseconds just under the frame edge is still that frame.
    expect(frameAt(0.041666, 24)).toBe(1);
    expect(frameAt(0.0416 - 0.001, 24)).toBe(0);
    expect(frameAt(-0.5, 24)).toBe(0);
  });

  it('counts the frames of a clip the way ffprobe does for Kling-length clips (4.0417 s at 24 fps = 97)', () => {
    expect(frameCount(4.041667, 24)).toBe(97);
    expect(frameCount(3, 24)).toBe(72);
    expect(frameCount(Number.NaN, 24)).toBe(0);
    expect(frameCount(0, 24)).toBe(0);
  });

  it('seeks to the middle of a frame, clamped to the clip', () => {
    expect(seekTimeOf(0, 24, 3)).toBeCloseTo(0.5 / 24, 9);
    expect(seekTimeOf(10, 24, 3)).toBeCloseTo(10.5 / 24, 9);
    expect(seekTimeOf(-4, 24, 3)).toBeCloseTo(0.5 / 24, 9);
    expect(seekTimeOf(500, 24, 3)).toBeCloseTo(71.5 / 24, 9);
    expect(frameAt(seekTimeOf(37, 24, 3), 24)).toBe(37);
  });

  it('HH:MM:SS:FF, with 29.97 shown as 30 (non-drop)', () => {
    expect(timecode(0, 24)).toBe('00:00:00:00');
    expect(timecode(25 / 24, 24)).toBe('00:00:01:01');
    expect(timecode(3725 + 23 / 24, 24)).toBe('01:02:05:23');
    expect(timecode(1, 30000 / 1001)).toBe('00:00:00:29');
    expect(timecode(61.5 / 25, 25)).toBe('00:00:02:11');
  });
});

describe('marks', () => {
  it('I takes the start of the shown frame; the out-point defaults to the end of the clip', () => {
    expect(markIn(24.5 / 24, 24, 4.041667, null)).toEqual({ inS: 1, outS: 97 / 24 });
  });

  it('O takes the end of the shown frame, so the out frame is inside the range', () => {
    const m = markOut(36.5 / 24, 24, 4, { inS: 1, outS: 4 });
    expect(m).toEqual({ inS: 1, outS: 37 / 24 });
    expect(Math.round((m.outS - m.inS) * 24)).toBe(13);
  });

  it('a mark on the wrong side of the other drops it (to the clip start or end)', () => {
    expect(markIn(3.5, 24, 4, { inS: 1, outS: 2 })).toEqual({ inS: 3.5, outS: 4 });
    expect(markOut(0.5 / 24, 24, 4, { inS: 1, outS: 2 })).toEqual({ inS: 0, outS: 1 / 24 });
  });

  it('O at the end of the clip (currentTime = duration) marks the last frame', () => {
    expect(markOut(3, 24, 3, null)).toEqual({ inS: 0, outS: 3 });
  });
});

describe('shuttle', () => {
  it('L from pause plays 1x, again 2x, 4x, 8x and stays at 8x', () => {
    const rates = [0];
    for (let i = 0; i < 5; i++) rates.push(nextShuttle(rates[rates.length - 1] ?? 0, 'l'));
    expect(rates).toEqual([0, 1, 2, 4, 8, 8]);
  });

  it('J mirrors L backwards; J while going forwards turns back at 1x; K stops', () => {
    expect(nextShuttle(0, 'j')).toBe(-1);
    expect(nextShuttle(-1, 'j')).toBe(-2);
    expect(nextShuttle(4, 'j')).toBe(-1);
    expect(nextShuttle(-8, 'l')).toBe(1);
    expect(nextShuttle(-4, 'k')).toBe(0);
  });
});

describe('sync', () => {
  it('a follower is realigned only past half a frame', () => {
    expect(drifted(1.02, 1, 24)).toBe(false);
    expect(drifted(1.021, 1, 24)).toBe(true);
    expect(drifted(0.97, 1, 24)).toBe(true);
  });
});

describe('keys', () => {
  const key = (k: string, mods: Partial<{ shift: boolean; ctrl: boolean; meta: boolean; alt: boolean }> = {}) =>
    playerAction({
      key: k,
      shiftKey: !!mods.shift,
      ctrlKey: !!mods.ctrl,
      metaKey: !!mods.meta,
      altKey: !!mods.alt,
    });

  it('maps the editor keys, upper or lower case', () => {
    expect(key('j')).toBe('reverse');
    expect(key('K')).toBe('pause');
    expect(key('l')).toBe('forward');
    expect(key(' ')).toBe('playPause');
    expect(key('i')).toBe('markIn');
    expect(key('o')).toBe('markOut');
    expect(key('f')).toBe('fullScreen');
    expect(key('ArrowLeft')).toBe('prevFrame');
    expect(key('ArrowRight', { shift: true })).toBe('nextSecond');
    expect(key('l', { ctrl: true })).toBe('loop');
    expect(key('l', { meta: true })).toBe('loop');
  });

  it("leaves the page's keys alone (P, X, digits, ↑/↓) and anything with Alt", () => {
    for (const k of ['p', 'x', '1', '5', 'ArrowUp', 'ArrowDown', 'Enter']) expect(key(k)).toBeNull();
    expect(key('j', { alt: true })).toBeNull();
    expect(key('i', { shift: true })).toBeNull();
    expect(key('c', { ctrl: true })).toBeNull();
  });
});
