/**
 * Provider health (issue 14 item 2, docs/architecture.md, "What the queue guarantees"): one outage, one wait.
 *
 * Every Kling call reports here. A run of `threshold` (2) outage-like failures in a row (5000-5002,
 * no answer, a timeout, DNS or routing failures), across whatever jobs made them, with no
 * answer in between, means the provider is down: the engine stops submitting and polling and
 * sends one cheap probe at a growing, capped interval (first `firstProbeMs`, doubling up to
 * `maxProbeMs`, about once a minute). A probe that gets any answer ends the outage; the engine
 * then reconciles unclear creates, polls, and submits, in that order (engine.ts).
 *
 * After a wake from sleep (clock.ts) the engine is `checking`: it probes once before anything
 * else, and carries on when that probe is answered.
 */
import { isKlingError } from '../kling';

/** server: Kling answers 5000-5002; unreachable: no answer (refused, dropped, timeout); network: DNS or no route. */
export type OutageKind = 'server' | 'unreachable' | 'network';
export type HealthState = 'up' | 'down' | 'checking';

/** What an error says about the provider: an outage sign, a throttle (1302), or nothing. */
export type ErrorClass = OutageKind | 'throttle' | null;

const NETWORK_DOWN = /\b(ENOTFOUND|EAI_AGAIN|ENETUNREACH|ENETDOWN|EHOSTUNREACH|EHOSTDOWN)\b/;
const NO_ANSWER = /^(ECONNREFUSED|ECONNRESET|ECONNABORTED|ETIMEDOUT|EPIPE|ESOCKETTIMEDOUT|UND_ERR_\w+)$/;

function causeText(err: unknown): string {
  const parts: string[] = [];
  let e: unknown = err;
  for (let i = 0; i < 4 && e; i++) {
    const x = e as { code?: unknown; message?: unknown; cause?: unknown };
    if (typeof x.code === 'string') parts.push(x.code);
    if (typeof x.message === 'string') parts.push(x.message);
    e = x.cause;
  }
  return parts.join(' ');
}

/** Classifies a failed call (engine.ts judges outage-like errors by time, others by count). */
export function classifyError(err: unknown): ErrorClass {
  if (isKlingError(err)) {
    if (err.kind === 'business') {
      if (err.code !== null && err.code >= 5000 && err.code <= 5999) return 'server';
      return err.code === 1302 ? 'throttle' : null;
    }
    if (err.kind === 'network') return NETWORK_DOWN.test(causeText(err)) ? 'network' : 'unreachable';
    if (err.kind === 'timeout') return 'unreachable';
    if (err.kind === 'protocol') return err.httpStatus !== null && err.httpStatus >= 500 ? 'server' : null;
    return null;
  }
  const text = causeText(err);
  if (NETWORK_DOWN.test(text)) return 'network';
  const code = (err as NodeJS.ErrnoException | undefined)?.code;
  if (typeof code === 'string' && NO_ANSWER.test(code)) return 'unreachable';
  if ((err as Error | undefined)?.name === 'TimeoutError') return 'unreachable';
  return null;
}

export interface HealthOptions {
  /** Outage-like failures in a row that mean "down" (default 2). */
  threshold?: number;
  /** First probe after the outage starts (default 10 s); doubles per failed probe. */
  firstProbeMs?: number;
  /** Longest wait between probes (default 60 s). */
  maxProbeMs?: number;
  /** Wall clock (ms) for what people read ("since 02:14"). */
  wall?: () => number;
  /** Awake clock (ms) for the waits (clock.ts). */
  now: () => number;
}

export interface HealthSnapshot {
  state: HealthState;
  kind: OutageKind | null;
  /** Wall-clock ms of the first failure of this outage. */
  since: number | null;
  /** Wall-clock ms of the next probe. */
  nextTryAt: number | null;
  lastError: string | null;
  probes: number;
}

export class ProviderHealth {
  private readonly threshold: number;
  private readonly firstProbeMs: number;
  private readonly maxProbeMs: number;
  private readonly wall: () => number;
  private readonly now: () => number;
  private state: HealthState = 'up';
  private streak = 0;
  private streakSince: number | null = null;
  /** Awake-clock ms of the last outage-like failure. */
  private lastFailAt = -Infinity;
  private kind: OutageKind | null = null;
  private lastError: string | null = null;
  private probeWait: number;
  /** Awake-clock ms of the next probe. */
  private nextProbe = 0;
  private probes = 0;
  private since: number | null = null;

