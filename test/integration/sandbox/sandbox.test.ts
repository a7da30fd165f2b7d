/**
 * The sandbox over real HTTP, as kling-api.md §20 asks of a faithful simulator: both standards
 * with their auth rules, the live roster and retired models, creates checked through the
 * endpoint descriptors, `/tasks` (20-id limit, cursor listing), external ids unique across
 * standards, billing, 1303/1102, MP4s with or without an AAC track, expiring URLs, callbacks,
 * fault injection, the outage hook and the state file.
 */
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';

import { verifyWebhook, type WebhookHeaders } from '../../../electron/core/kling/webhook';
import { AKSK_REFUSED, NOT_A_JWT, startSandboxForCli, type Sandbox } from '../../../electron/core/sandbox';
import { discontinuedMessage } from '../../../shared/kling/capabilities';
import type { VideoRequest } from '../../../shared/kling/request';
import { pngBase64 } from '../../unit/kling/png';
import { akskHeader, call, create, DONE_MS, fastSandbox, ffprobe, idOf, jwt, tasksByIds, wire } from './helpers';

let sb: Sandbox;
beforeAll(async () => {
  sb = await fastSandbox();
});
afterAll(async () => {
  await sb.close();
});
beforeEach(() => sb.clearFaults());

let n = 0;
const ext = (): string => `sb-${++n}`;
const t2v = (extra: Partial<VideoRequest> = {}): VideoRequest => ({
  kind: 'text2video',
  model: 'kling-2.5-turbo',
  resolution: '720p',
  duration: 5,
  aspectRatio: '16:9',
  prompt: 'a red kite over the sea',
  externalTaskId: ext(),
  ...extra,
});
const legacyT2v = (extra: Record<string, unknown> = {}): Record<string, unknown> => ({
  model_name: 'kling-v2-5-turbo',
  prompt: 'a kite',
  mode: 'std',
  aspect_ratio: '16:9',
  duration: '5',
  external_task_id: ext(),
  ...extra,
});

describe('auth: new-standard routes take only API keys (kling-api.md §4.2)', () => {
  const nowSec = (): number => Math.floor(sb.clock.now() / 1000);
  const routes: Array<[string, 'GET' | 'POST', string, unknown]> = [
    ['GET /tasks', 'GET', '/tasks?task_ids=1', undefined],
    ['POST /tasks', 'POST', '/tasks', {}],
    ['create', 'POST', '/text-to-video/kling-2.5-turbo', { prompt: 'a kite' }],
  ];
  it.each(routes)(
    '%s: API key 0; a valid AK/SK JWT, a forged one and an unknown key 401/1002 "does not support AK/SK"; none 1001',
    async (_n, method, path, body) => {
      expect((await call(sb, method, path, body, 'key')).code).toBe(0);
      for (const header of [
        akskHeader(sb),
        `Bearer ${jwt({ iss: 'x', exp: nowSec() + 60 }, 'y')}`,
        'Bearer sk-unknown',
      ]) {
        const r = await call(sb, method, path, body, header);
        expect(r).toMatchObject({ status: 401, code: 1002, message: AKSK_REFUSED });
        expect(r.json).not.toHaveProperty('data');
      }
      expect(await call(sb, method, path, body, null)).toMatchObject({ status: 401, code: 1001 });
    },
  );

  const legacy: Array<[string, () => string | null, number, RegExp | null]> = [
    ['API key', () => `Bearer ${sb.credentials.apiKey}`, 0, null],
    ['AK/SK JWT', () => akskHeader(sb), 0, null],
    ['missing header', () => null, 1001, null],
    ['not Bearer', () => `Token ${sb.credentials.apiKey}`, 1002, null],
    ['garbage key', () => 'Bearer sk-unknown', 1002, new RegExp(NOT_A_JWT)],
    [
      'alg none',
      () =>
        `Bearer ${jwt({ iss: sb.credentials.accessKey, exp: nowSec() + 60 }, sb.credentials.secretKey, { alg: 'none' })}`,
      1002,
      null,
    ],
    [
      'bad signature',
      () => `Bearer ${jwt({ iss: sb.credentials.accessKey, exp: nowSec() + 60 }, 'not-the-secret')}`,
      1002,
      /signature/,
    ],
    ['no exp', () => `Bearer ${jwt({ iss: sb.credentials.accessKey }, sb.credentials.secretKey)}`, 1002, null],
    ['unknown access key', () => `Bearer ${jwt({ iss: 'who', exp: nowSec() + 60 }, 'x')}`, 1000, null],
    [
      'nbf in the future',
      () =>
        `Bearer ${jwt({ iss: sb.credentials.accessKey, exp: nowSec() + 600, nbf: nowSec() + 30 }, sb.credentials.secretKey)}`,
      1003,
      null,
    ],
    [
      'exp in the past',
      () =>
        `Bearer ${jwt({ iss: sb.credentials.accessKey, exp: nowSec() - 1, nbf: nowSec() - 100 }, sb.credentials.secretKey)}`,
      1004,
      null,
    ],
  ];
  it.each(legacy)('legacy /v1 and /account with %s -> %i', async (_n, header, code, message) => {
    for (const path of ['/v1/videos/text2video?pageSize=1', '/account/costs?start_time=1&end_time=2']) {
      const r = await call(sb, 'GET', path, undefined, header());
      expect(r.code, path).toBe(code);
      expect(r.status).toBe(code === 0 ? 200 : 401);
      if (message) expect(r.message).toMatch(message);
    }
  });
});

