import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type Database from 'better-sqlite3';

import { openDatabase } from '../../../electron/core/db/open';
import { QueueStore, externalIdFor } from '../../../electron/core/queue/store';
import { canTransition, JOB_STATES, TRANSITIONS } from '../../../shared/queue';
import { parseStoryboard } from '../../../shared/storyboard/validate';

let db: Database.Database;
let store: QueueStore;

function board(takes = 2, shots = 3, prompt = 'a kite'): ReturnType<typeof parseStoryboard> {
  return parseStoryboard(
    JSON.stringify({
      name: 'unit board',
      defaults: { model: 'kling-2.5-turbo', takes },
      shots: Array.from({ length: shots }, (_, i) => ({
        id: `s${i + 1}`,
        prompt: `${prompt} ${i}`,
        ...(i === 0 ? { subject: 'client-7' } : {}),
      })),
    }),
    { file: 'unit.json' },
  );
}

function importBoard(takes = 2, shots = 3, prompt = 'a kite'): string {
  const r = board(takes, shots, prompt);
  if (!r.ok) throw new Error('invalid');
  return store.saveStoryboard(r.storyboard, { sourcePath: null, format: 'json', contentSha256: 'x' });
}

const events = (jobId: string): string[] => store.events(jobId).map((e) => `${e.type}:${e.from ?? ''}>${e.to ?? ''}`);

beforeEach(() => {
  db = openDatabase(join(mkdtempSync(join(tmpdir(), 'queue-')), 'shotline.db'));
  store = new QueueStore(db);
});
afterEach(() => db.close());

describe('state machine', () => {
  it('allows only the transitions of shared/queue', () => {
    expect(canTransition('queued', 'submitting')).toBe(true);
    expect(canTransition('submitting', 'running')).toBe(true);
    expect(canTransition('running', 'downloading')).toBe(true);
    expect(canTransition('downloading', 'done')).toBe(true);
    expect(canTransition('done', 'queued')).toBe(false);
    expect(canTransition('queued', 'done')).toBe(false);
    expect(canTransition('queued', 'downloading')).toBe(false);
    for (const s of JOB_STATES) expect(TRANSITIONS[s]).toBeDefined();
  });

  it('refuses an illegal transition outright', () => {
    const sb = importBoard(1, 1);
    const { jobIds } = store.enqueue(sb);
    const id = jobIds[0] as string;
    const row = store.claim(id, 'me');
    expect(() => store.transition(id, row?.claim_token ?? null, 'queued', 'done')).toThrow(
      /illegal transition queued -> done/,
    );
  });
});

describe('enqueue', () => {
  it('creates one job per take with a stable, unique external task id', () => {
    const sb = importBoard(2, 3);
    const r = store.enqueue(sb, { budgetUnits: 10 });
    expect(r.created).toBe(6);
    expect(r.existing).toBe(0);
    const jobs = store.list({ batchId: r.batchId }).jobs;
    expect(jobs.map((j) => `${j.shotId}#${j.take}`)).toEqual(['s1#1', 's1#2', 's2#1', 's2#2', 's3#1', 's3#2']);
    expect(new Set(jobs.map((j) => j.externalTaskId)).size).toBe(6);
    expect(jobs[0]?.externalTaskId).toBe(externalIdFor(jobs[0]?.id as string, 1));
    expect(jobs[0]?.subject).toBe('client-7');
    expect(jobs.every((j) => j.state === 'queued')).toBe(true);
  });

  it('never redoes a take on re-import and re-enqueue; new takes and changed shots get new jobs', () => {
    const sb = importBoard(2, 3);
    const first = store.enqueue(sb);
    const again = store.enqueue(importBoard(2, 3));
    expect(again.created).toBe(0);
    expect(again.existing).toBe(6);
    expect(again.jobIds).toEqual(first.jobIds);
    const more = store.enqueue(importBoard(3, 3));
    expect(more.created).toBe(3);
    const changed = store.enqueue(importBoard(3, 3, 'a different kite'));
    expect(changed.created).toBe(9);
  });

  it('enqueues 10,000 takes in one transaction', () => {
    const sb = importBoard(1, 10_000);
    const r = store.enqueue(sb);
    expect(r.created).toBe(10_000);
    const page = store.list({ state: 'queued', offset: 9_990, limit: 50 });
    expect(page.total).toBe(10_000);
    expect(page.jobs).toHaveLength(10);
  });
});

