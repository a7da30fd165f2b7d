/**
 * Live jobs for the Queue page. Updates (job.changed events, list loads) are collected and
 * applied once per animation frame, so a burst of thousands of events is one render.
 */
import { useSyncExternalStore } from 'react';

import type { BatchSummary, JobView } from '../../../shared/queue';

// One definition of a job for every front: the shared schema the core validates against.
export { JOB_STATES, type JobState, type JobView } from '../../../shared/queue';
import { JOB_STATES } from '../../../shared/queue';

type Listener = () => void;

class JobStore {
  private jobs = new Map<string, JobView>();
  private pending = new Map<string, JobView>();
  private frame = 0;
  private listeners = new Set<Listener>();
  private snapshot: JobView[] = [];
  version = 0;

  subscribe = (l: Listener): (() => void) => {
    this.listeners.add(l);
    return () => this.listeners.delete(l);
  };

  getSnapshot = (): JobView[] => this.snapshot;

  /** Queue updates; they land together on the next frame. */
  upsert(jobs: JobView[]): void {
    for (const j of jobs) this.pending.set(j.id, j);
    if (!this.frame) this.frame = requestAnimationFrame(() => this.flush());
  }

  has(id: string): boolean {
    return this.jobs.has(id) || this.pending.has(id);
  }

  get(id: string): JobView | undefined {
    return this.pending.get(id) ?? this.jobs.get(id);
  }

  /** How many jobs of a batch the store holds (a batch summary with more means some are missing). */
  countIn(batchId: string): number {
    const ids = new Set<string>();
    for (const [id, j] of this.jobs) if (j.batchId === batchId) ids.add(id);
    for (const [id, j] of this.pending) if (j.batchId === batchId) ids.add(id);
    return ids.size;
  }

  replaceAll(jobs: JobView[]): void {
    this.jobs.clear();
    this.pending.clear();
    this.upsert(jobs);
  }

  private flush(): void {
    this.frame = 0;
    for (const [id, j] of this.pending) this.jobs.set(id, j);
    this.pending.clear();
    this.snapshot = [...this.jobs.values()];
    this.version += 1;
    for (const l of this.listeners) l();
  }
}

export const jobStore = new JobStore();

export function useJobs(): JobView[] {
  return useSyncExternalStore(jobStore.subscribe, jobStore.getSnapshot);
}

/**
 * Batch summaries from the core (`queue.batches` once, then `batch.progress` and the answers of
 * pause/resume): the whole batch's counts, also for jobs the job store has not loaded yet.
 */
class BatchStore {
  private batches = new Map<string, BatchSummary>();
  private listeners = new Set<Listener>();
  private snapshot: BatchSummary[] = [];

  subscribe = (l: Listener): (() => void) => {
    this.listeners.add(l);
    return () => this.listeners.delete(l);
  };

  getSnapshot = (): BatchSummary[] => this.snapshot;

  get(id: string): BatchSummary | undefined {
    return this.batches.get(id);
  }

  upsert(list: BatchSummary[]): void {
    for (const b of list) this.batches.set(b.id, b);
    // Newest first, as queue.batches answers.
    this.snapshot = [...this.batches.values()].sort((a, b) => b.createdAt.localeCompare(a.createdAt));
    for (const l of this.listeners) l();
  }
}

export const batchStore = new BatchStore();

export function useBatches(): BatchSummary[] {
  return useSyncExternalStore(batchStore.subscribe, batchStore.getSnapshot);
}

/** The scene take a job is one shot of (shared/queue JobView.scene): one Kling task for several shots. */
export type SceneOfJob = NonNullable<JobView['scene']>;

/**
 * The scene a shot's newest take belongs to, or null for a shot generated alone: what a re-roll
 * of that shot re-rolls (electron/core/queue/store.ts, reroll: the whole scene, one task).
 */
export function sceneOfShot(jobs: readonly JobView[], shotId: string): SceneOfJob | null {
  let newest: JobView | undefined;
  for (const j of jobs) if (j.shotId === shotId && (!newest || j.take > newest.take)) newest = j;
  return newest?.scene ?? null;
}

/** A job view with the fields a test or benchmark does not care about filled in. */
export function fakeJob(
  j: Pick<JobView, 'id' | 'batchId' | 'storyboard' | 'shotId' | 'take' | 'state'> & Partial<JobView>,
): JobView {
  return {
    storyboardId: `sb-${j.storyboard}`,
    attempts: 1,
    stateSince: new Date().toISOString(),
    priority: 0,
    units: 1,
    model: 'kling-2.5-turbo',
    externalTaskId: `ext-${j.id}`,
    taskId: null,
    error: null,
    errorCode: null,
    fix: null,
    retryable: false,
    file: null,
    expiresAt: null,
    nextAt: null,
    subject: null,
    ...j,
  };
}