describe('models: the live roster, retired models answered as Kling does', () => {
  it('retired legacy names, the kling-v1 default, and retired ids in a path: 400/1201 "discontinued", no task, no charge', async () => {
    const before = { tasks: sb.tasks().length, remaining: sb.account().remaining };
    const cases: Array<[string, unknown, string]> = [
      ['/v1/videos/text2video', legacyT2v({ model_name: 'kling-v1' }), 'kling-v1'],
      ['/v1/videos/text2video', legacyT2v({ model_name: undefined }), 'kling-v1'],
      [
        '/v1/videos/image2video',
        { model_name: 'kling-v1-6', image: pngBase64(400, 400), external_task_id: ext() },
        'kling-v1-6',
      ],
      ['/v1/videos/text2video', legacyT2v({ model_name: 'kling-v2-1-master' }), 'kling-v2-1-master'],
      ['/v1/videos/text2video', legacyT2v({ model_name: 'kling-v2-master' }), 'kling-v2-master'],
      ['/v1/videos/video-extend', { video_id: '1', prompt: 'more' }, 'kling-v1'],
      ['/v1/videos/multi-image2video', { image_list: [{ image: 'https://example.com/a.png' }] }, 'kling-v1-6'],
    ];
    for (const [path, body, name] of cases) {
      expect(await call(sb, 'POST', path, body), path).toMatchObject({
        status: 400,
        code: 1201,
        message: discontinuedMessage(name),
      });
    }
    const r = await call(sb, 'POST', '/text-to-video/kling-v1-5', { prompt: 'a kite' });
    expect(r).toMatchObject({ status: 400, code: 1201, message: discontinuedMessage('kling-v1-5') });
    expect(sb.tasks().length).toBe(before.tasks);
    expect(sb.account().remaining).toBe(before.remaining);
    expect(sb.creates.slice(-8).every((c) => c.taskId === null && c.code === 1201)).toBe(true);
  });

  it('the answer to a retired model is configurable, and kling-v2-master can be served as a live row', async () => {
    const s2 = await fastSandbox({
      retiredAnswer: { httpStatus: 404, code: 1203 },
      legacyModels: { 'kling-v2-master': 'kling-2.6' },
    });
    try {
      expect(await call(s2, 'POST', '/v1/videos/text2video', legacyT2v({ model_name: 'kling-v1' }))).toMatchObject({
        status: 404,
        code: 1203,
        message: discontinuedMessage('kling-v1'),
      });
      const ok = await call(s2, 'POST', '/v1/videos/text2video', legacyT2v({ model_name: 'kling-v2-master' }));
      expect(ok.code).toBe(0);
      expect(s2.tasks()[0]?.model).toBe('kling-2.6');
    } finally {
      await s2.close();
    }
  });

  it('unknown ids, products a model is not on, and families a legacy name is not on are refused', async () => {
    expect(await call(sb, 'POST', '/text-to-video/kling-9.9', { prompt: 'p' })).toMatchObject({
      status: 404,
      code: 1203,
    });
    expect(await call(sb, 'POST', '/text-to-video/kling-v3', { prompt: 'p' })).toMatchObject({
      status: 404,
      code: 1203,
    });
    expect((await call(sb, 'POST', '/text-to-video/kling-3.0-omni', { prompt: 'p' })).message).toMatch(
      /kling-3.0-omni is not offered on \/text-to-video; it is on \/omni-video/,
    );
    expect(
      await call(sb, 'POST', '/image-to-video/kling-o1', { contents: [{ type: 'prompt', text: 'p' }] }),
    ).toMatchObject({ code: 1203 });
    expect(await call(sb, 'POST', '/v1/videos/text2video', legacyT2v({ model_name: 'kling-v9' }))).toMatchObject({
      status: 404,
      code: 1203,
    });
    expect(
      (await call(sb, 'POST', '/v1/videos/text2video', legacyT2v({ model_name: 'kling-v3-omni' }))).message,
    ).toMatch(/not offered on \/v1\/videos\/text2video; use \/v1\/videos\/omni-video/);
    // 3.0 Turbo has no legacy name: AK/SK cannot reach it.
    expect(await call(sb, 'POST', '/v1/videos/text2video', legacyT2v({ model_name: 'kling-3.0-turbo' }))).toMatchObject(
      { code: 1203 },
    );
  });

  it('every live model takes a text-to-video create by its path id, every legacy name on /v1', async () => {
    const s2 = await fastSandbox({ concurrency: 100 });
    try {
      for (const model of [
        'kling-3.0',
        'kling-3.0-turbo',
        'kling-3.0-omni',
        'kling-o1',
        'kling-2.6',
        'kling-2.5-turbo',
      ] as const) {
        expect((await create(s2, t2v({ model }), 'new')).code, model).toBe(0);
        if (model !== 'kling-3.0-turbo')
          expect((await create(s2, t2v({ model }), 'legacy')).code, `${model} legacy`).toBe(0);
      }
      expect(s2.creates.map((c) => c.path)).toContain('/omni-video/kling-o1');
      expect(s2.creates.map((c) => c.model)).toContain('kling-video-o1');
    } finally {
      await s2.close();
    }
  });
});

