/**
 * Motion control's reference rules (shared/kling/motion-reference.ts; kling-api.md §5.6): mp4/mov,
 * at most 100 MB when the size is known, each side 340-3850 px, 3 s to 10 s (orientation image)
 * or 30 s (video); each refusal names the measured value and a fix.
 */
import { describe, expect, it } from 'vitest';

import { checkMotionReference, type ReferenceFacts } from '../../../shared/kling/motion-reference';

const good: ReferenceFacts = {
  formatName: 'mov,mp4,m4a,3gp,3g2,mj2',
  hasVideo: true,
  width: 720,
  height: 1280,
  durationS: 5,
  sizeBytes: 2_000_000,
};

describe('checkMotionReference', () => {
  it('takes a 5 s 720x1280 mp4 with either orientation, and an unknown size', () => {
    expect(checkMotionReference(good, 'image')).toBeNull();
    expect(checkMotionReference(good, 'video')).toBeNull();
    expect(checkMotionReference({ ...good, sizeBytes: null }, 'image')).toBeNull();
  });

  it('takes the bounds themselves: 3 s, 10 s (image), 30 s (video), 340 and 3850 px, 100 MB', () => {
    expect(checkMotionReference({ ...good, durationS: 3 }, 'image')).toBeNull();
    expect(checkMotionReference({ ...good, durationS: 10 }, 'image')).toBeNull();
    expect(checkMotionReference({ ...good, durationS: 30 }, 'video')).toBeNull();
    expect(checkMotionReference({ ...good, width: 340, height: 3850 }, 'image')).toBeNull();
    expect(checkMotionReference({ ...good, sizeBytes: 100 * 1024 * 1024 }, 'image')).toBeNull();
  });

  it('refuses a container other than mp4/mov, and a file with no video', () => {
    const mkv = checkMotionReference({ ...good, formatName: 'matroska,webm' }, 'image');
    expect(mkv?.measured).toBe('matroska,webm');
    expect(mkv?.message).toMatch(/mp4 or mov/);
    expect(mkv?.fix).toMatch(/MP4/);
    expect(checkMotionReference({ ...good, formatName: 'mp3', hasVideo: false }, 'image')?.measured).toMatch(
      /no video stream/,
    );
  });

  it('refuses over 100 MB with the size in MB', () => {
    const p = checkMotionReference({ ...good, sizeBytes: 150 * 1024 * 1024 }, 'video');
    expect(p?.measured).toBe('150 MB');
    expect(p?.message).toMatch(/at most 100 MB/);
    expect(p?.fix).toMatch(/re-encode/);
  });

  it('refuses a side under 340 px or over 3850 px (4K), with the size and which way to scale', () => {
    const small = checkMotionReference({ ...good, width: 320, height: 240 }, 'image');
    expect(small?.measured).toBe('320x240');
    expect(small?.fix).toMatch(/scale it up/);
    const uhd = checkMotionReference({ ...good, width: 3840, height: 2160 }, 'image');
    expect(uhd).toBeNull(); // 3840 <= 3850: UHD passes by the letter of §5.6
    const dci = checkMotionReference({ ...good, width: 4096, height: 2160 }, 'image');
    expect(dci?.measured).toBe('4096x2160');
    expect(dci?.message).toMatch(/no 4K/);
    expect(dci?.fix).toMatch(/scale it down/);
  });

  it('refuses under 3 s, over 10 s with orientation image (fix: trim or orientation video), over 30 s with video', () => {
    const short = checkMotionReference({ ...good, durationS: 2 }, 'video');
    expect(short?.measured).toBe('2 s');
    expect(short?.message).toMatch(/at least 3 s/);
    const long = checkMotionReference({ ...good, durationS: 12 }, 'image');
    expect(long?.measured).toBe('12 s');
    expect(long?.message).toMatch(/characterOrientation image it may last at most 10 s/);
    expect(long?.fix).toMatch(/trim it to 10 s or less, or set characterOrientation to video/);
    expect(checkMotionReference({ ...good, durationS: 12 }, 'video')).toBeNull();
    const longer = checkMotionReference({ ...good, durationS: 31.5 }, 'video');
    expect(longer?.measured).toBe('31.5 s');
    expect(longer?.fix).toBe('trim it to 30 s or less');
  });
});
