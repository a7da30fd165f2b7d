/**
 * Scores the PII filter on a labelled set (test/fixtures/pii/fresh.json): a detection is a true
 * positive when it overlaps a labelled span of the same kind; each labelled span counts once.
 * Used by test/unit/privacy/pii-fresh.test.ts.
 */
import { detectPii, FLAGGED_KINDS, STRUCTURED_KINDS, type PiiKind } from '../../../shared/privacy/pii';

export interface LabelledItem {
  id: string;
  lang: string;
  split: 'tune' | 'test';
  text: string;
  pii: Array<{ kind: PiiKind; start: number; end: number; text: string }>;
}

export interface Counts {
  tp: number;
  fp: number;
  fn: number;
}

export interface Score {
  prompts: number;
  per: Record<string, Counts>;
  structured: Counts;
  flagged: Counts;
  all: Counts;
  misses: string[];
  falseAlarms: string[];
}

const zero = (): Counts => ({ tp: 0, fp: 0, fn: 0 });
const add = (a: Counts, b: Counts): Counts => ({ tp: a.tp + b.tp, fp: a.fp + b.fp, fn: a.fn + b.fn });
export const recall = (c: Counts): number => (c.tp + c.fn ? c.tp / (c.tp + c.fn) : 1);
export const precision = (c: Counts): number => (c.tp + c.fp ? c.tp / (c.tp + c.fp) : 1);

export function score(items: readonly LabelledItem[], detect = (text: string) => detectPii(text)): Score {
  const per: Record<string, Counts> = {};
  for (const k of [...STRUCTURED_KINDS, ...FLAGGED_KINDS]) per[k] = zero();
  const misses: string[] = [];
  const falseAlarms: string[] = [];
  for (const item of items) {
    const expected = item.pii.map((e) => ({ ...e, hit: false }));
    for (const f of detect(item.text)) {
      const bucket = (per[f.kind] ??= zero());
      const match = expected.find((e) => e.kind === f.kind && f.start < e.end && e.start < f.end);
      if (match) {
        if (!match.hit) bucket.tp++;
        match.hit = true;
      } else {
        bucket.fp++;
        falseAlarms.push(`${item.id} ${f.kind}: "${item.text.slice(f.start, f.end)}" in "${item.text}"`);
      }
    }
    for (const e of expected.filter((x) => !x.hit)) {
      (per[e.kind] ??= zero()).fn++;
      misses.push(`${item.id} ${e.kind}: "${e.text}" in "${item.text}"`);
    }
  }
  const sum = (kinds: readonly string[]): Counts => kinds.reduce((acc, k) => add(acc, per[k] ?? zero()), zero());
  const structured = sum(STRUCTURED_KINDS);
  const flagged = sum(FLAGGED_KINDS);
  return { prompts: items.length, per, structured, flagged, all: add(structured, flagged), misses, falseAlarms };
}

export function report(name: string, s: Score): string {
  const f = (c: Counts): string =>
    `tp=${c.tp} fp=${c.fp} fn=${c.fn} recall=${recall(c).toFixed(3)} precision=${precision(c).toFixed(3)}`;
  return [
    `${name}: ${s.prompts} prompts`,
    ...Object.entries(s.per).map(([k, c]) => `  ${k.padEnd(11)} ${f(c)}`),
    `  STRUCTURED  ${f(s.structured)}`,
    `  NAMES+ADDR  ${f(s.flagged)}`,
    `  ALL         ${f(s.all)}`,
  ].join('\n');
}
