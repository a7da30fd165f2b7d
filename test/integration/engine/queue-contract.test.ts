/**
 * The queue as the studio drives it: storyboard.import and queue.* through the core (zod in
 * and out), the engine started by queue.enqueue on the built-in sandbox, job.changed events,
 * the batch's budget and PII decision, pause/resume, reroll, and which provider a batch
 * runs on when the Batch page names only a profile or nothing.
 */
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

import { afterAll, describe, expect, it } from 'vitest';

import type { JobView } from '../../../shared/queue';
import { createCore } from '../../../electron/core';
import { chooseProvider } from '../../../electron/core/engine/provider';
import { createMemoryKeychain, createSecretStore } from '../../../electron/core/secrets';

const core = createCore({ dataDir: mkdtempSync(join(tmpdir(), 'shotline-queue-contract-')) });
afterAll(() => core.close());

const jobs = new Map<string, JobView>();
core.subscribe((event, payload) => {
  if (event === 'job.changed') {
    const { job } = payload as { job: JobView };
    jobs.set(job.id, job);
  }
});

async function ok<T>(p: Promise<{ ok: true; value: T } | { ok: false; error: { message: string } }>): Promise<T> {
  const r = await p;
  if (!r.ok) throw new Error(r.error.message);
  return r.value;
}

// A take reaches done after its poster and filmstrip are made (electron/core/reviews/stills.ts, at
// verify time): several ffmpeg runs per take, slow when CI runs test files side by side (a clean
// clone waited over 30 s for three takes). The wait is for a state, so a long bound costs nothing.
async function until(what: string, cond: () => boolean, ms = 120_000): Promise<void> {
  const end = Date.now() + ms;
  while (!cond()) {
    if (Date.now() > end)
      throw new Error(
        `timed out waiting for ${what}: ${JSON.stringify([...jobs.values()].map((j) => [j.shotId, j.take, j.state, j.error]))}`,
      );
    await new Promise((r) => setTimeout(r, 50));
  }
}

const board = (name: string, shots: object[]): string =>
  JSON.stringify({ name, defaults: { model: 'kling-2.5-turbo', resolution: '720p', duration: 5 }, shots });

