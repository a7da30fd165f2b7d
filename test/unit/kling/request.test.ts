/**
 * Both standards' bodies from the endpoint descriptors (shared/kling/endpoints.ts): golden
 * bodies written by hand from kling-api.md §5.3-§5.5 (new) and §6.2 (legacy), the decode the
 * sandbox runs (build -> decode gives the request back), and refusals before anything is built.
 */
import { describe, expect, it } from 'vitest';

import { buildWireBody, checkVideoRequest, endpointFor, ENDPOINTS, type VideoRequest } from '../../../shared/kling';
import { ShotlineError } from '../../../shared/result';
import { pngBase64 } from './png';

const IMG = pngBase64(320, 320);
const base = (o: Partial<VideoRequest> = {}): VideoRequest => ({
  kind: 'text2video',
  model: 'kling-3.0',
  resolution: '1080p',
  duration: 9,
  aspectRatio: '16:9',
  prompt: 'a red kite over the sea',
  externalTaskId: 'shot-a-1',
  ...o,
});

describe('golden bodies, new standard', () => {
  it('text-to-video on kling-3.0 with native audio: prompt + settings + options, multi_shot off for one shot', () => {
    const { path, body } = buildWireBody(base({ audio: 'native' }), 'new');
    expect(path).toBe('/text-to-video/kling-3.0');
    expect(body).toEqual({
      prompt: 'a red kite over the sea',
      settings: { resolution: '1080p', aspect_ratio: '16:9', duration: 9, audio: 'native', multi_shot: false },
      options: { external_task_id: 'shot-a-1' },
    });
  });

  it('text-to-video on kling-3.0-turbo: no audio field (always on), no multi_shot field', () => {
    const { path, body } = buildWireBody(base({ model: 'kling-3.0-turbo', duration: 3, resolution: '720p' }), 'new');
    expect(path).toBe('/text-to-video/kling-3.0-turbo');
    expect(body).toEqual({
      prompt: 'a red kite over the sea',
      settings: { resolution: '720p', aspect_ratio: '16:9', duration: 3 },
      options: { external_task_id: 'shot-a-1' },
    });
  });

  it('image-to-video on kling-2.5-turbo, first + last frame at 1080p: contents[], no aspect ratio, the negative prompt folded into the prompt', () => {
    const { path, body } = buildWireBody(
      base({
        kind: 'image2video',
        model: 'kling-2.5-turbo',
        duration: 5,
        startImage: { base64: IMG },
        endImage: 'https://example.com/end.png',
        negativePrompt: 'text, watermark',
        callbackUrl: 'https://example.com/cb',
        watermark: false,
      }),
      'new',
    );
    expect(path).toBe('/image-to-video/kling-2.5-turbo');
    expect(body).toEqual({
      contents: [
        { type: 'prompt', text: 'a red kite over the sea. Avoid: text, watermark.' },
        { type: 'first_frame', url: IMG },
        { type: 'last_frame', url: 'https://example.com/end.png' },
      ],
      settings: { resolution: '1080p', duration: 5 },
      options: {
        external_task_id: 'shot-a-1',
        callback_url: 'https://example.com/cb',
        watermark_info: { enabled: false },
      },
    });
  });

  it('omni-video: prompt only sends the aspect ratio; a first frame does not', () => {
    const t = buildWireBody(base({ model: 'kling-3.0-omni', resolution: '4k', duration: 5 }), 'new');
    expect(t.path).toBe('/omni-video/kling-3.0-omni');
    expect(t.body).toEqual({
      contents: [{ type: 'prompt', text: 'a red kite over the sea' }],
      settings: { resolution: '4k', duration: 5, aspect_ratio: '16:9', audio: 'off', multi_shot: false },
      options: { external_task_id: 'shot-a-1' },
    });
    const i = buildWireBody(
      base({
        kind: 'image2video',
        model: 'kling-o1',
        resolution: '720p',
        duration: 10,
        startImage: 'https://example.com/a.png',
      }),
      'new',
    );
    expect(i.body).toEqual({
      contents: [
        { type: 'prompt', text: 'a red kite over the sea' },
        { type: 'first_frame', url: 'https://example.com/a.png' },
      ],
      settings: { resolution: '720p', duration: 10, audio: 'off' },
      options: { external_task_id: 'shot-a-1' },
    });
  });
});

