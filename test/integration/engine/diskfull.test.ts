/**
 * A full disk during a download (ENOSPC injected at the chunk writer: no tiny filesystem
 * without root): the job fails retryably and no clip is marked done or put in place;
 * after space is back a retry downloads it without submitting the task again.
 */
import { mkdirSync, writeSync } from 'node:fs';
import { join } from 'node:path';

import { afterAll, beforeAll, expect, it } from 'vitest';

import { openDatabase } from '../../../electron/core/db/open';
import { startEngineWith } from '../../../electron/core/engine/runner';
import { QueueStore } from '../../../electron/core/queue/store';
import type { Sandbox } from '../../../electron/core/sandbox';
import { importStoryboard, loadStoryboard } from '../../../electron/core/storyboard';
import { fastSandbox, tmp, walk, writeBoard } from '../cli-run/helpers';

let sb: Sandbox;
beforeAll(async () => {
  sb = await fastSandbox();
});
afterAll(async () => {
  await sb.close();
});

it('fails the job retryably on ENOSPC, never marks a partial clip done, and finishes after a retry without resubmitting', async () => {
  const dir = tmp('enospc');
  const dataDir = join(dir, 'data');
  mkdirSync(dataDir);
  const db = openDatabase(join(dir, 'shotline.db'));
  const store = new QueueStore(db);
  const { storyboardId } = importStoryboard(store, db, loadStoryboard({ path: writeBoard(dir, 'disk', 2, 1) }));
  const { jobIds, batchId } = store.enqueue(storyboardId);
  let diskFull = true;
  let written = 0;
  const write = (fd: number, buf: Uint8Array): void => {
    // The disk fills up after 64 KiB of clip data.
    if (diskFull && written + buf.byteLength > 65_536)
      throw Object.assign(new Error('ENOSPC: no space left on device, write'), {
        code: 'ENOSPC',
        errno: -28,
        syscall: 'write',
      });
    written += buf.byteLength;
    writeSync(fd, buf);
  };
  const start = () =>
    startEngineWith(
      { db, store, dataDir, sandbox: () => Promise.reject(new Error('not used')) },
      {
        provider: 'sandbox',
        baseUrl: sb.url,
        jobIds,
        env: {},
        tuning: { write, pollMs: 100, baseDelayMs: 100, maxDelayMs: 200 },
      },
    );
  try {
    const first = await start();
    await first.engine.whenIdle();
    await first.stop();
    for (const id of jobIds) {
      const j = store.getJob(id);
      expect(j?.state).toBe('failed');
      expect(j?.retryable).toBe(1);
      expect(j?.file).toBeNull();
      expect(`${j?.error_code} ${j?.error}`).toMatch(/ENOSPC|space/i);
    }
    // No clip in place (a .part may stay for a Range resume once there is space).
    expect(walk(dataDir).filter((f) => f.endsWith('.mp4'))).toEqual([]);
    const creates = sb.creates.length;

    diskFull = false;
    expect(store.retry({ batchId })).toBe(2);
    const second = await start();
    await second.engine.whenIdle();
    await second.stop();
    for (const id of jobIds) expect(store.getJob(id)?.state).toBe('done');
    expect(walk(dataDir).filter((f) => f.endsWith('.part'))).toEqual([]);
    expect(sb.creates.length).toBe(creates);
  } finally {
    db.close();
  }
}, 120_000);