describe('queue.* through the core on the sandbox', () => {
  it('imports, enqueues, runs every take to a verified clip, and masks PII in what leaves', async () => {
    const sb = await core.services.sandbox.ensure({ timing: { submittedMs: 50, processingMs: 150 } });
    const imported = await ok(
      core.call('storyboard.import', {
        content: board('contract', [
          { id: 'a', prompt: 'a red kite, call 555-0142 or mail jo@example.com', subject: 'client-7', takes: 2 },
          { id: 'b', prompt: 'the kite climbs', negativePrompt: 'no text, not jo@example.com' },
        ]),
        format: 'json',
      }),
    );
    expect(imported.shots).toBe(2);
    const enq = await ok(
      core.call('queue.enqueue', { storyboardId: imported.storyboardId, provider: 'sandbox', piiMode: 'mask' }),
    );
    expect(enq).toMatchObject({ jobs: 3, existing: 0, provider: 'sandbox' });
    await until(
      'three done takes',
      () => [...jobs.values()].filter((j) => j.batchId === enq.batchId && j.state === 'done').length === 3,
    );

    const list = await ok(core.call('queue.list', { batchId: enq.batchId }));
    expect(list.total).toBe(3);
    for (const j of list.jobs) expect(j.file).toMatch(/clips[\\/].+_take\d_.+\.mp4$/);
    const sent = JSON.stringify(sb.sandbox.creates.map((c) => c.body));
    expect(sent).not.toContain('jo@example.com');
    expect(sb.sandbox.creates).toHaveLength(3);

    const audit = await ok(core.call('privacy.audit.list', { subject: 'client-7', limit: 100 }));
    expect(audit.rows.length).toBeGreaterThanOrEqual(2); // at least the two creates of shot a

    const batches = await ok(core.call('queue.batches', {}));
    expect(batches.batches.find((b) => b.id === enq.batchId)?.counts.done).toBe(3);

    // Re-enqueue: nothing new, nothing sent again.
    const again = await ok(core.call('queue.enqueue', { storyboardId: imported.storyboardId, provider: 'sandbox' }));
    expect(again).toMatchObject({ jobs: 0, existing: 3 });

    // Reroll adds one more take of shot b, and it runs.
    const rr = await ok(core.call('queue.reroll', { shotId: 'b', storyboardId: imported.storyboardId }));
    expect(rr.take).toBe(2);
    await until('the rerolled take', () => jobs.get(rr.jobId)?.state === 'done');
    expect(sb.sandbox.creates).toHaveLength(4);
  }, 240_000);

  it("keeps the batch's budget and PII decision: over-budget takes and prompts with PII under 'block' wait as blocked", async () => {
    const sb = await core.services.sandbox.ensure();
    const before = sb.sandbox.creates.length;
    const imported = await ok(
      core.call('storyboard.import', {
        content: board('caps', [
          { id: 'p', prompt: 'a kite for jo@example.com' },
          { id: 'q', prompt: 'the sea', takes: 3 },
        ]),
        format: 'json',
      }),
    );
    const enq = await ok(
      core.call('queue.enqueue', {
        storyboardId: imported.storyboardId,
        provider: 'sandbox',
        piiMode: 'block',
        budgetUnits: 3,
      }),
    );
    expect(enq.jobs).toBe(4);
    const mine = (): JobView[] => [...jobs.values()].filter((j) => j.batchId === enq.batchId);
    await until(
      'the batch to settle',
      () => mine().length === 4 && mine().every((j) => j.state === 'done' || j.state === 'blocked'),
    );
    const blocked = mine().filter((j) => j.state === 'blocked');
    expect(blocked.find((j) => j.shotId === 'p')?.error).toMatch(/personal data/);
    expect(mine().filter((j) => j.state === 'done')).toHaveLength(2);
    expect(blocked.filter((j) => j.errorCode === 'budget')).toHaveLength(1);
    expect(sb.sandbox.creates.length - before).toBe(2);

    // Pause stops new submissions; resume lets the retried take through.
    const paused = await ok(core.call('queue.pause', { batchId: enq.batchId }));
    expect(paused.batch.paused).toBe(true);
    const budgetJob = blocked.find((j) => j.errorCode === 'budget');
    if (!budgetJob) throw new Error('no budget-blocked job');
    await ok(core.call('queue.cancel', { jobId: budgetJob.id }));
    await until('the cancel', () => jobs.get(budgetJob.id)?.state === 'canceled');
    await ok(core.call('queue.resume', { batchId: enq.batchId }));
    const detail = await ok(core.call('queue.job', { jobId: budgetJob.id }));
    expect(detail.events.map((e) => e.to)).toContain('canceled');
  }, 240_000);

  it('answers unknown jobs and bad input with errors as data', async () => {
    const r = await core.call('queue.job', { jobId: 'j-nope' });
    expect(r.ok).toBe(false);
    if (!r.ok) expect(r.error.message).toMatch(/No job "j-nope"/);
    const bad = await core.call('queue.enqueue', { storyboardId: 'nope', provider: 'sandbox' });
    expect(bad.ok).toBe(false);
    if (!bad.ok) expect(bad.error.message).toMatch(/import it first/);
  });
});

