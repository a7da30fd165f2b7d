/**
 * The engine: claims jobs from the queue and drives each through
 * queued -> submitting -> running -> downloading -> done with timers only (no busy loop).
 *
 * - Slots: at most `limit` tasks in flight (submitting/running, claimed here). A 1303 lowers
 *   the limit to what was in flight and puts the job back without spending an attempt; after
 *   `probeUpMs` without a 1303 the limit is raised by one again (up to the configured one).
 * - Idempotency: the job's external_task_id is written (synchronous=FULL) before the POST.
 *   An unclear answer (network, timeout, 5xx) leaves the job in `submitting` with
 *   `reconcile = 1`; before any resubmission Kling is asked for that external id (single
 *   query, then the list), and a found task is adopted.
 * - Errors by Kling's code: retryable ones back off exponentially with jitter (first delay
 *   >= baseDelayMs); needsUser ones block the job (balance: the batch is paused) and the batch
 *   goes on.
 */
import { existsSync, mkdirSync } from 'node:fs';
import { join } from 'node:path';

import type { ResolvedShot } from '../../../shared/storyboard/schema';
import { PREVIOUS_FRAME } from '../../../shared/storyboard/schema';
import { toVideoRequest } from '../../../shared/storyboard/validate';
import type { VideoKind } from '../../../shared/kling/capabilities';
import { checkVideoRequest, formatProblems } from '../../../shared/kling/request';
import type { KlingTask } from '../../../shared/kling/wire';
import { isKlingError, type KlingClient, type TaskRef } from '../kling';
import { lastFrame, type ToolPaths } from '../media';
import { externalIdFor, type JobRow, type QueueStore } from '../queue/store';
import { clipPath, downloadClip } from './download';
import type { VerifyLevel } from './verify';

const DAY_MS = 86_400_000;
const RESULT_TTL_MS = 30 * DAY_MS;

export interface EngineOptions {
  store: QueueStore;
  client: KlingClient;
  dataDir: string;
  /** This instance's id (claims carry it; rescue releases other owners' claims). */
  owner: string;
  /** Tasks in flight at most (the account's limit if known). Default 5. */
  concurrency?: number;
  /** First retry delay; doubles each time, with jitter. Default 1000 ms (Kling: >= 1 s). */
  baseDelayMs?: number;
  maxDelayMs?: number;
  /** First poll delay after a submit; grows x1.5 per poll up to maxPollMs. Default 2000. */
  pollMs?: number;
  maxPollMs?: number;
  /** After this long without a 1303, try one more slot. Default 60 s. */
  probeUpMs?: number;
  /** Transient failures of one job before it fails (retryable). Default 8. */
  maxTransient?: number;
  /** Cap in Kling units over the jobs this engine works (submitted + next must stay under). */
  budgetUnits?: number | null;
  /** Only these jobs (a CLI run); default every job. */
  jobIds?: readonly string[];
  /** Prompt filter (PII); returns the text to send, or `blocked` with a reason. */
  /**
   * Status queries of long waits are grouped: a wait of at least `minWaitMs` ends on a grid of
   * `gridMs` (at most a quarter of the wait), and when `minTasks` or more tasks of one kind are
   * due together one task-list request answers them all. Default 4 s / 5 s / 4.
   */
  groupPoll?: { minWaitMs: number; gridMs: number; minTasks: number };
  /** PII filter for the text fields that leave (prompt, negative prompt), with the job for its batch's mode. */
  filterPrompt?: (text: string, job: JobRow) => { text: string; blocked: boolean; reason?: string };
  tools?: ToolPaths;
  log?: (line: string) => void;
  /** Chunk writer for downloads (tests inject ENOSPC). */
  write?: (fd: number, buf: Uint8Array) => void;
  /** Download check: full decode (default) or ffprobe only. */
  verify?: VerifyLevel;
  /** A clip was verified and placed (privacy registers it for erase/retention). */
  onClip?: (job: JobRow, file: string) => void;
}

export interface EngineStats {
  creates: number;
  throttled1303: number;
  limit: number;
  peakInFlight: number;
}


