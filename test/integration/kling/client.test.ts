import { createHash } from 'node:crypto';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';

import { createKlingClient, KlingError, resolveBaseUrl, type KlingRequestInfo } from '../../../electron/core/kling';
import { RISK_CONTROL_MESSAGE, type Sandbox } from '../../../electron/core/sandbox';
import { KLING_CODES, PROVIDERS, type VideoRequest } from '../../../shared/kling';
import { ShotlineError } from '../../../shared/result';
import { png } from '../../unit/kling/png';
import { clientFor, FAST, raw, sandbox } from './helpers';

const T2V: VideoRequest = { kind: 'text2video', model: 'kling-v1', mode: 'std', duration: 5, prompt: 'a red kite', externalTaskId: 'x' };
let n = 0;
const ext = (): string => `ext-${Date.now()}-${++n}`;
const t2v = (r: Partial<VideoRequest> = {}): VideoRequest => ({ ...T2V, externalTaskId: ext(), ...r });

async function rejection(p: Promise<unknown>): Promise<KlingError> {
  try {
    await p;
  } catch (e) {
    if (e instanceof KlingError) return e;
    throw e;
  }
  throw new Error('expected a KlingError');
}

let sb: Sandbox;
const dir = mkdtempSync(join(tmpdir(), 'shotline-kling-'));
beforeAll(async () => {
  sb = await sandbox();
});
afterAll(async () => {
  await sb.close();
});
beforeEach(() => {
  sb.clearFaults();
  sb.setOptions({ concurrency: 50 });
});

