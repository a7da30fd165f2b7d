import { describe, expect, it } from 'vitest';

import { BatchWatch, batchIsWorking, batchNotice } from '../../../electron/core/app/batch-watch';
import { JOB_STATES, type BatchSummary, type JobState } from '../../../shared/queue';

const T0 = Date.parse('2026-11-25T09:00:00.000Z');
const at = (min: number): string => new Date(T0 + min * 60_000).toISOString();

function batch(id: string, counts: Partial<Record<JobState, number>>, extra: Partial<BatchSummary> = {}): BatchSummary {
  const all = Object.fromEntries(JOB_STATES.map((s) => [s, counts[s] ?? 0])) as Record<JobState, number>;
  return {
    id,
    storyboardId: `sb-${id}`,
    storyboard: `board ${id}`,
    createdAt: at(0),
    paused: false,
    pauseReason: null,
    budgetUnits: null,
    total: Object.values(all).reduce((a, b) => a + b, 0),
    counts: all,
    unitsSubmitted: 0,
    unitsDone: 0,
    finishedAt: null,
    ...extra,
  };
}

describe('batch watch: keep-awake', () => {
  it('starts while a batch has queued or in-flight jobs and stops when it finishes', () => {
    const w = new BatchWatch(T0);
    expect(w.update(batch('a', { queued: 3 }))).toEqual({ keepAwake: 'start', notify: null });
    expect(w.update(batch('a', { queued: 1, running: 2 })).keepAwake).toBeNull();
    expect(w.update(batch('a', { downloading: 1, done: 2 })).keepAwake).toBeNull();
    const end = w.update(batch('a', { done: 3 }, { finishedAt: at(5) }));
    expect(end.keepAwake).toBe('stop');
    expect(end.notify?.batchId).toBe('a');
    expect(w.keepingAwake).toBe(false);
  });

  it('a paused batch releases keep-awake once nothing is in flight, and takes it back on resume', () => {
    const w = new BatchWatch(T0);
    expect(w.update(batch('a', { queued: 4 })).keepAwake).toBe('start');
    // Paused (budget reached) while a task is still at Kling: that take still downloads.
    expect(
      w.update(batch('a', { queued: 3, running: 1 }, { paused: true, pauseReason: 'budget' })).keepAwake,
    ).toBeNull();
    expect(w.update(batch('a', { queued: 3, done: 1 }, { paused: true })).keepAwake).toBe('stop');
    expect(w.update(batch('a', { queued: 3, done: 1 }, { paused: true })).keepAwake).toBeNull();
    expect(w.update(batch('a', { queued: 3, done: 1 })).keepAwake).toBe('start');
  });

  it('holds while any of several batches works, releases after the last', () => {
    const w = new BatchWatch(T0);
    expect(w.update(batch('a', { queued: 2 })).keepAwake).toBe('start');
    expect(w.update(batch('b', { running: 1 })).keepAwake).toBeNull();
    expect(w.update(batch('c', { queued: 1 }, { paused: true })).keepAwake).toBeNull();
    const a = w.update(batch('a', { done: 2 }, { finishedAt: at(3) }));
    expect(a).toMatchObject({ keepAwake: null, notify: { batchId: 'a' } });
    const b = w.update(batch('b', { failed: 1 }, { finishedAt: at(4) }));
    expect(b).toMatchObject({ keepAwake: 'stop', notify: { batchId: 'b' } });
    // The paused one never held it; resuming it does.
    expect(w.update(batch('c', { queued: 1 })).keepAwake).toBe('start');
  });

  it('counts a batch with only final jobs but no finish time as idle', () => {
    expect(batchIsWorking(batch('a', { done: 1, blocked: 1 }))).toBe(false);
    expect(batchIsWorking(batch('a', {}))).toBe(false);
  });
});