export class Engine {
  private readonly o: Required<Pick<EngineOptions, 'concurrency' | 'baseDelayMs' | 'maxDelayMs' | 'pollMs' | 'maxPollMs' | 'probeUpMs' | 'maxTransient'>> & EngineOptions;
  private readonly store: QueueStore;
  private limit: number;
  private lastThrottleAt = 0;
  /** Time of the last probe upwards, and the wait before the next (doubles when a probe hits 1303). */
  private lastProbeAt = 0;
  private probeEvery: number;
  /** Jobs counted in `inFlight` (at Kling or about to be); removed once the task has finished. */
  private readonly counted = new Set<string>();
  /** Units of takes being submitted right now (the budget check runs before the db says so). */
  private readonly reserved = new Map<string, { units: number; batch: string }>();
  private readonly active = new Map<string, string>(); // jobId -> claim token
  /** Learned task duration (ms) per kind/model/mode/duration, and when each live task was made. */
  private readonly durations = new Map<string, number>();
  private readonly submittedAt = new Map<string, number>();
  /** Status queries waiting for the next grouped request (GET /tasks by ids, or a legacy list page). */
  private statusWaiters: Array<{ ref: TaskRef; taskId: string; resolve: (t: KlingTask) => void; reject: (e: unknown) => void }> | null = null;
  private inFlight = 0;
  private timer: NodeJS.Timeout | null = null;
  private timerAt = Infinity;
  private stopped = false;
  private idleWaiters: Array<() => void> = [];
  private readonly targets: Set<string> | null;
  readonly stats: EngineStats;
  private readonly ac = new AbortController();
  private pumping = false;
  private pumpAgain = false;

  constructor(opts: EngineOptions) {
    this.o = { concurrency: 5, baseDelayMs: 1000, maxDelayMs: 60_000, pollMs: 2000, maxPollMs: 30_000, probeUpMs: 60_000, maxTransient: 8, ...opts };
    this.store = opts.store;
    this.limit = this.o.concurrency;
    this.probeEvery = this.o.probeUpMs;
    this.targets = opts.jobIds ? new Set(opts.jobIds) : null;
    this.stats = { creates: 0, throttled1303: 0, limit: this.limit, peakInFlight: 0 };
  }

  private log(line: string): void {
    this.o.log?.(line);
  }

  /** Releases claims of earlier instances and starts working. */
  start(): void {
    this.store.rescue(this.o.owner);
    this.wake(0);
  }

  async stop(): Promise<void> {
    this.stopped = true;
    this.ac.abort();
    if (this.timer) clearTimeout(this.timer);
    this.timer = null;
    const deadline = Date.now() + 5000;
    while (this.active.size > 0 && Date.now() < deadline) await sleep(20);
  }

  /** Jobs this engine is working right now (claimed: submitting, polling or downloading). */
  get activeJobs(): number {
    return this.active.size;
  }

  /** Resolves when no target job can move without a person (all final, or waiting on a paused batch). */
  whenIdle(): Promise<void> {
    return new Promise((resolve) => {
      this.idleWaiters.push(resolve);
      this.wake(0);
    });
  }

  /** Schedules a pump in `ms` (keeps the earliest). */
  wake(ms = 0): void {
    if (this.stopped) return;
    const at = Date.now() + Math.max(0, ms);
    if (this.timer && at >= this.timerAt) return;
    if (this.timer) clearTimeout(this.timer);
    this.timerAt = at;
    this.timer = setTimeout(() => {
      this.timer = null;
      this.timerAt = Infinity;
      this.pump();
    }, Math.max(0, ms));
  }

  private isTarget(id: string): boolean {
    return this.targets === null || this.targets.has(id);
  }

  private pump(): void {
    if (this.stopped) return;
    if (this.pumping) {
      this.pumpAgain = true;
      return;
    }
    this.pumping = true;
    try {
      do {
        this.pumpAgain = false;
        this.pumpOnce();
      } while (this.pumpAgain && !this.stopped);
    } finally {
      this.pumping = false;
    }
  }

  private pumpOnce(): void {
    const now = Date.now();
    if (this.limit < this.o.concurrency && this.inFlight >= this.limit && now - this.lastThrottleAt >= this.probeEvery) {
      this.limit++;
      this.lastThrottleAt = now;
      this.lastProbeAt = now;
      this.stats.limit = this.limit;
      this.log(`concurrency: trying ${this.limit}`);
    }
    // Work that already holds (or may hold) a Kling task first: downloads, polls, reconciles.
    for (const state of ['downloading', 'running', 'submitting'] as const) {
      for (const id of this.store.dueJobs(state, now, 1000)) {
        if (!this.isTarget(id) || this.active.has(id)) continue;
        if (state === 'submitting' && this.inFlight >= this.limit) break;
        this.launch(id);
      }
    }
    while (this.inFlight < this.limit) {
      const ids = this.store.dueJobs('queued', now, 64).filter((id) => this.isTarget(id) && !this.active.has(id));
      if (ids.length === 0) break;
      let launched = 0;
      for (const id of ids) {
        if (this.inFlight >= this.limit) break;
        if (this.launch(id)) launched++;
      }
      if (launched === 0) break;
    }
    this.scheduleNext();
  }

  /** Next wake-up: the earliest backoff/poll time of a target job; idle check otherwise. */
  private scheduleNext(): void {
    const row = this.store.db
      .prepare<[], { n: number | null }>("SELECT MIN(next_at) AS n FROM jobs WHERE state IN ('queued','submitting','running','downloading') AND claim_token IS NULL AND next_at IS NOT NULL")
      .get();
    if (row?.n) this.wake(Math.max(0, row.n - Date.now()) + 5);
    if (this.active.size === 0 && this.idleWaiters.length > 0 && this.nothingLeft()) {
      const w = this.idleWaiters;
      this.idleWaiters = [];
      for (const r of w) r();
    }
  }

