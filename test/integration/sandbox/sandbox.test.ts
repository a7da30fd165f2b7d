import { execFile } from 'node:child_process';
import { createHash } from 'node:crypto';
import { mkdtempSync, readFileSync } from 'node:fs';
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';

import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';

import { verifyWebhook, type WebhookHeaders } from '../../../electron/core/kling';
import { startSandboxForCli, type Sandbox } from '../../../electron/core/sandbox';
import { ensureClip } from '../../../electron/core/sandbox/clips';
import { findTool } from '../../../electron/core/media/locate';
import { pngBase64 } from '../../unit/kling/png';
import { FAST, jwt, raw, sandbox, validToken } from '../kling/helpers';

const execFileAsync = promisify(execFile);
let sb: Sandbox;
beforeAll(async () => {
  sb = await sandbox();
});
afterAll(async () => {
  await sb.close();
});
beforeEach(() => sb.clearFaults());

let n = 0;
const t2v = (extra: Record<string, unknown> = {}): Record<string, unknown> => ({
  model_name: 'kling-v1',
  prompt: 'a kite',
  mode: 'std',
  aspect_ratio: '1:1',
  duration: '5',
  external_task_id: `sb-${++n}`,
  ...extra,
});

async function finishedVideoUrl(body: Record<string, unknown> = t2v()): Promise<{ url: string; taskId: string }> {
  const r = await raw(sb, 'POST', '/v1/videos/text2video', body);
  expect(r.code).toBe(0);
  const taskId = (r.data as { task_id: string }).task_id;
  sb.clock.advance(FAST.submittedMs + FAST.processingMs);
  const q = await raw(sb, 'GET', `/v1/videos/text2video/${taskId}`);
  const url = (q.data as { task_result: { videos: Array<{ url: string }> } }).task_result.videos[0]?.url ?? '';
  return { url, taskId };
}

describe('auth codes (kling-api.md §2.1)', () => {
  const now = (): number => Math.floor(sb.clock.now() / 1000);
  const cases: Array<[string, () => string | null, number]> = [
    ['missing header', () => null, 1001],
    ['empty header', () => '', 1001],
    ['not Bearer', () => `Token ${validToken(sb)}`, 1002],
    ['two spaces', () => `Bearer  ${validToken(sb)}`, 1002],
    ['garbage token', () => 'Bearer a.b.c', 1002],
    ['alg none', () => `Bearer ${jwt({ iss: sb.credentials.accessKey, exp: now() + 60 }, sb.credentials.secretKey, { alg: 'none' })}`, 1002],
    ['bad signature', () => `Bearer ${jwt({ iss: sb.credentials.accessKey, exp: now() + 60 }, 'not-the-secret')}`, 1002],
    ['no exp', () => `Bearer ${jwt({ iss: sb.credentials.accessKey }, sb.credentials.secretKey)}`, 1002],
    ['unknown access key', () => `Bearer ${jwt({ iss: 'who', exp: now() + 60 }, 'x')}`, 1000],
    ['unknown API key', () => 'Bearer sk-unknown', 1000],
    ['nbf in the future', () => `Bearer ${jwt({ iss: sb.credentials.accessKey, exp: now() + 600, nbf: now() + 30 }, sb.credentials.secretKey)}`, 1003],
    ['exp in the past', () => `Bearer ${jwt({ iss: sb.credentials.accessKey, exp: now() - 1, nbf: now() - 100 }, sb.credentials.secretKey)}`, 1004],
  ];
  it.each(cases)('%s -> %i / HTTP 401', async (_name, header, code) => {
    const r = await raw(sb, 'GET', '/v1/videos/text2video', undefined, header());
    expect(r).toMatchObject({ status: 401, code, data: null });
  });
  it('accepts a plain API key', async () => {
    expect((await raw(sb, 'GET', '/v1/videos/text2video', undefined, `Bearer ${sb.credentials.apiKey}`)).code).toBe(0);
  });
});

