/**
 * Issue 11 item 9 in the core: a take Kling refused for its content is not sent again with
 * the same prompt. queue.retry of it needs a changed prompt (kept on that take only, spec hash
 * unchanged); a batch retry and a rerun of the storyboard leave it alone. Real core and SQLite;
 * the refusal is written the way the engine writes it (submitting -> blocked, code 1301).
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

import { afterAll, describe, expect, it } from 'vitest';

import { createCore } from '../../../electron/core';

const dir = mkdtempSync(join(tmpdir(), 'shotline-refusal-'));
const core = createCore({ dataDir: dir });
afterAll(async () => {
  await core.close();
  rmSync(dir, { recursive: true, force: true });
});

async function ok<T>(p: Promise<{ ok: true; value: T } | { ok: false; error: { message: string } }>): Promise<T> {
  const r = await p;
  if (!r.ok) throw new Error(r.error.message);
  return r.value;
}

const board = JSON.stringify({
  name: 'refusals',
  shots: [{ id: 'a', prompt: 'a forbidden kite', model: 'kling-2.5-turbo', takes: 1 }],
});

/** As electron/core/engine/engine.ts records a 1301 at create. */
function refuse(jobId: string): void {
  const store = core.services.queue;
  const job = store.getJob(jobId);
  const row = store.claim(jobId, 'test');
  if (!job || !row?.claim_token) throw new Error('no claim');
  expect(store.transition(jobId, row.claim_token, job.state, 'submitting', {})).toBe(true);
  expect(
    store.transition(
      jobId,
      row.claim_token,
      'submitting',
      'blocked',
      {
        error: 'Kling 1301: content-safety policy triggered',
        error_code: '1301',
        fix: 'change the prompt or images',
        retryable: 0,
      },
      { release: true },
    ),
  ).toBe(true);
}

describe('retrying a content-policy refusal', () => {
  it('needs a changed prompt; batch retries and reruns skip it; the changed prompt stays on the take', async () => {
    const { storyboardId } = await ok(core.call('storyboard.import', { format: 'json', content: board }));
    const first = await ok(core.call('queue.enqueue', { storyboardId, provider: 'sandbox', start: false }));
    const { jobs } = await ok(core.call('queue.list', { batchId: first.batchId }));
    const jobId = jobs[0]?.id ?? '';
    refuse(jobId);

    const plain = await core.call('queue.retry', { jobId });
    expect(plain.ok).toBe(false);
    if (!plain.ok) expect(plain.error.message).toMatch(/refused take 1 of shot "a" for its content.*changed prompt/);
    expect(await ok(core.call('queue.retry', { batchId: first.batchId }))).toEqual({ changed: 0 });
    const same = await core.call('queue.retry', { jobId, prompt: ' a forbidden kite ' });
    expect(same.ok).toBe(false);
    expect((await ok(core.call('queue.job', { jobId }))).prompt).toBe('a forbidden kite');

    // A rerun of the unchanged storyboard keeps the take and does not queue it again.
    await ok(core.call('queue.enqueue', { storyboardId, provider: 'sandbox', start: false }));
    expect((await ok(core.call('queue.job', { jobId }))).job.state).toBe('blocked');

    expect(await ok(core.call('queue.retry', { jobId, prompt: 'a red kite' }))).toEqual({ changed: 1 });
    const after = await ok(core.call('queue.job', { jobId }));
    expect(after.job.state).toBe('queued');
    expect(after.prompt).toBe('a red kite');
    expect(after.events.some((e) => e.type === 'user.prompt')).toBe(true);
    // Same settings as the shot (spec hash): a rerun keeps this take, it is not redone.
    const again = await ok(core.call('queue.enqueue', { storyboardId, provider: 'sandbox', start: false }));
    expect(again.jobs).toBe(0);
    const nope = await core.call('queue.retry', { batchId: first.batchId, prompt: 'x' });
    expect(nope.ok).toBe(false);
  });
});