describe('creates are checked through the endpoint descriptors (1201 naming the wire field)', () => {
  const img = pngBase64(400, 400);
  const cases: Array<[string, string, unknown, RegExp]> = [
    [
      'negative_prompt on the new standard',
      '/text-to-video/kling-2.6',
      { prompt: 'p', negative_prompt: 'blur' },
      /negative_prompt: unknown field; Kling's new standard has no such field/,
    ],
    [
      'mode on the new standard',
      '/text-to-video/kling-2.6',
      { prompt: 'p', settings: { mode: 'pro' } },
      /settings\.mode: unknown field/,
    ],
    [
      'camera_control on the new standard',
      '/text-to-video/kling-3.0',
      { prompt: 'p', camera_control: { type: 'simple' } },
      /camera_control: unknown field/,
    ],
    [
      '2.6 native audio at 720p',
      '/text-to-video/kling-2.6',
      { prompt: 'p', settings: { resolution: '720p', audio: 'native' } },
      /settings\.audio: kling-2\.6 makes native audio only at 1080p/,
    ],
    [
      '3.0 Turbo has no audio field',
      '/text-to-video/kling-3.0-turbo',
      { prompt: 'p', settings: { audio: 'off' } },
      /settings\.audio: kling-3\.0-turbo has no audio setting/,
    ],
    [
      '3.0 Turbo takes no last frame',
      '/image-to-video/kling-3.0-turbo',
      {
        contents: [
          { type: 'first_frame', url: img },
          { type: 'last_frame', url: img },
        ],
      },
      /contents\[last_frame\]: kling-3\.0-turbo takes only a start frame/,
    ],
    [
      'last frame alone',
      '/image-to-video/kling-3.0',
      { contents: [{ type: 'last_frame', url: img }] },
      /contents\[first_frame\]: an end frame needs a start frame/,
    ],
    [
      '2.5 Turbo first + last at 720p',
      '/image-to-video/kling-2.5-turbo',
      {
        contents: [
          { type: 'first_frame', url: img },
          { type: 'last_frame', url: img },
        ],
        settings: { resolution: '720p' },
      },
      /contents\[last_frame\]: .*only at 1080p/,
    ],
    [
      'duration 7 on 2.5 Turbo',
      '/text-to-video/kling-2.5-turbo',
      { prompt: 'p', settings: { duration: 7 } },
      /settings\.duration: 7 s is not offered by kling-2\.5-turbo/,
    ],
    [
      '4k on 2.6',
      '/text-to-video/kling-2.6',
      { prompt: 'p', settings: { resolution: '4k' } },
      /settings\.resolution: kling-2\.6 does not make 4k/,
    ],
    [
      'aspect ratio on image to video',
      '/image-to-video/kling-2.6',
      { contents: [{ type: 'first_frame', url: img }], settings: { aspect_ratio: '1:1' } },
      /settings\.aspect_ratio: image to video takes no aspect ratio/,
    ],
    [
      'data: prefix',
      '/image-to-video/kling-2.6',
      { contents: [{ type: 'first_frame', url: `data:image/png;base64,${img}` }] },
      /contents\[first_frame\]: File is not in a valid base64 format/,
    ],
    [
      'image too small',
      '/image-to-video/kling-2.6',
      { contents: [{ type: 'first_frame', url: pngBase64(299, 400) }] },
      /contents\[first_frame\]: 299x400 px is too small/,
    ],
    [
      'prompt too long',
      '/text-to-video/kling-2.5-turbo',
      { prompt: 'x'.repeat(2501) },
      /prompt: 2501 characters; kling-2\.5-turbo takes at most 2500/,
    ],
    [
      'http callback to a remote host',
      '/text-to-video/kling-2.5-turbo',
      { prompt: 'p', options: { callback_url: 'http://example.com/cb' } },
      /options\.callback_url: .*must use https/,
    ],
    [
      'legacy: no image',
      '/v1/videos/image2video',
      { model_name: 'kling-v2-6', prompt: 'p' },
      /^image can not be null$/,
    ],
    ['legacy: numeric duration', '/v1/videos/text2video', legacyT2v({ duration: 5 }), /duration: /],
    [
      'legacy: duration 7 on kling-v2-6',
      '/v1/videos/text2video',
      legacyT2v({ model_name: 'kling-v2-6', duration: '7' }),
      /duration: 7 s is not offered by kling-2\.6/,
    ],
    [
      'legacy: negative prompt on kling-v3',
      '/v1/videos/text2video',
      legacyT2v({ model_name: 'kling-v3', negative_prompt: 'blur' }),
      /negative_prompt: kling-3\.0 takes no negative prompt/,
    ],
    [
      'legacy: sound on 2.5 Turbo',
      '/v1/videos/text2video',
      legacyT2v({ sound: 'on' }),
      /sound: kling-v2-5-turbo has no sound setting/,
    ],
    [
      'legacy: camera_control',
      '/v1/videos/text2video',
      legacyT2v({ camera_control: { type: 'simple' } }),
      /camera_control: unknown field/,
    ],
  ];
  it.each(cases)('%s', async (_name, path, body, message) => {
    const r = await call(sb, 'POST', path, body);
    expect(r, r.message).toMatchObject({ status: 400, code: 1201 });
    expect(r.message).toMatch(message);
  });

  it("unknown fields can be ignored instead (kling-api.md §20: Kling's own behaviour is uncertain)", async () => {
    const s2 = await fastSandbox({ unknownFields: 'ignore' });
    try {
      expect(
        (
          await call(s2, 'POST', '/text-to-video/kling-2.6', {
            prompt: 'p',
            negative_prompt: 'blur',
            settings: { mode: 'pro' },
          })
        ).code,
      ).toBe(0);
    } finally {
      await s2.close();
    }
  });

  it('a body that is not JSON is 1200; unknown endpoints and methods are 1202; the /kling prefix works', async () => {
    expect((await call(sb, 'POST', '/text-to-video/kling-2.6', '{oops')).code).toBe(1200);
    expect(await call(sb, 'GET', '/v1/videos/lip-sync')).toMatchObject({ status: 404, code: 1202 });
    expect(await call(sb, 'GET', '/text-to-video/kling-2.6')).toMatchObject({ status: 404, code: 1202 });
    expect(await call(sb, 'POST', '/account/costs', {})).toMatchObject({ status: 404, code: 1202 });
    expect((await call(sb, 'GET', '/kling/v1/videos/text2video?pageSize=1')).code).toBe(0);
    expect((await call(sb, 'GET', '/v1/videos/text2video?pageSize=501')).code).toBe(1201);
  });
});

