/**
 * The sandbox fails like Kling (issue 14 item 5), seen through the real Kling client over HTTP:
 * an outage window of 5001 answers or dropped connections that ends on its own, slow answers
 * (past the client's timeout, or merely late), and a server that goes away and comes back on
 * the same port (tasks survive it: outage-faults.test.ts). Each failure is classified the way the engine judges it.
 */
import { afterAll, beforeAll, expect, it } from 'vitest';

import { classifyError } from '../../../electron/core/engine/outage';
import { createKlingClient, type KlingClient } from '../../../electron/core/kling/client';
import type { Sandbox } from '../../../electron/core/sandbox';
import { fastSandbox } from '../cli-run/helpers';

let sb: Sandbox;
let client: KlingClient;
let quick: KlingClient;
beforeAll(async () => {
  sb = await fastSandbox();
  const credentials = {
    kind: 'aksk' as const,
    accessKey: sb.credentials.accessKey,
    secretKey: sb.credentials.secretKey,
  };
  client = createKlingClient({ provider: 'sandbox', baseUrl: sb.url, credentials });
  quick = createKlingClient({ provider: 'sandbox', baseUrl: sb.url, credentials, timeoutMs: 400 });
});
afterAll(async () => {
  await sb.close();
});

const list = (c: KlingClient): Promise<unknown> =>
  c.listTasks({ model: 'kling-2.5-turbo', kind: 'text2video' }, { pageNum: 1, pageSize: 1 });
const failure = async (p: Promise<unknown>): Promise<unknown> =>
  p.then(
    () => new Error('answered'),
    (e: unknown) => e,
  );

it('answers 5001 while an outage window lasts, then normally again', async () => {
  const w = sb.outage.start({ type: 'error', code: 5001 }, 3000);
  const err = await failure(list(client));
  expect((err as { code?: unknown }).code).toBe(5001);
  expect(classifyError(err)).toBe('server');
  await new Promise((r) => setTimeout(r, Math.max(0, w.endsAt - sb.clock.now()) + 50));
  await expect(list(client)).resolves.toEqual([]);
  expect(sb.outage.current()).toBeNull();
  expect(sb.outage.history.at(-1)?.mode).toEqual({ type: 'error', code: 5001 });
});

it('drops connections without an answer during a drop outage (the client sends a GET twice)', async () => {
  const before = sb.outage.hits.length;
  sb.outage.start({ type: 'drop' });
  const err = await failure(list(client));
  sb.outage.end();
  expect(classifyError(err)).toBe('unreachable');
  expect(sb.outage.hits.length - before).toBe(2);
  await expect(list(client)).resolves.toEqual([]);
});

it('answers late in slow mode: past the client timeout it is a timeout, within it an answer', async () => {
  sb.outage.start({ type: 'slow', delayMs: 700 }, 5000);
  const err = await failure(list(quick));
  expect(classifyError(err)).toBe('unreachable');
  expect((err as { kind?: unknown }).kind).toBe('timeout');
  const t0 = performance.now();
  await expect(list(client)).resolves.toEqual([]);
  expect(performance.now() - t0).toBeGreaterThanOrEqual(650);
  sb.outage.end();
});

it('goes away (connections refused) and comes back on the same port', async () => {
  const url = sb.url;
  await expect(list(client)).resolves.toEqual([]);
  await sb.stop();
  const err = await failure(list(client));
  expect(classifyError(err)).toBe('unreachable');
  expect(String((err as Error).message)).toMatch(/ECONNREFUSED|could not reach/);
  await sb.restart();
  expect(sb.url).toBe(url);
  await expect(list(client)).resolves.toEqual([]);
});
