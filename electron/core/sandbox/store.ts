/**
 * The sandbox's tasks and accounts: ids, status from the sandbox clock (no timers), units
 * reserved at create and given back when a task fails (kling-api.md §12: failed tasks are not
 * charged), and the running count per account x model that 1303 is judged by (§13).
 */
import type { KlingModel } from '../../../shared/kling/capabilities';
import type { SandboxCredential } from './jwt';
import type { SandboxElement } from './elements';
import type { AccountState, SandboxAccountInit, SandboxSettings, SandboxStatus, SandboxTask } from './types';

export interface AccountRecord {
  balance: number;
  concurrency: number | undefined;
  /** Last `/account/costs` call (its 1-per-second limit). */
  lastCosts: number;
  packTime: number;
}

const round = (n: number): number => Math.round(n * 1000) / 1000;

export class TaskStore {
  readonly tasks: SandboxTask[] = [];
  /** Custom elements (elements.ts), deleted ones included (their tasks stay queryable). */
  readonly elements: SandboxElement[] = [];
  readonly credentials: Map<string, SandboxCredential>;
  readonly accounts: Map<string, AccountRecord>;
  private readonly byToken = new Map<string, SandboxTask>();
  private readonly startedAt: number;
  private seq = 0;

  constructor(
    inits: SandboxAccountInit[],
    private readonly now: () => number,
    private readonly settings: SandboxSettings,
  ) {
    this.startedAt = now();
    this.credentials = new Map(inits.map((a) => [a.accessKey, a]));
    this.accounts = new Map(
      inits.map((a) => [
        a.accessKey,
        { balance: a.balance ?? 10_000, concurrency: a.concurrency, lastCosts: -Infinity, packTime: this.startedAt },
      ]),
    );
  }

  /** 18 digits like Kling's ids: start time + sequence, unique across restarts. */
  newTaskId(): string {
    this.seq++;
    return `8${String(this.startedAt).slice(-9)}${String(this.seq).padStart(8, '0')}`;
  }

  add(t: SandboxTask): void {
    this.tasks.push(t);
    this.byToken.set(t.video.token, t);
  }

  statusOf(t: SandboxTask, at?: number): SandboxStatus {
    const n = at ?? this.now();
    if (n < t.processingAt) return 'submitted';
    if (n < t.doneAt) return 'processing';
    return t.outcome;
  }

  isRunning(t: SandboxTask): boolean {
    const s = this.statusOf(t);
    return s === 'submitted' || s === 'processing';
  }

  mine(accessKey: string): SandboxTask[] {
    return this.tasks.filter((t) => t.accessKey === accessKey);
  }

  byId(accessKey: string, id: string): SandboxTask | undefined {
    return this.tasks.find((t) => t.accessKey === accessKey && t.taskId === id);
  }

  /** External ids are unique per account across both standards (kling-api.md §5.2). */
  byExternalId(accessKey: string, externalId: string): SandboxTask | undefined {
    return this.tasks.find((t) => t.accessKey === accessKey && t.externalTaskId === externalId);
  }

  /** An element this account can use in a create: made (its task succeeded) and not deleted. */
  hasElement(accessKey: string, elementId: string): boolean {
    const n = this.now();
    return this.elements.some(
      (e) => e.accessKey === accessKey && e.elementId === elementId && e.deletedAt === null && n >= e.doneAt,
    );
  }

  byMediaToken(token: string): SandboxTask | undefined {
    return this.byToken.get(token);
  }

  account(accessKey: string): AccountRecord {
    const acc = this.accounts.get(accessKey);
    if (!acc) throw new Error(`no sandbox account ${accessKey}`);
    return acc;
  }

  concurrencyOf(accessKey: string): number {
    return this.account(accessKey).concurrency ?? this.settings.concurrency;
  }

  /** Tasks holding a slot for this account and model (kling-api.md §13: per model version). */
  running(accessKey: string, model: KlingModel): number {
    return this.mine(accessKey).filter((t) => t.model === model && this.isRunning(t)).length;
  }

  state(accessKey: string): AccountState {
    const acc = this.account(accessKey);
    const mine = this.mine(accessKey);
    const spent = mine.filter((t) => this.statusOf(t) !== 'failed').reduce((s, t) => s + t.units, 0);
    return {
      accessKey,
      balance: acc.balance,
      remaining: round(acc.balance - spent),
      concurrency: this.concurrencyOf(accessKey),
      running: mine.filter((t) => this.isRunning(t)).length,
      tasks: mine.length,
    };
  }

  /** Most tasks at once over [createdAt, doneAt) intervals; an end at the same instant frees the slot first. */
  peakRunning(accessKey: string, model?: KlingModel): number {
    const edges = this.mine(accessKey)
      .filter((t) => model === undefined || t.model === model)
      .flatMap((t) => [
        { at: t.createdAt, d: 1 },
        { at: t.doneAt, d: -1 },
      ]);
    edges.sort((a, b) => a.at - b.at || a.d - b.d);
    let cur = 0;
    let peak = 0;
    for (const e of edges) peak = Math.max(peak, (cur += e.d));
    return peak;
  }
}