  private nothingLeft(): boolean {
    const open = this.store.db
      .prepare<[], { id: string }>(
        "SELECT j.id FROM jobs j JOIN batches b ON b.id = j.batch_id WHERE j.state IN ('queued','submitting','running','downloading') AND b.paused = 0",
      )
      .all();
    return !open.some((r) => this.isTarget(r.id));
  }

  private launch(id: string): boolean {
    const job = this.store.claim(id, this.o.owner);
    if (!job?.claim_token) return false;
    const token = job.claim_token;
    this.active.set(id, token);
    if (job.state === 'queued' || job.state === 'submitting' || job.state === 'running') {
      this.counted.add(id);
      this.inFlight++;
    }
    this.stats.peakInFlight = Math.max(this.stats.peakInFlight, this.inFlight);
    void this.drive(job, token)
      .catch((err: unknown) => this.log(`job ${id}: ${(err as Error).message}`))
      .finally(() => {
        this.uncount(id);
        this.reserved.delete(id);
        this.active.delete(id);
        this.store.release(id, token);
        this.wake(0);
      });
    return true;
  }

  /** The job no longer holds a slot at Kling (its task finished, or it went back to wait). */
  private uncount(id: string): void {
    if (this.counted.delete(id)) {
      this.inFlight--;
      this.wake(0);
    }
  }

  private backoff(n: number): number {
    const base = Math.min(this.o.maxDelayMs, this.o.baseDelayMs * 2 ** Math.max(0, n - 1));
    return Math.round(base * (1 + Math.random() * 0.5)); // jitter upwards: never below the base
  }

  /** Runs one job as far as it can go now; waits (timers) while polling. */
  private async drive(job: JobRow, token: string): Promise<void> {
    let j: JobRow | undefined = job;
    while (j && !this.stopped) {
      let next: JobRow | 'stop';
      switch (j.state) {
        case 'queued':
          next = await this.submit(j, token);
          break;
        case 'submitting':
          next = await this.reconcileOrSubmit(j, token);
          break;
        case 'running':
          next = await this.poll(j, token);
          break;
        case 'downloading':
          this.uncount(j.id);
          next = await this.download(j, token);
          break;
        default:
          next = 'stop';
      }
      if (next === 'stop') return;
      j = next;
    }
  }

  private reload(id: string, token: string): JobRow | 'stop' {
    const r = this.store.getJob(id);
    return r && r.claim_token === token ? r : 'stop';
  }

  // ---------------------------------------------------------------- submit

  private async submit(j: JobRow, token: string): Promise<JobRow | 'stop'> {
    if (j.task_id) {
      // A retried job whose task exists: poll and download it, never resubmit.
      return this.store.transition(j.id, token, 'queued', 'running', { next_at: null }) ? this.reload(j.id, token) : 'stop';
    }
    // Unclear earlier submission: reconcile first (it goes through `submitting`).
    if (j.reconcile === 1 || j.submits > 0) {
      return this.store.transition(j.id, token, 'queued', 'submitting', { reconcile: 1 }, { durable: true }) ? this.reload(j.id, token) : 'stop';
    }
    return this.sendCreate(j, token, 'queued');
  }

  /**
   * Two caps: the run's (--budget, over the jobs this engine targets) and the batch's own (set
   * on the Batch page, over that batch's jobs). The first one this take would pass, or null.
   */
  private overBudget(j: JobRow): { cap: number; committed: number; what: string } | null {
    const caps: { cap: number; committed: number; what: string }[] = [];
    if (this.o.budgetUnits !== undefined && this.o.budgetUnits !== null) {
      caps.push({ cap: this.o.budgetUnits, committed: this.committedUnits(j.id), what: '--budget' });
    }
    const batchCap = this.batchBudget(j.batch_id);
    if (batchCap !== null) caps.push({ cap: batchCap, committed: this.committedUnits(j.id, j.batch_id), what: 'the batch budget' });
    return caps.find((c) => c.committed + j.units > c.cap + 1e-9) ?? null;
  }

  /** Units spent or in flight, except the job asking: of the targeted jobs, or of one batch's jobs. */
  private committedUnits(except: string, batchId?: string): number {
    const sql = "SELECT id, COALESCE(units_charged, units) AS u FROM jobs WHERE (task_id IS NOT NULL OR state = 'submitting' OR reconcile = 1)";
    const rows = batchId
      ? this.store.db.prepare<[string], { id: string; u: number }>(`${sql} AND batch_id = ?`).all(batchId)
      : this.store.db.prepare<[], { id: string; u: number }>(sql).all().filter((r) => this.isTarget(r.id));
    let sum = 0;
    for (const r of rows) if (r.id !== except && !this.reserved.has(r.id)) sum += r.u;
    for (const [id, r] of this.reserved) if (id !== except && (batchId === undefined || r.batch === batchId)) sum += r.units;
    return sum;
  }