describe('golden bodies, legacy standard', () => {
  it('text2video on kling-v2-6 pro with sound and a negative prompt (the field exists there)', () => {
    const { path, body } = buildWireBody(
      base({ model: 'kling-2.6', duration: 10, audio: 'native', negativePrompt: 'blur' }),
      'legacy',
    );
    expect(path).toBe('/v1/videos/text2video');
    expect(body).toEqual({
      model_name: 'kling-v2-6',
      prompt: 'a red kite over the sea',
      negative_prompt: 'blur',
      mode: 'pro',
      aspect_ratio: '16:9',
      duration: '10',
      sound: 'on',
      external_task_id: 'shot-a-1',
    });
  });

  it('image2video on kling-v3 4k: string duration, mode 4k, sound off, multi_shot false', () => {
    const { path, body } = buildWireBody(
      base({ kind: 'image2video', resolution: '4k', duration: 12, startImage: 'https://example.com/a.png' }),
      'legacy',
    );
    expect(path).toBe('/v1/videos/image2video');
    expect(body).toEqual({
      model_name: 'kling-v3',
      image: 'https://example.com/a.png',
      prompt: 'a red kite over the sea',
      mode: '4k',
      duration: '12',
      sound: 'off',
      multi_shot: false,
      external_task_id: 'shot-a-1',
    });
  });

  it('omni-video on kling-video-o1 with first and end frames in image_list', () => {
    const { path, body } = buildWireBody(
      base({
        kind: 'image2video',
        model: 'kling-o1',
        resolution: '1080p',
        duration: 5,
        startImage: 'https://e.com/a.png',
        endImage: 'https://e.com/b.png',
      }),
      'legacy',
    );
    expect(path).toBe('/v1/videos/omni-video');
    expect(body).toEqual({
      model_name: 'kling-video-o1',
      prompt: 'a red kite over the sea',
      image_list: [
        { image_url: 'https://e.com/a.png', type: 'first_frame' },
        { image_url: 'https://e.com/b.png', type: 'end_frame' },
      ],
      mode: 'pro',
      duration: '5',
      external_task_id: 'shot-a-1',
    });
  });
});

describe('refusals before anything is built', () => {
  it('3.0 Turbo cannot be reached with AK/SK (no legacy endpoint): the fix names the API key', () => {
    const p = checkVideoRequest(base({ model: 'kling-3.0-turbo', duration: 5, resolution: '720p' }), {
      standard: 'legacy',
    });
    expect(p.map((x) => x.message).join()).toMatch(
      /only offered on Kling's new API, which takes an API key.*keys set --api-key/,
    );
    expect(() => buildWireBody(base({ model: 'kling-3.0-turbo', duration: 5, resolution: '720p' }), 'legacy')).toThrow(
      ShotlineError,
    );
  });

  it('lists every problem with its field', () => {
    const p = checkVideoRequest(
      base({ model: 'kling-2.5-turbo', resolution: '4k', duration: 7, audio: 'native', prompt: '' }),
    );
    expect(p.map((x) => x.field).sort()).toEqual(['audio', 'duration', 'prompt', 'resolution']);
  });

  it('a local path is never sent: it must be loaded (checked, raw base64) first', () => {
    expect(() => buildWireBody(base({ kind: 'image2video', startImage: '/tmp/frame.png' }), 'new')).toThrow(
      /is a local file; load it first/,
    );
  });

  it('names problems as the wire does, for the sandbox', () => {
    const e = endpointFor('new', 'kling-2.6', 'text2video');
    const p = checkVideoRequest(base({ model: 'kling-2.6', duration: 15 }), { names: e.names });
    expect(p[0]?.field).toBe('settings.duration');
  });
});

describe('decode: what the sandbox reads back is the request the client built', () => {
  const cases: Array<[string, VideoRequest, 'new' | 'legacy']> = [
    ['3.0 T2V native', base({ audio: 'native' }), 'new'],
    [
      '3.0 Turbo I2V',
      base({
        kind: 'image2video',
        model: 'kling-3.0-turbo',
        resolution: '720p',
        duration: 4,
        startImage: 'https://e.com/a.png',
        aspectRatio: undefined,
      }),
      'new',
    ],
    ['Omni T2V 4k', base({ model: 'kling-3.0-omni', resolution: '4k', duration: 6, audio: 'off' }), 'new'],
    [
      '2.6 legacy I2V pro',
      base({
        kind: 'image2video',
        model: 'kling-2.6',
        resolution: '1080p',
        duration: 5,
        startImage: 'https://e.com/a.png',
        endImage: 'https://e.com/b.png',
        audio: 'off',
        aspectRatio: undefined,
      }),
      'legacy',
    ],
    ['O1 legacy T2V (no sound field: off)', base({ model: 'kling-o1', resolution: '720p', duration: 10 }), 'legacy'],
  ];
  it.each(cases)('%s', (_n, req, standard) => {
    const { endpoint, body } = buildWireBody(req, standard);
    const parsed = endpoint.schema.safeParse(body);
    expect(parsed.success).toBe(true);
    const d = endpoint.decode(parsed.data, req.model);
    if (!d.ok) throw new Error(JSON.stringify(d.problems));
    const want: Record<string, unknown> = { ...req };
    for (const k of Object.keys(want)) if (want[k] === undefined) delete want[k];
    const got: Record<string, unknown> = { ...d.req };
    // The legacy standard has no `audio` on models without sound choice, and the body keeps only what it carries.
    if (want.audio === undefined) delete got.audio;
    expect(got).toEqual(want);
  });

  it('fields the new standard does not have are refused by its strict schema (negative_prompt, mode, camera_control, image_tail)', () => {
    for (const extra of [
      { negative_prompt: 'x' },
      { mode: 'pro' },
      { camera_control: { type: 'down_back' } },
      { image_tail: 'x' },
      { cfg_scale: 0.5 },
    ]) {
      expect(ENDPOINTS['new:text-to-video'].schema.safeParse({ prompt: 'x', ...extra }).success).toBe(false);
    }
  });
});