describe('endpoints', () => {
  it('text2video: create, lifecycle, query by id and by external id, list', async () => {
    const c = clientFor(sb);
    const id = ext();
    const created = await c.createTask(t2v({ externalTaskId: id, camera: { type: 'simple', config: { zoom: 4 } } }));
    expect(created).toMatchObject({ status: 'submitted', externalTaskId: id });
    expect(created.taskId).toMatch(/^\d{18,19}$/);
    const rec = sb.creates.at(-1);
    expect(rec?.externalTaskId).toBe(id);
    expect(rec?.auth.via).toBe('jwt');
    expect(rec?.auth.claims.iss).toBe(sb.credentials.accessKey);

    expect((await c.getTask('text2video', created.taskId)).status).toBe('submitted');
    sb.clock.advance(FAST.submittedMs);
    expect((await c.getTask('text2video', created.taskId)).status).toBe('processing');
    sb.clock.advance(FAST.processingMs);
    const done = await c.getTask('text2video', created.taskId);
    expect(done).toMatchObject({ status: 'succeed', unitsCharged: 1, externalTaskId: id });
    expect(done.videos[0]?.url).toMatch(/^http:\/\/127\.0\.0\.1:\d+\/media\/[0-9a-f]+\.mp4$/);
    expect(done.videos[0]?.durationSec).toBe(5);

    expect((await c.getTaskByExternalId('text2video', id))?.taskId).toBe(created.taskId);
    expect(await c.getTaskByExternalId('text2video', 'never-sent')).toBeNull();
    expect(await c.getTaskByExternalId('image2video', id)).toBeNull();
    const list = await c.listTasks('text2video', { pageNum: 1, pageSize: 500 });
    expect(list[0]?.taskId).toBe(created.taskId);
  });

  it('image2video from a local file: checked, then sent as raw base64', async () => {
    const c = clientFor(sb);
    const file = join(dir, 'start.png');
    writeFileSync(file, png(640, 360));
    const task = await c.createTask({ kind: 'image2video', model: 'kling-v1-6', mode: 'pro', duration: 10, startImage: file, endImage: file, externalTaskId: ext() });
    expect(task.status).toBe('submitted');
    const body = sb.creates.at(-1)?.body as Record<string, string>;
    expect(body.image).toBe(png(640, 360).toString('base64'));
    expect(body.image?.startsWith('data:')).toBe(false);
    expect(body.duration).toBe('10');
  });

  it('refuses bad images before sending anything', async () => {
    const c = clientFor(sb);
    const small = join(dir, 'small.png');
    writeFileSync(small, png(200, 400));
    const before = sb.creates.length;
    await expect(c.createTask({ kind: 'image2video', model: 'kling-v1', mode: 'std', duration: 5, startImage: small, externalTaskId: ext() })).rejects.toThrow(
      /startImage: 200x400 px is too small.*small\.png/,
    );
    await expect(c.createTask({ kind: 'image2video', model: 'kling-v1', mode: 'std', duration: 5, startImage: join(dir, 'missing.png'), externalTaskId: ext() })).rejects.toThrow(
      /does not exist/,
    );
    const mask = join(dir, 'mask.png');
    writeFileSync(mask, png(400, 400));
    const start = join(dir, 'wide.png');
    writeFileSync(start, png(640, 360));
    await expect(
      c.createTask({ kind: 'image2video', model: 'kling-v1', mode: 'std', duration: 5, startImage: start, staticMask: mask, externalTaskId: ext() }),
    ).rejects.toThrow(/does not match the start image/);
    expect(sb.creates.length).toBe(before);
  });

  it('video-extend of a finished kling-v1 clip', async () => {
    const c = clientFor(sb);
    const src = await c.createTask(t2v());
    sb.clock.advance(FAST.submittedMs + FAST.processingMs);
    const done = await c.getTask('text2video', src.taskId);
    const videoId = done.videos[0]?.id ?? '';
    const e = await c.createTask({ kind: 'video-extend', model: 'kling-v1', mode: 'std', duration: 5, videoId, prompt: 'on and on', externalTaskId: ext() });
    sb.clock.advance(FAST.submittedMs + FAST.processingMs);
    const ed = await c.getTask('video-extend', e.taskId);
    expect(ed.status).toBe('succeed');
    expect(ed.parentVideo?.id).toBe(videoId);
    expect(ed.videos[0]?.durationSec).toBe(10);
    const err = await rejection(c.createTask({ kind: 'video-extend', model: 'kling-v1', mode: 'std', duration: 5, videoId: 'no-such-video', externalTaskId: ext() }));
    expect(err.code).toBe(1203);

    // Only v1.x videos extend: the client refuses, and the sandbox refuses the raw body too.
    const v25 = await c.createTask(t2v({ model: 'kling-v2-5-turbo' }));
    sb.clock.advance(FAST.submittedMs + FAST.processingMs);
    const v25id = (await c.getTask('text2video', v25.taskId)).videos[0]?.id ?? '';
    await expect(c.createTask({ kind: 'video-extend', model: 'kling-v2-5-turbo', mode: 'std', duration: 5, videoId: v25id, externalTaskId: ext() })).rejects.toThrow(
      /only videos made with kling-v1, kling-v1-5, kling-v1-6 can be extended/,
    );
    const rawAnswer = await raw(sb, 'POST', '/v1/videos/video-extend', { video_id: v25id, external_task_id: ext() });
    expect(rawAnswer).toMatchObject({ code: 1201, status: 400 });
    expect(rawAnswer.message).toMatch(/kling-v2-5-turbo cannot be extended/);
  });

  it('/account/costs, double-wrapped, and its 1 QPS limit (1302)', async () => {
    const c = clientFor(sb);
    const packs = await c.accountCosts({ startTime: 0, endTime: sb.clock.now() });
    expect(packs[0]).toMatchObject({ type: 'decreasing_total', total: 10_000, status: 'online' });
    expect(packs[0]?.remaining).toBeLessThan(10_000);
    sb.setOptions({ costsMinIntervalMs: 60_000 });
    try {
      const err = await rejection(c.accountCosts({ startTime: 0, endTime: 1 }));
      expect(err).toMatchObject({ code: 1302, httpStatus: 429, retryable: true });
    } finally {
      sb.setOptions({ costsMinIntervalMs: 0 });
    }
  });

  it('calls onRequest for every outgoing request, with a body hash and no secrets', async () => {
    const seen: KlingRequestInfo[] = [];
    const logs: string[] = [];
    const c = clientFor(sb, { onRequest: (i) => seen.push(i), log: (l) => logs.push(l) });
    const id = ext();
    const task = await c.createTask(t2v({ externalTaskId: id }));
    await c.getTask('text2video', task.taskId);
    expect(seen.map((s) => `${s.method} ${s.purpose}`)).toEqual(['POST create', 'GET query']);
    const body = JSON.stringify(sb.creates.at(-1)?.body);
    expect(seen[0]).toMatchObject({
      host: new URL(sb.url).host,
      provider: 'sandbox',
      region: 'local',
      location: 'this machine (simulator)',
      kind: 'text2video',
      externalTaskId: id,
      bodySha256: createHash('sha256').update(body).digest('hex'),
    });
    expect(seen[1]?.bodySha256).toBe(createHash('sha256').update('').digest('hex'));
    expect(logs.join('\n')).not.toContain(sb.credentials.secretKey);
    const token = c.tokens.authorization().slice('Bearer '.length);
    expect(logs.join('\n')).not.toContain(token);
    expect(logs[0]).toMatch(/auth=Bearer \S{8}…\S{4} -> 200 code=0/);
  });

  it('bearer API keys, and the CometAPI path prefix', async () => {
    const bearer = createKlingClient({ provider: 'sandbox', baseUrl: sb.url, credentials: { kind: 'bearer', apiKey: sb.credentials.apiKey ?? '' } });
    await bearer.createTask(t2v());
    expect(sb.creates.at(-1)?.auth.via).toBe('apiKey');
    const wrong = createKlingClient({ provider: 'sandbox', baseUrl: sb.url, credentials: { kind: 'bearer', apiKey: 'sk-wrong-key-000000' } });
    expect((await rejection(wrong.createTask(t2v()))).code).toBe(1000);

    const comet = createKlingClient({ provider: 'cometapi', baseUrl: sb.url, credentials: { kind: 'bearer', apiKey: sb.credentials.apiKey ?? '' } });
    const t = await comet.createTask(t2v());
    await comet.getTask('text2video', t.taskId);
    expect(sb.requests.slice(-2).map((r) => r.path)).toEqual(['/kling/v1/videos/text2video', `/kling/v1/videos/text2video/${t.taskId}`]);
    expect((await rejection(comet.accountCosts({ startTime: 0, endTime: 1 }))).needsUser).toBe(true);
    expect(() => createKlingClient({ provider: 'cometapi', baseUrl: sb.url, credentials: { kind: 'aksk', accessKey: 'a', secretKey: 'b' } })).toThrow(/takes bearer/);
  });

  it('base URLs: https, or http on loopback only; regions are data', () => {
    expect(resolveBaseUrl(PROVIDERS.kling, 'beijing', undefined).baseUrl).toBe('https://api-beijing.klingai.com');
    expect(resolveBaseUrl(PROVIDERS.kling, undefined, undefined)).toMatchObject({ region: 'singapore', location: 'Singapore (Kling global)' });
    expect(() => resolveBaseUrl(PROVIDERS.kling, undefined, 'http://example.com')).toThrow(/must use https/);
    expect(() => resolveBaseUrl(PROVIDERS.kling, 'mars', undefined)).toThrow(/region "mars" is unknown/);
    expect(() => resolveBaseUrl(PROVIDERS.sandbox, undefined, undefined)).toThrow(/needs a base URL/);
    expect(resolveBaseUrl(PROVIDERS.kling, undefined, 'http://[::1]:8080/').baseUrl).toBe('http://[::1]:8080');
  });
});