  private batchBudget(batchId: string): number | null {
    const r = this.store.db.prepare<[string], { b: number | null }>('SELECT budget_units AS b FROM batches WHERE id = ?').get(batchId);
    return r?.b ?? null;
  }

  private async reconcileOrSubmit(j: JobRow, token: string): Promise<JobRow | 'stop'> {
    if (j.reconcile === 1) {
      let found: KlingTask | null = null;
      try {
        found = await this.o.client.findByExternalId(refOf(j), j.external_task_id, this.ac.signal);
      } catch (err) {
        return this.transient(j, token, 'submitting', err, 'reconcile');
      }
      if (found) {
        this.log(`${j.shot_id} take ${j.take}: found task ${found.taskId} for ${j.external_task_id}; adopted, not resubmitted`);
        this.store.noteAttemptTask(j.id, j.external_task_id, found.taskId);
        const ok = this.store.transition(j.id, token, 'submitting', 'running', { task_id: found.taskId, reconcile: 0, next_at: null, transient_failures: 0 }, { detail: 'reconciled: adopted existing task' });
        return ok ? this.reload(j.id, token) : 'stop';
      }
      if (!this.store.update(j.id, token, 'submitting', { reconcile: 0 }, 'reconciled: no task with this external id')) return 'stop';
      j = this.store.getJob(j.id) as JobRow;
    }
    return this.sendCreate(j, token, 'submitting');
  }

  private async buildRequest(j: JobRow, token: string): Promise<{ req: ReturnType<typeof toVideoRequest> } | { wait: number } | { block: string; fix: string }> {
    const shot = JSON.parse(j.spec) as ResolvedShot;
    let prompt = shot.prompt;
    let negativePrompt = shot.negativePrompt;
    if (this.o.filterPrompt) {
      for (const field of ['prompt', 'negativePrompt'] as const) {
        const text = field === 'prompt' ? prompt : negativePrompt;
        if (!text) continue;
        const f = this.o.filterPrompt(text, j);
        if (f.blocked) return { block: `the ${field === 'prompt' ? 'prompt' : 'negative prompt'} contains personal data (${f.reason ?? 'PII'}); the PII mode is "block"`, fix: 'remove the personal data, or choose mask for this batch (Batch page) or in Settings' };
        if (field === 'prompt') prompt = f.text;
        else negativePrompt = f.text;
      }
    }
    let startImage: string | undefined;
    if (shot.startImage === PREVIOUS_FRAME) {
      const prev = this.previousTake(j);
      if (prev === 'wait') return { wait: Math.max(this.o.pollMs, 500) };
      if (prev === null) return { block: 'startImage "@previous": the previous shot has no successful take', fix: 'retry the previous shot, or give this shot its own start image' };
      if ('removed' in prev) {
        const kept = join(this.o.dataDir, 'frames', `${j.storyboard_id}`, `${j.shot_id}_from_${prev.removed.id}.png`);
        if (!existsSync(kept)) {
          return {
            block: `startImage "@previous": the previous shot's take (${prev.removed.shot_id} take ${prev.removed.take}) was removed from disk (retention or by hand), so its last frame cannot be taken`,
            fix: 'Re-roll the previous shot, or give this shot its own start image',
          };
        }
        startImage = kept;
        void token;
        return { req: toVideoRequest(shot, j.external_task_id, { prompt, ...(negativePrompt ? { negativePrompt } : {}), startImage }) };
      }
      const png = join(this.o.dataDir, 'frames', `${j.storyboard_id}`, `${j.shot_id}_from_${prev.id}.png`);
      if (!existsSync(png)) {
        mkdirSync(join(this.o.dataDir, 'frames', j.storyboard_id), { recursive: true });
        await lastFrame(prev.file as string, png, this.o.tools ?? {});
      }
      startImage = png;
    }
    void token;
    return { req: toVideoRequest(shot, j.external_task_id, { prompt, ...(negativePrompt ? { negativePrompt } : {}), ...(startImage ? { startImage } : {}) }) };
  }

