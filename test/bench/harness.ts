/**
 * A tiny side-by-side benchmark harness: every variant of a suite runs interleaved in the
 * same process, and the report gives ratios against the first (baseline) variant, so the
 * figures compare like with like on whatever machine runs them.
 */
import { performance } from 'node:perf_hooks';

export interface Variant {
  name: string;
  /** One unit of work; may be async. */
  run: () => unknown;
}

export interface Suite {
  name: string;
  /** What one iteration does, for the report. */
  unit: string;
  iterations: number;
  rounds?: number;
  setup?: () => Promise<Variant[]> | Variant[];
  teardown?: () => Promise<void> | void;
}

/**
 * For figures that are not ops/s of interchangeable variants (wall time over an ideal,
 * idle CPU, RSS): measure() runs its own side-by-side comparison and returns report lines.
 */
export interface CustomBench {
  name: string;
  measure: () => Promise<string[]>;
}

export function isCustomBench(b: Suite | CustomBench): b is CustomBench {
  return typeof (b as CustomBench).measure === 'function';
}

export interface VariantResult {
  name: string;
  opsPerSec: number;
  ratio: number;
}

async function timeOnce(v: Variant, iterations: number): Promise<number> {
  const t0 = performance.now();
  for (let i = 0; i < iterations; i++) {
    const r = v.run();
    if (r instanceof Promise) await r;
  }
  return performance.now() - t0;
}

export async function runSuite(suite: Suite): Promise<VariantResult[]> {
  const variants = (await suite.setup?.()) ?? [];
  const rounds = suite.rounds ?? 5;
  const totals = new Map<string, number>(variants.map((v) => [v.name, 0]));
  // Warm-up, then interleave rounds so drift (GC, thermal, other load) hits every variant.
  for (const v of variants) await timeOnce(v, Math.max(1, Math.floor(suite.iterations / 10)));
  for (let r = 0; r < rounds; r++) {
    for (const v of variants) totals.set(v.name, (totals.get(v.name) ?? 0) + (await timeOnce(v, suite.iterations)));
  }
  await suite.teardown?.();
  const base = variants[0] ? (totals.get(variants[0].name) ?? 1) : 1;
  return variants.map((v) => {
    const ms = totals.get(v.name) ?? 1;
    return { name: v.name, opsPerSec: (suite.iterations * rounds * 1000) / ms, ratio: base / ms };
  });
}

export function formatSuite(suite: Suite, results: VariantResult[]): string {
  const lines = [`## ${suite.name} (${suite.unit}, ${suite.iterations} x ${suite.rounds ?? 5} rounds)`];
  for (const r of results) {
    lines.push(
      `  ${r.name.padEnd(44)} ${r.opsPerSec.toFixed(0).padStart(10)} ops/s   x${r.ratio.toFixed(2)} vs ${results[0]?.name ?? '-'}`,
    );
  }
  return lines.join('\n');
}
