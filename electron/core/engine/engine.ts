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
 * - Outages (issue 14): errors that say "Kling or the network is not there" (5000-5002, no
 *   answer, timeouts, DNS; and 1302) never fail a job by count. A job gives up only after
 *   `transientBudgetMs` of awake time in trouble (clock.ts) and goes `blocked`, keeping its
 *   external id and reconcile state. Failures across jobs make the provider `down`
 *   (outage.ts): nothing is sent but one probe at a capped interval; on recovery unclear
 *   creates are reconciled before any new submission.
 */
import { existsSync, mkdirSync, readdirSync, rmSync } from 'node:fs';
import { basename, dirname, join } from 'node:path';

import type { ResolvedShot } from '../../../shared/storyboard/schema';
import { PREVIOUS_FRAME } from '../../../shared/storyboard/schema';
import { toVideoRequest } from '../../../shared/storyboard/validate';
import { sceneRequest, type ElementIds } from '../../../shared/storyboard/scene-request';
import { ElementsWaiting } from '../elements/runner';
import { DEFAULT_MODEL, type VideoKind } from '../../../shared/kling/capabilities';
import { checkVideoRequest, formatProblems } from '../../../shared/kling/request';
import { checkMotionReference } from '../../../shared/kling/motion-reference';
import type { KlingTask } from '../../../shared/kling/wire';
import { isKlingError, type KlingClient, type TaskRef } from '../kling';
import { lastFrame, probeRemote, splitScene, type RemoteProbe, type ToolPaths } from '../media';
import { sceneFromJobs } from '../queue/scenes';
import { externalIdFor, type JobRow, type QueueStore } from '../queue/store';
import { AwakeClock } from './clock';
import { clipPath, downloadClip } from './download';
import type { OutageLog } from './outage-log';
import {
  classifyError,
  describeOutage,
  ProviderHealth,
  type HealthOptions,
  type HealthSnapshot,
  type OutageKind,
} from './outage';
import type { VerifyLevel } from './verify';

const DAY_MS = 86_400_000;
const RESULT_TTL_MS = 30 * DAY_MS;
/** Default time a job may spend in transient trouble (awake time) before it is blocked. */
export const DEFAULT_TRANSIENT_BUDGET_MS = 12 * 3_600_000;

type BuiltRequest = { req: ReturnType<typeof toVideoRequest> } | { wait: number } | { block: string; fix: string };

/** Thrown by the call gate while the provider is down: the job waits, nothing is spent. */
class ProviderDown extends Error {
  constructor() {
    super('the provider is down; waiting for it to answer');
  }
}

export interface EngineOptions {
  store: QueueStore;
  /** Where outages are recorded (./outage-log.ts outageLog on the data dir's database). */
  outages: OutageLog;
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
  /**
   * Failures of one job that say nothing about Kling or the network (an unreadable answer, a
   * local write error) before it fails retryably. Default 8. Outage-like errors are judged by
   * `transientBudgetMs` instead, never by count.
   */
  maxTransient?: number;
  /** Awake time a job may spend in transient trouble (outages included) before it goes `blocked`. Default 12 h. */
  transientBudgetMs?: number;
  /** Outage detection and probing (outage.ts): 2 failures in a row, first probe 10 s, then at most every 60 s. */
  outage?: Omit<HealthOptions, 'now' | 'wall'>;
  /** Name for messages ("Kling", "Kling sandbox"). */
  providerLabel?: string;
  /** The provider went down, a probe failed, or it came back (CLI progress, app banner). */
  onHealth?: (h: EngineHealth) => void;
  /**
   * This machine is about to read a motion reference video from its host (a HEAD and ffprobe,
   * media/remote-probe.ts): a request that leaves the machine, so the runner writes it to the
   * Art. 30 record (privacy/audit.ts `auditFromReferenceProbe`).
   */
  onReferenceProbe?: (p: { url: string; at: number; job: JobRow }) => void;
  /** Test hook: the awake clock (default: performance.now with sleeps taken out). */
  clock?: AwakeClock;
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
  /**
   * A take's clip passed verification and is about to be `done`: its poster, filmstrip and probe
   * figures are made now (electron/core/reviews/stills.ts), so the Takes page never waits for
   * them. A failure here is logged; the take is done all the same.
   */
  onVerified?: (job: JobRow, file: string) => Promise<void>;
  /**
   * A scene take was split (issue 13 item 1): the whole scene clip, kept, and the jobs of the
   * take with their clips (privacy registers the scene file under every shot's subject).
   */
  onSceneFile?: (sceneFile: string, jobs: ReadonlyArray<{ job: JobRow; file: string }>) => void;
  /**
   * The element library (electron/core/elements, engineer E): the Kling ids of the elements a
   * job's shots name, created first if need be. Called before a job whose shots name elements
   * is submitted; absent, such a job is blocked with the fix.
   */
  elementIds?: (job: JobRow, names: readonly string[]) => Promise<ElementIds>;
}

export interface EngineStats {
  creates: number;
  throttled1303: number;
  limit: number;
  peakInFlight: number;
  /** Outages seen, probes sent, and wakes from sleep. */
  outages: number;
  probes: number;
  wakes: number;
}

export interface EngineHealth extends HealthSnapshot {
  provider: string;
  /** "Kling unreachable since 02:14; next try in 40 s", or null when up. */
  message: string | null;
}