  /** The previous shot's first done take; 'wait' while it may still come; null if it never will. */
  private previousTake(j: JobRow): JobRow | 'wait' | null | { removed: JobRow } {
    const prev = this.store.db
      .prepare<[number], { shot_id: string }>(
        'SELECT s2.shot_id FROM shots s1 JOIN shots s2 ON s2.storyboard_id = s1.storyboard_id AND s2.active = 1 AND s2.ord < s1.ord WHERE s1.pk = ? ORDER BY s2.ord DESC LIMIT 1',
      )
      .get(j.shot_pk);
    if (!prev) return null;
    const jobs = this.store.db
      .prepare<[string, string], JobRow>('SELECT * FROM jobs WHERE storyboard_id = ? AND shot_id = ? ORDER BY take, seq')
      .all(j.storyboard_id, prev.shot_id);
    const done = jobs.find((x) => x.state === 'done' && x.file);
    if (done) return done;
    // Done, but its clip is gone (retention, or deleted by hand): its last frame may survive.
    const removed = jobs.find((x) => x.state === 'done');
    if (removed) return { removed };
    return jobs.some((x) => ['queued', 'submitting', 'running', 'downloading'].includes(x.state)) ? 'wait' : null;
  }

  private async sendCreate(j: JobRow, token: string, from: 'queued' | 'submitting'): Promise<JobRow | 'stop'> {
    const built = await this.buildRequest(j, token);
    if ('req' in built) {
      // What this credential cannot reach (3.0 Turbo with AK/SK: the legacy standard has no such
      // model) waits for a person before anything is recorded or sent; the message says the fix.
      const unreachable = checkVideoRequest(built.req, { standard: this.o.client.standard }).filter((p) => p.field === 'model');
      if (unreachable.length) {
        this.store.transition(j.id, token, from, 'blocked', { error: formatProblems(unreachable), error_code: 'credential', fix: 'use an API-key profile (shotline keys set --api-key, or Settings > Keys), or a model the key reaches', retryable: 1 }, { release: true });
        return 'stop';
      }
      // The budget check runs once the request is ready (a take blocked for its prompt costs
      // nothing) and, with the reservation, synchronously up to the durable `submitting`.
      const over = this.overBudget(j);
      if (over) {
        this.log(`${j.shot_id} take ${j.take}: not submitted, ${over.what} of ${over.cap} units would be passed`);
        this.store.transition(j.id, token, from, 'blocked', {
          error: `budget cap reached: ${over.committed} units committed, this take needs ${j.units} more (cap ${over.cap})`,
          error_code: 'budget',
          fix: 'raise --budget (or the batch budget) and run again',
          retryable: 1,
        }, { release: true });
        return 'stop';
      }
      this.reserved.set(j.id, { units: j.units, batch: j.batch_id });
    }
    if ('wait' in built) {
      return this.store.transition(j.id, token, from, from === 'queued' ? 'queued' : 'submitting', { next_at: Date.now() + built.wait }) ? 'stop' : 'stop';
    }
    if ('block' in built) {
      this.store.transition(j.id, token, from, 'blocked', { error: built.block, error_code: 'input', fix: built.fix, retryable: 0 }, { release: true });
      return 'stop';
    }
    // The record of an intent to pay: durable before the POST.
    if (!this.store.transition(j.id, token, from, 'submitting', { submits: j.submits + 1, reconcile: 1, next_at: null }, { durable: true, detail: j.external_task_id })) return 'stop';
    this.store.startAttempt(j.id, j.attempts + 1, j.external_task_id);
    this.stats.creates++;
    let task: KlingTask;
    try {
      task = await this.o.client.createTask(built.req, this.ac.signal);
    } catch (err) {
      return this.createFailed(j, token, err);
    }
    this.store.noteAttemptTask(j.id, j.external_task_id, task.taskId);
    // Kling's own creation time when our clock agrees with it (within 5 s), else ours.
    const now = Date.now();
    this.submittedAt.set(j.id, task.createdAt && Math.abs(task.createdAt - now) < 5000 ? task.createdAt : now);
    const ok = this.store.transition(j.id, token, 'submitting', 'running', { task_id: task.taskId, reconcile: 0, transient_failures: 0, next_at: null }, { detail: task.taskId });
    return ok ? this.reload(j.id, token) : 'stop';
  }

