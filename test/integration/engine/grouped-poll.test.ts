/**
 * Many long tasks in flight: once waits are long, status queries due together are answered by
 * one task-list request (a few requests a minute for a night of tasks, not one per task), and
 * every take still finishes exactly once. Thresholds are scaled down so the test takes seconds.
 * New standard (API key): `GET /tasks?task_ids=` with several ids (at most 20 a request);
 * legacy (AK/SK): one list page of the model's family.
 */
import { mkdirSync } from 'node:fs';
import { join } from 'node:path';

import { afterAll, beforeAll, describe, expect, it } from 'vitest';

import { openDatabase } from '../../../electron/core/db/open';
import { startEngineWith } from '../../../electron/core/engine/runner';
import { QueueStore } from '../../../electron/core/queue/store';
import type { Sandbox } from '../../../electron/core/sandbox';
import { importStoryboard, loadStoryboard } from '../../../electron/core/storyboard';
import { credentialEnv, fastSandbox, tmp, writeBoard, type Standard } from '../cli-run/helpers';

let sb: Sandbox;
beforeAll(async () => {
  sb = await fastSandbox({ timing: { submittedMs: 500, processingMs: 2500 }, concurrency: 20 });
});
afterAll(async () => {
  await sb.close();
});

async function runBatch(
  standard: Standard,
  name: string,
  groupPoll: { minWaitMs: number; gridMs: number; minTasks: number },
): Promise<{ lists: number; singles: number }> {
  const dir = tmp(name);
  const dataDir = join(dir, 'data');
  mkdirSync(dataDir);
  const db = openDatabase(join(dir, 'shotline.db'));
  const store = new QueueStore(db);
  const { storyboardId } = importStoryboard(store, db, loadStoryboard({ path: writeBoard(dir, name, 12, 1) }));
  const { jobIds } = store.enqueue(storyboardId);
  const before = sb.requests.length;
  const creates = sb.creates.length;
  const handle = await startEngineWith(
    { db, store, dataDir, sandbox: () => Promise.reject(new Error('not used')) },
    {
      provider: 'sandbox',
      baseUrl: sb.url,
      jobIds,
      env: credentialEnv(sb, standard),
      concurrency: 12,
      tuning: { pollMs: 150, groupPoll },
    },
  );
  try {
    await handle.engine.whenIdle();
  } finally {
    await handle.stop();
  }
  for (const id of jobIds) expect(store.getJob(id)?.state).toBe('done');
  expect(sb.creates.length - creates).toBe(12);
  db.close();
  const seen = sb.requests.slice(before);
  if (standard === 'new') {
    const gets = seen.filter((r) => r.method === 'GET' && r.path.startsWith('/tasks?task_ids='));
    const ids = gets.map((r) => decodeURIComponent(r.path.split('=')[1] ?? '').split(',').length);
    expect(Math.max(...ids)).toBeLessThanOrEqual(20);
    expect(seen.some((r) => r.path.startsWith('/v1/'))).toBe(false);
    const lists = ids.filter((k) => k > 1).length;
    return { lists, singles: gets.length - lists };
  }
  const gets = seen.filter((r) => r.method === 'GET' && r.path.startsWith('/v1/videos/text2video'));
  const lists = gets.filter((r) => r.path.includes('pageNum=')).length;
  return { lists, singles: gets.length - lists };
}

describe.each<Standard>(['new', 'legacy'])('%s standard', (standard) => {
  it('answers the status of many long tasks with shared task-list requests, and finishes each take once', async () => {
    const grouped = await runBatch(standard, `grouped-${standard}`, { minWaitMs: 300, gridMs: 400, minTasks: 4 });
    const alone = await runBatch(standard, `alone-${standard}`, { minWaitMs: 300, gridMs: 400, minTasks: 1000 }); // never enough: one by one
    console.log(
      `${standard}: status requests for 12 tasks of 3 s: grouped ${grouped.lists} lists + ${grouped.singles} single, one by one ${alone.singles}`,
    );
    expect(alone.lists).toBe(0);
    expect(grouped.lists).toBeGreaterThan(0);
    expect(grouped.lists + grouped.singles).toBeLessThan(alone.singles);
  }, 90_000);
});