describe('result downloads', () => {
  it('fetchResult: whole file, resume from a byte, expired links, audit hook', async () => {
    const seen: KlingRequestInfo[] = [];
    const c = clientFor(sb, { onRequest: (i) => seen.push(i) });
    const t = await c.createTask(t2v({ aspectRatio: '1:1', watermark: true }));
    sb.clock.advance(FAST.submittedMs + FAST.processingMs);
    const video = (await c.getTask('text2video', t.taskId)).videos[0];
    const url = video?.url ?? '';
    expect(video?.watermarkUrl).toMatch(/\?watermark=1$/);
    const full = Buffer.from(await (await c.fetchResult(url)).arrayBuffer());
    const tail = await c.fetchResult(url, { start: 1000 });
    expect(tail.status).toBe(206);
    expect(Buffer.from(await tail.arrayBuffer())).toEqual(full.subarray(1000));
    expect(seen.filter((s) => s.purpose === 'download').map((s) => s.host)).toEqual([new URL(url).host, new URL(url).host]);
    sb.clock.advance(sb.options.urlTtlMs + 1);
    expect(await rejection(c.fetchResult(url))).toMatchObject({ kind: 'expired', httpStatus: 403, retryable: true });
    await expect(c.fetchResult('http://example.com/a.mp4')).rejects.toThrow(/must use https/);
  });
});