describe('batch watch: notifications', () => {
  it('notifies once per finish, never twice for repeated events', () => {
    const w = new BatchWatch(T0);
    w.update(batch('a', { running: 1 }));
    const done = batch('a', { done: 1 }, { finishedAt: at(2), unitsSubmitted: 1 });
    expect(w.update(done).notify).not.toBeNull();
    expect(w.update(done).notify).toBeNull();
    expect(w.update({ ...done, paused: true }).notify).toBeNull();
  });

  it('re-arms when a retry or re-roll reopens the batch (finishedAt back to null)', () => {
    const w = new BatchWatch(T0);
    w.update(batch('a', { running: 2 }));
    expect(w.update(batch('a', { done: 1, failed: 1 }, { finishedAt: at(2) })).notify?.body).toContain('1 failed');
    const reopened = w.update(batch('a', { done: 1, queued: 1 }));
    expect(reopened).toEqual({ keepAwake: 'start', notify: null });
    const again = w.update(batch('a', { done: 2 }, { finishedAt: at(9) }));
    expect(again.keepAwake).toBe('stop');
    expect(again.notify?.body).toBe('Batch board a: 2 done, 0 failed, 0 blocked, 0 units');
  });

  it('notifies a new finish even when the reopen and the finish came in one coalesced event', () => {
    const w = new BatchWatch(T0);
    w.update(batch('a', { running: 1 }));
    expect(w.update(batch('a', { failed: 1 }, { finishedAt: at(1) })).notify).not.toBeNull();
    expect(w.update(batch('a', { blocked: 1 }, { finishedAt: at(2) })).notify?.body).toContain('1 blocked');
  });

  it('stays quiet about batches that finished before the watch started', () => {
    const w = new BatchWatch(T0);
    expect(w.update(batch('old', { done: 5 }, { finishedAt: at(-60) }))).toEqual({ keepAwake: null, notify: null });
    // A batch finished after start is news even if its open events were missed.
    expect(w.update(batch('new', { done: 1 }, { finishedAt: at(1) })).notify?.batchId).toBe('new');
    // Yesterday's batch reopened by a retry and finished again: that finish is news.
    w.update(batch('old', { queued: 1, done: 4 }));
    expect(w.update(batch('old', { done: 5 }, { finishedAt: at(-59) })).notify?.batchId).toBe('old');
  });

  it('says storyboard, counts and units, never a prompt or a key', () => {
    const n = batchNotice(
      batch(
        'a',
        { done: 7, failed: 2, blocked: 1, canceled: 1 },
        { storyboard: 'Spot 30s', unitsSubmitted: 12.5, finishedAt: at(1) },
      ),
    );
    expect(n.title).toBe('Shotline: batch finished, needs a look');
    expect(n.body).toBe('Batch Spot 30s: 7 done, 2 failed, 1 blocked, 1 canceled, 12.5 units');
    expect(batchNotice(batch('b', { done: 1 }, { unitsSubmitted: 2 })).title).toBe('Shotline: batch finished');
    // Only the fields it names are read: extra ones (as a future summary might carry) never reach the text.
    const leaky = { ...batch('c', { done: 1 }), prompt: 'a secret prompt', apiKey: 'sk-123' } as BatchSummary;
    expect(JSON.stringify(batchNotice(leaky))).not.toMatch(/secret prompt|sk-123/);
  });
});

describe('batch watch: outages (issue 14)', () => {
  it('sends nothing for a batch that is only waiting out an outage, and keeps the machine awake', () => {
    const w = new BatchWatch(T0);
    // Kling down: takes stay queued and submitting (nothing fails), the batch is not finished.
    expect(w.update(batch('o', { queued: 20, submitting: 3, running: 2, done: 5 }))).toEqual({
      keepAwake: 'start',
      notify: null,
    });
    for (let i = 0; i < 30; i++)
      expect(w.update(batch('o', { queued: 20, submitting: 3, running: 2, done: 5 })).notify).toBeNull();
    expect(w.keepingAwake).toBe(true);
    const end = w.update(batch('o', { done: 30 }, { finishedAt: at(180) }));
    expect(end.notify?.title).toBe('Shotline: batch finished');
  });

  it('says "run it again" when the only problems are takes that waited past their transient budget', () => {
    const n = batchNotice(batch('w', { done: 10, blocked: 20 }, { finishedAt: at(720), waitedOut: 20 }));
    expect(n.title).toBe('Shotline: batch waited for Kling, run it again');
    expect(n.body).toContain('20 waited out an outage (run again: nothing is paid twice)');
    expect(
      batchNotice(batch('x', { done: 10, blocked: 2, failed: 1 }, { finishedAt: at(9), waitedOut: 2 })).title,
    ).toBe('Shotline: batch finished, needs a look');
  });
});