  constructor(o: HealthOptions) {
    this.threshold = o.threshold ?? 2;
    this.firstProbeMs = o.firstProbeMs ?? 10_000;
    this.maxProbeMs = Math.max(o.maxProbeMs ?? 60_000, this.firstProbeMs);
    this.wall = o.wall ?? Date.now;
    this.now = o.now;
    this.probeWait = this.firstProbeMs;
  }

  get isUp(): boolean {
    return this.state === 'up';
  }

  /**
   * Up, but the last call (within 3 s) failed like an outage: new calls wait for the ones in
   * flight to tell. Bounded, so a lone failure never stalls work behind a long poll wait.
   */
  get suspect(): boolean {
    return this.state === 'up' && this.streak > 0 && this.now() - this.lastFailAt < 3000;
  }

  get current(): HealthState {
    return this.state;
  }

  /** A call got an answer (anything but 5000-5002). Returns true when this ended an outage. */
  success(): boolean {
    this.streak = 0;
    this.streakSince = null;
    if (this.state === 'up') return false;
    this.state = 'up';
    this.kind = null;
    this.since = null;
    this.lastError = null;
    this.probes = 0;
    this.probeWait = this.firstProbeMs;
    return true;
  }

  /**
   * An outage-like failure of a call. Returns 'down' when this one starts an outage, 'still'
   * when the provider was already down or checking, and 'up' when it is not (yet) an outage.
   */
  failure(kind: OutageKind, message: string): 'down' | 'still' | 'up' {
    this.lastError = message;
    this.lastFailAt = this.now();
    if (this.state !== 'up') {
      this.kind = kind;
      return 'still';
    }
    this.streak++;
    this.streakSince ??= this.wall();
    if (this.streak < this.threshold) return 'up';
    this.state = 'down';
    this.kind = kind;
    this.since = this.streakSince;
    this.probes = 0;
    this.probeWait = this.firstProbeMs;
    this.nextProbe = this.now() + this.probeWait;
    return 'down';
  }

  /** After a wake: probe once before anything else is sent. */
  wake(): void {
    if (this.state === 'down') {
      this.nextProbe = this.now(); // probe now, keep the outage
      return;
    }
    this.state = 'checking';
    this.nextProbe = this.now();
  }

  /** A probe failed: the next one waits twice as long (capped). Returns true if this starts an outage (a failed wake check). */
  probeFailed(kind: OutageKind, message: string): boolean {
    this.probes++;
    this.lastError = message;
    this.kind = kind;
    const starts = this.state === 'checking';
    if (starts) {
      this.state = 'down';
      this.since = this.wall();
      this.probeWait = this.firstProbeMs;
    } else this.probeWait = Math.min(this.maxProbeMs, this.probeWait * 2);
    this.nextProbe = this.now() + this.probeWait;
    return starts;
  }

  /** Awake-clock ms until the next probe is due (0: now). */
  probeDueIn(): number {
    return Math.max(0, this.nextProbe - this.now());
  }

  snapshot(): HealthSnapshot {
    return {
      state: this.state,
      kind: this.kind,
      since: this.since,
      nextTryAt: this.state === 'up' ? null : this.wall() + this.probeDueIn(),
      lastError: this.lastError,
      probes: this.probes,
    };
  }
}

const hhmm = (ms: number): string => {
  const d = new Date(ms);
  return `${String(d.getHours()).padStart(2, '0')}:${String(d.getMinutes()).padStart(2, '0')}`;
};

/** "in 40 s", "in 2 min", "now". */
export function inWords(ms: number): string {
  if (ms < 1000) return 'now';
  if (ms < 90_000) return `in ${Math.round(ms / 1000)} s`;
  return `in ${Math.round(ms / 60_000)} min`;
}

/**
 * The one sentence people read (Queue page, `status`, the CLI's progress line), e.g.
 * "Kling unreachable since 02:14; next try in 40 s" or "network down since 02:14; ...".
 */
export function describeOutage(
  o: { provider: string; kind: OutageKind | null; since: number | null; nextTryAt: number | null; state?: HealthState },
  wallNow = Date.now(),
): string {
  if (o.state === 'checking') return `${o.provider}: checking the connection after a wake from sleep`;
  const since = o.since !== null ? ` since ${hhmm(o.since)}` : '';
  const what =
    o.kind === 'network'
      ? 'network down'
      : o.kind === 'server'
        ? `${o.provider} unavailable (server errors)`
        : `${o.provider} unreachable`;
  const next = o.nextTryAt !== null ? `; next try ${inWords(o.nextTryAt - wallNow)}` : '';
  return `${what}${since}${next}`;
}