describe('tasks on both standards', () => {
  it('GET /tasks: by ids or external ids, unknown ones left out, legacy-created tasks in the new shape, 21 ids refused', async () => {
    const a = await create(sb, t2v(), 'new');
    const legacyReq = t2v({ model: 'kling-2.6' });
    const b = await create(sb, legacyReq, 'legacy');
    expect(a.data).toMatchObject({ status: 'submitted', external_id: expect.stringMatching(/^sb-/) as string });
    expect(b.data).toMatchObject({
      task_status: 'submitted',
      task_info: { external_task_id: legacyReq.externalTaskId },
    });
    const ids = [idOf(a), idOf(b)];
    expect(ids.every((id) => /^\d{18}$/.test(id))).toBe(true);
    const got = await tasksByIds(sb, [...ids, '123456789012345678']);
    expect(got.map((t) => t.id)).toEqual(ids);
    expect(Object.keys(got[1] ?? {}).sort()).toEqual([
      'billing',
      'create_time',
      'external_id',
      'id',
      'message',
      'outputs',
      'status',
      'update_time',
    ]);
    expect((await tasksByIds(sb, [legacyReq.externalTaskId], 'external_task_ids')).map((t) => t.id)).toEqual([idOf(b)]);
    // The legacy query sees a task created on the new standard, by id and by external id.
    expect((await call(sb, 'GET', `/v1/videos/text2video/${idOf(a)}`)).data).toMatchObject({
      task_id: idOf(a),
      task_status: 'submitted',
    });
    const many = Array.from({ length: 21 }, (_, i) => String(i));
    expect(await call(sb, 'GET', `/tasks?task_ids=${many.join(',')}`)).toMatchObject({
      status: 400,
      code: 1201,
      message: expect.stringMatching(/cannot exceed 20 in total/) as string,
    });
    expect((await call(sb, 'GET', `/tasks?task_ids=${many.slice(0, 20).join(',')}`)).code).toBe(0);
    expect((await call(sb, 'GET', `/tasks?task_ids=1&external_task_ids=x`)).code).toBe(1201);
    expect((await call(sb, 'GET', '/tasks')).code).toBe(1201);
    expect(await call(sb, 'GET', '/v1/videos/text2video/nope')).toMatchObject({
      status: 400,
      code: 1201,
      message: 'Task not found by id/external id: nope',
    });
  });

  it('statuses run submitted -> processing -> succeeded (new) / succeed (legacy), with outputs and billing on success', async () => {
    const r = await create(sb, t2v({ model: 'kling-3.0', resolution: '1080p', duration: 5, audio: 'native' }), 'new');
    const id = idOf(r);
    const one = async (): Promise<Record<string, unknown>> => (await tasksByIds(sb, [id]))[0] ?? {};
    expect(await one()).toMatchObject({ status: 'submitted', outputs: [], billing: [] });
    sb.clock.advance(1000);
    expect(await one()).toMatchObject({ status: 'processing', outputs: [], billing: [] });
    sb.clock.advance(1000);
    const done = await one();
    // 3.0 with native audio at 1080p: 1.2 u/s x 5 s (kling-api.md §12.1), the requested duration.
    expect(done).toMatchObject({
      status: 'succeeded',
      message: '',
      billing: [{ charge_type: 'unit', amount: '6', package_type: 'video' }],
    });
    expect(done.outputs).toEqual([
      {
        type: 'video',
        id: `${id}-v1`,
        url: expect.stringMatching(/\/media\/[0-9a-f]{32}\.mp4$/) as string,
        duration: '5.041',
      },
    ]);
    const legacy = await call(sb, 'GET', `/v1/videos/text2video/${id}`);
    expect(legacy.data).toMatchObject({
      task_status: 'succeed',
      final_unit_deduction: '6',
      task_result: { videos: [{ duration: '5.041' }] },
    });
  });

  it('POST /tasks lists newest first by cursor, with filters, limit <= 500 and times as numbers or strings', async () => {
    const s2 = await fastSandbox({ concurrency: 100 });
    try {
      const ids: string[] = [];
      for (let i = 0; i < 7; i++) {
        ids.push(idOf(await create(s2, t2v(), i % 2 ? 'legacy' : 'new')));
        s2.clock.advance(1000);
      }
      const seen: string[] = [];
      let cursor: string | undefined;
      const pages: Array<{ count: number; has_more: boolean }> = [];
      do {
        const r = await call(s2, 'POST', '/tasks', cursor ? { cursor, limit: 3 } : { limit: 3 });
        const d = r.data as { result: Array<{ id: string }>; count: number; next_cursor: string; has_more: boolean };
        seen.push(...d.result.map((t) => t.id));
        pages.push({ count: d.count, has_more: d.has_more });
        cursor = d.has_more ? d.next_cursor : undefined;
      } while (cursor);
      expect(pages).toEqual([
        { count: 3, has_more: true },
        { count: 3, has_more: true },
        { count: 1, has_more: false },
      ]);
      expect(seen).toEqual([...ids].reverse());
      // A second apart, 2 s each: all but the last have finished; status filters tell them apart.
      const byStatus = async (status: string): Promise<string[]> =>
        (
          (await call(s2, 'POST', '/tasks', { filters: [{ key: 'status', values: [status] }] })).data as {
            result: Array<{ id: string }>;
          }
        ).result.map((t) => t.id);
      expect((await byStatus('succeeded')).sort()).toEqual(ids.slice(0, 6).sort());
      expect(await byStatus('processing')).toEqual([ids[6]]);
      const first = s2.tasks()[0]?.createdAt ?? 0;
      const window = await call(s2, 'POST', '/tasks', { start_time: String(first), end_time: first + 1500 });
      expect((window.data as { result: Array<{ id: string }> }).result.map((t) => t.id)).toEqual([ids[1], ids[0]]);
      const image = await call(s2, 'POST', '/tasks', { filters: [{ key: 'product_type', values: ['image'] }] });
      expect(image.data).toMatchObject({ result: [], has_more: false });
      expect((await call(s2, 'POST', '/tasks', { limit: 501 })).code).toBe(1201);
      expect((await call(s2, 'POST', '/tasks', { cursor: 'garbage' })).code).toBe(1201);
      expect((await call(s2, 'POST', '/tasks', { filters: [{ key: 'status', values: ['succeed'] }] })).code).toBe(1201);
    } finally {
      await s2.close();
    }
  });

  it('an external id is unique per account across both standards: a repeat is 400/1201, no task, no charge, also after the first finished', async () => {
    const s2 = await fastSandbox({
      concurrency: 100,
      accounts: [
        { accessKey: 'ak-a', secretKey: 'sk-a-000000000', apiKey: 'key-a-0000000000' },
        { accessKey: 'ak-b', secretKey: 'sk-b-000000000', apiKey: 'key-b-0000000000' },
      ],
    });
    try {
      const first = await create(s2, t2v({ externalTaskId: 'shot-1-take-1' }), 'new');
      expect(first.code).toBe(0);
      const remaining = s2.account('ak-a').remaining;
      const again = wire(t2v({ externalTaskId: 'shot-1-take-1' }), 'legacy');
      expect(await call(s2, 'POST', again.path, again.body)).toMatchObject({
        status: 400,
        code: 1201,
        message: 'External_task_id shot-1-take-1 already exists',
      });
      s2.clock.advance(DONE_MS);
      expect((await create(s2, t2v({ externalTaskId: 'shot-1-take-1' }), 'new')).message).toBe(
        'External_task_id shot-1-take-1 already exists',
      );
      expect(s2.tasks()).toHaveLength(1);
      expect(s2.account('ak-a').remaining).toBe(remaining);
      // Another account may use the same external id; it cannot see account a's task.
      const b = wire(t2v({ externalTaskId: 'shot-1-take-1' }), 'new');
      expect((await call(s2, 'POST', b.path, b.body, 'Bearer key-b-0000000000')).code).toBe(0);
      expect(
        (await call(s2, 'GET', `/tasks?task_ids=${idOf(first)}`, undefined, 'Bearer key-b-0000000000')).data,
      ).toEqual([]);
    } finally {
      await s2.close();
    }
  });

  it('legacy lists page newest first by family; query by external id works on both paths', async () => {
    const req = t2v({ model: 'kling-2.6' });
    const r = await create(sb, req, 'legacy');
    expect((await call(sb, 'GET', `/v1/videos/text2video?external_task_id=${req.externalTaskId}`)).data).toMatchObject({
      task_id: idOf(r),
    });
    expect((await call(sb, 'GET', `/v1/videos/text2video/${req.externalTaskId}`)).data).toMatchObject({
      task_id: idOf(r),
    });
    expect(
      ((await call(sb, 'GET', '/v1/videos/text2video?pageSize=1')).data as Array<{ task_id: string }>)[0]?.task_id,
    ).toBe(idOf(r));
    expect(await call(sb, 'GET', `/v1/videos/image2video/${idOf(r)}`)).toMatchObject({ code: 1201 });
  });
});