export class Engine {
  private readonly o: Required<
    Pick<
      EngineOptions,
      'concurrency' | 'baseDelayMs' | 'maxDelayMs' | 'pollMs' | 'maxPollMs' | 'probeUpMs' | 'maxTransient'
    >
  > &
    EngineOptions;
  private readonly store: QueueStore;
  private limit: number;
  private lastThrottleAt = 0;
  /** Time of the last probe upwards, and the wait before the next (doubles when a probe hits 1303). */
  private lastProbeAt = 0;
  private probeEvery: number;
  /** Jobs counted in `inFlight` (at Kling or about to be); removed once the task has finished. */
  private readonly counted = new Set<string>();
  /** Units of takes being submitted right now (the budget check runs before the db says so). */
  private readonly reserved = new Map<string, { units: number; batch: string; group: string | null }>();
  private readonly active = new Map<string, string>(); // jobId -> claim token
  /** Learned task duration (ms) per kind/model/mode/duration, and when each live task was made. */
  private readonly durations = new Map<string, number>();
  private readonly submittedAt = new Map<string, number>();
  /** Motion references probed by this engine (one run): URL -> what Kling will find there (checkReference). */
  private readonly referenceProbes = new Map<string, Promise<RemoteProbe>>();
  /** Status queries waiting for the next grouped request (GET /tasks by ids, or a legacy list page). */
  private statusWaiters: Array<{
    ref: TaskRef;
    taskId: string;
    resolve: (t: KlingTask) => void;
    reject: (e: unknown) => void;
  }> | null = null;
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
  /** Awake time (sleep taken out) for budgets; wakes trigger one probe. */
  private readonly clock: AwakeClock;
  private readonly health: ProviderHealth;
  private readonly budgetMs: number;
  private readonly label: string;
  /** Row of the outage in progress (outage-log.ts). */
  private outageId: number | null = null;
  private probeTimer: NodeJS.Timeout | null = null;
  private probing = false;
  /** Jobs in transient trouble: awake-clock ms since which their time counts (plus jobs.transient_ms). */
  private readonly trouble = new Map<string, number>();
  /** After an outage: unclear creates to reconcile before any new submission. */
  private unclear = new Set<string>();

  constructor(opts: EngineOptions) {
    this.o = {
      concurrency: 5,
      baseDelayMs: 1000,
      maxDelayMs: 60_000,
      pollMs: 2000,
      maxPollMs: 30_000,
      probeUpMs: 60_000,
      maxTransient: 8,
      ...opts,
    };
    this.store = opts.store;
    this.limit = this.o.concurrency;
    this.probeEvery = this.o.probeUpMs;
    this.targets = opts.jobIds ? new Set(opts.jobIds) : null;
    this.stats = { creates: 0, throttled1303: 0, limit: this.limit, peakInFlight: 0, outages: 0, probes: 0, wakes: 0 };
    this.budgetMs = opts.transientBudgetMs ?? DEFAULT_TRANSIENT_BUDGET_MS;
    this.label = opts.providerLabel ?? 'Kling';
    this.clock = opts.clock ?? new AwakeClock();
    const clock = this.clock;
    this.health = new ProviderHealth({ ...opts.outage, now: () => clock.now() });
  }

  /** The provider's health now, with the sentence people read. */
  get healthNow(): EngineHealth {
    const h = this.health.snapshot();
    return {
      ...h,
      provider: this.label,
      message: h.state === 'up' ? null : describeOutage({ provider: this.label, ...h }),
    };
  }

  private log(line: string): void {
    this.o.log?.(line);
  }

  /** Releases claims of earlier instances and starts working. */
  start(): void {
    this.store.rescue(this.o.owner);
    // Creates left unclear by an earlier run (a kill during an outage) are reconciled before new ones.
    this.unclear = new Set(
      this.openTargets()
        .filter((j) => j.state === 'submitting' && j.reconcile === 1)
        .map((j) => j.id),
    );
    // A wake from sleep: probe once, then carry on (nothing is judged by the time asleep).
    this.clock.start();
    const onWake = (gap: number): void => {
      if (this.stopped) return;
      this.stats.wakes++;
      this.log(
        `awake again after ${Math.round(gap / 1000)} s asleep (not counted against any budget); checking ${this.label} once before carrying on`,
      );
      this.health.wake();
      if (this.probeTimer) clearTimeout(this.probeTimer); // the probe is due now, not when it was planned
      this.probeTimer = null;
      this.emitHealth();
      this.wake(0);
    };
    this.clock.onWake = onWake;
    this.wake(0);
  }

