/**
 * Never paying twice when the look-up misses, on both standards: the answer to a create is lost
 * after Kling made the task, and the service has not indexed the external id yet (the look-up
 * before the resubmit finds nothing). The resubmit is answered 1201 "External_task_id ... already
 * exists": the engine adopts that task and downloads it. One task, one charge.
 * The real engine and client against the real sandbox; only the first look-ups' answers are
 * replaced with empty ones (a late index), everything else goes through untouched.
 */
import { mkdirSync } from 'node:fs';
import { join } from 'node:path';

import { afterAll, beforeAll, describe, expect, it } from 'vitest';

import { openDatabase } from '../../../electron/core/db/open';
import { Engine } from '../../../electron/core/engine/engine';
import { outageLog } from '../../../electron/core/engine/outage-log';
import { createKlingClient } from '../../../electron/core/kling';
import { QueueStore } from '../../../electron/core/queue/store';
import type { Sandbox } from '../../../electron/core/sandbox';
import { importStoryboard, loadStoryboard } from '../../../electron/core/storyboard';
import { fastSandbox, tmp, writeBoard, type Standard } from '../cli-run/helpers';

let sb: Sandbox;
beforeAll(async () => {
  sb = await fastSandbox();
});
afterAll(async () => {
  await sb.close();
});

/** The first `misses` look-ups by external id (and listings) answer "nothing", as a late index would. */
function lateIndex(misses: number): { fetch: typeof fetch; missed: () => number } {
  let missed = 0;
  const empty = (listing: boolean): Response =>
    new Response(
      JSON.stringify({
        code: 0,
        message: 'SUCCEED',
        request_id: 'late-index',
        data: listing ? { result: [], count: 0, next_cursor: '', has_more: false } : [],
      }),
      { status: 200 },
    );
  return {
    missed: () => missed,
    fetch: (input, init) => {
      const url = new URL(input instanceof Request ? input.url : input.toString());
      const byExternal = url.searchParams.has('external_task_ids') || url.searchParams.has('external_task_id');
      const legacyPath =
        /^\/v1\/videos\/[^/]+\/[^/]+$/.test(url.pathname) && !/^\d+$/.test(url.pathname.split('/').pop() ?? '');
      const listing = (init?.method === 'POST' && url.pathname === '/tasks') || url.searchParams.has('pageNum');
      if (missed < misses && (byExternal || legacyPath || listing)) {
        missed++;
        if (legacyPath) {
          return Promise.resolve(
            new Response(
              JSON.stringify({
                code: 1201,
                message: `Task not found by id/external id: ${url.pathname.split('/').pop() ?? ''}`,
                request_id: 'late-index',
              }),
              { status: 400 },
            ),
          );
        }
        return Promise.resolve(empty(listing && !url.searchParams.has('pageNum')));
      }
      return fetch(input, init);
    },
  };
}

describe.each<Standard>(['new', 'legacy'])('%s standard', (standard) => {
  it('a lost create answer and a look-up that misses: the resubmit gets 1201 and adopts the task, paid once', async () => {
    const dir = tmp(`adopt-${standard}`);
    const dataDir = join(dir, 'data');
    mkdirSync(dataDir);
    const db = openDatabase(join(dir, 'shotline.db'));
    const store = new QueueStore(db);
    const { storyboardId } = importStoryboard(
      store,
      db,
      loadStoryboard({ path: writeBoard(dir, `adopt-${standard}`, 1, 1) }),
    );
    const { jobIds } = store.enqueue(storyboardId);
    // Reconcile: one look-up by external id + one listing miss (legacy: path, query string, list).
    const late = lateIndex(standard === 'new' ? 2 : 3);
    const client = createKlingClient({
      provider: 'sandbox',
      baseUrl: sb.url,
      credentials:
        standard === 'new'
          ? { kind: 'bearer', apiKey: sb.credentials.apiKey ?? '' }
          : { kind: 'aksk', accessKey: sb.credentials.accessKey, secretKey: sb.credentials.secretKey },
      fetch: late.fetch,
    });
    const from = sb.creates.length;
    sb.inject({ route: 'create', action: { type: 'drop', after: true } });
    const engine = new Engine({
      outages: outageLog(db),
      store,
      client,
      dataDir,
      owner: `adopt-${standard}`,
      jobIds,
      pollMs: 100,
      baseDelayMs: 100,
      maxDelayMs: 200,
    });
    try {
      engine.start();
      await engine.whenIdle();
    } finally {
      await engine.stop();
    }
    const job = store.getJob(jobIds[0] ?? '');
    expect(job?.state, job?.error ?? '').toBe('done');
    expect(late.missed()).toBe(standard === 'new' ? 2 : 3);
    const creates = sb.creates.slice(from);
    expect(creates.map((c) => `${c.standard} ${c.code}`)).toEqual([`${standard} 0`, `${standard} 1201`]);
    expect(creates[1]?.message).toMatch(/^External_task_id .* already exists$/);
    expect(job?.task_id).toBe(creates[0]?.taskId);
    expect(job?.units_charged).toBe(1.5);
    expect(sb.tasks().filter((t) => t.externalTaskId === job?.external_task_id)).toHaveLength(1);
    db.close();
  }, 60_000);
});