describe('account: billing, 1303 per account x model, 1102', () => {
  it('units are taken at create, given back when a task fails; billing blocks follow §12.1', async () => {
    const s2 = await fastSandbox({ concurrency: 100 });
    try {
      const start = s2.account().remaining;
      const turbo = await create(s2, t2v({ model: 'kling-3.0-turbo', duration: 3 }), 'new');
      const legacy = await create(
        s2,
        t2v({ model: 'kling-2.6', resolution: '1080p', duration: 10, audio: 'native' }),
        'legacy',
      );
      const failed = await create(s2, t2v({ prompt: 'a blockedword kite' }), 'new');
      expect(s2.account().remaining).toBeCloseTo(start - 2.4 - 10 - 1.5, 6);
      s2.clock.advance(DONE_MS);
      expect(s2.account().remaining).toBeCloseTo(start - 2.4 - 10, 6);
      const [t, f] = await tasksByIds(s2, [idOf(turbo), idOf(failed)]);
      expect(t).toMatchObject({ billing: [{ charge_type: 'unit', amount: '2.4', package_type: 'video' }] });
      expect(f).toMatchObject({
        status: 'failed',
        message: 'Failure to pass the risk control system',
        outputs: [],
        billing: [],
      });
      expect((await call(s2, 'GET', `/v1/videos/text2video/${idOf(legacy)}`)).data).toMatchObject({
        final_unit_deduction: '10',
      });
    } finally {
      await s2.close();
    }
  });

  it('1303 counts running tasks per account and model; 1102 when the pack cannot pay', async () => {
    const s2 = await fastSandbox({
      concurrency: 1,
      accounts: [{ accessKey: 'ak', secretKey: 'sk-0000000000', apiKey: 'key-0000000000', balance: 5 }],
    });
    try {
      expect((await create(s2, t2v(), 'new')).code).toBe(0);
      const over = await create(s2, t2v(), 'legacy');
      expect(over).toMatchObject({ status: 429, code: 1303, message: 'parallel task over resource pack limit' });
      expect(over.json).not.toHaveProperty('data');
      // Another model has its own slots.
      expect((await create(s2, t2v({ model: 'kling-2.6' }), 'new')).code).toBe(0);
      s2.clock.advance(DONE_MS);
      // 1.5 + 1.5 spent of 5: a 10 s 1080p clip (5 u) no longer fits.
      expect(await create(s2, t2v({ resolution: '1080p', duration: 10 }), 'new')).toMatchObject({
        status: 429,
        code: 1102,
        message: 'Account balance not enough',
      });
      expect((await create(s2, t2v(), 'new')).code).toBe(0);
      expect(s2.peakRunning('ak', 'kling-2.5-turbo')).toBe(1);
      expect(s2.peakRunning('ak')).toBe(2);
      expect(s2.creates.map((c) => c.code)).toEqual([0, 1303, 0, 1102, 0]);
    } finally {
      await s2.close();
    }
  });
});

