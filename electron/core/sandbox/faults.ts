/**
 * Fault injection (tests ask for errors, drops, delays and cut downloads on a route, a number
 * of times, at a seeded rate), kept apart from the handlers: server.ts asks `take(route)` once
 * per request and acts on what comes back.
 */
import type { Fault, FaultAction, FaultRoute } from './types';

/** Seeded PRNG (mulberry32) so fault rates are repeatable. */
export function rng(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

export class FaultBook {
  private faults: Array<Fault & { left: number }> = [];
  private readonly random: () => number;

  constructor(seed: number) {
    this.random = rng(seed);
  }

  inject(fault: Fault): void {
    this.faults.push({ ...fault, left: fault.times ?? 1 });
  }

  set(list: Fault[]): void {
    this.faults = list.map((f) => ({ ...f, left: f.times ?? 1 }));
  }

  clear(): void {
    this.faults = [];
  }

  /** The actions that hit this request (each use counts against its fault's `times`). */
  take(route: FaultRoute): FaultAction[] {
    const hit: FaultAction[] = [];
    for (const f of this.faults) {
      if (f.left <= 0) continue;
      if ((f.route ?? 'any') !== 'any' && f.route !== route) continue;
      if (f.rate !== undefined && this.random() >= f.rate) continue;
      f.left--;
      hit.push(f.action);
    }
    this.faults = this.faults.filter((f) => f.left > 0);
    return hit;
  }
}
