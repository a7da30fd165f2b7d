/**
 * Recall and precision of the PII filter on a set it was not tuned on (issue 16 item 8):
 * test/fixtures/pii/fresh.json, written fresh for the issue and split into a tuning half and a
 * test half by a seeded shuffle before any tuning (test/fixtures/pii/build_fresh.py). The
 * detectors were tuned on the tuning half only; the goals are asserted on the test half.
 * Figures go to docs/readme/privacy.md.
 */
import { describe, expect, it } from 'vitest';

import { detectPii } from '../../../shared/privacy/pii';
import set from '../../fixtures/pii/fresh.json' with { type: 'json' };
import probe from '../../fixtures/pii/probe.json' with { type: 'json' };
import { precision, recall, report, score, type LabelledItem } from './pii-eval';

const items = set.items as LabelledItem[];
const tune = items.filter((i) => i.split === 'tune');
const test = items.filter((i) => i.split === 'test');

describe('PII filter on the fresh labelled set', () => {
  it('has at least 300 prompts in at least 5 languages, labelled per kind, split in two halves', () => {
    expect(items.length).toBeGreaterThanOrEqual(300);
    expect(new Set(items.map((i) => i.lang)).size).toBeGreaterThanOrEqual(5);
    expect(Math.abs(tune.length - test.length)).toBeLessThanOrEqual(1);
    for (const item of items) {
      for (const s of item.pii) expect(item.text.slice(s.start, s.end), item.id).toBe(s.text);
    }
    const kinds = new Set(items.flatMap((i) => i.pii.map((s) => s.kind)));
    expect([...kinds].sort()).toEqual([
      'address',
      'card',
      'dob',
      'email',
      'iban',
      'name',
      'national_id',
      'passport',
      'phone',
    ]);
  });

  it('tuning half (reported, not a goal)', () => {
    const s = score(tune);
    console.log(
      [
        report('PII filter, fresh set, TUNING half', s),
        ...s.misses.map((m) => `  MISS ${m}`),
        ...s.falseAlarms.map((m) => `  FALSE ${m}`),
      ].join('\n'),
    );
    expect(s.all.tp).toBeGreaterThan(0);
  });

  it('test half: structured recall >= 0.99, names and addresses >= 0.85, precision >= 0.97', () => {
    const s = score(test);
    console.log(
      [
        report('PII filter, fresh set, TEST half', s),
        ...s.misses.map((m) => `  MISS ${m}`),
        ...s.falseAlarms.map((m) => `  FALSE ${m}`),
      ].join('\n'),
    );
    expect(recall(s.structured)).toBeGreaterThanOrEqual(0.99);
    expect(recall(s.flagged)).toBeGreaterThanOrEqual(0.85);
    expect(precision(s.all)).toBeGreaterThanOrEqual(0.97);
    expect(precision(s.structured)).toBeGreaterThanOrEqual(0.97);
  });
});

describe('PII filter on a probe written after it was frozen (reported, no goal)', () => {
  it('counts found, missed and false kinds per prompt', () => {
    let tp = 0;
    const misses: string[] = [];
    const falses: string[] = [];
    for (const item of probe.items) {
      const left: string[] = [...item.kinds];
      for (const f of detectPii(item.text)) {
        const at = left.indexOf(f.kind);
        if (at >= 0) {
          left.splice(at, 1);
          tp++;
        } else falses.push(`${f.kind}: "${item.text.slice(f.start, f.end)}" in "${item.text}"`);
      }
      misses.push(...left.map((k) => `${k} in "${item.text}"`));
    }
    console.log(
      [
        `PII filter, probe after freeze: ${probe.items.length} prompts, found ${tp}, missed ${misses.length}, false ${falses.length}`,
        ...misses.map((m) => `  MISS ${m}`),
        ...falses.map((m) => `  FALSE ${m}`),
      ].join('\n'),
    );
    expect(probe.items.length).toBeGreaterThanOrEqual(30);
  });
});