describe('result files', () => {
  async function finished(s: Sandbox, req: VideoRequest): Promise<{ url: string; duration: string; id: string }> {
    const r = await create(s, req, 'new');
    expect(r.code, r.message).toBe(0);
    s.clock.advance(DONE_MS);
    const t = (await tasksByIds(s, [idOf(r)]))[0] as { outputs: Array<{ url: string; duration: string }> };
    return { url: t.outputs[0]?.url ?? '', duration: t.outputs[0]?.duration ?? '', id: idOf(r) };
  }

  it('H.264 at 24 fps, size from resolution and aspect, an AAC track only where audio is on, 41 ms over nominal', async () => {
    const cases: Array<[VideoRequest, { width: number; height: number; audio: boolean }]> = [
      [t2v({ model: 'kling-3.0-turbo', duration: 3, aspectRatio: '9:16' }), { width: 720, height: 1280, audio: true }],
      [
        t2v({ model: 'kling-3.0', duration: 3, aspectRatio: '1:1', audio: 'native' }),
        { width: 720, height: 720, audio: true },
      ],
      [
        t2v({ model: 'kling-3.0', duration: 3, aspectRatio: '16:9', audio: 'off' }),
        { width: 1280, height: 720, audio: false },
      ],
      [t2v({ model: 'kling-2.5-turbo', duration: 5, aspectRatio: '16:9' }), { width: 1280, height: 720, audio: false }],
    ];
    for (const [req, want] of cases) {
      const { url, duration } = await finished(sb, req);
      const info = await ffprobe(url);
      const video = info.streams.filter((s) => s.codec_type === 'video');
      const audio = info.streams.filter((s) => s.codec_type === 'audio');
      expect(video, req.model).toHaveLength(1);
      expect(video[0]).toMatchObject({
        codec_name: 'h264',
        width: want.width,
        height: want.height,
        r_frame_rate: '24/1',
      });
      expect(
        audio.map((s) => s.codec_name),
        `${req.model} ${req.audio ?? ''}`,
      ).toEqual(want.audio ? ['aac'] : []);
      expect(duration).toBe(`${req.duration}.041`);
      expect(Number(info.format.duration)).toBeGreaterThan(req.duration);
      expect(Number(info.format.duration)).toBeLessThan(req.duration + 0.15);
    }
  });

  it("image to video follows the first frame's aspect", async () => {
    const portrait = await finished(sb, {
      kind: 'image2video',
      model: 'kling-2.5-turbo',
      resolution: '720p',
      duration: 5,
      startImage: { base64: pngBase64(400, 800) },
      externalTaskId: ext(),
    });
    expect((await ffprobe(portrait.url)).streams[0]).toMatchObject({ width: 720, height: 1280 });
  });

  it('support HEAD and Range (206, suffix, 416), and resume after a cut connection', async () => {
    const { url } = await finished(sb, t2v());
    const head = await fetch(url, { method: 'HEAD' });
    expect(head.status).toBe(200);
    expect(head.headers.get('accept-ranges')).toBe('bytes');
    const size = Number(head.headers.get('content-length'));
    const full = Buffer.from(await (await fetch(url)).arrayBuffer());
    expect(full.length).toBe(size);
    expect(full.subarray(4, 8).toString()).toBe('ftyp');
    const part = await fetch(url, { headers: { Range: 'bytes=10-19' } });
    expect(part.status).toBe(206);
    expect(part.headers.get('content-range')).toBe(`bytes 10-19/${size}`);
    expect(Buffer.from(await part.arrayBuffer())).toEqual(full.subarray(10, 20));
    const suffix = await fetch(url, { headers: { Range: 'bytes=-100' } });
    expect(Buffer.from(await suffix.arrayBuffer())).toEqual(full.subarray(size - 100));
    const bad = await fetch(url, { headers: { Range: `bytes=${size}-` } });
    expect(bad.status).toBe(416);
    expect(bad.headers.get('content-range')).toBe(`bytes */${size}`);

    sb.inject({ route: 'download', action: { type: 'truncate', bytes: 5000 } });
    const got: Buffer[] = [];
    try {
      const res = await fetch(url);
      const reader = res.body?.getReader();
      for (;;) {
        const chunk = await reader?.read();
        if (!chunk || chunk.done) break;
        got.push(Buffer.from(chunk.value));
      }
    } catch {
      // the connection was cut: keep what arrived
    }
    const have = Buffer.concat(got);
    expect(have.length).toBe(5000);
    const rest = await fetch(url, { headers: { Range: `bytes=${have.length}-` } });
    expect(rest.status).toBe(206);
    expect(Buffer.concat([have, Buffer.from(await rest.arrayBuffer())])).toEqual(full);
  });

  it('URLs expire (404) while the task record stays; before success they are 404 too', async () => {
    const s2 = await fastSandbox({ urlTtlMs: 60_000 });
    try {
      const { url, id } = await finished(s2, t2v());
      expect((await fetch(url, { method: 'HEAD' })).status).toBe(200);
      s2.clock.advance(60_001);
      expect((await fetch(url)).status).toBe(404);
      expect((await tasksByIds(s2, [id]))[0]).toMatchObject({ id, status: 'succeeded' });
      const r = await create(s2, t2v(), 'new');
      const token = s2.tasks().find((t) => t.taskId === idOf(r))?.video.token ?? '';
      expect((await fetch(`${s2.url}/media/${token}.mp4`)).status).toBe(404);
    } finally {
      await s2.close();
    }
  });

  it('watermark_url only when requested', async () => {
    const r = await create(sb, t2v({ watermark: true }), 'new');
    sb.clock.advance(DONE_MS);
    const [t] = await tasksByIds(sb, [idOf(r)]);
    expect((t as { outputs: Array<Record<string, unknown>> }).outputs[0]).toHaveProperty('watermark_url');
    const plain = await finished(sb, t2v());
    expect(plain.url).not.toMatch(/watermark/);
  });
});

