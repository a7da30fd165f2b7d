import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

import { afterAll, describe, expect, it } from 'vitest';

import { createCore } from '../../../electron/core';
import { createKlingClient } from '../../../electron/core/kling';
import { ensureSandbox } from '../../../electron/core/sandbox';

const core = createCore({ dataDir: mkdtempSync(join(tmpdir(), 'shotline-kling-contract-')) });
afterAll(() => core.close());

describe('kling.* contract', () => {
  it('kling.capabilities gives the matrix, prices and providers as data', async () => {
    const res = await core.call('kling.capabilities', {});
    expect(res.ok).toBe(true);
    if (!res.ok) return;
    const v1 = res.value.models.find((m) => m.id === 'kling-v1');
    expect(v1?.features.cameraControlText2Video).toEqual([{ mode: 'std', duration: 5 }]);
    expect(v1?.unitsPer5s).toEqual({ std: 1, pro: 3.5 });
    expect(res.value.models.find((m) => m.id === 'kling-v1-5')?.features.text2video).toEqual([]);
    expect(res.value.providers.find((p) => p.id === 'sandbox')?.simulator).toBe(true);
  });

  it('kling.check names problems and prices the clip', async () => {
    const res = await core.call('kling.check', { kind: 'text2video', model: 'kling-v2-6', mode: 'pro', duration: 10, prompt: 'p', externalTaskId: 'x', camera: { type: 'down_back' } });
    expect(res.ok && res.value).toMatchObject({ units: 5, output: { width: 1920, height: 1080, fps: 24 }, problems: [{ field: 'camera' }] });
    const bad = await core.call('kling.check', { kind: 'text2video', model: 'kling-v9' });
    expect(bad.ok).toBe(false);
  });

  it('ensureSandbox starts one simulator per core and closes it with the core', async () => {
    const c2 = createCore({ dataDir: mkdtempSync(join(tmpdir(), 'shotline-kling-sbx-')) });
    const a = await ensureSandbox(c2.ctx, { timing: { submittedMs: 0, processingMs: 0 } });
    const b = await ensureSandbox(c2.ctx);
    expect(b.sandbox.url).toBe(a.sandbox.url);
    const client = createKlingClient(a.clientOptions);
    await expect(client.listTasks('text2video')).resolves.toEqual([]);
    await c2.close();
    await expect(client.listTasks('text2video')).rejects.toMatchObject({ kind: 'network' });
  });
});
