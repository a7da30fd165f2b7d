/**
 * The kling.* IPC contract through the real core (shared/contract/kling.ts), and the sandbox a
 * core starts for the app, reached by the real client on both standards.
 */
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

import { afterAll, describe, expect, it } from 'vitest';

import { createCore } from '../../../electron/core';
import { createKlingClient } from '../../../electron/core/kling';
import { LIVE_MODELS } from '../../../shared/kling';

const core = createCore({ dataDir: mkdtempSync(join(tmpdir(), 'shotline-kling-contract-')) });
afterAll(() => core.close());

describe('kling.* contract', () => {
  it('kling.capabilities gives the live roster, prices per second, retired models and providers as data', async () => {
    const res = await core.call('kling.capabilities', {});
    expect(res.ok).toBe(true);
    if (!res.ok) return;
    expect(res.value.models.map((m) => m.id)).toEqual([...LIVE_MODELS]);
    expect(res.value.defaultModel).toBe('kling-2.5-turbo');
    const turbo = res.value.models.find((m) => m.id === 'kling-3.0-turbo');
    // 3.0 Turbo has no legacy name: only an API key (the new standard) reaches it.
    expect(turbo).toMatchObject({
      legacyName: null,
      standards: ['new'],
      audio: 'always',
      unitsPerSecond: { audio: { '720p': 0.8, '1080p': 1 } },
    });
    expect(res.value.models.find((m) => m.id === 'kling-3.0')).toMatchObject({
      legacyName: 'kling-v3',
      standards: ['new', 'legacy'],
      unitsPerSecond: { silent: { '4k': 3 } },
    });
    expect(res.value.retired.find((r) => r.name === 'kling-v1')).toMatchObject({ replacement: 'kling-2.5-turbo' });
    expect(res.value.providers.find((p) => p.id === 'sandbox')).toMatchObject({
      simulator: true,
      standards: ['new', 'legacy'],
    });
    expect(res.value.providers.find((p) => p.id === 'cometapi')?.standards).toEqual(['legacy']);
  });

  it('kling.check names problems and prices the clip per second', async () => {
    const res = await core.call('kling.check', {
      kind: 'text2video',
      model: 'kling-2.6',
      resolution: '1080p',
      duration: 10,
      audio: 'native',
      prompt: 'p',
      externalTaskId: 'x',
    });
    expect(res.ok && res.value).toMatchObject({
      units: 10,
      output: { width: 1920, height: 1080, fps: 24 },
      problems: [],
    });
    const bad = await core.call('kling.check', {
      kind: 'text2video',
      model: 'kling-2.6',
      resolution: '720p',
      duration: 7,
      audio: 'native',
      prompt: 'p',
      externalTaskId: 'x',
    });
    expect(bad.ok && bad.value.problems.map((p) => p.field).sort()).toEqual(['audio', 'duration']);
    // A retired model is not a request at all: refused by the schema.
    expect((await core.call('kling.check', { kind: 'text2video', model: 'kling-v1' })).ok).toBe(false);
  });

  it('the sandbox service starts one simulator per core (both standards) and closes it with the core', async () => {
    const c2 = createCore({ dataDir: mkdtempSync(join(tmpdir(), 'shotline-kling-sbx-')) });
    const a = await c2.services.sandbox.ensure({ timing: { submittedMs: 0, processingMs: 0 } });
    const b = await c2.services.sandbox.ensure();
    expect(b.sandbox.url).toBe(a.sandbox.url);
    const ref = { model: 'kling-2.5-turbo', kind: 'text2video' as const };
    const legacy = createKlingClient(a.clientOptions);
    const api = createKlingClient({
      provider: 'sandbox',
      baseUrl: a.sandbox.url,
      credentials: { kind: 'bearer', apiKey: a.sandbox.credentials.apiKey ?? '' },
    });
    expect(api.standard).toBe('new');
    await expect(legacy.listTasks(ref)).resolves.toEqual([]);
    await expect(api.listRecent()).resolves.toMatchObject({ tasks: [], hasMore: false });
    await c2.close();
    await expect(api.getTasks([{ ref, taskId: '1' }])).rejects.toMatchObject({ kind: 'network' });
  });
});