describe('callbacks, faults, outages', () => {
  it('POST the bare record in the shape of the creating standard on every status change, signed when a secret is set', async () => {
    const got: Array<Record<string, unknown>> = [];
    const signed: boolean[] = [];
    const secret = 'whsec_c2FuZGJveC13ZWJob29rLXNlY3JldA==';
    const receiver = createServer((req, res) => {
      let text = '';
      req.on('data', (c: Buffer) => (text += c.toString()));
      req.on('end', () => {
        signed.push(verifyWebhook(secret, req.headers as WebhookHeaders, text, Math.floor(Date.now() / 1000)));
        got.push(JSON.parse(text) as Record<string, unknown>);
        res.end('ok');
      });
    });
    await new Promise<void>((r) => receiver.listen(0, '127.0.0.1', () => r()));
    const s2 = await fastSandbox({
      timing: { submittedMs: 30, processingMs: 30 },
      webhookSecret: secret,
      concurrency: 10,
    });
    try {
      const cb = `http://127.0.0.1:${(receiver.address() as AddressInfo).port}/cb`;
      const a = await create(s2, t2v({ callbackUrl: cb }), 'new');
      const b = await create(s2, t2v({ callbackUrl: cb, model: 'kling-2.6' }), 'legacy');
      // The sandbox records a callback when its POST is answered, just after the receiver has read it.
      for (let i = 0; i < 100 && (got.length < 6 || s2.callbacks.length < 6); i++)
        await new Promise((res) => setTimeout(res, 50));
      const fresh = got.filter((g) => g.id === idOf(a));
      const old = got.filter((g) => g.task_id === idOf(b));
      expect(fresh.map((g) => g.status).sort()).toEqual(['processing', 'submitted', 'succeeded']);
      expect(fresh.find((g) => g.status === 'succeeded')).toMatchObject({
        billing: [{ charge_type: 'unit', amount: '1.5', package_type: 'video' }],
      });
      expect(old.map((g) => g.task_status).sort()).toEqual(['processing', 'submitted', 'succeed']);
      expect(old.find((g) => g.task_status === 'succeed')).toMatchObject({ final_unit_deduction: '1.5' });
      expect(signed).toEqual([true, true, true, true, true, true]);
      expect(s2.callbacks.map((c) => c.standard).sort()).toEqual(['legacy', 'legacy', 'legacy', 'new', 'new', 'new']);
    } finally {
      await s2.close();
      receiver.close();
    }
  });

  it('a 5002 after the task was made: the create answers an error, the task exists and is found by external id', async () => {
    sb.inject({ route: 'create', action: { type: 'error', code: 5002, after: true } });
    const req = t2v();
    expect(await create(sb, req, 'new')).toMatchObject({ status: 504, code: 5002 });
    const found = await tasksByIds(sb, [req.externalTaskId], 'external_task_ids');
    expect(found).toHaveLength(1);
    // Resubmitting would be refused: the external id is taken.
    expect((await create(sb, req, 'new')).message).toBe(`External_task_id ${req.externalTaskId} already exists`);
  });

  it('fault rates are seeded and repeatable; `query` and `list` cover GET and POST /tasks', async () => {
    sb.inject({ route: 'list', action: { type: 'error', code: 5001 }, times: Infinity, rate: 0.5 });
    const codes: number[] = [];
    for (let i = 0; i < 20; i++) codes.push((await call(sb, 'POST', '/tasks', { limit: 1 })).code);
    sb.clearFaults();
    expect(codes.filter((c) => c === 5001).length).toBeGreaterThan(3);
    expect(codes.filter((c) => c === 0).length).toBeGreaterThan(3);
    sb.inject({ route: 'query', action: { type: 'error', code: 1302 } });
    expect((await call(sb, 'GET', '/tasks?task_ids=1')).code).toBe(1302);
    expect(sb.requests.at(-1)).toMatchObject({ route: 'query', standard: 'new', code: 1302, httpStatus: 429 });
  });

  it('the outage module still intercepts every API call (electron/core/sandbox/outage.ts)', async () => {
    sb.outage.start({ type: 'error', code: 5001 }, 60_000);
    expect(await call(sb, 'GET', '/tasks?task_ids=1')).toMatchObject({ status: 503, code: 5001 });
    expect((await call(sb, 'POST', '/text-to-video/kling-2.6', { prompt: 'p' })).code).toBe(5001);
    sb.outage.end();
    expect((await call(sb, 'GET', '/tasks?task_ids=1')).code).toBe(0);
  });
});