describe('an overnight batch survives an app restart', () => {
  it('resumes open batches at start on the provider they were queued with, and erase stops and restarts the engine', async () => {
    const dataDir = mkdtempSync(join(tmpdir(), 'shotline-queue-restart-'));
    const first = createCore({ dataDir });
    const imported = await ok(
      first.call('storyboard.import', {
        content: board('restart', [
          { id: 'r1', prompt: 'one', subject: 'gone-1' },
          { id: 'r2', prompt: 'two' },
        ]),
        format: 'json',
      }),
    );
    const enq = await ok(
      first.call('queue.enqueue', { storyboardId: imported.storyboardId, provider: 'sandbox', start: false }),
    );
    await first.close(); // the app quits before anything ran

    const second = createCore({ dataDir });
    try {
      const seen = new Map<string, JobView>();
      second.subscribe((event, payload) => {
        if (event === 'job.changed') seen.set((payload as { job: JobView }).job.id, (payload as { job: JobView }).job);
      });
      await second.services.sandbox.ensure({ timing: { submittedMs: 30, processingMs: 100 } });
      const handle = await second.services.engine.resumeOpen();
      expect(handle?.provider).toBe('sandbox');
      const mine = (): JobView[] => [...seen.values()].filter((j) => j.batchId === enq.batchId);
      const end = Date.now() + 30_000;
      while (mine().filter((j) => j.state === 'done').length < 2 && Date.now() < end)
        await new Promise((r) => setTimeout(r, 50));
      expect(mine().filter((j) => j.state === 'done')).toHaveLength(2);
      await expect(second.services.engine.resumeOpen()).resolves.toBe(handle); // one engine per core

      const erased = await ok(second.call('privacy.erase', { subject: 'gone-1' }));
      expect(erased.files.length).toBeGreaterThan(0); // the take of r1
      expect(second.services.engine.running()).toBeNull(); // stopped for the erase; nothing open to resume
      const left = await ok(second.call('queue.list', { batchId: enq.batchId }));
      expect(left.jobs.map((j) => j.shotId)).toEqual(['r2']);
    } finally {
      await second.close();
    }
  }, 240_000);
});

describe('chooseProvider (the Batch page names a profile or nothing)', () => {
  const storeWith = async (profiles: { name: string; provider: 'kling' | 'cometapi' | 'sandbox' }[]) => {
    const store = createSecretStore({ keychain: createMemoryKeychain() });
    for (const p of profiles) {
      await store.set({
        name: p.name,
        provider: p.provider,
        credentials:
          p.provider === 'cometapi'
            ? { kind: 'bearer', apiKey: 'sk-abcdefghijklmnop' }
            : { kind: 'aksk', accessKey: 'AKabcdefghijklmnop', secretKey: 'SKabcdefghijklmnop' },
      });
    }
    return store;
  };

  it('runs on the sandbox (a simulator) when no key is set at all', async () => {
    const c = await chooseProvider({ store: await storeWith([]), env: {} });
    expect(c.provider).toBe('sandbox');
    expect(c.reason).toMatch(/simulator/);
  });

  it("uses a named profile's provider, and refuses an unknown profile", async () => {
    const store = await storeWith([
      { name: 'sim', provider: 'sandbox' },
      { name: 'prod', provider: 'kling' },
    ]);
    await expect(chooseProvider({ store, profile: 'sim', env: {} })).resolves.toMatchObject({
      provider: 'sandbox',
      profile: 'sim',
    });
    await expect(chooseProvider({ store, profile: 'prod', env: {} })).resolves.toMatchObject({
      provider: 'kling',
      profile: 'prod',
    });
    await expect(chooseProvider({ store, profile: 'gone', env: {} })).rejects.toThrow(/No key profile named "gone"/);
  });

  it('prefers Kling when it has a key (keychain or env), and the only provider otherwise', async () => {
    await expect(
      chooseProvider({
        store: await storeWith([
          { name: 'prod', provider: 'kling' },
          { name: 'c', provider: 'cometapi' },
        ]),
        env: {},
      }),
    ).resolves.toMatchObject({ provider: 'kling' });
    await expect(
      chooseProvider({ store: await storeWith([]), env: { SHOTLINE_ACCESS_KEY: 'a', SHOTLINE_SECRET_KEY: 'b' } }),
    ).resolves.toMatchObject({ provider: 'kling' });
    await expect(
      chooseProvider({ store: await storeWith([{ name: 'c', provider: 'cometapi' }]), env: {} }),
    ).resolves.toMatchObject({ provider: 'cometapi' });
    await expect(
      chooseProvider({
        store: await storeWith([
          { name: 'c', provider: 'cometapi' },
          { name: 's', provider: 'sandbox' },
        ]),
        env: {},
      }),
    ).rejects.toThrow(/choose a profile/);
  });
});