describe('validation (1201 messages name the wire field)', () => {
  const img = pngBase64(400, 400);
  const cases: Array<[string, string, Record<string, unknown>, number, RegExp]> = [
    ['data: prefix', 'image2video', { model_name: 'kling-v1', image: `data:image/png;base64,${img}` }, 1201, /File is not in a valid base64 format/],
    ['no image', 'image2video', { model_name: 'kling-v1', prompt: 'p' }, 1201, /^image can not be null$/],
    ['not base64', 'image2video', { model_name: 'kling-v1', image: 'not base64!' }, 1201, /image: File is not in a valid base64 format/],
    ['image too small', 'image2video', { image: pngBase64(299, 400) }, 1201, /image: 299x400 px is too small/],
    ['unknown model', 'text2video', t2v({ model_name: 'kling-v9' }), 1203, /model_name: model "kling-v9" does not exist/],
    ['model without T2V', 'text2video', t2v({ model_name: 'kling-v1-5' }), 1201, /model_name: kling-v1-5 does not do text2video/],
    ['numeric duration', 'text2video', t2v({ duration: 5 }), 1201, /duration: /],
    ['duration 7 before v3', 'text2video', t2v({ duration: '7' }), 1201, /duration: 7 s is not offered by kling-v1/],
    ['unknown field', 'text2video', t2v({ resolution: '4k' }), 1201, /unknown field resolution/],
    ['mode on a master model', 'text2video', t2v({ model_name: 'kling-v2-master' }), 1201, /mode: kling-v2-master does not take a mode/],
    ['camera off-matrix', 'text2video', t2v({ mode: 'pro', camera_control: { type: 'simple', config: { zoom: 3 } } }), 1201, /camera_control: camera control is not available on kling-v1 pro 5 s/],
    ['two camera axes', 'text2video', t2v({ camera_control: { type: 'simple', config: { zoom: 3, roll: 1 } } }), 1201, /camera_control.config: a simple camera move sets exactly one/],
    ['cfg out of range', 'text2video', t2v({ cfg_scale: 2 }), 1201, /cfg_scale: /],
    ['prompt too long', 'text2video', t2v({ prompt: 'x'.repeat(2501) }), 1201, /prompt: /],
    ['end frame + masks', 'image2video', { image: img, image_tail: img, static_mask: img }, 1201, /static_mask: motion brush cannot be combined with an end frame/],
    ['masks of different size', 'image2video', { image: img, static_mask: img, dynamic_masks: [{ mask: pngBase64(500, 500), trajectories: [{ x: 1, y: 1 }, { x: 5, y: 5 }] }] }, 1201, /all masks must have the same resolution/],
    ['one-point trajectory', 'image2video', { image: img, dynamic_masks: [{ mask: img, trajectories: [{ x: 1, y: 1 }] }] }, 1201, /dynamic_masks\.0\.trajectories/],
    ['http callback to a remote host', 'text2video', t2v({ callback_url: 'http://example.com/cb' }), 1201, /callback_url: .*must use https/],
  ];
  it.each(cases)('%s', async (_name, kind, body, code, message) => {
    const r = await raw(sb, 'POST', `/v1/videos/${kind}`, body);
    expect(r.code).toBe(code);
    expect(r.status).toBe(code === 1203 ? 404 : 400);
    expect(r.message).toMatch(message);
  });
  it('non-JSON body is 1200; unknown endpoints and methods are 1202', async () => {
    expect((await raw(sb, 'POST', '/v1/videos/text2video', '{oops')).code).toBe(1200);
    expect(await raw(sb, 'GET', '/v1/videos/lip-sync')).toMatchObject({ status: 404, code: 1202 });
    expect(await raw(sb, 'POST', '/account/costs', {})).toMatchObject({ status: 404, code: 1202 });
  });
  it('list paging is checked; the /kling prefix works', async () => {
    expect((await raw(sb, 'GET', '/v1/videos/text2video?pageNum=0')).code).toBe(1201);
    expect((await raw(sb, 'GET', '/v1/videos/text2video?pageSize=501')).code).toBe(1201);
    expect((await raw(sb, 'GET', '/kling/v1/videos/text2video?pageSize=1')).code).toBe(0);
    expect((await raw(sb, 'GET', '/account/costs?start_time=1')).code).toBe(1201);
  });
});