it('a state file carries tasks of both standards and balances across a restart', async () => {
  const stateFile = join(mkdtempSync(join(tmpdir(), 'shotline-sbx-state-')), 'state.json');
  const first = await fastSandbox({ stateFile });
  const a = await create(first, t2v({ externalTaskId: 'survives-new' }), 'new');
  const b = await create(first, t2v({ externalTaskId: 'survives-legacy', model: 'kling-2.6' }), 'legacy');
  first.setAccount(first.credentials.accessKey, { balance: 500 });
  await first.close();
  const second = await fastSandbox({ stateFile });
  try {
    expect(
      (await tasksByIds(second, ['survives-new', 'survives-legacy'], 'external_task_ids')).map((t) => t.id),
    ).toEqual([idOf(a), idOf(b)]);
    expect((await call(second, 'GET', '/v1/videos/text2video?external_task_id=survives-legacy')).data).toMatchObject({
      task_id: idOf(b),
    });
    expect(second.account().balance).toBe(500);
    expect((await create(second, t2v({ externalTaskId: 'survives-new' }), 'legacy')).code).toBe(1201);
    const again = await create(second, t2v(), 'new');
    expect(idOf(again)).not.toBe(idOf(a));
  } finally {
    await second.close();
  }
});

it('startSandboxForCli: a labelled sandbox on a free port, an API key for the new standard, images recorded as hashes', async () => {
  const cli = await startSandboxForCli();
  try {
    expect(cli.banner).toMatch(/simulator/);
    expect(cli.clientOptions).toMatchObject({
      provider: 'sandbox',
      baseUrl: cli.sandbox.url,
      credentials: { kind: 'bearer', apiKey: cli.sandbox.credentials.apiKey },
    });
    const w = wire(
      {
        kind: 'image2video',
        model: 'kling-2.6',
        resolution: '720p',
        duration: 5,
        startImage: { base64: pngBase64(400, 400) },
        externalTaskId: 'big',
      },
      'new',
    );
    expect((await call(cli.sandbox, 'POST', w.path, w.body)).code).toBe(0);
    expect((cli.sandbox.creates[0]?.body as { contents: Array<{ url: string }> }).contents[0]?.url).toMatch(
      /^\[\d+ chars, sha256 [0-9a-f]{16}\]$/,
    );
  } finally {
    await cli.sandbox.close();
  }
});

it('accepts the built-in sandbox credentials of electron/core/secrets on the new standard', async () => {
  const { SANDBOX_CREDENTIALS } = await import('../../../electron/core/secrets/resolve');
  const header = SANDBOX_CREDENTIALS.kind === 'bearer' ? `Bearer ${SANDBOX_CREDENTIALS.apiKey}` : akskHeader(sb);
  expect((await call(sb, 'GET', '/tasks?task_ids=1', undefined, header)).code).toBe(0);
});
