/** The compliance report: each check's PASS / WARN / FAIL, and the CLI's exit code. */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

import { afterEach, beforeEach, describe, expect, it } from 'vitest';

import { runCli } from '../../../electron/cli/main';
import { createCore, type Core } from '../../../electron/core';
import { elementsAtKling } from '../../../electron/core/elements/library';
import { complianceReport, setPrivacySettings, setRetentionRule } from '../../../electron/core/privacy';
import { createMemoryKeychain, createSecretStore } from '../../../electron/core/secrets';

let dir: string;
let core: Core;
beforeEach(() => {
  dir = mkdtempSync(join(tmpdir(), 'shotline-compliance-'));
  core = createCore({ dataDir: dir });
});
afterEach(async () => {
  await core.close();
  rmSync(dir, { recursive: true, force: true });
});

const statuses = (r: Awaited<ReturnType<typeof complianceReport>>) =>
  Object.fromEntries(r.checks.map((c) => [c.id, c.status]));

describe('compliance report', () => {
  it('a fresh install: no key is a WARN (batches run on the simulator), missing rules are WARNs, each with a fix', async () => {
    const store = createSecretStore({ keychain: createMemoryKeychain() });
    const db = core.ctx.db();
    const r = await complianceReport({
      db,
      dataDir: dir,
      store,
      env: {},
      heldElements: () => elementsAtKling(db),
      queueFacts: () => core.services.queue.resultFacts(),
    });
    expect(statuses(r)).toEqual({
      'keys-storage': 'warn',
      https: 'pass',
      'pii-filter': 'warn',
      'audit-log': 'pass',
      'key-age': 'pass',
      'profiles-per-env': 'pass',
      'results-downloaded': 'pass',
      'export-metadata': 'pass',
      retention: 'warn',
      residency: 'pass',
      'elements-at-kling': 'pass',
    });
    expect(r.ok).toBe(true);
    expect(r.checks.find((c) => c.id === 'keys-storage')?.detail).toContain('simulator');
    expect(r.checks.find((c) => c.id === 'keys-storage')?.fix).toContain('Settings > Key profiles > Add profile');
    for (const c of r.checks.filter((x) => x.status !== 'pass')) expect(c.fix.length, c.id).toBeGreaterThan(10);
  });

  it('env keys and a locked keychain warn; an insecure base URL fails', async () => {
    const store = createSecretStore({ keychain: createMemoryKeychain({ unavailable: 'locked collection' }) });
    const r = await complianceReport({
      db: core.ctx.db(),
      dataDir: dir,
      store,
      heldElements: () => elementsAtKling(core.ctx.db()),
      queueFacts: () => core.services.queue.resultFacts(),
      env: {
        SHOTLINE_ACCESS_KEY: 'ak-1234567890',
        SHOTLINE_SECRET_KEY: 'sk-1234567890',
        SHOTLINE_BASE_URL: 'http://proxy.example.com',
      },
    });
    expect(statuses(r)).toMatchObject({ 'keys-storage': 'warn', https: 'fail', 'key-age': 'warn' });
  });

  it('a configured agency passes, with residency and old keys flagged', async () => {
    let now = Date.parse('2026-01-01T00:00:00Z');
    const store = createSecretStore({ keychain: createMemoryKeychain(), now: () => now });
    await store.set({
      name: 'Agency prod',
      provider: 'kling',
      region: 'singapore',
      credentials: { kind: 'aksk', accessKey: 'AKprod000000000000000001', secretKey: 'SKprod-xxxxxxxxxxxxxxxxxxxx' },
    });
    await store.set({
      name: 'Agency test',
      provider: 'kling',
      environment: 'test',
      credentials: { kind: 'aksk', accessKey: 'AKtest000000000000000002', secretKey: 'SKtest-xxxxxxxxxxxxxxxxxxxx' },
    });
    const db = core.ctx.db();
    setPrivacySettings(db, { piiTerms: ['Acme Corp'] });
    setRetentionRule(db, {
      project: '*',
      rawTakesDaysAfterExport: 30,
      rawTakesMaxDays: null,
      imagesDays: null,
      editsDays: null,
    });
    const ok = await complianceReport({
      db,
      dataDir: dir,
      store,
      env: {},
      now: new Date(now),
      heldElements: () => [],
      queueFacts: () => core.services.queue.resultFacts(),
    });
    expect(ok.summary.fail).toBe(0);
    expect(statuses(ok)).toMatchObject({
      'keys-storage': 'pass',
      'pii-filter': 'pass',
      'profiles-per-env': 'pass',
      retention: 'pass',
      residency: 'warn',
    });
    expect(ok.checks.find((c) => c.id === 'residency')?.detail).toMatch(/Singapore.*outside the EU/);

    now += 100 * 86_400_000;
    await store.set({
      name: 'Client X',
      provider: 'kling',
      region: 'beijing',
      environment: 'test',
      credentials: { kind: 'aksk', accessKey: 'AKprod000000000000000001', secretKey: 'SKprod-xxxxxxxxxxxxxxxxxxxx' },
    });
    const later = await complianceReport({
      db,
      dataDir: dir,
      store,
      env: {},
      now: new Date(now),
      heldElements: () => [],
      queueFacts: () => core.services.queue.resultFacts(),
    });
    expect(statuses(later)).toMatchObject({ 'key-age': 'warn', 'profiles-per-env': 'fail' });
    expect(later.checks.find((c) => c.id === 'residency')?.detail).toMatch(/mainland China/);
  });

  // The results-downloaded line on the real jobs table: retention-after-run.test.ts.

  it('CLI: exit 1 on FAIL, JSON on stdout', async () => {
    await core.call('privacy.settings.set', { piiMode: 'allow' });
    await core.close();
    const out: string[] = [];
    const code = await runCli(['compliance', '--data-dir', dir, '--json'], {
      stdout: (t) => out.push(t),
      stderr: () => {},
      readStdin: () => Promise.resolve(''),
      env: {},
      cwd: dir,
    });
    expect(code).toBe(1);
    const r = JSON.parse(out.join('')) as { ok: boolean; checks: Array<{ id: string; status: string; fix: string }> };
    expect(r.ok).toBe(false);
    expect(r.checks.find((c) => c.id === 'pii-filter')).toMatchObject({
      status: 'fail',
      fix: expect.stringMatching(/mask or block/) as string,
    });
    core = createCore({ dataDir: dir });
  });
});