describe('errors: every business code becomes a typed KlingError', () => {
  const codes = Object.values(KLING_CODES).filter((c) => c.code !== 1003 && c.code !== 1004);
  it.each(codes.map((c) => [c.code, c.httpStatus, c.retryable, c.needsUser] as const))('code %i (HTTP %i) retryable=%s needsUser=%s', async (code, http, retryable, needsUser) => {
    sb.inject({ route: 'create', action: { type: 'error', code } });
    const err = await rejection(clientFor(sb).createTask(t2v()));
    expect(err).toMatchObject({ kind: 'business', code, httpStatus: http, retryable, needsUser });
    expect(err.info.code).toBe(`kling_${code}`);
    expect(err.message).toMatch(new RegExp(`^Kling ${code} \\(`));
  });

  it.each([1003, 1004])('%i: re-signs once, then reports', async (code) => {
    const c = clientFor(sb);
    sb.inject({ route: 'create', action: { type: 'error', code } });
    await expect(c.createTask(t2v())).resolves.toMatchObject({ status: 'submitted' });
    sb.inject({ route: 'create', action: { type: 'error', code }, times: 2 });
    const err = await rejection(c.createTask(t2v()));
    expect(err).toMatchObject({ code, httpStatus: 401, retryable: true });
  });

  it('HTTP 200 with code != 0 is an error', async () => {
    sb.inject({ route: 'query', action: { type: 'error', code: 1201, httpStatus: 200, message: 'bad' } });
    const err = await rejection(clientFor(sb).getTask('text2video', '1'));
    expect(err).toMatchObject({ code: 1201, httpStatus: 200, retryable: false });
  });

  it('dropped connections, timeouts and non-Kling answers are retryable transport errors', async () => {
    sb.inject({ route: 'create', action: { type: 'drop' } });
    expect(await rejection(clientFor(sb).createTask(t2v()))).toMatchObject({ kind: 'network', code: null, retryable: true });
    // GETs are sent once more after a dropped connection (stale keep-alive); twice is an error.
    const t = await clientFor(sb).createTask(t2v());
    sb.inject({ route: 'query', action: { type: 'drop' } });
    await expect(clientFor(sb).getTask('text2video', t.taskId)).resolves.toMatchObject({ taskId: t.taskId });
    sb.inject({ route: 'query', action: { type: 'drop' }, times: 2 });
    expect(await rejection(clientFor(sb).getTask('text2video', t.taskId))).toMatchObject({ kind: 'network', retryable: true });
    sb.inject({ route: 'query', action: { type: 'delay', ms: 1500 } });
    expect(await rejection(clientFor(sb, { timeoutMs: 150 }).getTask('text2video', '1'))).toMatchObject({ kind: 'timeout', retryable: true });
    const html = clientFor(sb, { fetch: () => Promise.resolve(new Response('<html>bad gateway</html>', { status: 502 })) });
    expect(await rejection(html.getTask('text2video', '1'))).toMatchObject({ kind: 'protocol', httpStatus: 502, retryable: true });
  });

  it('an answer lost after the task was created can be reconciled by external id', async () => {
    const c = clientFor(sb, { timeoutMs: 200 });
    const lost = ext();
    sb.inject({ route: 'create', action: { type: 'drop', after: true } });
    expect(await rejection(c.createTask(t2v({ externalTaskId: lost })))).toMatchObject({ kind: 'network', retryable: true });
    expect((await c.getTaskByExternalId('text2video', lost))?.externalTaskId).toBe(lost);
    const late = ext();
    sb.inject({ route: 'create', action: { type: 'delay', ms: 1000, after: true } });
    expect(await rejection(c.createTask(t2v({ externalTaskId: late })))).toMatchObject({ kind: 'timeout' });
    expect(await c.getTaskByExternalId('text2video', late)).not.toBeNull();
    expect(sb.creates.filter((r) => r.externalTaskId === lost || r.externalTaskId === late).map((r) => r.code)).toEqual([0, 0]);
  });

  it('real 1303 from the concurrency limit; slots free when tasks end', async () => {
    const c = clientFor(sb);
    sb.clock.advance(3_600_000); // let earlier tasks finish
    sb.setOptions({ concurrency: 2 });
    await c.createTask(t2v());
    await c.createTask(t2v());
    expect(await rejection(c.createTask(t2v()))).toMatchObject({ code: 1303, httpStatus: 429, retryable: true, needsUser: false });
    expect(sb.account().running).toBe(2);
    expect(sb.peakRunning()).toBeGreaterThanOrEqual(2);
    sb.clock.advance(FAST.submittedMs + FAST.processingMs);
    await expect(c.createTask(t2v())).resolves.toMatchObject({ status: 'submitted' });
  });

  it('real 1102 when the pack runs out; failed tasks are not charged', async () => {
    const s2 = await sandbox({ accounts: [{ accessKey: 'ak-poor', secretKey: 'sk-poor-000000', balance: 1 }] });
    try {
      const c = clientFor(s2);
      await c.createTask(t2v());
      expect(await rejection(c.createTask(t2v()))).toMatchObject({ code: 1102, httpStatus: 429, needsUser: true, serverMessage: 'Account balance not enough' });
      s2.setAccount('ak-poor', { balance: 10 });
      const blocked = await c.createTask(t2v({ prompt: 'a kite with blockedword' }));
      s2.clock.advance(FAST.submittedMs + FAST.processingMs);
      const failed = await c.getTask('text2video', blocked.taskId);
      expect(failed).toMatchObject({ status: 'failed', statusMessage: RISK_CONTROL_MESSAGE, unitsCharged: 0, videos: [] });
      expect(s2.account('ak-poor').remaining).toBe(9);
    } finally {
      await s2.close();
    }
  });

  it('1301 for rejected words, 1201 for a duplicate external_task_id', async () => {
    const c = clientFor(sb);
    expect(await rejection(c.createTask(t2v({ prompt: 'rejectedword here' })))).toMatchObject({ code: 1301, needsUser: true });
    const id = ext();
    await c.createTask(t2v({ externalTaskId: id }));
    const dup = await rejection(c.createTask(t2v({ externalTaskId: id })));
    expect(dup.code).toBe(1201);
    expect(dup.serverMessage).toMatch(/external_task_id: .* is already used by task \d+/);
  });
});

