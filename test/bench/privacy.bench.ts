/**
 * What the PII filter costs per prompt, beside the work every request does anyway
 * (serialising its body): the labelled prompt set, without terms and with 200 user terms.
 */
import { filterPrompt } from '../../shared/privacy/pii';
import set from '../fixtures/pii/prompts.json' with { type: 'json' };
import type { Suite } from './harness';

const prompts = set.items.map((i) => i.text);
const terms = Array.from({ length: 200 }, (_, i) => `Client ${i} GmbH`).concat(set.terms);
let k = 0;
const next = (): string => prompts[k++ % prompts.length] ?? '';

const suite: Suite = {
  name: `PII filter per prompt (${prompts.length} labelled prompts, cycled)`,
  unit: 'one prompt',
  iterations: 5_000,
  setup: () => [
    { name: 'JSON body only (baseline)', run: () => JSON.stringify({ model_name: 'kling-v1', prompt: next(), duration: '5' }) },
    { name: 'filterPrompt, no terms', run: () => filterPrompt(next(), { mode: 'mask' }) },
    { name: 'filterPrompt, 206 terms', run: () => filterPrompt(next(), { mode: 'mask', terms }) },
  ],
};

export default suite;