  async stop(): Promise<void> {
    this.stopped = true;
    this.ac.abort();
    this.clock.stop();
    if (this.timer) clearTimeout(this.timer);
    this.timer = null;
    if (this.probeTimer) clearTimeout(this.probeTimer);
    this.probeTimer = null;
    this.persistTrouble();
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
    this.timer = setTimeout(
      () => {
        this.timer = null;
        this.timerAt = Infinity;
        this.pump();
      },
      Math.max(0, ms),
    );
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
    if (!this.health.isUp) {
      // One outage, one wait: nothing but the probe goes out until it is answered.
      this.scheduleProbe();
      this.checkIdle();
      return;
    }
    if (this.health.suspect && this.active.size > 0) {
      // The last call failed like an outage: the calls in flight decide before any new one goes out.
      this.scheduleNext();
      this.wake(3000);
      return;
    }
    if (
      this.limit < this.o.concurrency &&
      this.inFlight >= this.limit &&
      now - this.lastThrottleAt >= this.probeEvery
    ) {
      this.limit++;
      this.lastThrottleAt = now;
      this.lastProbeAt = now;
      this.stats.limit = this.limit;
      this.log(`concurrency: trying ${this.limit}`);
    }
    // Work that already holds (or may hold) a Kling task first: reconciles of unclear creates,
    // polls, downloads; new submissions last, and not before every create left unclear by an
    // outage has been reconciled (issue 14: reconcile, then polls, then submissions).
    for (const state of ['submitting', 'running', 'downloading'] as const) {
      for (const id of this.store.dueJobs(state, now, 1000)) {
        if (!this.isTarget(id) || this.active.has(id)) continue;
        if (state === 'submitting' && this.inFlight >= this.limit) break;
        this.launch(id);
      }
    }
    if (this.unclear.size > 0) {
      for (const id of this.unclear) {
        const j = this.store.getJob(id);
        // A paused batch's job is not reconciled now: it must not hold up everything else.
        if (!j || j.state !== 'submitting' || j.reconcile !== 1 || this.batchPaused(j.batch_id))
          this.unclear.delete(id);
      }
      if (this.unclear.size > 0) {
        this.scheduleNext();
        return;
      }
      this.log(`unclear creates reconciled; submitting new takes again`);
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
    const n = this.store.nextDueAt();
    if (n) this.wake(Math.max(0, n - Date.now()) + 5);
    this.checkIdle();
  }

  private checkIdle(): void {
    if (this.active.size === 0 && this.idleWaiters.length > 0 && this.nothingLeft()) {
      const w = this.idleWaiters;
      this.idleWaiters = [];
      for (const r of w) r();
    }
  }

  private nothingLeft(): boolean {
    return !this.store.openUnpausedJobIds().some((id) => this.isTarget(id));
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

  // ---------------------------------------------------------------- outages (issue 14)

  /**
   * Every Kling call of a job goes through here: while the provider is down nothing is sent
   * (the job waits); an answer clears the job's trouble; an outage-like failure counts
   * towards "the provider is down".
   */
  private async call<T>(j: JobRow, fn: () => Promise<T>, o: { download?: boolean } = {}): Promise<T> {
    if (!this.health.isUp) throw new ProviderDown();
    try {
      const r = await fn();
      // A result download comes from a CDN: it says nothing about the API being back.
      if (!o.download) this.answered();
      this.clearTrouble(j.id);
      return r;
    } catch (err) {
      const c = classifyError(err);
      if (c === 'server' || c === 'unreachable' || c === 'network') this.failedCall(c, err);
      else if (isKlingError(err) && !o.download) this.answered(); // Kling answered (a refusal, a 1302, an expired link)
      throw err;
    }
  }

  private answered(): void {
    if (this.health.success()) this.recovered();
  }

  private failedCall(kind: OutageKind, err: unknown): void {
    if (this.stopped) return;
    if (this.health.failure(kind, (err as Error).message) === 'down') this.wentDown();
  }

  private openTargets(): JobRow[] {
    return this.store.openLeadJobs().filter((r) => this.isTarget(r.id));
  }

  private wentDown(): void {
    this.stats.outages++;
    const open = this.openTargets();
    const now = this.clock.now();
    for (const j of open) if (!this.trouble.has(j.id)) this.trouble.set(j.id, now);
    const h = this.healthNow;
    try {
      this.outageId = this.o.outages.open({
        provider: this.label,
        kind: h.kind ?? 'unreachable',
        since: h.since ?? Date.now(),
        nextTryAt: h.nextTryAt,
        lastError: h.lastError,
        jobs: open.length,
        batches: [...new Set(open.map((j) => j.batch_id))],
      });
    } catch (err) {
      this.log(`outage record: ${(err as Error).message}`);
    }
    this.log(
      `${h.message ?? 'down'} (${open.length} take(s) wait; nothing fails, nothing is sent until a probe is answered)`,
    );
    this.emitHealth();
    this.wake(0);
  }

  /** A probe (or any call) was answered: the outage is over. */
  private recovered(): void {
    const now = Date.now();
    if (this.outageId !== null) {
      try {
        this.o.outages.close(this.outageId, now);
      } catch (err) {
        this.log(`outage record: ${(err as Error).message}`);
      }
      this.outageId = null;
    }
    // Everything is due now; creates whose answer was lost are reconciled before new ones.
    const open = this.openTargets();
    this.unclear = new Set(open.filter((j) => j.state === 'submitting' && j.reconcile === 1).map((j) => j.id));
    this.store.dueNow(open.map((j) => j.id));
    this.log(
      `${this.label} answers again; ${this.unclear.size} unclear create(s) reconciled first, then polls, then new submissions`,
    );
    this.emitHealth();
    this.wake(0);
  }

  private emitHealth(): void {
    try {
      this.o.onHealth?.(this.healthNow);
    } catch (err) {
      this.log(`health listener: ${(err as Error).message}`);
    }
  }

  private scheduleProbe(): void {
    if (this.stopped || this.probing || this.probeTimer) return;
    this.probeTimer = setTimeout(() => {
      this.probeTimer = null;
      void this.probe();
    }, this.health.probeDueIn());
  }

  /** One cheap call (the newest task of one kind) to see whether the provider answers. */
  private async probe(): Promise<void> {
    if (this.stopped || this.health.isUp) return;
    this.probing = true;
    this.stats.probes++;
    const first = this.openTargets()[0];
    const ref: TaskRef = first ? refOf(first) : { model: DEFAULT_MODEL, kind: 'text2video' };
    try {
      await this.o.client.listTasks(ref, { pageNum: 1, pageSize: 1 }, this.ac.signal);
      this.probing = false;
      this.answered();
      return;
    } catch (err) {
      this.probing = false;
      if (this.stopped) return;
      const c = classifyError(err);
      if (c !== 'server' && c !== 'unreachable' && c !== 'network') {
        // Any other answer (a refusal, a 1302) means someone is there: carry on; the jobs meet it themselves.
        this.answered();
        return;
      }
      const starts = this.health.probeFailed(c, (err as Error).message);
      if (starts) this.wentDown();
      const h = this.healthNow;
      if (this.outageId !== null) {
        try {
          this.o.outages.update(this.outageId, {
            kind: h.kind ?? c,
            lastError: h.lastError,
            nextTryAt: h.nextTryAt,
            probes: h.probes,
          });
        } catch (e) {
          this.log(`outage record: ${(e as Error).message}`);
        }
      }
      if (!starts) {
        this.log(h.message ?? '');
        this.emitHealth();
      }
      this.checkBudgets();
      this.wake(0);
    }
  }

  /** Awake ms a job has spent in transient trouble (this run and earlier ones). */
  private troubleMs(j: JobRow): number {
    const since = this.trouble.get(j.id);
    return (j.transient_ms ?? 0) + (since === undefined ? 0 : this.clock.now() - since);
  }

  private clearTrouble(id: string): void {
    if (!this.trouble.delete(id)) return;
    this.store.clearTransientMs(id);
  }

  /** Writes every troubled job's time so far (a restart, even after kill -9, keeps most of it). */
  private persistTrouble(): void {
    if (this.trouble.size === 0) return;
    const now = this.clock.now();
    try {
      this.store.addTransientMs([...this.trouble].map(([id, since]) => [id, now - since] as const));
      for (const id of this.trouble.keys()) this.trouble.set(id, now);
    } catch (err) {
      this.log(`transient time: ${(err as Error).message}`);
    }
  }

  /** During an outage: jobs past their budget go `blocked` (the others keep waiting). */
  private checkBudgets(): void {
    this.persistTrouble();
    for (const id of [...this.trouble.keys()]) {
      if (this.active.has(id)) continue;
      const j = this.store.getJob(id);
      if (!j || !['queued', 'submitting', 'running', 'downloading'].includes(j.state)) {
        this.trouble.delete(id);
        continue;
      }
      if (this.troubleMs(j) < this.budgetMs) continue;
      const claimed = this.store.claim(id, this.o.owner);
      if (!claimed?.claim_token) continue;
      if (
        !this.blockForBudget(
          claimed,
          claimed.claim_token,
          claimed.state as 'queued' | 'submitting' | 'running' | 'downloading',
        )
      )
        this.store.release(id, claimed.claim_token);
    }
  }

  private blockForBudget(
    j: JobRow,
    token: string,
    state: 'queued' | 'submitting' | 'running' | 'downloading',
    last?: string,
  ): boolean {
    const h = this.healthNow;
    const hours = (ms: number): string =>
      ms >= 3_600_000 ? `${(ms / 3_600_000).toFixed(1).replace(/\.0$/, '')} h` : `${Math.round(ms / 60_000)} min`;
    const why = h.message ? h.message.replace(/; next try.*$/, '') : (last ?? 'transient errors');
    const spent = Math.round(this.troubleMs(j));
    this.trouble.delete(j.id);
    // External id, task id and reconcile flag stay: the next run reconciles or polls, never pays twice.
    const ok = this.store.transition(
      j.id,
      token,
      state,
      'blocked',
      {
        transient_ms: spent,
        error: `waited ${hours(this.budgetMs)} for ${this.label} (${why}); gave up for now`,
        error_code: 'transient_budget',
        fix: `run again once ${this.label} answers (the same \`shotline run\`, or Retry in the app): it resumes and never pays twice; the wait is --transient-budget (default 12h)`,
        retryable: 1,
        next_at: null,
      },
      { release: true },
    );
    if (ok)
      this.log(`${j.shot_id} take ${j.take}: blocked after ${hours(this.budgetMs)} of transient trouble (${why})`);
    return ok;
  }

  /** Runs one job as far as it can go now; waits (timers) while polling. */
  private async drive(job: JobRow, token: string): Promise<void> {
    let j: JobRow | undefined = job;
    while (j && !this.stopped) {
      if (!this.health.isUp) return; // an outage began: the job waits where it is (claim released by launch)
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
      return this.store.transition(j.id, token, 'queued', 'running', { next_at: null })
        ? this.reload(j.id, token)
        : 'stop';
    }
    // Unclear earlier submission: reconcile first (it goes through `submitting`).
    if (j.reconcile === 1 || j.submits > 0) {
      return this.store.transition(j.id, token, 'queued', 'submitting', { reconcile: 1 }, { durable: true })
        ? this.reload(j.id, token)
        : 'stop';
    }
    return this.sendCreate(j, token, 'queued');
  }

  /**
   * Two caps: the run's (--budget, over the jobs this engine targets) and the batch's own (set
   * on the Batch page, over that batch's jobs). The first one this take would pass, or null.
   */
  private overBudget(j: JobRow, need: number): { cap: number; committed: number; what: string } | null {
    const caps: { cap: number; committed: number; what: string }[] = [];
    if (this.o.budgetUnits !== undefined && this.o.budgetUnits !== null) {
      caps.push({ cap: this.o.budgetUnits, committed: this.committedUnits(j), what: '--budget' });
    }
    const batchCap = this.batchBudget(j.batch_id);
    if (batchCap !== null)
      caps.push({ cap: batchCap, committed: this.committedUnits(j, j.batch_id), what: 'the batch budget' });
    return caps.find((c) => c.committed + need > c.cap + 1e-9) ?? null;
  }

  /** Units one submission of the job costs: a scene's lead pays for the whole scene (one task, one charge). */
  private unitsToSubmit(j: JobRow): number {
    if (j.scene_role !== 'lead' || !j.scene_group) return j.units;
    return this.store.sceneJobs(j.scene_group).reduce((a, r) => a + r.units, 0);
  }

  /**
   * Units spent or in flight, except the job asking (and its scene take): of the targeted jobs,
   * or of one batch's jobs. A scene take reserved right now counts once, by its reservation.
   */
  private committedUnits(except: JobRow, batchId?: string): number {
    const rows = batchId
      ? this.store.committedUnitRows(batchId)
      : this.store.committedUnitRows().filter((r) => this.isTarget(r.id));
    const reservedGroups = new Set(
      [...this.reserved.values()].map((r) => r.group).filter((g): g is string => g !== null),
    );
    let sum = 0;
    for (const r of rows) {
      if (r.id === except.id || this.reserved.has(r.id)) continue;
      if (r.g !== null && (r.g === except.scene_group || reservedGroups.has(r.g))) continue;
      sum += r.u;
    }
    for (const [id, r] of this.reserved)
      if (id !== except.id && (batchId === undefined || r.batch === batchId)) sum += r.units;
    return sum;
  }

  private batchPaused(batchId: string): boolean {
    return this.store.batchPaused(batchId);
  }

  private batchBudget(batchId: string): number | null {
    return this.store.batchBudget(batchId);
  }

  private async reconcileOrSubmit(j: JobRow, token: string): Promise<JobRow | 'stop'> {
    if (j.reconcile === 1) {
      let found: KlingTask | null = null;
      try {
        const job = j;
        found = await this.call(job, () =>
          this.o.client.findByExternalId(refOf(job), job.external_task_id, this.ac.signal),
        );
      } catch (err) {
        return this.transient(j, token, 'submitting', err, 'reconcile');
      }
      if (found) {
        this.log(
          `${j.shot_id} take ${j.take}: found task ${found.taskId} for ${j.external_task_id}; adopted, not resubmitted`,
        );
        this.store.noteAttemptTask(j.id, j.external_task_id, found.taskId);
        const ok = this.store.transition(
          j.id,
          token,
          'submitting',
          'running',
          { task_id: found.taskId, reconcile: 0, next_at: null, transient_failures: 0 },
          { detail: 'reconciled: adopted existing task' },
        );
        return ok ? this.reload(j.id, token) : 'stop';
      }
      if (!this.store.update(j.id, token, 'submitting', { reconcile: 0 }, 'reconciled: no task with this external id'))
        return 'stop';
      j = this.store.getJob(j.id) as JobRow;
    }
    return this.sendCreate(j, token, 'submitting');
  }

  private async buildRequest(j: JobRow, token: string): Promise<BuiltRequest> {
    void token;
    if (j.scene_role === 'lead') return this.buildSceneRequest(j);
    const shot = JSON.parse(j.spec) as ResolvedShot;
    let prompt = shot.prompt;
    let negativePrompt = shot.negativePrompt;
    if (this.o.filterPrompt) {
      for (const field of ['prompt', 'negativePrompt'] as const) {
        const text = field === 'prompt' ? prompt : negativePrompt;
        if (!text) continue;
        const f = this.o.filterPrompt(text, j);
        if (f.blocked)
          return {
            block: `the ${field === 'prompt' ? 'prompt' : 'negative prompt'} contains personal data (${f.reason ?? 'PII'}); the PII mode is "block"`,
            fix: 'remove the personal data, or choose mask for this batch (Batch page) or in Settings',
          };
        if (field === 'prompt') prompt = f.text;
        else negativePrompt = f.text;
      }
    }
    let startImage: string | undefined;
    if (shot.startImage === PREVIOUS_FRAME) {
      const frame = await this.previousFrame(j);
      if (!('png' in frame)) return frame;
      startImage = frame.png;
    }
    let elements: ElementIds | undefined;
    if (shot.elements?.length) {
      const ids = await this.elementIdsOf(j, shot.elements, `shot ${shot.id}`);
      if (!('ids' in ids)) return ids;
      elements = ids.ids;
    }
    if (shot.motionReference && shot.characterOrientation) {
      const bad = await this.checkReference(j, shot.id, shot.motionReference, shot.characterOrientation);
      if (bad) return bad;
    }
    return {
      req: toVideoRequest(shot, j.external_task_id, {
        prompt,
        ...(negativePrompt ? { negativePrompt } : {}),
        ...(startImage ? { startImage } : {}),
        ...(elements ? { elements } : {}),
      }),
    };
  }

  /**
   * The element library's hook (engineer E, electron/core/elements): Kling ids of the elements a
   * job names, created first if need be; still being created -> the job waits (not failed).
   */
  private async elementIdsOf(
    j: JobRow,
    names: readonly string[],
    where: string,
  ): Promise<{ ids: ElementIds } | { wait: number } | { block: string; fix: string }> {
    if (!this.o.elementIds)
      return {
        block: `${where}: names elements (${names.join(', ')}) but this engine has no element library`,
        fix: 'run it from the app or `shotline run`, which create elements at Kling first',
      };
    try {
      return { ids: await this.o.elementIds(j, names) };
    } catch (err) {
      if (err instanceof ElementsWaiting) return { wait: Math.max(err.waitMs, this.o.pollMs, 500) };
      return {
        block: `${where}: ${(err as Error).message}`,
        fix: 'fix the element in the storyboard (or on the Elements page) and retry',
      };
    }
  }

  /**
   * One take of a multi-shot scene (issue 13 item 1) as ONE request (shared/storyboard/
   * scene-request.ts): the shots come from the jobs' own copies (a prompt changed for a retry
   * counts), each prompt passes the PII filter, "@previous" on the first shot takes the previous
   * shot's last frame (also when that shot is in another scene), and the element library gives
   * the Kling ids of the elements the shots name.
   */
  private async buildSceneRequest(j: JobRow): Promise<BuiltRequest> {
    const jobs = this.store.sceneJobs(j.scene_group as string);
    const shots = jobs.map((x) => JSON.parse(x.spec) as ResolvedShot);
    const scene = sceneFromJobs(j.scene_id as string, shots);
    const prompts: Record<string, string> = {};
    for (const [i, shot] of shots.entries()) {
      if (!this.o.filterPrompt) break;
      const f = this.o.filterPrompt(shot.prompt, jobs[i] as JobRow);
      if (f.blocked) {
        return {
          block: `scene ${scene.id}, shot ${shot.id}: the prompt contains personal data (${f.reason ?? 'PII'}); the PII mode is "block" (a scene is one request: none of its shots was sent)`,
          fix: 'remove the personal data, or choose mask for this batch (Batch page) or in Settings',
        };
      }
      prompts[shot.id] = f.text;
    }
    let startImage: string | undefined;
    if (shots[0]?.startImage === PREVIOUS_FRAME) {
      const frame = await this.previousFrame(j);
      if (!('png' in frame)) return frame;
      startImage = frame.png;
    }
    const names = [...new Set(shots.flatMap((s) => s.elements ?? []))];
    let elements: ElementIds | undefined;
    if (names.length > 0) {
      const ids = await this.elementIdsOf(j, names, `scene ${scene.id}`);
      if (!('ids' in ids)) return ids;
      elements = ids.ids;
    }
    try {
      return {
        req: sceneRequest(scene, shots, j.external_task_id, {
          prompts,
          ...(startImage ? { startImage } : {}),
          ...(elements ? { elements } : {}),
        }),
      };
    } catch (err) {
      return { block: (err as Error).message, fix: 'fix the scene in the storyboard and import it again' };
    }
  }

  /**
   * A motion shot's reference video as Kling will fetch it (kling-api.md §5.6): probed once per
   * URL per engine (media/remote-probe.ts), judged by shared/kling/motion-reference.ts; a reference
   * Kling would refuse, or cannot fetch, blocks the take before anything is sent or paid.
   */
  private async checkReference(
    j: JobRow,
    shotId: string,
    url: string,
    orientation: 'image' | 'video',
  ): Promise<{ block: string; fix: string } | null> {
    let probed = this.referenceProbes.get(url);
    if (!probed) {
      this.o.onReferenceProbe?.({ url, at: Date.now(), job: j });
      probed = probeRemote(url, this.o.tools ?? {});
      this.referenceProbes.set(url, probed);
    }
    const r = await probed;
    // A host that did not answer is asked again by the next take (it may be back); a probed file is kept.
    if (!r.ok && this.referenceProbes.get(url) === probed) this.referenceProbes.delete(url);
    if (!r.ok)
      return {
        block: `shot ${shotId}, motionReference: the reference video could not be read (${r.why})`,
        fix: 'Kling must be able to fetch it: check the URL opens in a browser',
      };
    const bad = checkMotionReference(r.facts, orientation);
    return bad ? { block: `shot ${shotId}, motionReference: ${bad.message}`, fix: bad.fix } : null;
  }

  /** "@previous": the previous shot's last frame as a PNG (extracted once and kept), or wait, or why not. */
  private async previousFrame(j: JobRow): Promise<{ png: string } | { wait: number } | { block: string; fix: string }> {
    const prev = this.previousTake(j);
    if (prev === 'wait') return { wait: Math.max(this.o.pollMs, 500) };
    if (prev === null)
      return {
        block: 'startImage "@previous": the previous shot has no successful take',
        fix: 'retry the previous shot, or give this shot its own start image',
      };
    if ('removed' in prev) {
      const kept = join(this.o.dataDir, 'frames', `${j.storyboard_id}`, `${j.shot_id}_from_${prev.removed.id}.png`);
      if (!existsSync(kept)) {
        return {
          block: `startImage "@previous": the previous shot's take (${prev.removed.shot_id} take ${prev.removed.take}) was removed from disk (retention or by hand), so its last frame cannot be taken`,
          fix: 'Re-roll the previous shot, or give this shot its own start image',
        };
      }
      return { png: kept };
    }
    const png = join(this.o.dataDir, 'frames', `${j.storyboard_id}`, `${j.shot_id}_from_${prev.id}.png`);
    if (!existsSync(png)) {
      mkdirSync(join(this.o.dataDir, 'frames', j.storyboard_id), { recursive: true });
      await lastFrame(prev.file as string, png, this.o.tools ?? {});
    }
    return { png };
  }

  /** The previous shot's first done take; 'wait' while it may still come; null if it never will. */
  private previousTake(j: JobRow): JobRow | 'wait' | null | { removed: JobRow } {
    const prev = this.store.previousShotId(j.shot_pk);
    if (prev === null) return null;
    const jobs = this.store.jobsOfShot(j.storyboard_id, prev);
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
      const unreachable = checkVideoRequest(built.req, { standard: this.o.client.standard }).filter(
        (p) => p.field === 'model',
      );
      if (unreachable.length) {
        this.store.transition(
          j.id,
          token,
          from,
          'blocked',
          {
            error: formatProblems(unreachable),
            error_code: 'credential',
            fix: 'use an API-key profile (shotline keys set --api-key, or Settings > Keys), or a model the key reaches',
            retryable: 1,
          },
          { release: true },
        );
        return 'stop';
      }
      // The budget check runs once the request is ready (a take blocked for its prompt costs
      // nothing) and, with the reservation, synchronously up to the durable `submitting`.
      const need = this.unitsToSubmit(j);
      const over = this.overBudget(j, need);
      if (over) {
        this.log(`${j.shot_id} take ${j.take}: not submitted, ${over.what} of ${over.cap} units would be passed`);
        this.store.transition(
          j.id,
          token,
          from,
          'blocked',
          {
            error: `budget cap reached: ${over.committed} units committed, this take needs ${need} more${j.scene_id ? ` (the whole scene ${j.scene_id}: one task)` : ''} (cap ${over.cap})`,
            error_code: 'budget',
            // Words for where the cap was set: the CLI's --budget, or the app's Batch page.
            fix:
              over.what === '--budget'
                ? 'raise --budget and run again (nothing done is paid twice)'
                : 'raise the Budget cap on the Batch page and press Queue again: the blocked takes join the new batch, nothing done is paid twice (CLI: --budget)',
            retryable: 1,
          },
          { release: true },
        );
        return 'stop';
      }
      this.reserved.set(j.id, { units: need, batch: j.batch_id, group: j.scene_group });
    }
    if ('wait' in built) {
      // Stop either way: the job waits (or another writer took it).
      this.store.transition(j.id, token, from, from === 'queued' ? 'queued' : 'submitting', {
        next_at: Date.now() + built.wait,
      });
      return 'stop';
    }
    if ('block' in built) {
      this.store.transition(
        j.id,
        token,
        from,
        'blocked',
        { error: built.block, error_code: 'input', fix: built.fix, retryable: 0 },
        { release: true },
      );
      return 'stop';
    }
    if (!this.health.isUp) {
      this.reserved.delete(j.id);
      return 'stop'; // an outage began while the request was built: wait, nothing was sent
    }
    // The record of an intent to pay: durable before the POST.
    if (
      !this.store.transition(
        j.id,
        token,
        from,
        'submitting',
        { submits: j.submits + 1, reconcile: 1, next_at: null },
        { durable: true, detail: j.external_task_id },
      )
    )
      return 'stop';
    this.store.startAttempt(j.id, j.attempts + 1, j.external_task_id);
    this.stats.creates++;
    let task: KlingTask;
    try {
      task = await this.call(j, () => this.o.client.createTask(built.req, this.ac.signal));
    } catch (err) {
      return this.createFailed(j, token, err);
    }
    this.store.noteAttemptTask(j.id, j.external_task_id, task.taskId);
    // Kling's own creation time when our clock agrees with it (within 5 s), else ours.
    const now = Date.now();
    this.submittedAt.set(j.id, task.createdAt && Math.abs(task.createdAt - now) < 5000 ? task.createdAt : now);
    const ok = this.store.transition(
      j.id,
      token,
      'submitting',
      'running',
      { task_id: task.taskId, reconcile: 0, transient_failures: 0, next_at: null },
      { detail: task.taskId },
    );
    return ok ? this.reload(j.id, token) : 'stop';
  }

  private createFailed(j: JobRow, token: string, err: unknown): JobRow | 'stop' {
    if (err instanceof ProviderDown) return this.transient(j, token, 'submitting', err, 'create');
    if (isKlingError(err) && err.kind === 'business') {
      const code = err.code ?? 0;
      // A clear refusal: no task was made.
      if (code === 1303 || code === 1302) {
        this.store.endAttempt(j.id, j.external_task_id, 'throttled', { errorCode: String(code), error: err.message });
        if (code === 1303) {
          this.stats.throttled1303++;
          const now = Date.now();
          // A probe upwards that hit the limit: wait twice as long before the next one.
          if (this.lastProbeAt > 0 && now - this.lastProbeAt < this.probeEvery)
            this.probeEvery = Math.min(this.probeEvery * 2, 30 * 60_000);
          this.lastThrottleAt = now;
          const learned = Math.max(1, this.inFlight - 1);
          if (learned < this.limit) {
            this.limit = learned;
            this.stats.limit = learned;
            this.log(`concurrency: the account allows about ${learned} tasks at once (1303); lowered`);
          }
        }
        const delay =
          code === 1302 ? this.backoff(j.transient_failures + 1) : Math.max(this.o.baseDelayMs, this.o.pollMs / 2);
        // A throttled create made nothing at Kling: `submits` goes back to its count before this
        // try (`j` was read before the durable +1 above), so the next try is not a reconcile.
        this.store.transition(
          j.id,
          token,
          'submitting',
          'queued',
          { reconcile: 0, submits: j.submits, next_at: Date.now() + delay },
          { detail: `throttled ${code}`, release: true },
        );
        this.markNoTask(j.id);
        return 'stop';
      }
      if (code >= 5000) {
        return this.transient(j, token, 'submitting', err, 'create'); // may or may not exist: reconcile
      }
      // Parameters, policy, auth, balance: a person must act. Nothing was created.
      this.store.endAttempt(j.id, j.external_task_id, 'refused', { errorCode: String(code), error: err.message });
      const to = err.needsUser ? 'blocked' : 'failed';
      this.store.transition(
        j.id,
        token,
        'submitting',
        to,
        { reconcile: 0, error: err.message, error_code: String(code), fix: fixFor(err.category), retryable: 0 },
        { release: true },
      );
      if (err.category === 'account') this.store.setPaused(j.batch_id, true, err.message);
      return 'stop';
    }
    if (isKlingError(err) || isNetwork(err)) return this.transient(j, token, 'submitting', err, 'create');
    // Local problems (image files, matrix): the request can never be sent as is.
    this.store.endAttempt(j.id, j.external_task_id, 'refused', { error: (err as Error).message });
    this.store.transition(
      j.id,
      token,
      'submitting',
      'failed',
      {
        reconcile: 0,
        error: (err as Error).message,
        error_code: 'local',
        fix: 'fix the storyboard and import it again',
        retryable: 0,
      },
      { release: true },
    );
    return 'stop';
  }

  /** After a clear refusal the external id is unused: the next submit may use it directly. */
  private markNoTask(id: string): void {
    this.store.markNoTask(id);
  }

  /** Retryable failure: back off (state kept; a submitting job reconciles first). */
  private transient(
    j: JobRow,
    token: string,
    state: 'submitting' | 'running' | 'downloading',
    err: unknown,
    what: string,
  ): 'stop' {
    if (err instanceof ProviderDown) {
      // The provider went down under this job: it waits for the outage to end, spending nothing.
      if (!this.trouble.has(j.id)) this.trouble.set(j.id, this.clock.now());
      this.store.transition(
        j.id,
        token,
        state,
        state,
        { next_at: null },
        { release: true, event: 'wait', detail: 'provider down' },
      );
      return 'stop';
    }
    const n = j.transient_failures + 1;
    const msg = `${what}: ${(err as Error).message}`;
    if (state === 'submitting')
      this.store.endAttempt(j.id, j.external_task_id, 'unclear', {
        errorCode: isKlingError(err) ? String(err.code ?? err.kind) : 'network',
        error: msg,
      });
    // Kling or the network not there (or throttling): judged by time, never by count.
    const byTime = classifyError(err) !== null;
    let spent = j.transient_ms;
    if (byTime) {
      if (!this.trouble.has(j.id)) this.trouble.set(j.id, this.clock.now());
      spent = Math.round(this.troubleMs(j));
      if (spent >= this.budgetMs) {
        this.blockForBudget(j, token, state, msg);
        return 'stop';
      }
      this.trouble.set(j.id, this.clock.now()); // counted up to now in transient_ms below
    } else if (n > this.o.maxTransient) {
      this.store.transition(
        j.id,
        token,
        state,
        'failed',
        {
          error: msg,
          error_code: 'transient',
          fix: 'the same error kept coming back; run again later (nothing is resubmitted that exists)',
          retryable: 1,
        },
        { release: true },
      );
      return 'stop';
    }
    const delay = this.backoff(n);
    this.log(`${j.shot_id} take ${j.take}: ${msg}; retry in ${(delay / 1000).toFixed(1)} s`);
    this.store.transition(
      j.id,
      token,
      state,
      state,
      {
        transient_failures: n,
        transient_ms: spent,
        next_at: Date.now() + delay,
        ...(state === 'submitting' ? { reconcile: 1 } : {}),
        error: msg,
      },
      { release: true, event: 'retry' },
    );
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
      listed = await this.o.client.getTasks(
        waiting.map((w) => ({ ref: w.ref, taskId: w.taskId })),
        this.ac.signal,
      );
    } catch (err) {
      // Kling or the network is not there: every waiter gets that answer (no burst of single queries).
      const c = classifyError(err);
      if (c === 'server' || c === 'unreachable' || c === 'network') {
        for (const w of waiting) w.reject(err);
        return;
      }
      waiting.forEach(single); // the list failed otherwise: ask one by one (their own errors count)
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
    // A scene's task runs for the whole scene's length.
    const duration = j.scene_group
      ? `scene ${this.store.sceneJobs(j.scene_group).reduce((a, r) => a + (JSON.parse(r.spec) as ResolvedShot).duration, 0)}`
      : shot.duration;
    return `${j.kind}|${j.model}|${shot.resolution}|${shot.audio}|${duration}`;
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
        const job = j;
        task = await this.call(job, () => this.queryTask(refOf(job), job.task_id as string, pooled));
      } catch (err) {
        if (isKlingError(err) && err.kind === 'business' && err.needsUser && err.code !== null && err.code < 1300) {
          this.store.transition(
            j.id,
            token,
            'running',
            'blocked',
            { error: err.message, error_code: String(err.code), fix: fixFor(err.category), retryable: 0 },
            { release: true },
          );
          return 'stop';
        }
        return this.transient(j, token, 'running', err, 'query');
      }
      started ??= task.createdAt ?? Date.now();
      if (task.status === 'succeed') {
        this.learnDuration(
          key,
          task.createdAt && task.updatedAt ? task.updatedAt - task.createdAt : Date.now() - started,
        );
        this.submittedAt.delete(j.id);
        const v = task.videos[0];
        if (!v) {
          this.store.transition(
            j.id,
            token,
            'running',
            'failed',
            { error: 'Kling reported success without a video', error_code: 'no_video', retryable: 1 },
            { release: true },
          );
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
    // A scene's lead downloads the whole scene clip (kept), then cuts it into its shots' clips.
    const scene = j.scene_role === 'lead';
    const file = clipPath(
      this.o.dataDir,
      j.storyboard_id,
      scene ? `${j.scene_id ?? 'scene'}.scene` : j.shot_id,
      j.take,
      j.task_id as string,
    );
    let url = j.video_url as string;
    for (let fresh = 0; ; fresh++) {
      try {
        const r = await this.call(
          j,
          () =>
            downloadClip({
              client: this.o.client,
              url,
              file,
              expectDurationS: j.video_duration,
              ...(this.o.tools ? { tools: this.o.tools } : {}),
              signal: this.ac.signal,
              ...(this.o.write ? { write: this.o.write } : {}),
              ...(this.o.verify ? { verify: this.o.verify } : {}),
            }),
          { download: true },
        );
        if (scene) return await this.splitScene(j, token, r.file);
        await this.verified(j, r.file);
        const ok = this.store.transition(
          j.id,
          token,
          'downloading',
          'done',
          {
            file: r.file,
            next_at: null,
            error: null,
            error_code: null,
            transient_failures: 0,
            attempts: j.attempts + 1,
          },
          { release: true, detail: r.file },
        );
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
        if (err instanceof ProviderDown) return this.transient(j, token, 'downloading', err, 'download');
        const refresh = isKlingError(err) ? err.kind === 'expired' || err.kind === 'network' : isNetwork(err);
        if (refresh && fresh < 2 && !this.stopped) {
          // The link died: ask the task for a fresh one.
          try {
            const t = await this.call(j, () => this.o.client.getTask(refOf(j), j.task_id as string, this.ac.signal));
            const v = t.videos[0];
            if (!v) throw new Error('the task has no video any more');
            url = v.url;
            this.store.update(j.id, token, 'downloading', { video_url: url }, 'fresh result URL');
            continue;
          } catch (e2) {
            if (isKlingError(e2) && e2.kind === 'business' && !e2.retryable) {
              this.store.transition(
                j.id,
                token,
                'downloading',
                'failed',
                {
                  error: `the result is gone at Kling: ${e2.message}`,
                  error_code: 'expired',
                  fix: 'result URLs live 30 days; generate the take again',
                  retryable: 0,
                },
                { release: true },
              );
              return 'stop';
            }
            return this.transient(j, token, 'downloading', e2, 'fresh URL');
          }
        }
        if (isKlingError(err) && err.kind === 'expired') {
          this.store.transition(
            j.id,
            token,
            'downloading',
            'failed',
            {
              error: 'the result URL keeps answering 403/404',
              error_code: 'expired',
              fix: 'result URLs live 30 days; generate the take again',
              retryable: 0,
            },
            { release: true },
          );
          return 'stop';
        }
        if (this.stopped) return 'stop';
        return this.transient(j, token, 'downloading', err, 'download');
      }
    }
  }

  /** The onVerified hook (stills at verify time); its failure never fails the take. */
  private async verified(j: JobRow, file: string): Promise<void> {
    if (!this.o.onVerified) return;
    try {
      await this.o.onVerified(j, file);
    } catch (err) {
      this.log(`${j.shot_id} take ${j.take}: no poster for ${basename(file)}: ${(err as Error).message}`);
    }
  }

  /**
   * A scene take's clip is downloaded and verified: cut it into one clip per shot at the
   * declared boundaries, exact to the frame (media/split.ts; every clip decoded and counted),
   * then every job of the take goes `done` with its own clip in one transaction. A failed split
   * fails the take retryably and keeps the scene clip (a retry splits again; nothing is generated again).
   */
  private async splitScene(j: JobRow, token: string, sceneFile: string): Promise<'stop'> {
    const jobs = this.store.sceneJobs(j.scene_group as string);
    const durations = jobs.map((x) => (JSON.parse(x.spec) as ResolvedShot).duration);
    const names = jobs.map((x) =>
      basename(clipPath(this.o.dataDir, x.storyboard_id, x.shot_id, x.take, j.task_id as string)),
    );
    let clips: string[];
    this.log(`scene ${j.scene_id ?? ''} take ${j.take}: splitting the scene clip into ${jobs.length} shots`);
    removeSplitLeftovers(dirname(sceneFile), names);
    try {
      const split = await splitScene(sceneFile, durations, {
        outDir: dirname(sceneFile),
        names,
        ...(this.o.tools ?? {}),
        signal: this.ac.signal,
      });
      clips = split.shots.map((s) => s.file);
    } catch (err) {
      if (this.stopped) return 'stop';
      const msg = (err as Error).message;
      this.log(`scene ${j.scene_id ?? ''} take ${j.take}: split failed: ${msg}`);
      this.store.transition(
        j.id,
        token,
        'downloading',
        'failed',
        {
          error: `the scene clip could not be cut into its ${jobs.length} shots: ${msg}`,
          error_code: 'split',
          fix: `the scene clip is kept (${sceneFile}); retry the take: it is split again, not generated again`,
          retryable: 1,
          next_at: null,
        },
        { release: true },
      );
      return 'stop';
    }
    const byJob = new Map(jobs.map((x, i) => [x.id, clips[i] as string]));
    for (const x of jobs) await this.verified(x, byJob.get(x.id) as string);
    if (!this.store.completeScene(j.id, token, byJob, sceneFile)) return 'stop';
    const done = jobs.map((x) => ({ job: x, file: byJob.get(x.id) as string }));
    for (const d of done) {
      try {
        this.o.onClip?.(d.job, d.file);
      } catch (err) {
        this.log(`register ${d.file}: ${(err as Error).message}`);
      }
    }
    try {
      this.o.onSceneFile?.(sceneFile, done);
    } catch (err) {
      this.log(`register ${sceneFile}: ${(err as Error).message}`);
    }
    for (const b of new Set(jobs.map((x) => x.batch_id))) this.store.finishIfIdle(b);
    return 'stop';
  }
}

/**
 * Clips a split killed mid-way left under their temporary names (media/split.ts writes
 * `.<name>.<pid>.part.mp4` and renames at the end): gone before the split is done again.
 */
function removeSplitLeftovers(dir: string, names: readonly string[]): void {
  let entries: string[];
  try {
    entries = readdirSync(dir);
  } catch {
    return;
  }
  for (const e of entries) {
    if (names.some((n) => e.startsWith(`.${n}.`) && /^\.\d+\.part\.mp4$/.test(e.slice(n.length + 1))))
      rmSync(join(dir, e), { force: true });
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
      return 'check the key profile (Settings > Key profiles > Test; CLI: `shotline keys list`), then retry';
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