describe('tasks and accounts', () => {
  it('each account sees only its own tasks and has its own concurrency', async () => {
    const s2 = await sandbox({
      concurrency: 1,
      accounts: [
        { accessKey: 'ak-a', secretKey: 'sk-a-000000000' },
        { accessKey: 'ak-b', secretKey: 'sk-b-000000000' },
      ],
    });
    try {
      const tok = (ak: string, sk: string): string => {
        const now = Math.floor(s2.clock.now() / 1000);
        return `Bearer ${jwt({ iss: ak, exp: now + 600, nbf: now - 5 }, sk)}`;
      };
      const a = tok('ak-a', 'sk-a-000000000');
      const b = tok('ak-b', 'sk-b-000000000');
      const ra = await raw(s2, 'POST', '/v1/videos/text2video', t2v({ external_task_id: 'same' }), a);
      expect(ra.code).toBe(0);
      expect(await raw(s2, 'POST', '/v1/videos/text2video', t2v(), a)).toMatchObject({ status: 429, code: 1303, message: 'parallel task over resource pack limit' });
      // The external id is unique per account, not globally.
      expect((await raw(s2, 'POST', '/v1/videos/text2video', t2v({ external_task_id: 'same' }), b)).code).toBe(0);
      const id = (ra.data as { task_id: string }).task_id;
      expect((await raw(s2, 'GET', `/v1/videos/text2video/${id}`, undefined, b)).code).toBe(1203);
      expect((await raw(s2, 'GET', '/v1/videos/text2video/same', undefined, a)).data).toMatchObject({ task_id: id });
      expect(s2.peakRunning('ak-a')).toBe(1);
      s2.clock.advance(FAST.submittedMs + FAST.processingMs);
      expect((await raw(s2, 'POST', '/v1/videos/text2video', t2v(), tok('ak-a', 'sk-a-000000000'))).code).toBe(0);
      expect(s2.peakRunning('ak-a')).toBe(1);
      expect(s2.creates.map((c) => [c.accessKey, c.code])).toEqual([
        ['ak-a', 0],
        ['ak-a', 1303],
        ['ak-b', 0],
        ['ak-a', 0],
      ]);
    } finally {
      await s2.close();
    }
  });

  it('fault rates are seeded and repeatable', async () => {
    sb.inject({ route: 'list', action: { type: 'error', code: 5001 }, times: Infinity, rate: 0.5 });
    const codes: number[] = [];
    for (let i = 0; i < 20; i++) codes.push((await raw(sb, 'GET', '/v1/videos/text2video?pageSize=1')).code);
    sb.clearFaults();
    expect(codes.filter((c) => c === 5001).length).toBeGreaterThan(3);
    expect(codes.filter((c) => c === 0).length).toBeGreaterThan(3);
  });

  it('POSTs the task object to callback_url on every status change', async () => {
    const got: Array<Record<string, unknown>> = [];
    const signed: boolean[] = [];
    const receiver = createServer((req, res) => {
      let text = '';
      req.on('data', (c: Buffer) => (text += c.toString()));
      req.on('end', () => {
        signed.push(verifyWebhook('whsec_c2FuZGJveC13ZWJob29rLXNlY3JldA==', req.headers as WebhookHeaders, text, Math.floor(Date.now() / 1000)));
        got.push(JSON.parse(text) as Record<string, unknown>);
        res.end('ok');
      });
    });
    await new Promise<void>((r) => receiver.listen(0, '127.0.0.1', () => r()));
    const secret = 'whsec_c2FuZGJveC13ZWJob29rLXNlY3JldA==';
    const s2 = await sandbox({ timing: { submittedMs: 30, processingMs: 30 }, webhookSecret: secret });
    try {
      const port = (receiver.address() as AddressInfo).port;
      const r = await raw(s2, 'POST', '/v1/videos/text2video', t2v({ callback_url: `http://127.0.0.1:${port}/cb` }));
      expect(r.code).toBe(0);
      for (let i = 0; i < 100 && got.length < 3; i++) await new Promise((res) => setTimeout(res, 50));
      expect(got.map((g) => g.task_status).sort()).toEqual(['processing', 'submitted', 'succeed']);
      expect(signed).toEqual([true, true, true]);
      expect(got.find((g) => g.task_status === 'succeed')).toMatchObject({ task_id: (r.data as { task_id: string }).task_id, final_unit_deduction: '1' });
    } finally {
      await s2.close();
      receiver.close();
    }
  });
});

