/**
 * What the PII filter costs per prompt, beside the work every request does anyway
 * (serialising its body): both labelled prompt sets, without terms and with 200 user terms;
 * and how its time grows with the text (issue 16 item 7: linear), on hostile texts from 625 to
 * 10,000 characters (4x the prompt limit, which the preview refuses; here only to show growth).
 */
import { performance } from 'node:perf_hooks';

import { filterPrompt } from '../../shared/privacy/pii';
import fresh from '../fixtures/pii/fresh.json' with { type: 'json' };
import set from '../fixtures/pii/prompts.json' with { type: 'json' };
import type { CustomBench, Suite } from './harness';

const prompts = [...set.items.map((i) => i.text), ...fresh.items.map((i) => i.text)];
const terms = Array.from({ length: 200 }, (_, i) => `Client ${i} GmbH`).concat(set.terms);
let k = 0;
const next = (): string => prompts[k++ % prompts.length] ?? '';

const perPrompt: Suite = {
  name: `PII filter per prompt (${prompts.length} labelled prompts, cycled)`,
  unit: 'one prompt',
  iterations: 5_000,
  setup: () => [
    { name: 'JSON body only (baseline)', run: () => JSON.stringify({ prompt: next(), settings: { duration: 5 } }) },
    { name: 'filterPrompt, no terms', run: () => filterPrompt(next(), { mode: 'mask' }) },
    { name: `filterPrompt, ${terms.length} terms`, run: () => filterPrompt(next(), { mode: 'mask', terms }) },
  ],
};

/** Texts that make careless patterns backtrack: long runs with no end, many near-misses. */
const HOSTILE: Record<string, string> = {
  letters: 'a',
  'dotted words': 'a.',
  'digit groups': '1 ',
  'at-dot runs': 'a@b.',
  'spelled dots': 'x dot ',
  'given names': 'Anna ',
  'street starts': '12 rue ',
  'birth words': 'born 1',
  'zero-width digits': '\u200b1',
  'real prompt': `${fresh.items[0]?.text ?? ''} `,
};

/** The fastest of 7 rounds (the least disturbed by other load), in ms per call. */
function timeFor(text: string): number {
  const reps = Math.max(3, Math.floor(40_000 / text.length));
  filterPrompt(text);
  let best = Infinity;
  for (let round = 0; round < 7; round++) {
    const t0 = performance.now();
    for (let i = 0; i < reps; i++) filterPrompt(text);
    best = Math.min(best, (performance.now() - t0) / reps);
  }
  return best;
}

const growth: CustomBench = {
  name: 'PII filter time against text length (hostile texts; linear means the per-character cost stays flat)',
  measure: async () => {
    const sizes = [625, 2500, 10_000];
    const lines = [`${'text'.padEnd(18)} ${sizes.map((n) => `${n} chars`.padStart(16)).join('')}   10000/625 per char`];
    for (const [name, unit] of Object.entries(HOSTILE)) {
      const ms = sizes.map((n) => timeFor(unit.repeat(Math.ceil(n / unit.length)).slice(0, n)));
      const perChar = ms.map((t, i) => (t * 1000) / (sizes[i] ?? 1));
      lines.push(
        `${name.padEnd(18)} ${ms.map((t) => `${t.toFixed(3)} ms`.padStart(16)).join('')}   x${((perChar[2] ?? 0) / (perChar[0] ?? 1)).toFixed(2)}`,
      );
      await Promise.resolve();
    }
    return lines;
  },
};

export default [perPrompt, growth];
