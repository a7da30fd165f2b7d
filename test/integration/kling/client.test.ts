/**
 * The real Kling client against the sandbox over HTTP, on both standards: an API key speaks the
 * path-based one (POST /<product>/<model>, GET /tasks, POST /tasks), AK/SK the legacy `/v1`.
 * Create, query, list, reconcile after an unclear answer, a reused external id, groups of 20,
 * billed units, errors, auth and downloads.
 */
import { createHash } from 'node:crypto';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';

import {
  createKlingClient,
  KlingError,
  resolveBaseUrl,
  type KlingClient,
  type KlingRequestInfo,
  type TaskRef,
} from '../../../electron/core/kling';
import { RISK_CONTROL_MESSAGE, type Sandbox } from '../../../electron/core/sandbox';
import { KLING_CODES, LIMITS, PROVIDERS, type VideoRequest } from '../../../shared/kling';
import { ShotlineError } from '../../../shared/result';
import { png } from '../../unit/kling/png';
import { apiClientFor, clientFor, FAST, raw, sandbox } from './helpers';

const DONE = FAST.submittedMs + FAST.processingMs;
let n = 0;
const ext = (): string => `ext-${Date.now()}-${++n}`;
/** kling-2.5-turbo 720p 5 s: on both standards, 1.5 units. */
const t2v = (r: Partial<VideoRequest> = {}): VideoRequest => ({
  kind: 'text2video',
  model: 'kling-2.5-turbo',
  resolution: '720p',
  duration: 5,
  prompt: 'a red kite over the sea',
  externalTaskId: ext(),
  ...r,
});
const T2V: TaskRef = { model: 'kling-2.5-turbo', kind: 'text2video' };

async function rejection(p: Promise<unknown>): Promise<KlingError> {
  try {
    await p;
  } catch (e) {
    if (e instanceof KlingError) return e;
    throw e;
  }
  throw new Error('expected a KlingError');
}

const successfulCreates = (sb: Sandbox, id: string): number =>
  sb.creates.filter((c) => c.externalTaskId === id && c.code === 0).length;

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
  sb.setOptions({ concurrency: 100 });
});

