/**
 * Placing a verified clip: never over another file, and patient with the short locks a
 * Windows virus scanner puts on a new file (EPERM/EBUSY/EACCES), impatient with anything else.
 */
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

import { describe, expect, it } from 'vitest';

import { clipPath, retryTransientFs, safeName } from '../../../electron/core/engine/download';

const fsError = (code: string): NodeJS.ErrnoException => Object.assign(new Error(code), { code });

describe('retryTransientFs', () => {
  it('retries transient lock errors with doubling waits, then succeeds', async () => {
    const waits: number[] = [];
    let calls = 0;
    const out = await retryTransientFs(
      () => {
        calls++;
        if (calls < 4) throw fsError(calls === 2 ? 'EBUSY' : 'EPERM');
        return 'placed';
      },
      { wait: (ms) => (waits.push(ms), Promise.resolve()) },
    );
    expect(out).toBe('placed');
    expect(waits).toEqual([50, 100, 200]);
  });

  it('gives up after the last try, and never retries other errors', async () => {
    let calls = 0;
    const failing = (code: string) => (): never => {
      calls++;
      throw fsError(code);
    };
    await expect(retryTransientFs(failing('EACCES'), { tries: 3, wait: () => Promise.resolve() })).rejects.toThrow(
      'EACCES',
    );
    expect(calls).toBe(3);
    calls = 0;
    // EEXIST means another clip holds the name: never overwrite, never wait for it.
    await expect(retryTransientFs(failing('EEXIST'), { wait: () => Promise.resolve() })).rejects.toThrow('EEXIST');
    expect(calls).toBe(1);
  });
});

describe('clip names', () => {
  it('sanitises user text and keeps the take and task in the name', () => {
    const dir = mkdtempSync(join(tmpdir(), 'clip-name-'));
    const p = clipPath(dir, '../../etc', 'shot "1"/é', 2, 'task:9');
    expect(p.startsWith(join(dir, 'clips'))).toBe(true);
    expect(p).toBe(join(dir, 'clips', 'etc', 'shot_1_e__take2_task_9.mp4'));
    expect(safeName('...')).toBe('x');
  });
});