/** Synthetic jobs for the renderer benchmark and the DOM-bound test (bridge only). */
export function syntheticJobs(n: number): JobView[] {
  const now = Date.now();
  const out: JobView[] = [];
  for (let i = 0; i < n; i++) {
    const state = JOB_STATES[i % JOB_STATES.length] ?? 'queued';
    out.push(
      fakeJob({
        id: `job-${i}`,
        batchId: `batch-${Math.floor(i / 1000)}`,
        storyboard: `storyboard-${Math.floor(i / 1000)}`,
        shotId: `shot-${i % 100}`,
        take: (i % 3) + 1,
        state,
        attempts: i % 4,
        stateSince: new Date(now - (i % 600) * 1000).toISOString(),
        units: 1.5,
        error:
          state === 'failed'
            ? 'Kling 1301: the prompt was refused by content policy'
            : state === 'blocked'
              ? 'Kling 1102: the resource pack is empty'
              : null,
        fix:
          state === 'failed'
            ? 'Rephrase the prompt and retry.'
            : state === 'blocked'
              ? 'Top up the account, then resume the batch.'
              : null,
      }),
    );
  }
  return out;
}

/**
 * Kling refused the content (1300/1301 at create, or "risk control" when the task ran;
 * electron/core/engine/engine.ts marks both): sending the same prompt again is refused again.
 */
export function isContentRefusal(j: Pick<JobView, 'errorCode' | 'state'>): boolean {
  return (
    (j.state === 'blocked' || j.state === 'failed') &&
    (j.errorCode === 'policy' || j.errorCode === '1300' || j.errorCode === '1301')
  );
}

/** One progress bar of the Queue page: the whole batch, whether or not its jobs are loaded. */
export interface BatchBar {
  id: string;
  storyboard: string;
  total: number;
  /** Jobs that will not move without a person or have ended: done, failed, canceled, blocked. */
  settled: number;
  /** Jobs that ran to an end (done, failed, canceled): the pace for the time left. */
  processed: number;
  /** Failed and blocked jobs: a person must look. */
  attention: number;
  paused: boolean;
  pauseReason: string | null;
  /** When the batch started (created), for the time left. */
  since: string;
  /** A batch the core knows (pause and resume act on it). */
  canPause: boolean;
}

/**
 * The bars: from the core's batch summaries (every job counted, listed or not), and for jobs
 * whose batch has no summary (jobs fed by the test hook) from the jobs themselves. Open
 * batches first, then the newest.
 */
export function batchBars(summaries: readonly BatchSummary[], jobs: readonly JobView[]): BatchBar[] {
  const out: BatchBar[] = summaries.map((b) => {
    const c = b.counts;
    return {
      id: b.id,
      storyboard: b.storyboard,
      total: b.total,
      settled: c.done + c.failed + c.canceled + c.blocked,
      processed: c.done + c.failed + c.canceled,
      attention: c.failed + c.blocked,
      paused: b.paused,
      pauseReason: b.pauseReason,
      since: b.createdAt,
      canPause: b.finishedAt === null || b.paused,
    };
  });
  const known = new Set(out.map((b) => b.id));
  const extra = new Map<string, BatchBar>();
  for (const j of jobs) {
    if (known.has(j.batchId)) continue;
    const b = extra.get(j.batchId) ?? {
      id: j.batchId,
      storyboard: j.storyboard,
      total: 0,
      settled: 0,
      processed: 0,
      attention: 0,
      paused: false,
      pauseReason: null,
      since: j.stateSince,
      canPause: false,
    };
    b.total += 1;
    if (j.state === 'done' || j.state === 'failed' || j.state === 'canceled') b.processed += 1;
    if (j.state === 'done' || j.state === 'failed' || j.state === 'canceled' || j.state === 'blocked') b.settled += 1;
    if (j.state === 'failed' || j.state === 'blocked') b.attention += 1;
    if (j.stateSince < b.since) b.since = j.stateSince;
    extra.set(j.batchId, b);
  }
  const all = [...out, ...extra.values()];
  const open = (b: BatchBar): number => (b.settled < b.total ? 0 : 1);
  return all.sort((a, b) => open(a) - open(b) || b.since.localeCompare(a.since));
}