describe('new standard (API key)', () => {
  it('text to video on 3.0 Turbo: path, body, Bearer key, lifecycle up to succeeded, outputs[] and billing[]', async () => {
    const logs: string[] = [];
    const c = apiClientFor(sb, { log: (l) => logs.push(l) });
    expect(c.standard).toBe('new');
    const id = ext();
    const created = await c.createTask({
      kind: 'text2video',
      model: 'kling-3.0-turbo',
      resolution: '720p',
      duration: 3,
      prompt: 'a red kite',
      externalTaskId: id,
    });
    expect(created).toMatchObject({ status: 'submitted', externalTaskId: id, unitsCharged: null });
    expect(created.taskId).toMatch(/^\d{18}$/);
    const rec = sb.creates.at(-1);
    expect(rec).toMatchObject({
      standard: 'new',
      path: '/text-to-video/kling-3.0-turbo',
      model: 'kling-3.0-turbo',
      externalTaskId: id,
      code: 0,
    });
    expect(rec?.auth.via).toBe('apiKey');
    // 3.0 Turbo has no audio or multi_shot field; the new standard has no mode/negative_prompt.
    expect(rec?.body).toEqual({
      prompt: 'a red kite',
      settings: { resolution: '720p', aspect_ratio: '16:9', duration: 3 },
      options: { external_task_id: id },
    });
    expect(logs.join('\n')).not.toContain(sb.credentials.apiKey);

    const ref: TaskRef = { model: 'kling-3.0-turbo', kind: 'text2video' };
    expect((await c.getTask(ref, created.taskId)).status).toBe('submitted');
    sb.clock.advance(FAST.submittedMs);
    expect((await c.getTask(ref, created.taskId)).status).toBe('processing');
    sb.clock.advance(FAST.processingMs);
    const done = await c.getTask(ref, created.taskId);
    // Kling bills rate x requested seconds: 0.8 u/s x 3 s (kling-api.md §12).
    expect(done).toMatchObject({ status: 'succeed', externalTaskId: id, unitsCharged: 2.4 });
    expect(done.videos[0]?.url).toMatch(/^http:\/\/127\.0\.0\.1:\d+\/media\/[0-9a-f]+\.mp4$/);
    expect(done.videos[0]?.durationSec).toBeCloseTo(3.041, 3);
    const q = sb.requests.filter((r) => r.method === 'GET').at(-1);
    expect(q?.path).toBe(`/tasks?task_ids=${created.taskId}`);

    expect((await c.getTaskByExternalId(ref, id))?.taskId).toBe(created.taskId);
    expect(await c.getTaskByExternalId(ref, 'never-sent')).toBeNull();
    // GET /tasks answers an unknown id with an empty list: the client says "not found" as legacy does.
    expect(await rejection(c.getTask(ref, '999999999999999999'))).toMatchObject({ code: 1201, retryable: false });
  });

  it('image to video from a local file: contents[] with a raw base64 first frame; omni on its own path', async () => {
    const c = apiClientFor(sb);
    const file = join(dir, 'start.png');
    writeFileSync(file, png(640, 360));
    const task = await c.createTask({
      kind: 'image2video',
      model: 'kling-2.6',
      resolution: '1080p',
      duration: 10,
      startImage: file,
      endImage: file,
      audio: 'off',
      prompt: 'it flies',
      externalTaskId: ext(),
    });
    expect(task.status).toBe('submitted');
    const body = sb.creates.at(-1)?.body as {
      contents: Array<{ type: string; url?: string; text?: string }>;
      settings: Record<string, unknown>;
    };
    expect(sb.creates.at(-1)?.path).toBe('/image-to-video/kling-2.6');
    expect(body.contents.map((x) => x.type)).toEqual(['prompt', 'first_frame', 'last_frame']);
    expect(body.contents[1]?.url).toBe(png(640, 360).toString('base64'));
    expect(body.settings).toEqual({ resolution: '1080p', duration: 10, audio: 'off' });

    const omni = await c.createTask({
      kind: 'text2video',
      model: 'kling-3.0-omni',
      resolution: '720p',
      duration: 4,
      prompt: 'a lighthouse',
      externalTaskId: ext(),
    });
    expect(sb.creates.at(-1)).toMatchObject({ path: '/omni-video/kling-3.0-omni', code: 0 });
    sb.clock.advance(DONE);
    expect(await c.getTask({ model: 'kling-3.0-omni', kind: 'text2video' }, omni.taskId)).toMatchObject({
      status: 'succeed',
      unitsCharged: 2.4,
    });
  });

  it('GET /tasks in groups of at most 20 ids: 45 tasks in 3 requests, every one answered', async () => {
    const c = apiClientFor(sb);
    const tasks = [];
    for (let i = 0; i < 45; i++) tasks.push(await c.createTask(t2v()));
    sb.clock.advance(DONE);
    const before = sb.requests.length;
    const got = await c.getTasks(tasks.map((t) => ({ ref: T2V, taskId: t.taskId })));
    const gets = sb.requests.slice(before);
    expect(gets.map((r) => r.path.split('=')[1]?.split(',').length)).toEqual([20, 20, 5]);
    expect(gets.every((r) => r.method === 'GET' && r.path.startsWith('/tasks?task_ids=') && r.code === 0)).toBe(true);
    expect(got.size).toBe(45);
    expect(
      [...got.values()].every((t) => t.status === 'succeed' && t.unitsCharged === 1.5 && t.videos.length === 1),
    ).toBe(true);
    // Kling refuses a 21st id (kling-api.md §5.8): the client never sends one.
    const ids = tasks
      .slice(0, LIMITS.tasksQueryMax + 1)
      .map((t) => t.taskId)
      .join(',');
    expect(
      await raw(sb, 'GET', `/tasks?task_ids=${ids}`, undefined, `Bearer ${sb.credentials.apiKey ?? ''}`),
    ).toMatchObject({ status: 400, code: 1201 });
  });

  it('POST /tasks cursor listing reaches every task; reconcile finds a task GET /tasks did not return', async () => {
    const fresh = await sandbox({ concurrency: 100 });
    try {
      const c = apiClientFor(fresh);
      const made = [];
      for (let i = 0; i < 7; i++) made.push(await c.createTask(t2v()));
      const seen: string[] = [];
      let page = await c.listRecent({ limit: 3 });
      seen.push(...page.tasks.map((t) => t.taskId));
      let pages = 1;
      while (page.hasMore && page.nextCursor) {
        page = await c.listRecent({ cursor: page.nextCursor, limit: 3 });
        seen.push(...page.tasks.map((t) => t.taskId));
        pages++;
      }
      expect(pages).toBe(3);
      expect(seen.sort()).toEqual(made.map((t) => t.taskId).sort());
      expect(fresh.requests.filter((r) => r.method === 'POST' && r.path === '/tasks')).toHaveLength(3);

      // A service that indexes external ids late: GET /tasks?external_task_ids= answers [],
      // the listing still has the task (the real sandbox behind a wrapper that empties that answer).
      const late = createKlingClient({
        provider: 'sandbox',
        baseUrl: fresh.url,
        credentials: { kind: 'bearer', apiKey: fresh.credentials.apiKey ?? '' },
        fetch: (input, init) =>
          (input instanceof Request ? input.url : input.toString()).includes('external_task_ids=')
            ? Promise.resolve(
                new Response(JSON.stringify({ code: 0, message: 'SUCCEED', request_id: 'r', data: [] }), {
                  status: 200,
                }),
              )
            : fetch(input, init),
      });
      const target = made[2];
      expect(await late.getTaskByExternalId(T2V, target?.externalTaskId ?? '')).toBeNull();
      expect((await late.findByExternalId(T2V, target?.externalTaskId ?? ''))?.taskId).toBe(target?.taskId);
      expect(await late.findByExternalId(T2V, 'never-sent')).toBeNull();
    } finally {
      await fresh.close();
    }
  });

  it('an answer lost after the create: reconcile by external id, and a resubmit answered 1201 adopts the task (paid once)', async () => {
    const c = apiClientFor(sb, { timeoutMs: 300 });
    const lost = ext();
    sb.inject({ route: 'create', action: { type: 'drop', after: true } });
    expect(await rejection(c.createTask(t2v({ externalTaskId: lost })))).toMatchObject({
      kind: 'network',
      retryable: true,
    });
    const found = await c.findByExternalId(T2V, lost);
    expect(found?.externalTaskId).toBe(lost);

    // A second client (another run) resubmits the same take: Kling answers 1201, the client adopts.
    const again = await apiClientFor(sb).createTask(t2v({ externalTaskId: lost }));
    expect(again.taskId).toBe(found?.taskId);
    expect(sb.creates.filter((r) => r.externalTaskId === lost).map((r) => r.code)).toEqual([0, 1201]);
    expect(sb.creates.at(-1)?.message).toMatch(/^External_task_id .* already exists$/);
    expect(successfulCreates(sb, lost)).toBe(1);

    const slow = ext();
    sb.inject({ route: 'create', action: { type: 'delay', ms: 1000, after: true } });
    expect(await rejection(c.createTask(t2v({ externalTaskId: slow })))).toMatchObject({ kind: 'timeout' });
    expect(await c.findByExternalId(T2V, slow)).not.toBeNull();
    expect(successfulCreates(sb, slow)).toBe(1);
  });

  it('a reused external id after the task finished is still the same task, billed once', async () => {
    const c = apiClientFor(sb);
    const id = ext();
    const first = await c.createTask(t2v({ externalTaskId: id }));
    sb.clock.advance(DONE);
    const second = await c.createTask(t2v({ externalTaskId: id }));
    expect(second).toMatchObject({ taskId: first.taskId, status: 'succeed', unitsCharged: 1.5 });
    expect(successfulCreates(sb, id)).toBe(1);
  });

  it('a wrong API key is 401/1002 (auth, needs a person), not retried', async () => {
    const wrong = createKlingClient({
      provider: 'sandbox',
      baseUrl: sb.url,
      credentials: { kind: 'bearer', apiKey: 'sk-wrong-key-000000' },
    });
    const before = sb.requests.length;
    expect(await rejection(wrong.createTask(t2v()))).toMatchObject({
      code: 1002,
      httpStatus: 401,
      needsUser: true,
      category: 'auth',
    });
    expect(sb.requests.length - before).toBe(1);
  });
});