describe('result files', () => {
  it('are real H.264 MP4s at the model resolution, fps and duration, silent', async () => {
    const { url } = await finishedVideoUrl(t2v({ model_name: 'kling-v1-6', mode: 'std', aspect_ratio: '9:16' }));
    const ffprobe = findTool('ffprobe').path ?? 'ffprobe';
    const { stdout } = await execFileAsync(ffprobe, ['-v', 'error', '-show_streams', '-show_format', '-of', 'json', url]);
    const info = JSON.parse(stdout) as { streams: Array<Record<string, unknown>>; format: { duration: string } };
    expect(info.streams).toHaveLength(1);
    expect(info.streams[0]).toMatchObject({ codec_name: 'h264', width: 720, height: 1280, r_frame_rate: '24/1' });
    expect(Number(info.format.duration)).toBeCloseTo(5, 1);
  });

  it('look different per variant', async () => {
    const base = { width: 320, height: 320, fps: 24, durationSec: 1, variants: 8 };
    const [a, b] = await Promise.all([ensureClip({ ...base, variant: 1 }), ensureClip({ ...base, variant: 2 })]);
    const hash = (f: string): string => createHash('sha256').update(readFileSync(f)).digest('hex');
    expect(hash(a)).not.toBe(hash(b));
  });

  it('support HEAD and Range (206, suffix, 416), and resume after a cut connection', async () => {
    const { url } = await finishedVideoUrl();
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

    // A download cut half-way, then resumed from where it stopped.
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

  it('expire after the configured time (403), and are 404 before the task succeeds', async () => {
    const { url } = await finishedVideoUrl();
    expect((await fetch(url, { method: 'HEAD' })).status).toBe(200);
    sb.clock.advance(sb.options.urlTtlMs + 1);
    expect((await fetch(url)).status).toBe(403);
    const r = await raw(sb, 'POST', '/v1/videos/text2video', t2v());
    const id = (r.data as { task_id: string }).task_id;
    const token = sb.tasks().find((t) => t.taskId === id)?.video.token ?? '';
    expect((await fetch(`${sb.url}/media/${token}.mp4`)).status).toBe(404);
  });
});

it('a state file carries tasks and balances across a restart', async () => {
  const stateFile = join(mkdtempSync(join(tmpdir(), 'shotline-sbx-state-')), 'state.json');
  const first = await sandbox({ stateFile });
  const r = await raw(first, 'POST', '/v1/videos/text2video', t2v({ external_task_id: 'survives' }));
  first.setAccount(first.credentials.accessKey, { balance: 500 });
  await first.close();
  const second = await sandbox({ stateFile });
  try {
    const q = await raw(second, 'GET', '/v1/videos/text2video?external_task_id=survives');
    expect(q.data).toMatchObject({ task_id: (r.data as { task_id: string }).task_id });
    expect(second.account().balance).toBe(500);
    const again = await raw(second, 'POST', '/v1/videos/text2video', t2v());
    expect((again.data as { task_id: string }).task_id).not.toBe((r.data as { task_id: string }).task_id);
  } finally {
    await second.close();
  }
});

it('startSandboxForCli gives a labelled sandbox on a free port with client options', async () => {
  const cli = await startSandboxForCli();
  try {
    expect(cli.banner).toMatch(/simulator/);
    expect(cli.clientOptions).toMatchObject({ provider: 'sandbox', baseUrl: cli.sandbox.url, credentials: { kind: 'aksk' } });
    expect(cli.sandbox.port).toBeGreaterThan(0);
    const img = pngBase64(400, 400);
    const now = Math.floor(cli.sandbox.clock.now() / 1000);
    const auth = `Bearer ${jwt({ iss: cli.sandbox.credentials.accessKey, exp: now + 60, nbf: now - 5 }, cli.sandbox.credentials.secretKey)}`;
    expect((await raw(cli.sandbox, 'POST', '/v1/videos/image2video', { image: img, external_task_id: 'big' }, auth)).code).toBe(0);
    expect((cli.sandbox.creates[0]?.body as { image: string }).image).toMatch(/^\[\d+ chars, sha256 [0-9a-f]{16}\]$/);
  } finally {
    await cli.sandbox.close();
  }
});

it('accepts the built-in sandbox credentials of electron/core/secrets', async () => {
  const { SANDBOX_CREDENTIALS } = await import('../../../electron/core/secrets/resolve');
  const { createKlingClient } = await import('../../../electron/core/kling');
  const client = createKlingClient({ provider: 'sandbox', baseUrl: sb.url, credentials: SANDBOX_CREDENTIALS, now: () => sb.clock.now() });
  await expect(client.listTasks('text2video', { pageSize: 1 })).resolves.toBeInstanceOf(Array);
});
