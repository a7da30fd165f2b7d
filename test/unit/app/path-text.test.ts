import { describe, expect, it } from 'vitest';

import { baseName, elideMiddle } from '../../../renderer/src/lib/paths';

describe('path text (renderer/src/lib/paths.ts)', () => {
  it('names the last part of POSIX and Windows paths', () => {
    expect(baseName('/home/ed/data/clips/kite-wide_T1.mp4')).toBe('kite-wide_T1.mp4');
    expect(baseName('C:\\Users\\ed\\clips\\kite-wide_T1.mp4')).toBe('kite-wide_T1.mp4');
    expect(baseName('/home/ed/data/')).toBe('data');
  });

  it('elides in the middle to the length asked, keeping more of the tail', () => {
    const p = '/very/long/data/dir/clips/kite-wide_T1.mp4';
    expect(elideMiddle(p, p.length)).toBe(p);
    const short = elideMiddle(p, 20);
    expect(short).toBe('/very/l…e-wide_T1.mp4');
    expect(short.length).toBe(21);
    expect(elideMiddle(p, 0)).toBe('…');
  });
});
