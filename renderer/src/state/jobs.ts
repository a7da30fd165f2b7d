/**
 * Live jobs for the Queue page. Updates (job.changed events, list loads) are collected and
 * applied once per animation frame, so a burst of thousands of events is one render.
 */
import { useSyncExternalStore } from 'react';

import type { JobView } from '../../../shared/queue';

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

/** A job view with the fields a test or benchmark does not care about filled in. */
export function fakeJob(j: Pick<JobView, 'id' | 'batchId' | 'storyboard' | 'shotId' | 'take' | 'state'> & Partial<JobView>): JobView {
  return {
    storyboardId: `sb-${j.storyboard}`,
    attempts: 1,
    stateSince: new Date().toISOString(),
    priority: 0,
    units: 1,
    model: 'kling-v1',
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
        error: state === 'failed' ? 'Kling 1301: the prompt was refused by content policy' : state === 'blocked' ? 'Kling 1102: the resource pack is empty' : null,
        fix: state === 'failed' ? 'Rephrase the prompt and retry.' : state === 'blocked' ? 'Top up the account, then resume the batch.' : null,
      }),
    );
  }
  return out;
}