describe('claims and transitions', () => {
  it('writes one event row per transition and checks the claim token on every write', () => {
    const sb = importBoard(1, 1);
    const id = store.enqueue(sb).jobIds[0] as string;
    const claimed = store.claim(id, 'engine-a');
    expect(claimed?.claim_token).toBeTruthy();
    expect(store.claim(id, 'engine-b')).toBeNull();
    const token = claimed?.claim_token as string;
    expect(store.transition(id, 'not-the-token', 'queued', 'submitting')).toBe(false);
    expect(store.transition(id, token, 'queued', 'submitting', { attempts: 1 }, { durable: true })).toBe(true);
    // synchronous goes back to NORMAL after the FULL write.
    expect(db.pragma('synchronous', { simple: true })).toBe(1);
    expect(store.transition(id, token, 'queued', 'running')).toBe(false); // wrong `from`
    expect(store.transition(id, token, 'submitting', 'running', { task_id: 't1' })).toBe(true);
    expect(events(id)).toEqual(['state:queued>submitting', 'state:submitting>running']);
    expect(store.getJob(id)).toMatchObject({ state: 'running', task_id: 't1', attempts: 1 });
  });

  it('cancel takes the claim away, so the stale worker cannot finish the job', () => {
    const sb = importBoard(1, 1);
    const id = store.enqueue(sb).jobIds[0] as string;
    const token = store.claim(id, 'engine-a')?.claim_token as string;
    store.transition(id, token, 'queued', 'submitting');
    expect(store.cancel({ jobId: id })).toBe(1);
    expect(store.transition(id, token, 'submitting', 'running', { task_id: 't1' })).toBe(false);
    expect(store.getJob(id)).toMatchObject({ state: 'canceled', task_id: null, claim_token: null });
  });

  it('retry queues a job again and keeps its task, so it is polled, not resubmitted', () => {
    const sb = importBoard(1, 1);
    const id = store.enqueue(sb).jobIds[0] as string;
    const token = store.claim(id, 'a')?.claim_token as string;
    store.transition(id, token, 'queued', 'submitting');
    store.transition(id, token, 'submitting', 'running', { task_id: 'task-9' });
    store.transition(id, token, 'running', 'downloading');
    store.transition(id, token, 'downloading', 'failed', { error: 'disk full', retryable: 1 }, { release: true });
    expect(store.retry({ jobId: id })).toBe(1);
    expect(store.getJob(id)).toMatchObject({ state: 'queued', task_id: 'task-9', error: null, claim_token: null });
  });

  it('rescue releases the claims of an earlier instance and marks its submissions for reconciliation', () => {
    const sb = importBoard(1, 2);
    const [a, b] = store.enqueue(sb).jobIds as [string, string];
    const ta = store.claim(a, 'old')?.claim_token as string;
    store.transition(a, ta, 'queued', 'submitting');
    const tb = store.claim(b, 'old')?.claim_token as string;
    store.transition(b, tb, 'queued', 'submitting');
    store.transition(b, tb, 'submitting', 'running', { task_id: 'tb' });
    expect(store.rescue('new')).toBe(2);
    expect(store.getJob(a)).toMatchObject({ state: 'submitting', reconcile: 1, claim_token: null });
    expect(store.getJob(b)).toMatchObject({ state: 'running', reconcile: 0, claim_token: null, task_id: 'tb' });
    expect(store.dueJobs('submitting', Date.now(), 10)).toEqual([a]);
    // The old instance's token no longer works.
    expect(store.transition(b, tb, 'running', 'downloading')).toBe(false);
  });

  it('pause hides a batch from the scheduler; priority orders due jobs', () => {
    const sb = importBoard(1, 3);
    const r = store.enqueue(sb);
    store.reprioritise(r.jobIds[2] as string, 5);
    expect(store.dueJobs('queued', Date.now(), 10)[0]).toBe(r.jobIds[2]);
    store.setPaused(r.batchId, true, 'paused by the user');
    expect(store.dueJobs('queued', Date.now(), 10)).toEqual([]);
    expect(store.batch(r.batchId)).toMatchObject({ paused: true, pauseReason: 'paused by the user', total: 3 });
    store.setPaused(r.batchId, false);
    expect(store.dueJobs('queued', Date.now(), 10)).toHaveLength(3);
  });

  it('backoff: a job with next_at in the future is not due', () => {
    const sb = importBoard(1, 1);
    const id = store.enqueue(sb).jobIds[0] as string;
    const t = store.claim(id, 'a')?.claim_token as string;
    store.transition(id, t, 'queued', 'queued', { next_at: Date.now() + 60_000 }, { release: true });
    expect(store.dueJobs('queued', Date.now(), 10)).toEqual([]);
    expect(store.dueJobs('queued', Date.now() + 61_000, 10)).toEqual([id]);
  });

  it('counts the units a batch has committed at Kling (for the budget cap)', () => {
    const sb = importBoard(1, 3);
    const r = store.enqueue(sb, { budgetUnits: 3 });
    const [a, b] = r.jobIds as [string, string];
    const ta = store.claim(a, 'x')?.claim_token as string;
    store.transition(a, ta, 'queued', 'submitting');
    // kling-2.5-turbo 720p 5 s = 1.5 u (kling-api.md §12.1).
    expect(store.unitsCommitted(r.batchId)).toBe(1.5);
    store.transition(a, ta, 'submitting', 'running', { task_id: 't' });
    const tb = store.claim(b, 'x')?.claim_token as string;
    store.transition(b, tb, 'queued', 'submitting');
    store.transition(b, tb, 'submitting', 'failed', { error: 'policy' }); // refused: never charged
    expect(store.unitsCommitted(r.batchId)).toBe(1.5);
  });

  it('reroll adds a take to the newest batch', () => {
    const sb = importBoard(1, 2);
    store.enqueue(sb);
    const r = store.reroll(sb, 's2');
    expect(r.take).toBe(2);
    expect(store.getJob(r.jobId)).toMatchObject({ shot_id: 's2', take: 2, state: 'queued' });
  });
});