  private createFailed(j: JobRow, token: string, err: unknown): JobRow | 'stop' {
    if (isKlingError(err) && err.kind === 'business') {
      const code = err.code ?? 0;
      // A clear refusal: no task was made.
      if (code === 1303 || code === 1302) {
        this.store.endAttempt(j.id, j.external_task_id, 'throttled', { errorCode: String(code), error: err.message });
        if (code === 1303) {
          this.stats.throttled1303++;
          const now = Date.now();
          // A probe upwards that hit the limit: wait twice as long before the next one.
          if (this.lastProbeAt > 0 && now - this.lastProbeAt < this.probeEvery) this.probeEvery = Math.min(this.probeEvery * 2, 30 * 60_000);
          this.lastThrottleAt = now;
          const learned = Math.max(1, this.inFlight - 1);
          if (learned < this.limit) {
            this.limit = learned;
            this.stats.limit = learned;
            this.log(`concurrency: the account allows about ${learned} tasks at once (1303); lowered`);
          }
        }
        const delay = code === 1302 ? this.backoff(j.transient_failures + 1) : Math.max(this.o.baseDelayMs, this.o.pollMs / 2);
        this.store.transition(j.id, token, 'submitting', 'queued', { reconcile: 0, submits: Math.max(0, j.submits - 1 + 1), next_at: Date.now() + delay }, { detail: `throttled ${code}`, release: true });
        this.markNoTask(j.id);
        return 'stop';
      }
      if (code >= 5000) {
        return this.transient(j, token, 'submitting', err, 'create'); // may or may not exist: reconcile
      }
      // Parameters, policy, auth, balance: a person must act. Nothing was created.
      this.store.endAttempt(j.id, j.external_task_id, 'refused', { errorCode: String(code), error: err.message });
      const to = err.needsUser ? 'blocked' : 'failed';
      this.store.transition(j.id, token, 'submitting', to, { reconcile: 0, error: err.message, error_code: String(code), fix: fixFor(err.category), retryable: 0 }, { release: true });
      if (err.category === 'account') this.store.setPaused(j.batch_id, true, err.message);
      return 'stop';
    }
    if (isKlingError(err) || isNetwork(err)) return this.transient(j, token, 'submitting', err, 'create');
    // Local problems (image files, matrix): the request can never be sent as is.
    this.store.endAttempt(j.id, j.external_task_id, 'refused', { error: (err as Error).message });
    this.store.transition(j.id, token, 'submitting', 'failed', { reconcile: 0, error: (err as Error).message, error_code: 'local', fix: 'fix the storyboard and import it again', retryable: 0 }, { release: true });
    return 'stop';
  }

  /** After a clear refusal the external id is unused: the next submit may use it directly. */
  private markNoTask(id: string): void {
    this.store.db.prepare('UPDATE jobs SET submits = 0 WHERE id = ? AND task_id IS NULL AND reconcile = 0').run(id);
  }

  /** Retryable failure: back off (state kept; a submitting job reconciles first). */
  private transient(j: JobRow, token: string, state: 'submitting' | 'running' | 'downloading', err: unknown, what: string): 'stop' {
    const n = j.transient_failures + 1;
    const msg = `${what}: ${(err as Error).message}`;
    if (state === 'submitting') this.store.endAttempt(j.id, j.external_task_id, 'unclear', { errorCode: isKlingError(err) ? String(err.code ?? err.kind) : 'network', error: msg });
    if (n > this.o.maxTransient) {
      this.store.transition(j.id, token, state, 'failed', { error: msg, error_code: 'transient', fix: 'Kling or the network kept failing; run again later (nothing is resubmitted that exists)', retryable: 1 }, { release: true });
      return 'stop';
    }
    const delay = this.backoff(n);
    this.log(`${j.shot_id} take ${j.take}: ${msg}; retry in ${(delay / 1000).toFixed(1)} s`);
    this.store.transition(j.id, token, state, state, { transient_failures: n, next_at: Date.now() + delay, ...(state === 'submitting' ? { reconcile: 1 } : {}), error: msg }, { release: true, event: 'retry' });
    return 'stop';
  }

  // ---------------------------------------------------------------- poll

  private get group(): { minWaitMs: number; gridMs: number; minTasks: number } {
    return this.o.groupPoll ?? { minWaitMs: 4000, gridMs: 5000, minTasks: 4 };
  }

  /** A long wait ends on the shared grid, so tasks due about together are asked about together. */
  private onGrid(waitMs: number): number {
    const g = this.group;
    if (waitMs < g.minWaitMs) return waitMs;
    const grid = Math.max(1, Math.min(g.gridMs, Math.floor(waitMs / 4)));
    const now = Date.now();
    return Math.ceil((now + waitMs) / grid) * grid - now;
  }

  /**
   * One task's status. After a long wait, queries arriving within 25 ms are pooled; when enough are due at once
   * (many long tasks in flight) one task-list request answers them, and a task not on that
   * page is asked about on its own. So a night of 100 long tasks costs a few requests a minute.
   */
  private queryTask(ref: TaskRef, taskId: string, pooled: boolean): Promise<KlingTask> {
    if (!pooled) return this.o.client.getTask(ref, taskId, this.ac.signal);
    return new Promise((resolve, reject) => {
      if (!this.statusWaiters) {
        this.statusWaiters = [];
        setTimeout(() => void this.flushStatus(), 25);
      }
      this.statusWaiters.push({ ref, taskId, resolve, reject });
    });
  }

