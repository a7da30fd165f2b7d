/**
 * Live jobs for the Queue page. Updates (job.changed events, list loads) are collected and
 * applied once per animation frame, so a burst of thousands of events is one render.
 */
import { useSyncExternalStore } from 'react';

export const JOB_STATES = ['queued', 'submitting', 'running', 'downloading', 'done', 'failed', 'blocked', 'paused', 'cancelled'] as const;
export type JobState = (typeof JOB_STATES)[number] | (string & {});

export interface JobView {
  id: string;
  batchId: string;
  storyboard: string;
  shotId: string;
  take: number;
  state: JobState;
  attempts: number;
  /** ISO time the job entered its state. */
  stateSince: string;
  priority: number;
  units: number;
  error: string | null;
  fix: string | null;
  /** Local clip once downloaded. */
  file?: string | null;
  /** When Kling deletes the source (result URLs live 30 days). */
  expiresAt?: string | null;
}

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

/** Synthetic jobs for the renderer benchmark and the DOM-bound test (bridge only). */
export function syntheticJobs(n: number): JobView[] {
  const now = Date.now();
  const out: JobView[] = [];
  for (let i = 0; i < n; i++) {
    const state = JOB_STATES[i % 7] ?? 'queued';
    out.push({
      id: `job-${i}`,
      batchId: `batch-${Math.floor(i / 1000)}`,
      storyboard: `storyboard-${Math.floor(i / 1000)}`,
      shotId: `shot-${i % 100}`,
      take: (i % 3) + 1,
      state,
      attempts: i % 4,
      stateSince: new Date(now - (i % 600) * 1000).toISOString(),
      priority: 0,
      units: 1.5,
      error: state === 'failed' ? 'Kling 1301: the prompt was refused by content policy' : state === 'blocked' ? 'Kling 1102: the resource pack is empty' : null,
      fix: state === 'failed' ? 'Rephrase the prompt and retry.' : state === 'blocked' ? 'Top up the account, then resume the batch.' : null,
    });
  }
  return out;
}
