/**
 * Job states and the views of jobs and batches that cross a boundary (IPC, CLI JSON).
 * The state machine (docs/architecture.md, "What the queue guarantees"): queued -> submitting -> running -> downloading
 * -> done, with side exits failed, canceled and blocked (needs the user).
 */
import { z } from 'zod';

export const JOB_STATES = [
  'queued',
  'submitting',
  'running',
  'downloading',
  'done',
  'failed',
  'canceled',
  'blocked',
] as const;
export const JobState = z.enum(JOB_STATES);
export type JobState = z.infer<typeof JobState>;

/** States a job leaves only by a person's action (retry, cancel) or a rerun. */
export const FINAL_STATES: ReadonlySet<JobState> = new Set(['done', 'failed', 'canceled', 'blocked']);
/** States where Kling holds (or may hold) a task slot for the job. */
export const IN_FLIGHT_STATES: ReadonlySet<JobState> = new Set(['submitting', 'running']);

/** Allowed transitions; anything else is a bug and is refused by the queue. */
export const TRANSITIONS: Record<JobState, readonly JobState[]> = {
  queued: ['submitting', 'running', 'canceled', 'blocked', 'failed'],
  // submitting -> queued: a clear refusal (1302/1303) put it back; -> submitting: resubmit after reconcile.
  submitting: ['submitting', 'running', 'queued', 'failed', 'blocked', 'canceled'],
  running: ['running', 'downloading', 'queued', 'failed', 'blocked', 'canceled'],
  // downloading -> blocked: an outage outlasted the job's transient budget (issue 14).
  downloading: ['downloading', 'done', 'running', 'failed', 'blocked', 'canceled'],
  done: [],
  failed: ['queued', 'canceled'],
  blocked: ['queued', 'canceled'],
  canceled: ['queued'],
};

export function canTransition(from: JobState, to: JobState): boolean {
  return TRANSITIONS[from].includes(to);
}

/**
 * The scene take a job belongs to (issue 13 item 1): one Kling task for several shots, one job
 * per shot. Acting on any job of it (cancel, retry, re-roll, priority) acts on the whole take.
 */
export const JobScene = z.object({
  /** The scene's name in the storyboard. */
  id: z.string(),
  /** The scene take (every job of one take shares it). */
  group: z.string(),
  /** The lead carries the task (its external id is the task's); members mirror it. */
  role: z.enum(['lead', 'member']),
  /** The shots of the scene, in order: a re-roll of any of them makes a new take of all of them. */
  shotIds: z.array(z.string()).min(1),
  /** Estimated Kling units of one take of the whole scene (what a re-roll costs). */
  units: z.number(),
  /** The whole scene clip as Kling gave it, once downloaded. */
  file: z.string().nullable(),
});
export type JobScene = z.infer<typeof JobScene>;

export const JobView = z.object({
  id: z.string(),
  batchId: z.string(),
  storyboardId: z.string(),
  /** Storyboard name (what the UI shows). */
  storyboard: z.string(),
  shotId: z.string(),
  take: z.number().int(),
  state: JobState,
  /** Attempts spent (throttling does not spend one). */
  attempts: z.number().int(),
  /** ISO time the job entered its state. */
  stateSince: z.string(),
  priority: z.number().int(),
  units: z.number(),
  /** Units Kling billed for this take, once it says (null before, or when it does not). */
  billedUnits: z.number().nullable().optional(),
  model: z.string(),
  externalTaskId: z.string(),
  taskId: z.string().nullable(),
  error: z.string().nullable(),
  errorCode: z.string().nullable(),
  /** What a person can do about the error. */
  fix: z.string().nullable(),
  retryable: z.boolean(),
  /** Local clip once downloaded. */
  file: z.string().nullable(),
  /** When Kling deletes the result (URLs live 30 days). */
  expiresAt: z.string().nullable(),
  /** Earliest time the engine looks at the job again (backoff), if set. */
  nextAt: z.string().nullable(),
  subject: z.string().nullable(),
  /** The scene take this job is one shot of; null (or absent) for a shot generated alone. */
  scene: JobScene.nullable().optional(),
});
export type JobView = z.infer<typeof JobView>;

export const StateCounts = z.record(JobState, z.number().int());
export type StateCounts = z.infer<typeof StateCounts>;

export const BatchSummary = z.object({
  id: z.string(),
  storyboardId: z.string(),
  storyboard: z.string(),
  createdAt: z.string(),
  paused: z.boolean(),
  /** Why it is paused when the engine paused it (balance used up, budget reached). */
  pauseReason: z.string().nullable(),
  budgetUnits: z.number().nullable(),
  total: z.number().int(),
  counts: StateCounts,
  /** Units of submitted jobs (an estimate until Kling reports charges). */
  unitsSubmitted: z.number(),
  unitsDone: z.number(),
  finishedAt: z.string().nullable(),
  /** Blocked takes that waited out an outage past their transient budget (issue 14): run again to resume. */
  waitedOut: z.number().int().optional(),
});
export type BatchSummary = z.infer<typeof BatchSummary>;

export const JobEvent = z.object({
  id: z.number().int(),
  at: z.string(),
  jobId: z.string().nullable(),
  batchId: z.string().nullable(),
  type: z.string(),
  from: z.string().nullable(),
  to: z.string().nullable(),
  detail: z.string().nullable(),
});
export type JobEvent = z.infer<typeof JobEvent>;

export const AttemptView = z.object({
  n: z.number().int(),
  startedAt: z.string(),
  endedAt: z.string().nullable(),
  outcome: z.string().nullable(),
  errorCode: z.string().nullable(),
  error: z.string().nullable(),
  externalTaskId: z.string(),
  taskId: z.string().nullable(),
});
export type AttemptView = z.infer<typeof AttemptView>;

/** One line of `shotline run --json` (README.md, "The CLI"). */
export const RunJobResult = z.object({
  shotId: z.string(),
  take: z.number().int(),
  status: JobState,
  taskId: z.string().nullable(),
  externalTaskId: z.string(),
  file: z.string().nullable(),
  error: z.string().nullable(),
  /** Units Kling billed for this take (its billing[] / final_unit_deduction); null until it says. */
  billedUnits: z.number().nullable(),
  /** The estimate for this take (prices.ts), kept next to what was billed. */
  estimatedUnits: z.number(),
  /** A shot of a multi-shot scene: the scene's name, and the whole scene clip once downloaded. */
  scene: z.object({ id: z.string(), file: z.string().nullable() }).optional(),
});
export const RunResult = z.object({
  jobs: z.array(RunJobResult),
  edit: z.string().nullable(),
  /** Units Kling billed in total (the takes that report a charge). */
  units: z.number(),
  /** The estimate of the takes submitted or done (what `units` was before Kling reported charges). */
  estimatedUnits: z.number(),
});
export type RunResult = z.infer<typeof RunResult>;
