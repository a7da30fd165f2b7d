/**
 * The capability matrix as a property, over real HTTP on both standards: for every live model
 * x kind x resolution x duration x feature set, either
 *  - the check passes, and the real client (API key: new standard; AK/SK: legacy /v1) creates
 *    the task and the sandbox made exactly what was asked (model, resolution, duration, sound), or
 *  - the check refuses, the client refuses too without sending anything, and the same request
 *    sent raw (a careless body with every field in it, not the descriptors' builder) is refused
 *    by the sandbox with 1201 (1203 where the model has no name on that standard: 3.0 Turbo on /v1).
 * So the client, the validator and the sandbox cannot drift apart (shared/kling/endpoints.ts).
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';

import type { Sandbox } from '../../../electron/core/sandbox';
import { pngBase64 } from '../../unit/kling/png';
import { apiClientFor, clientFor, sandbox } from './helpers';
import {
  CAPABILITIES,
  checkVideoRequest,
  hasAudio,
  legacyFamilyOf,
  LIVE_MODELS,
  productOf,
  RESOLUTION_TO_MODE,
  RESOLUTIONS,
  type KlingClient,
  type KlingModel,
  type Resolution,
  type Standard,
  type VideoKind,
  type VideoRequest,
} from './imports';

const IMG = pngBase64(400, 400);
/** Durations tried per model: every one it takes, and some it does not. */
const durationsOf = (m: KlingModel): number[] =>
  [...new Set([2, ...CAPABILITIES[m].durations, 7, 16])].sort((a, b) => a - b);

interface Feature {
  name: string;
  kind: VideoKind;
  apply(req: VideoRequest): VideoRequest;
  /** Not expressible on this model's endpoints (omni takes frames and prompts on one product). */
  skip?(model: KlingModel): boolean;
}

const omni = (m: KlingModel): boolean => CAPABILITIES[m].product.text2video === 'omni-video';
const frame = { base64: IMG };
const FEATURES: Feature[] = [
  { name: 't2v', kind: 'text2video', apply: (r) => r },
  { name: 't2v 9:16', kind: 'text2video', apply: (r) => ({ ...r, aspectRatio: '9:16' }) },
  { name: 't2v audio native', kind: 'text2video', apply: (r) => ({ ...r, audio: 'native' }) },
  { name: 't2v audio off', kind: 'text2video', apply: (r) => ({ ...r, audio: 'off' }) },
  { name: 't2v negative prompt', kind: 'text2video', apply: (r) => ({ ...r, negativePrompt: 'blur, text' }) },
  { name: 't2v no prompt', kind: 'text2video', apply: (r) => ({ ...r, prompt: '' }) },
  { name: 't2v with a frame', kind: 'text2video', apply: (r) => ({ ...r, startImage: frame }), skip: omni },
  { name: 'i2v first', kind: 'image2video', apply: (r) => ({ ...r, startImage: frame }) },
  { name: 'i2v first + last', kind: 'image2video', apply: (r) => ({ ...r, startImage: frame, endImage: frame }) },
  { name: 'i2v last only', kind: 'image2video', apply: (r) => ({ ...r, endImage: frame }) },
  { name: 'i2v first, native', kind: 'image2video', apply: (r) => ({ ...r, startImage: frame, audio: 'native' }) },
  {
    name: 'i2v first + last, native',
    kind: 'image2video',
    apply: (r) => ({ ...r, startImage: frame, endImage: frame, audio: 'native' }),
  },
  { name: 'i2v first, off', kind: 'image2video', apply: (r) => ({ ...r, startImage: frame, audio: 'off' }) },
  {
    name: 'i2v first, negative prompt',
    kind: 'image2video',
    apply: (r) => ({ ...r, startImage: frame, negativePrompt: 'blur' }),
  },
];

const b64 = (s: VideoRequest['startImage']): string | undefined =>
  s === undefined ? undefined : typeof s === 'string' ? s : s.base64;
const defined = (o: Record<string, unknown>): Record<string, unknown> =>
  Object.fromEntries(Object.entries(o).filter(([, v]) => v !== undefined));

/**
 * What a careless client would send: every field of the request in the standard's wire
 * shape, nothing dropped or folded (unlike endpoints.ts, which builds only what the matrix allows).
 */