  /**
   * The pooled queries in one go: on the new standard `GET /tasks` with up to 20 ids a request
   * (client.getTasks groups them), on the legacy one a list page per endpoint family.
   */
  private async flushStatus(): Promise<void> {
    const waiting = this.statusWaiters ?? [];
    this.statusWaiters = null;
    const single = (w: (typeof waiting)[number]): void => {
      this.o.client.getTask(w.ref, w.taskId, this.ac.signal).then(w.resolve, w.reject);
    };
    if (waiting.length < this.group.minTasks) {
      waiting.forEach(single);
      return;
    }
    let listed: Map<string, KlingTask>;
    try {
      listed = await this.o.client.getTasks(waiting.map((w) => ({ ref: w.ref, taskId: w.taskId })), this.ac.signal);
    } catch {
      waiting.forEach(single); // the list failed: ask one by one (their own errors count)
      return;
    }
    for (const w of waiting) {
      const t = listed.get(w.taskId);
      // The list is trusted for "still working" and "failed"; a success is confirmed by the
      // task's own query unless the list carries its video (kling-api.md does not promise it).
      if (t && (t.status !== 'succeed' || t.videos.length > 0)) w.resolve(t);
      else single(w);
    }
  }

  /** Tasks of one kind take about the same time: the key of that learned duration. */
  private durationKey(j: JobRow): string {
    const shot = JSON.parse(j.spec) as ResolvedShot;
    return `${j.kind}|${j.model}|${shot.resolution}|${shot.audio}|${shot.duration}`;
  }

  private learnDuration(key: string, ms: number): void {
    if (!(ms > 0)) return;
    const old = this.durations.get(key);
    this.durations.set(key, old === undefined ? ms : Math.round(old * 0.5 + ms * 0.5));
  }

  /**
   * Polling: once tasks of this kind have finished, the next query is aimed at the moment this
   * task should finish (a slot is handed over within one short poll of it ending); before that,
   * or once that moment has passed, the wait starts at pollMs and grows x1.5 up to maxPollMs.
   * Long tasks are therefore queried rarely (idle CPU) and short ones promptly (slot use).
   */
  private async poll(j: JobRow, token: string): Promise<JobRow | 'stop'> {
    const key = this.durationKey(j);
    let started = this.submittedAt.get(j.id) ?? null;
    let wait = this.o.pollMs;
    let late = Math.max(50, Math.round(this.o.pollMs / 2));
    let pooled = false; // after a long wait, the query joins the others due on the same grid
    for (;;) {
      if (this.stopped) return 'stop';
      let task: KlingTask;
      try {
        task = await this.queryTask(refOf(j), j.task_id as string, pooled);
      } catch (err) {
        if (isKlingError(err) && err.kind === 'business' && err.needsUser && err.code !== null && err.code < 1300) {
          this.store.transition(j.id, token, 'running', 'blocked', { error: err.message, error_code: String(err.code), fix: fixFor(err.category), retryable: 0 }, { release: true });
          return 'stop';
        }
        return this.transient(j, token, 'running', err, 'query');
      }
      started ??= task.createdAt ?? Date.now();
      if (task.status === 'succeed') {
        this.learnDuration(key, task.createdAt && task.updatedAt ? task.updatedAt - task.createdAt : Date.now() - started);
        this.submittedAt.delete(j.id);
        const v = task.videos[0];
        if (!v) {
          this.store.transition(j.id, token, 'running', 'failed', { error: 'Kling reported success without a video', error_code: 'no_video', retryable: 1 }, { release: true });
          return 'stop';
        }
        this.store.endAttempt(j.id, j.external_task_id, 'succeed', { taskId: task.taskId });
        const finished = task.updatedAt ?? Date.now();
        const ok = this.store.transition(j.id, token, 'running', 'downloading', {
          video_id: v.id,
          video_url: v.url,
          video_duration: v.durationSec,
          units_charged: task.unitsCharged,
          expires_at: new Date(finished + RESULT_TTL_MS).toISOString(),
          transient_failures: 0,
          next_at: null,
          error: null,
        });
        return ok ? this.reload(j.id, token) : 'stop';
      }
      if (task.status === 'failed') {
        this.submittedAt.delete(j.id);
        const msg = task.statusMessage ?? 'the task failed at Kling';
        const policy = /risk control/i.test(msg);
        this.store.endAttempt(j.id, j.external_task_id, 'failed', { taskId: task.taskId, error: msg });
        // The next submission (after retry) needs a fresh external id; written now, before any call.
        this.store.transition(
          j.id,
          token,
          'running',
          policy ? 'blocked' : 'failed',
          {
            error: msg,
            error_code: policy ? 'policy' : 'task_failed',
            fix: policy ? 'change the prompt or images (content policy) and retry' : 'retry the job',
            retryable: policy ? 0 : 1,
            attempts: j.attempts + 1,
            task_id: null,
            submits: 0,
            reconcile: 0,
            external_task_id: externalIdFor(j.id, j.attempts + 2),
          },
          { release: true },
        );
        return 'stop';
      }
      const expected = this.durations.get(key);
      // Aim just after the expected end (1 %, at least 15 ms); a miss retries soon (below).
      const untilDone = expected === undefined ? null : started + expected + Math.max(15, expected * 0.01) - Date.now();
      let next: number;
      if (untilDone !== null && untilDone > this.o.pollMs / 2) next = Math.min(this.o.maxPollMs, untilDone);
      else if (untilDone !== null) {
        next = late;
        late = Math.min(this.o.maxPollMs, Math.round(late * 1.5));
      } else {
        next = wait;
        wait = Math.min(this.o.maxPollMs, Math.round(wait * 1.5));
      }
      pooled = next >= this.group.minWaitMs;
      await sleep(this.onGrid(next), this.ac.signal);
      const r = this.reload(j.id, token);
      if (r === 'stop' || r.state !== 'running') return r;
      j = r;
    }
  }