describe('auth against the sandbox', () => {
  it('re-uses one token across requests and re-signs before expiry', async () => {
    let t = sb.clock.now();
    const c = clientFor(sb, { now: () => t });
    const start = sb.clock.offsetMs;
    await c.listTasks('text2video');
    await c.listTasks('text2video');
    expect(c.tokens.signed).toBe(1);
    t += 26 * 60_000; // within 5 minutes of exp
    sb.clock.advance(26 * 60_000);
    await c.listTasks('text2video');
    expect(c.tokens.signed).toBe(2);
    expect(sb.clock.offsetMs - start).toBe(26 * 60_000);
  });

  it('clock skew: a client 2 minutes ahead gets 1003 once, then signs on the server clock', async () => {
    const c = clientFor(sb, { now: () => sb.clock.now() + 120_000 });
    await expect(c.listTasks('text2video')).resolves.toBeInstanceOf(Array);
    expect(sb.requests.at(-2)?.code).toBe(1003);
    expect(Math.abs(c.tokens.clockOffsetMs + 120_000)).toBeLessThan(2000);
    expect(c.tokens.signed).toBe(2);
  });

  it('clock skew: a client 40 minutes behind gets 1004 once, then signs on the server clock', async () => {
    const c = clientFor(sb, { now: () => sb.clock.now() - 40 * 60_000 });
    await expect(c.listTasks('text2video')).resolves.toBeInstanceOf(Array);
    expect(sb.requests.at(-2)?.code).toBe(1004);
  });

  it('a wrong secret key is 1002 and is not retried', async () => {
    const c = createKlingClient({ provider: 'sandbox', baseUrl: sb.url, credentials: { kind: 'aksk', accessKey: sb.credentials.accessKey, secretKey: 'wrong-secret' } });
    const before = sb.requests.length;
    expect(await rejection(c.listTasks('text2video'))).toMatchObject({ code: 1002, httpStatus: 401, needsUser: true, category: 'auth' });
    expect(sb.requests.length - before).toBe(1);
  });
});

it('validation errors are ShotlineErrors with the field (nothing sent)', async () => {
  const before = sb.creates.length;
  const err = await clientFor(sb)
    .createTask(t2v({ model: 'kling-v2-5-turbo', camera: { type: 'forward_up' } }))
    .catch((e: unknown) => e);
  expect(err).toBeInstanceOf(ShotlineError);
  expect((err as ShotlineError).info).toMatchObject({ code: 'validation', where: 'camera' });
  expect(sb.creates.length).toBe(before);
});
