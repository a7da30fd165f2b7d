/**
 * Recall and precision of the PII filter on the labelled prompt set
 * (test/fixtures/pii/prompts.json: PII in many formats and languages, and look-alikes).
 * A detection counts as a true positive when it overlaps a labelled span of the same kind.
 */
import { describe, expect, it } from 'vitest';

import { detectPii, type PiiKind } from '../../../shared/privacy/pii';
import set from '../../fixtures/pii/prompts.json' with { type: 'json' };

interface Item {
  text: string;
  lang: string;
  pii: Array<{ kind: PiiKind; text: string }>;
}

const STRUCTURED: PiiKind[] = ['email', 'phone', 'card', 'iban'];

function evaluate(kinds: PiiKind[]) {
  const per: Record<string, { tp: number; fp: number; fn: number }> = {};
  const misses: string[] = [];
  const falseAlarms: string[] = [];
  for (const k of kinds) per[k] = { tp: 0, fp: 0, fn: 0 };
  for (const item of set.items as Item[]) {
    const expected = item.pii
      .filter((e) => kinds.includes(e.kind))
      .map((e) => ({
        ...e,
        start: item.text.indexOf(e.text),
        end: item.text.indexOf(e.text) + e.text.length,
        hit: false,
      }));
    const found = detectPii(item.text, { terms: set.terms, kinds });
    for (const f of found) {
      const match = expected.find((e) => e.kind === f.kind && f.start < e.end && e.start < f.end);
      const bucket = per[f.kind];
      if (!bucket) continue;
      if (match) {
        if (!match.hit) bucket.tp++;
        match.hit = true;
      } else {
        bucket.fp++;
        falseAlarms.push(`${f.kind}: "${item.text.slice(f.start, f.end)}" in "${item.text}"`);
      }
    }
    for (const e of expected.filter((x) => !x.hit)) {
      const bucket = per[e.kind];
      if (bucket) bucket.fn++;
      misses.push(`${e.kind}: "${e.text}" in "${item.text}"`);
    }
  }
  const sum = Object.values(per).reduce((a, b) => ({ tp: a.tp + b.tp, fp: a.fp + b.fp, fn: a.fn + b.fn }), {
    tp: 0,
    fp: 0,
    fn: 0,
  });
  return {
    per,
    recall: sum.tp / (sum.tp + sum.fn),
    precision: sum.tp / (sum.tp + sum.fp),
    sum,
    misses,
    falseAlarms,
  };
}

describe('PII filter on the labelled prompt set', () => {
  it('has at least 200 prompts, with PII and look-alikes', () => {
    const items = set.items as Item[];
    expect(items.length).toBeGreaterThanOrEqual(200);
    expect(items.filter((i) => i.pii.length === 0).length).toBeGreaterThanOrEqual(80);
    expect(new Set(items.map((i) => i.lang)).size).toBeGreaterThanOrEqual(12);
  });

  it('structured PII: recall >= 0.99 and precision >= 0.95', () => {
    const r = evaluate(STRUCTURED);
    const lines = Object.entries(r.per).map(
      ([k, v]) =>
        `  ${k.padEnd(6)} tp=${v.tp} fp=${v.fp} fn=${v.fn} recall=${(v.tp / (v.tp + v.fn)).toFixed(3)} precision=${(v.tp / (v.tp + v.fp || 1)).toFixed(3)}`,
    );
    console.log(
      [
        `PII filter, ${(set.items as Item[]).length} prompts, structured PII (email, phone, card, iban):`,
        ...lines,
        `  ALL    tp=${r.sum.tp} fp=${r.sum.fp} fn=${r.sum.fn} recall=${r.recall.toFixed(4)} precision=${r.precision.toFixed(4)}`,
        ...r.misses.map((m) => `  MISS ${m}`),
        ...r.falseAlarms.map((m) => `  FALSE ${m}`),
      ].join('\n'),
    );
    expect(r.recall).toBeGreaterThanOrEqual(0.99);
    expect(r.precision).toBeGreaterThanOrEqual(0.95);
  });

  it('user-defined terms: whole words, any case, Unicode', () => {
    const r = evaluate(['term']);
    console.log(
      `PII filter, user terms: tp=${r.sum.tp} fp=${r.sum.fp} fn=${r.sum.fn} recall=${r.recall.toFixed(3)} precision=${r.precision.toFixed(3)}`,
    );
    expect(r.misses).toEqual([]);
    expect(r.falseAlarms).toEqual([]);
  });
});