function rawWire(req: VideoRequest, standard: Standard): { path: string; body: Record<string, unknown> } {
  const caps = CAPABILITIES[req.model];
  if (standard === 'new') {
    const product = productOf(req.model, req.kind);
    const settings = defined({
      resolution: req.resolution,
      duration: req.duration,
      aspect_ratio: req.kind === 'text2video' ? req.aspectRatio : undefined,
      audio: req.audio,
    });
    const options = { external_task_id: req.externalTaskId };
    const frames = [
      ...(req.startImage !== undefined ? [{ type: 'first_frame', url: b64(req.startImage) }] : []),
      ...(req.endImage !== undefined ? [{ type: 'last_frame', url: b64(req.endImage) }] : []),
    ];
    const negative = req.negativePrompt !== undefined ? { negative_prompt: req.negativePrompt } : {};
    if (product === 'text-to-video') {
      return {
        path: `/${product}/${req.model}`,
        body: {
          prompt: req.prompt ?? '',
          settings,
          options,
          ...negative,
          ...(frames.length ? { contents: frames } : {}),
        },
      };
    }
    const contents = [...(req.prompt ? [{ type: 'prompt', text: req.prompt }] : []), ...frames];
    return { path: `/${product}/${req.model}`, body: { contents, settings, options, ...negative } };
  }
  const family = legacyFamilyOf(req.model, req.kind);
  const images =
    family === 'omni-video'
      ? {
          image_list: [
            ...(req.startImage ? [{ image_url: b64(req.startImage), type: 'first_frame' }] : []),
            ...(req.endImage ? [{ image_url: b64(req.endImage), type: 'end_frame' }] : []),
          ],
        }
      : { image: b64(req.startImage), image_tail: b64(req.endImage) };
  return {
    path: `/v1/videos/${family}`,
    body: defined({
      model_name: caps.legacyName ?? req.model,
      prompt: req.prompt,
      negative_prompt: req.negativePrompt,
      mode: RESOLUTION_TO_MODE[req.resolution],
      duration: String(req.duration),
      aspect_ratio: req.kind === 'text2video' ? req.aspectRatio : undefined,
      sound: req.audio === undefined ? undefined : req.audio === 'native' ? 'on' : 'off',
      ...(family === 'omni-video' && !req.startImage && !req.endImage ? {} : images),
      external_task_id: req.externalTaskId,
    }),
  };
}

let sb: Sandbox;
const clients = {} as Record<Standard, KlingClient>;
beforeAll(async () => {
  sb = await sandbox({
    concurrency: 1_000_000,
    accounts: [{ accessKey: 'ak-prop', secretKey: 'sk-prop-0000000', apiKey: 'key-prop-0000000', balance: 1e9 }],
  });
  clients.new = apiClientFor(sb);
  clients.legacy = clientFor(sb);
});
afterAll(async () => {
  await sb.close();
});

let seq = 0;

async function property(req: VideoRequest, standard: Standard): Promise<'valid' | 'invalid'> {
  const label = `${standard} ${req.model} ${req.kind} ${req.resolution} ${req.duration}s`;
  const problems = checkVideoRequest(req, { standard });
  const before = sb.creates.length;
  if (problems.length === 0) {
    const task = await clients[standard].createTask(req);
    expect(task.status, label).toBe('submitted');
    const made = sb.tasks().find((t) => t.taskId === task.taskId);
    expect(
      made && { model: made.model, resolution: made.resolution, duration: made.req.duration, sound: made.sound },
      label,
    ).toEqual({
      model: req.model,
      resolution: req.resolution,
      duration: req.duration,
      sound: hasAudio(req.model, req.audio),
    });
    return 'valid';
  }
  await expect(clients[standard].createTask(req), `${label}: ${JSON.stringify(problems)}`).rejects.toThrow();
  expect(sb.creates.length, `${label}: the client sent a request the check refuses`).toBe(before);
  const w = rawWire(req, standard);
  const headers = { 'Content-Type': 'application/json', Authorization: clients[standard].tokens.authorization() };
  const res = await fetch(`${sb.url}${w.path}`, { method: 'POST', headers, body: JSON.stringify(w.body) });
  const answer = (await res.json()) as { code: number; message: string };
  const modelUnreachable = problems.some((p) => p.field === 'model');
  expect(
    modelUnreachable ? [1201, 1203] : [1201],
    `${label}: ${JSON.stringify(problems)} -> ${answer.code} ${answer.message}`,
  ).toContain(answer.code);
  expect(sb.creates.at(-1)?.taskId, label).toBeNull();
  return 'invalid';
}

describe('request check, client and sandbox agree on the whole matrix', () => {
  for (const standard of ['new', 'legacy'] as const) {
    it(`${standard} standard: every live model x kind x resolution x duration x feature set`, async () => {
      const tally = { valid: 0, invalid: 0 };
      const perModel: Record<string, number> = {};
      for (const model of LIVE_MODELS) {
        for (const resolution of RESOLUTIONS as readonly Resolution[]) {
          for (const duration of durationsOf(model)) {
            for (const f of FEATURES) {
              if (f.skip?.(model)) continue;
              const base: VideoRequest = {
                kind: f.kind,
                model,
                resolution,
                duration,
                prompt: 'a red kite over the sea',
                externalTaskId: `prop-${standard}-${++seq}`,
              };
              if (f.kind === 'text2video') base.aspectRatio = '16:9';
              const outcome = await property(f.apply(base), standard);
              tally[outcome]++;
              if (outcome === 'valid') perModel[model] = (perModel[model] ?? 0) + 1;
            }
          }
        }
      }
      // Both outcomes in bulk; every model reachable on this standard takes something.
      expect(tally.valid).toBeGreaterThan(200);
      expect(tally.invalid).toBeGreaterThan(200);
      for (const model of LIVE_MODELS) {
        if (standard === 'legacy' && CAPABILITIES[model].legacyName === null)
          expect(perModel[model], model).toBeUndefined();
        else expect(perModel[model], model).toBeGreaterThan(0);
      }
    }, 600_000);
  }
});
