/**
 * Property-style check of the request builder against the capability matrix, over real
 * HTTP: for every model x mode x duration and every feature set (plus a seeded random fuzz),
 * a request the matrix allows is built and accepted by the sandbox, and a request it
 * forbids is never sent by the client, while the same body sent raw is refused (1201/1203).
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';

import type { Sandbox } from '../../../electron/core/sandbox';
import {
  allCombos,
  CAMERA_AXES,
  CAMERA_TYPES,
  CAPABILITIES,
  checkVideoRequest,
  MODELS,
  type CameraSpec,
  type KlingClient,
  type VideoRequest,
} from './imports';
import { pngBase64 } from '../../unit/kling/png';
import { clientFor, raw, sandbox } from './helpers';

const IMG = pngBase64(320, 320);
const MASK = pngBase64(320, 320, [255, 255, 255]);
const TRAJ = [
  { x: 10, y: 10 },
  { x: 100, y: 60 },
];

/** Wire body without any checks (what a careless client would send). */
function rawWire(req: VideoRequest): Record<string, unknown> {
  const b64 = (s: VideoRequest['startImage']): string | undefined => (s === undefined ? undefined : typeof s === 'string' ? s : s.base64);
  const camera = req.camera && { type: req.camera.type, ...(req.camera.config ? { config: req.camera.config } : {}) };
  const body: Record<string, unknown> = {
    model_name: req.model,
    image: b64(req.startImage),
    image_tail: b64(req.endImage),
    prompt: req.prompt,
    negative_prompt: req.negativePrompt,
    cfg_scale: req.cfgScale,
    mode: CAPABILITIES[req.model].modeless ? undefined : req.mode,
    static_mask: b64(req.staticMask),
    dynamic_masks: req.dynamicMasks?.map((m) => ({ mask: b64(m.mask), trajectories: m.trajectories })),
    camera_control: camera,
    aspect_ratio: req.kind === 'text2video' ? req.aspectRatio : undefined,
    duration: String(req.duration),
    external_task_id: req.externalTaskId,
  };
  return Object.fromEntries(Object.entries(body).filter(([, v]) => v !== undefined));
}

let seq = 0;
const id = (): string => `prop-${++seq}`;

function variants(model: VideoRequest['model'], mode: VideoRequest['mode'], duration: number): VideoRequest[] {
  const t: VideoRequest = { kind: 'text2video', model, mode, duration, prompt: 'a kite', aspectRatio: '16:9', externalTaskId: '' };
  const i: VideoRequest = { kind: 'image2video', model, mode, duration, prompt: 'a kite', startImage: { base64: IMG }, externalTaskId: '' };
  return [
    t,
    { ...t, camera: { type: 'simple', config: { zoom: 5 } } },
    { ...t, camera: { type: 'down_back' } },
    { ...t, cfgScale: 0.4, negativePrompt: 'blur' },
    i,
    { ...i, endImage: { base64: IMG } },
    { ...i, startImage: undefined, endImage: { base64: IMG } },
    { ...i, staticMask: { base64: MASK }, dynamicMasks: [{ mask: { base64: MASK }, trajectories: TRAJ }] },
    { ...i, dynamicMasks: [{ mask: { base64: MASK }, trajectories: TRAJ }] },
    { ...i, camera: { type: 'simple', config: { tilt: -3 } } },
    { ...i, camera: { type: 'forward_up' } },
    { ...i, cfgScale: 0.7 },
  ];
}

function rng(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = Math.imul(a ^ (a >>> 15), a | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

function randomRequest(r: () => number): VideoRequest {
  const pick = <T>(xs: readonly T[]): T => xs[Math.floor(r() * xs.length)] as T;
  const kind = pick(['text2video', 'image2video'] as const);
  const camera = (): CameraSpec => {
    const type = pick(CAMERA_TYPES);
    if (type !== 'simple' && r() < 0.7) return { type };
    const config: Record<string, number> = {};
    const k = pick([0, 1, 1, 1, 2]);
    for (let j = 0; j < k; j++) config[pick(CAMERA_AXES)] = pick([-12, -10, -2.5, 1, 3, 10, 11]);
    return { type, config };
  };
  const req: VideoRequest = {
    kind,
    model: pick(MODELS),
    mode: pick(['std', 'pro'] as const),
    duration: pick([3, 5, 5, 10, 10, 7, 15]),
    prompt: r() < 0.9 ? 'a kite' : '',
    externalTaskId: '',
    ...(kind === 'text2video' ? { aspectRatio: pick(['16:9', '9:16', '1:1'] as const) } : {}),
    ...(r() < 0.25 ? { cfgScale: pick([0, 0.5, 1, 1.2]) } : {}),
    ...(r() < 0.3 ? { camera: camera() } : {}),
  };
  if (kind === 'image2video') {
    if (r() < 0.85) req.startImage = { base64: IMG };
    if (r() < 0.35) req.endImage = { base64: IMG };
    if (r() < 0.25) req.staticMask = { base64: MASK };
    if (r() < 0.25) req.dynamicMasks = Array.from({ length: pick([1, 2, 7]) }, () => ({ mask: { base64: MASK }, trajectories: r() < 0.9 ? TRAJ : TRAJ.slice(0, 1) }));
  } else if (r() < 0.05) {
    req.startImage = { base64: IMG };
  }
  return req;
}

let sb: Sandbox;
let client: KlingClient;
beforeAll(async () => {
  sb = await sandbox({ concurrency: 100_000, accounts: [{ accessKey: 'ak-prop', secretKey: 'sk-prop-0000000', balance: 1e9 }] });
  client = clientFor(sb);
});
afterAll(async () => {
  await sb.close();
});

async function property(req: VideoRequest): Promise<'valid' | 'invalid'> {
  const problems = checkVideoRequest(req);
  const before = sb.creates.length;
  if (problems.length === 0) {
    const task = await client.createTask(req);
    expect(task.status, JSON.stringify(req.camera)).toBe('submitted');
    return 'valid';
  }
  await expect(client.createTask(req), JSON.stringify(problems)).rejects.toThrow();
  expect(sb.creates.length, 'the client sent an invalid request').toBe(before);
  const answer = await raw(sb, 'POST', `/v1/videos/${req.kind}`, rawWire(req));
  expect([1201, 1203], `${JSON.stringify(problems)} -> ${answer.code} ${answer.message}`).toContain(answer.code);
  return 'invalid';
}

describe('request builder vs capability matrix', () => {
  it('every model x mode x duration x feature set', async () => {
    const tally = { valid: 0, invalid: 0 };
    for (const c of allCombos()) {
      for (const v of variants(c.model, c.mode, c.duration)) tally[await property({ ...v, externalTaskId: id() })]++;
    }
    // Both outcomes are exercised in bulk (the exact split follows the matrix).
    expect(tally.valid).toBeGreaterThan(150);
    expect(tally.invalid).toBeGreaterThan(150);
  });

  it('seeded random requests', async () => {
    const r = rng(20261125);
    const tally = { valid: 0, invalid: 0 };
    for (let k = 0; k < 300; k++) tally[await property({ ...randomRequest(r), externalTaskId: id() })]++;
    expect(tally.valid).toBeGreaterThan(20);
    expect(tally.invalid).toBeGreaterThan(20);
  });
});