  // ---------------------------------------------------------------- download

  private async download(j: JobRow, token: string): Promise<JobRow | 'stop'> {
    const file = clipPath(this.o.dataDir, j.storyboard_id, j.shot_id, j.take, j.task_id as string);
    let url = j.video_url as string;
    for (let fresh = 0; ; fresh++) {
      try {
        const r = await downloadClip({
          client: this.o.client,
          url,
          file,
          expectDurationS: j.video_duration,
          ...(this.o.tools ? { tools: this.o.tools } : {}),
          signal: this.ac.signal,
          ...(this.o.write ? { write: this.o.write } : {}),
          ...(this.o.verify ? { verify: this.o.verify } : {}),
        });
        const ok = this.store.transition(j.id, token, 'downloading', 'done', { file: r.file, next_at: null, error: null, error_code: null, transient_failures: 0, attempts: j.attempts + 1 }, { release: true, detail: r.file });
        if (ok) {
          try {
            this.o.onClip?.(j, r.file);
          } catch (err) {
            this.log(`register ${r.file}: ${(err as Error).message}`);
          }
          this.store.finishIfIdle(j.batch_id);
        }
        return 'stop';
      } catch (err) {
        // A dead link (403/404), or a host that no longer answers (a sandbox restarted on
        // another port, a CDN node gone): ask the task for a fresh URL once or twice.
        const refresh = isKlingError(err) ? err.kind === 'expired' || err.kind === 'network' : isNetwork(err);
        if (refresh && fresh < 2 && !this.stopped) {
          // The link died: ask the task for a fresh one.
          try {
            const t = await this.o.client.getTask(refOf(j), j.task_id as string, this.ac.signal);
            const v = t.videos[0];
            if (!v) throw new Error('the task has no video any more');
            url = v.url;
            this.store.update(j.id, token, 'downloading', { video_url: url }, 'fresh result URL');
            continue;
          } catch (e2) {
            if (isKlingError(e2) && e2.kind === 'business' && !e2.retryable) {
              this.store.transition(j.id, token, 'downloading', 'failed', { error: `the result is gone at Kling: ${e2.message}`, error_code: 'expired', fix: 'result URLs live 30 days; generate the take again', retryable: 0 }, { release: true });
              return 'stop';
            }
            return this.transient(j, token, 'downloading', e2, 'fresh URL');
          }
        }
        if (isKlingError(err) && err.kind === 'expired') {
          this.store.transition(j.id, token, 'downloading', 'failed', { error: 'the result URL keeps answering 403/404', error_code: 'expired', fix: 'result URLs live 30 days; generate the take again', retryable: 0 }, { release: true });
          return 'stop';
        }
        if (this.stopped) return 'stop';
        return this.transient(j, token, 'downloading', err, 'download');
      }
    }
  }
}

/** The task's identity for queries: the legacy standard queries per endpoint family of the model. */
function refOf(j: JobRow): TaskRef {
  return { model: j.model, kind: j.kind as VideoKind };
}

function isNetwork(err: unknown): boolean {
  const code = (err as NodeJS.ErrnoException | undefined)?.code;
  return typeof code === 'string' && /^(E[A-Z]+|UND_ERR.*)$/.test(code);
}

function fixFor(category: string): string {
  switch (category) {
    case 'auth':
      return 'check the API keys (`shotline keys list`), then retry';
    case 'account':
      return 'top up the Kling account (resource pack), then resume the batch';
    case 'permission':
      return 'this account may not use this model or feature; pick another model or upgrade';
    case 'params':
      return 'fix the shot settings in the storyboard and import it again';
    case 'policy':
      return 'change the prompt or images (content policy) and retry';
    default:
      return 'retry later';
  }
}

export function sleep(ms: number, signal?: AbortSignal): Promise<void> {
  return new Promise((resolve) => {
    if (signal?.aborted) return resolve();
    const t = setTimeout(() => {
      signal?.removeEventListener('abort', done);
      resolve();
    }, ms);
    const done = (): void => {
      clearTimeout(t);
      resolve();
    };
    signal?.addEventListener('abort', done, { once: true });
  });
}
