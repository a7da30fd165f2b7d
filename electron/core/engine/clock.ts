/**
 * Awake time for budgets and deadlines (issue 14 item 4, docs/architecture.md, "What the queue guarantees": "time asleep counts
 * against nothing"): a monotonic clock (performance.now) with every detected sleep taken out.
 *
 * A sleep shows in one of two ways, and a tick every few seconds sees either:
 * - the wall clock jumped ahead of the monotonic one (Linux and macOS: CLOCK_MONOTONIC and
 *   mach_absolute_time stop while the machine sleeps, the wall clock does not);
 * - a tick came far later than it was due (a monotonic clock that counts sleep, a process
 *   stopped with SIGSTOP, a VM paused): the lateness is taken out.
 * Either way `onWake(gapMs)` is called once, so the engine can probe before carrying on.
 */
export interface AwakeClockOptions {
  wall?: () => number;
  mono?: () => number;
  /** How often to look (default 5 s; the timer never keeps the process alive). */
  tickMs?: number;
  /** A gap of at least this much is a sleep (default 15 s). */
  minGapMs?: number;
  onWake?: (gapMs: number) => void;
}

export class AwakeClock {
  private readonly wall: () => number;
  private readonly mono: () => number;
  private readonly tickMs: number;
  private readonly minGapMs: number;
  /** Called once per sleep found, with its length. */
  onWake: ((gapMs: number) => void) | undefined;
  private lastWall: number;
  private lastMono: number;
  private slept = 0;
  private timer: NodeJS.Timeout | null = null;
  /** Sleeps seen since start (for logs and tests). */
  wakes = 0;

  constructor(o: AwakeClockOptions = {}) {
    this.wall = o.wall ?? Date.now;
    this.mono = o.mono ?? (() => performance.now());
    this.tickMs = o.tickMs ?? 5000;
    this.minGapMs = o.minGapMs ?? 15_000;
    this.onWake = o.onWake;
    this.lastWall = this.wall();
    this.lastMono = this.mono();
  }

  /**
   * Milliseconds of awake time (monotonic, minus detected sleeps); only differences mean
   * anything. A tick long overdue means a sleep just ended and its timer has not fired yet:
   * it is looked at now, so no budget is judged with the sleep still in it.
   */
  now(): number {
    const m = this.mono();
    if (this.timer && m - this.lastMono - this.tickMs >= this.minGapMs) this.check();
    return this.mono() - this.slept;
  }

  start(): void {
    if (this.timer) return;
    this.lastWall = this.wall();
    this.lastMono = this.mono();
    this.timer = setInterval(() => this.check(), this.tickMs);
    this.timer.unref();
  }

  stop(): void {
    if (this.timer) clearInterval(this.timer);
    this.timer = null;
  }

  /** One look (the timer calls it; tests call it with fake clocks). Returns the sleep found, or 0. */
  check(): number {
    const w = this.wall();
    const m = this.mono();
    const dWall = w - this.lastWall;
    const dMono = m - this.lastMono;
    this.lastWall = w;
    this.lastMono = m;
    let gap = 0;
    if (dWall - dMono >= this.minGapMs) {
      gap = dWall - dMono; // asleep while the monotonic clock stood still: nothing to take out
    } else if (dMono - this.tickMs >= this.minGapMs) {
      gap = dMono - this.tickMs; // the monotonic clock counted the sleep: take it out
      this.slept += gap;
    }
    if (gap > 0) {
      this.wakes++;
      this.onWake?.(gap);
    }
    return gap;
  }
}