describe('legacy standard (AK/SK)', () => {
  it('text to video on /v1: model_name, mode, string duration, JWT; lifecycle, final_unit_deduction, external id, list', async () => {
    const c = clientFor(sb);
    expect(c.standard).toBe('legacy');
    const id = ext();
    const created = await c.createTask(t2v({ externalTaskId: id, negativePrompt: 'text, watermark' }));
    expect(created).toMatchObject({ status: 'submitted', externalTaskId: id });
    const rec = sb.creates.at(-1);
    expect(rec).toMatchObject({
      standard: 'legacy',
      path: '/v1/videos/text2video',
      model: 'kling-v2-5-turbo',
      code: 0,
    });
    expect(rec?.auth.via).toBe('jwt');
    expect(rec?.auth.claims.iss).toBe(sb.credentials.accessKey);
    expect(rec?.body).toMatchObject({
      model_name: 'kling-v2-5-turbo',
      mode: 'std',
      duration: '5',
      negative_prompt: 'text, watermark',
      external_task_id: id,
    });

    sb.clock.advance(FAST.submittedMs);
    expect((await c.getTask(T2V, created.taskId)).status).toBe('processing');
    sb.clock.advance(FAST.processingMs);
    expect(await c.getTask(T2V, created.taskId)).toMatchObject({
      status: 'succeed',
      unitsCharged: 1.5,
      externalTaskId: id,
    });
    expect((await c.getTaskByExternalId(T2V, id))?.taskId).toBe(created.taskId);
    expect(await c.getTaskByExternalId(T2V, 'never-sent')).toBeNull();
    const list = await c.listTasks(T2V, { pageNum: 1, pageSize: 500 });
    expect(list.some((t) => t.taskId === created.taskId)).toBe(true);
  });

  it('the model picks the family: omni models are queried on /v1/videos/omni-video', async () => {
    const c = clientFor(sb);
    const ref: TaskRef = { model: 'kling-3.0-omni', kind: 'text2video' };
    const t = await c.createTask({
      kind: 'text2video',
      model: 'kling-3.0-omni',
      resolution: '720p',
      duration: 3,
      prompt: 'a lighthouse',
      externalTaskId: ext(),
    });
    expect(sb.creates.at(-1)).toMatchObject({ path: '/v1/videos/omni-video', model: 'kling-v3-omni', code: 0 });
    sb.clock.advance(DONE);
    expect(await c.getTask(ref, t.taskId)).toMatchObject({ status: 'succeed', unitsCharged: 1.8 });
    expect(sb.requests.at(-1)?.path).toBe(`/v1/videos/omni-video/${t.taskId}`);
    // Grouped status on legacy: one list page per family.
    const t2 = await c.createTask(t2v());
    sb.clock.advance(DONE);
    const before = sb.requests.length;
    const got = await c.getTasks([
      { ref, taskId: t.taskId },
      { ref: T2V, taskId: t2.taskId },
    ]);
    expect(got.size).toBe(2);
    expect(
      sb.requests
        .slice(before)
        .map((r) => r.path.split('?')[0])
        .sort(),
    ).toEqual(['/v1/videos/omni-video', '/v1/videos/text2video']);
  });

  it('what AK/SK cannot reach is refused before anything is sent, with the fix', async () => {
    const before = sb.creates.length;
    const err = await clientFor(sb)
      .createTask(t2v({ model: 'kling-3.0-turbo', duration: 3 }))
      .catch((e: unknown) => e);
    expect(err).toBeInstanceOf(ShotlineError);
    expect((err as ShotlineError).info).toMatchObject({ code: 'validation', where: 'model' });
    expect((err as ShotlineError).message).toMatch(/only offered on Kling's new API.*API key.*keys set --api-key/);
    expect(sb.creates.length).toBe(before);
  });

  it('unclear answer and a reused external id on /v1: reconciled, adopted, paid once', async () => {
    const c = clientFor(sb, { timeoutMs: 300 });
    const lost = ext();
    sb.inject({ route: 'create', action: { type: 'drop', after: true } });
    expect(await rejection(c.createTask(t2v({ externalTaskId: lost })))).toMatchObject({ kind: 'network' });
    const found = await c.findByExternalId(T2V, lost);
    expect(found?.externalTaskId).toBe(lost);
    const again = await clientFor(sb).createTask(t2v({ externalTaskId: lost }));
    expect(again.taskId).toBe(found?.taskId);
    expect(sb.creates.filter((r) => r.externalTaskId === lost).map((r) => r.code)).toEqual([0, 1201]);
    expect(successfulCreates(sb, lost)).toBe(1);
  });

  it('a gateway (CometAPI) speaks legacy with a bearer key, under its path prefix', async () => {
    const comet = createKlingClient({
      provider: 'cometapi',
      baseUrl: sb.url,
      credentials: { kind: 'bearer', apiKey: sb.credentials.apiKey ?? '' },
    });
    expect(comet.standard).toBe('legacy');
    const t = await comet.createTask(t2v());
    await comet.getTask(T2V, t.taskId);
    expect(sb.requests.slice(-2).map((r) => r.path)).toEqual([
      '/kling/v1/videos/text2video',
      `/kling/v1/videos/text2video/${t.taskId}`,
    ]);
    expect((await rejection(comet.accountCosts({ startTime: 0, endTime: 1 }))).needsUser).toBe(true);
    expect(() =>
      createKlingClient({
        provider: 'cometapi',
        baseUrl: sb.url,
        credentials: { kind: 'aksk', accessKey: 'a', secretKey: 'b' },
      }),
    ).toThrow(/takes bearer/);
  });
});

describe('both standards', () => {
  it('calls onRequest for every outgoing request, with the standard, a body hash and no secrets', async () => {
    for (const make of [apiClientFor, clientFor]) {
      const seen: KlingRequestInfo[] = [];
      const logs: string[] = [];
      const c: KlingClient = make(sb, { onRequest: (i) => seen.push(i), log: (l) => logs.push(l) });
      const id = ext();
      const task = await c.createTask(t2v({ externalTaskId: id }));
      await c.getTask(T2V, task.taskId);
      expect(seen.map((s) => `${s.method} ${s.purpose} ${s.standard}`)).toEqual([
        `POST create ${c.standard}`,
        `GET query ${c.standard}`,
      ]);
      const body = JSON.stringify(sb.creates.at(-1)?.body);
      expect(seen[0]).toMatchObject({
        host: new URL(sb.url).host,
        provider: 'sandbox',
        region: 'local',
        location: 'this machine (simulator)',
        kind: 'text2video',
        model: 'kling-2.5-turbo',
        externalTaskId: id,
        bodySha256: createHash('sha256').update(body).digest('hex'),
      });
      expect(seen[1]?.bodySha256).toBe(createHash('sha256').update('').digest('hex'));
      const token = c.tokens.authorization().slice('Bearer '.length);
      expect(logs.join('\n')).not.toContain(token);
      expect(logs.join('\n')).not.toContain(sb.credentials.secretKey);
      expect(logs[0]).toMatch(/auth=Bearer \S{1,4}…\S{1,4} -> 200 code=0/);
    }
  });

  it('/account/costs, double-wrapped, and its 1 QPS limit (1302)', async () => {
    const c = apiClientFor(sb);
    const packs = await c.accountCosts({ startTime: 0, endTime: sb.clock.now() });
    expect(packs[0]).toMatchObject({ type: 'decreasing_total', total: 10_000, status: 'online' });
    expect(packs[0]?.remaining).toBeLessThan(10_000);
    sb.setOptions({ costsMinIntervalMs: 60_000 });
    try {
      expect(await rejection(clientFor(sb).accountCosts({ startTime: 0, endTime: 1 }))).toMatchObject({
        code: 1302,
        httpStatus: 429,
        retryable: true,
      });
    } finally {
      sb.setOptions({ costsMinIntervalMs: 0 });
    }
  });

  it('base URLs: https, or http on loopback only; regions are data', () => {
    expect(resolveBaseUrl(PROVIDERS.kling, 'beijing', undefined).baseUrl).toBe('https://api-beijing.klingai.com');
    expect(resolveBaseUrl(PROVIDERS.kling, undefined, undefined)).toMatchObject({
      region: 'singapore',
      location: 'Singapore (Kling global)',
    });
    expect(() => resolveBaseUrl(PROVIDERS.kling, undefined, 'http://example.com')).toThrow(/must use https/);
    expect(() => resolveBaseUrl(PROVIDERS.kling, 'mars', undefined)).toThrow(/region "mars" is unknown/);
    expect(() => resolveBaseUrl(PROVIDERS.sandbox, undefined, undefined)).toThrow(/needs a base URL/);
    expect(resolveBaseUrl(PROVIDERS.kling, undefined, 'http://[::1]:8080/').baseUrl).toBe('http://[::1]:8080');
  });

  it('validation errors are ShotlineErrors with the field (nothing sent)', async () => {
    const before = sb.creates.length;
    const err = await apiClientFor(sb)
      .createTask(t2v({ model: 'kling-3.0', duration: 20 }))
      .catch((e: unknown) => e);
    expect(err).toBeInstanceOf(ShotlineError);
    expect((err as ShotlineError).info).toMatchObject({ code: 'validation', where: 'duration' });
    const small = join(dir, 'small.png');
    writeFileSync(small, png(200, 400));
    await expect(
      apiClientFor(sb).createTask({ ...t2v(), kind: 'image2video', startImage: small, prompt: '' }),
    ).rejects.toThrow(/startImage: 200x400 px is too small.*small\.png/);
    await expect(
      apiClientFor(sb).createTask({ ...t2v(), kind: 'image2video', startImage: join(dir, 'missing.png') }),
    ).rejects.toThrow(/does not exist/);
    expect(sb.creates.length).toBe(before);
  });
});

describe('result downloads', () => {
  it('fetchResult: whole file, resume from a byte, expired links, audit hook', async () => {
    const seen: KlingRequestInfo[] = [];
    const c = apiClientFor(sb, { onRequest: (i) => seen.push(i) });
    const t = await c.createTask(t2v({ aspectRatio: '1:1', watermark: true }));
    sb.clock.advance(DONE);
    const video = (await c.getTask(T2V, t.taskId)).videos[0];
    const url = video?.url ?? '';
    expect(video?.watermarkUrl).toBeTruthy();
    const full = Buffer.from(await (await c.fetchResult(url)).arrayBuffer());
    const tail = await c.fetchResult(url, { start: 1000 });
    expect(tail.status).toBe(206);
    expect(Buffer.from(await tail.arrayBuffer())).toEqual(full.subarray(1000));
    expect(seen.filter((s) => s.purpose === 'download').map((s) => `${s.host} ${s.standard}`)).toEqual([
      `${new URL(url).host} new`,
      `${new URL(url).host} new`,
    ]);
    sb.clock.advance(sb.options.urlTtlMs + 1);
    expect(await rejection(c.fetchResult(url))).toMatchObject({ kind: 'expired', retryable: true });
    await expect(c.fetchResult('http://example.com/a.mp4')).rejects.toThrow(/must use https/);
  });
});

describe('errors: every business code becomes a typed KlingError', () => {
  const codes = Object.values(KLING_CODES).filter((c) => c.code !== 1003 && c.code !== 1004);
  it.each(codes.map((c) => [c.code, c.httpStatus, c.retryable, c.needsUser] as const))(
    'code %i (HTTP %i) retryable=%s needsUser=%s',
    async (code, http, retryable, needsUser) => {
      sb.inject({ route: 'create', action: { type: 'error', code } });
      const err = await rejection(apiClientFor(sb).createTask(t2v()));
      expect(err).toMatchObject({ kind: 'business', code, httpStatus: http, retryable, needsUser });
      expect(err.info.code).toBe(`kling_${code}`);
      expect(err.message).toMatch(new RegExp(`^Kling ${code} \\(`));
    },
  );

  it.each([1003, 1004])('%i: re-signs once, then reports', async (code) => {
    const c = clientFor(sb);
    sb.inject({ route: 'create', action: { type: 'error', code } });
    await expect(c.createTask(t2v())).resolves.toMatchObject({ status: 'submitted' });
    sb.inject({ route: 'create', action: { type: 'error', code }, times: 2 });
    expect(await rejection(c.createTask(t2v()))).toMatchObject({ code, httpStatus: 401, retryable: true });
  });

  it('HTTP 200 with code != 0 is an error', async () => {
    sb.inject({ route: 'query', action: { type: 'error', code: 1201, httpStatus: 200, message: 'bad' } });
    expect(await rejection(apiClientFor(sb).getTask(T2V, '1'))).toMatchObject({
      code: 1201,
      httpStatus: 200,
      retryable: false,
    });
  });

  it('dropped connections, timeouts and non-Kling answers are retryable transport errors', async () => {
    sb.inject({ route: 'create', action: { type: 'drop' } });
    expect(await rejection(apiClientFor(sb).createTask(t2v()))).toMatchObject({
      kind: 'network',
      code: null,
      retryable: true,
    });
    // GETs are sent once more after a dropped connection (stale keep-alive); twice is an error.
    const t = await apiClientFor(sb).createTask(t2v());
    sb.inject({ route: 'query', action: { type: 'drop' } });
    await expect(apiClientFor(sb).getTask(T2V, t.taskId)).resolves.toMatchObject({ taskId: t.taskId });
    sb.inject({ route: 'query', action: { type: 'drop' }, times: 2 });
    expect(await rejection(apiClientFor(sb).getTask(T2V, t.taskId))).toMatchObject({
      kind: 'network',
      retryable: true,
    });
    sb.inject({ route: 'query', action: { type: 'delay', ms: 1500 } });
    expect(await rejection(apiClientFor(sb, { timeoutMs: 150 }).getTask(T2V, '1'))).toMatchObject({
      kind: 'timeout',
      retryable: true,
    });
    const html = apiClientFor(sb, {
      fetch: () => Promise.resolve(new Response('<html>bad gateway</html>', { status: 502 })),
    });
    expect(await rejection(html.getTask(T2V, '1'))).toMatchObject({
      kind: 'protocol',
      httpStatus: 502,
      retryable: true,
    });
  });

  it('real 1303 from the concurrency limit; slots free when tasks end', async () => {
    const c = apiClientFor(sb);
    sb.clock.advance(3_600_000); // let earlier tasks finish
    sb.setOptions({ concurrency: 2 });
    await c.createTask(t2v());
    await c.createTask(t2v());
    expect(await rejection(c.createTask(t2v()))).toMatchObject({
      code: 1303,
      httpStatus: 429,
      retryable: true,
      needsUser: false,
    });
    sb.clock.advance(DONE);
    await expect(c.createTask(t2v())).resolves.toMatchObject({ status: 'submitted' });
  });

  it('real 1102 when the pack runs out; failed tasks are not charged', async () => {
    const s2 = await sandbox({
      accounts: [{ accessKey: 'ak-poor', secretKey: 'sk-poor-000000', apiKey: 'api-poor-0000000000', balance: 2 }],
    });
    try {
      const c = apiClientFor(s2);
      await c.createTask(t2v());
      expect(await rejection(c.createTask(t2v()))).toMatchObject({
        code: 1102,
        httpStatus: 429,
        needsUser: true,
        serverMessage: 'Account balance not enough',
      });
      s2.setAccount('ak-poor', { balance: 10 });
      const blocked = await c.createTask(t2v({ prompt: 'a kite with blockedword' }));
      s2.clock.advance(DONE);
      const failed = await c.getTask(T2V, blocked.taskId);
      expect(failed).toMatchObject({ status: 'failed', statusMessage: RISK_CONTROL_MESSAGE, videos: [] });
      expect(failed.unitsCharged ?? 0).toBe(0);
      expect(s2.account('ak-poor').remaining).toBe(8.5);
    } finally {
      await s2.close();
    }
  });

  it('1301 for rejected words', async () => {
    expect(await rejection(apiClientFor(sb).createTask(t2v({ prompt: 'rejectedword here' })))).toMatchObject({
      code: 1301,
      needsUser: true,
    });
  });
});

describe('auth (legacy JWT) against the sandbox', () => {
  it('re-uses one token across requests and re-signs before expiry', async () => {
    let t = sb.clock.now();
    const c = clientFor(sb, { now: () => t });
    const start = sb.clock.offsetMs;
    await c.listTasks(T2V);
    await c.listTasks(T2V);
    expect(c.tokens.signed).toBe(1);
    t += 26 * 60_000; // within 5 minutes of exp
    sb.clock.advance(26 * 60_000);
    await c.listTasks(T2V);
    expect(c.tokens.signed).toBe(2);
    expect(sb.clock.offsetMs - start).toBe(26 * 60_000);
  });

  it('clock skew: a client 2 minutes ahead gets 1003 once, then signs on the server clock', async () => {
    const c = clientFor(sb, { now: () => sb.clock.now() + 120_000 });
    await expect(c.listTasks(T2V)).resolves.toBeInstanceOf(Array);
    expect(sb.requests.at(-2)?.code).toBe(1003);
    expect(Math.abs(c.tokens.clockOffsetMs + 120_000)).toBeLessThan(2000);
    expect(c.tokens.signed).toBe(2);
  });

  it('clock skew: a client 40 minutes behind gets 1004 once, then signs on the server clock', async () => {
    const c = clientFor(sb, { now: () => sb.clock.now() - 40 * 60_000 });
    await expect(c.listTasks(T2V)).resolves.toBeInstanceOf(Array);
    expect(sb.requests.at(-2)?.code).toBe(1004);
  });

  it('a wrong secret key is 1002 and is not retried', async () => {
    const c = createKlingClient({
      provider: 'sandbox',
      baseUrl: sb.url,
      credentials: { kind: 'aksk', accessKey: sb.credentials.accessKey, secretKey: 'wrong-secret' },
    });
    const before = sb.requests.length;
    expect(await rejection(c.listTasks(T2V))).toMatchObject({
      code: 1002,
      httpStatus: 401,
      needsUser: true,
      category: 'auth',
    });
    expect(sb.requests.length - before).toBe(1);
  });
});
