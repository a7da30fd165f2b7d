import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

import { afterEach, describe, expect, it } from 'vitest';

import { contract, methodNames } from '../../shared/contract';
import { createCore, type Core } from '../../electron/core';

let core: Core | undefined;
afterEach(async () => core?.close());

const fresh = (): Core => (core = createCore({ dataDir: mkdtempSync(join(tmpdir(), 'shotline-unit-')) }));

describe('core contract', () => {
  it('implements every contract method', () => {
    const c = fresh();
    for (const m of methodNames) expect(typeof contract[m].summary).toBe('string');
    expect(methodNames).toContain('app.info');
    expect(c).toBeDefined();
  });

  it('refuses unknown methods as data, not exceptions', async () => {
    const res = await fresh().callUnknown('nope.never', {});
    expect(res.ok).toBe(false);
    if (!res.ok) expect(res.error.code).toBe('unknown_method');
  });

  it('validates input with zod before any handler runs', async () => {
    const res = await fresh().callUnknown('app.info', { extra: 1 });
    expect(res.ok).toBe(false);
    if (!res.ok) expect(res.error.code).toBe('validation');
  });

  it('emits typed events to subscribers', async () => {
    const c = fresh();
    const seen: string[] = [];
    c.subscribe((name, payload) => seen.push(`${name}:${(payload as { level: string }).level}`));
    const res = await c.call('app.diagnostics', {});
    expect(res.ok).toBe(true);
    expect(seen.length).toBe(3);
    expect(seen.every((s) => s.startsWith('app.notice:'))).toBe(true);
  });
});
