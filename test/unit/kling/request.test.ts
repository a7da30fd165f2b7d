import { describe, expect, it } from 'vitest';

import {
  buildWireBody,
  CAMERA_PRESETS,
  checkCamera,
  checkVideoRequest,
  Image2VideoBody,
  Text2VideoBody,
  VideoExtendBody,
  type VideoRequest,
} from '../../../shared/kling';
import { ShotlineError } from '../../../shared/result';
import { pngBase64 } from './png';

const IMG = pngBase64(320, 320);
const MASK = pngBase64(320, 320, [255, 255, 255]);

/** Golden bodies, written by hand from kling-api.md §3.2-§3.4 (field names, string duration, full simple config). */
describe('golden wire bodies', () => {
  it('text2video, kling-v1 std 5 s, simple camera move', () => {
    const body = buildWireBody({
      kind: 'text2video',
      model: 'kling-v1',
      mode: 'std',
      duration: 5,
      aspectRatio: '16:9',
      prompt: 'a red kite over the sea',
      negativePrompt: 'blur',
      cfgScale: 0.5,
      camera: { type: 'simple', config: { zoom: 5 } },
      externalTaskId: 'shot-a-take-1',
      callbackUrl: 'https://example.com/kling/callback',
    });
    expect(JSON.stringify(body)).toBe(
      JSON.stringify({
        model_name: 'kling-v1',
        prompt: 'a red kite over the sea',
        negative_prompt: 'blur',
        cfg_scale: 0.5,
        mode: 'std',
        camera_control: { type: 'simple', config: { horizontal: 0, vertical: 0, pan: 0, tilt: 0, roll: 0, zoom: 5 } },
        aspect_ratio: '16:9',
        duration: '5',
        callback_url: 'https://example.com/kling/callback',
        external_task_id: 'shot-a-take-1',
      }),
    );
    expect(Text2VideoBody.safeParse(body).success).toBe(true);
  });

  it('text2video preset camera move has no config', () => {
    const body = buildWireBody({ kind: 'text2video', model: 'kling-v1', mode: 'std', duration: 5, prompt: 'p', camera: { type: 'forward_up' }, externalTaskId: 'x' });
    expect(body).toMatchObject({ camera_control: { type: 'forward_up' } });
    expect((body as Text2VideoBody).camera_control).not.toHaveProperty('config');
  });

  it('image2video, kling-v1 std 5 s, motion brush (static + dynamic masks)', () => {
    const body = buildWireBody({
      kind: 'image2video',
      model: 'kling-v1',
      mode: 'std',
      duration: 5,
      prompt: 'the kite drifts right',
      startImage: { base64: IMG },
      staticMask: { base64: MASK },
      dynamicMasks: [{ mask: { base64: MASK }, trajectories: [{ x: 10, y: 10 }, { x: 200, y: 150 }] }],
      externalTaskId: 'shot-b-take-1',
    });
    expect(JSON.stringify(body)).toBe(
      JSON.stringify({
        model_name: 'kling-v1',
        image: IMG,
        prompt: 'the kite drifts right',
        mode: 'std',
        static_mask: MASK,
        dynamic_masks: [{ mask: MASK, trajectories: [{ x: 10, y: 10 }, { x: 200, y: 150 }] }],
        duration: '5',
        external_task_id: 'shot-b-take-1',
      }),
    );
    expect(Image2VideoBody.safeParse(body).success).toBe(true);
  });

  it('image2video, kling-v1-5 pro 5 s, simple camera (pan)', () => {
    const body = buildWireBody({
      kind: 'image2video',
      model: 'kling-v1-5',
      mode: 'pro',
      duration: 5,
      startImage: 'https://example.com/frame.png',
      camera: { type: 'simple', config: { pan: -2.5 } },
      externalTaskId: 'c1',
    });
    expect(JSON.stringify(body)).toBe(
      JSON.stringify({
        model_name: 'kling-v1-5',
        image: 'https://example.com/frame.png',
        mode: 'pro',
        camera_control: { type: 'simple', config: { horizontal: 0, vertical: 0, pan: -2.5, tilt: 0, roll: 0, zoom: 0 } },
        duration: '5',
        external_task_id: 'c1',
      }),
    );
  });

  it('image2video start + end frame; data: prefixes are stripped to raw base64', () => {
    const body = buildWireBody({
      kind: 'image2video',
      model: 'kling-v2-5-turbo',
      mode: 'pro',
      duration: 10,
      startImage: { base64: `data:image/png;base64,${IMG}` },
      endImage: { base64: IMG },
      externalTaskId: 'e',
    });
    expect(body).toEqual({ model_name: 'kling-v2-5-turbo', image: IMG, image_tail: IMG, mode: 'pro', duration: '10', external_task_id: 'e' });
  });

  it('modeless models get no mode; image2video gets no aspect_ratio', () => {
    const t = buildWireBody({ kind: 'text2video', model: 'kling-v2-master', mode: 'pro', duration: 10, aspectRatio: '9:16', prompt: 'p', externalTaskId: 'x' });
    expect(t).toEqual({ model_name: 'kling-v2-master', prompt: 'p', aspect_ratio: '9:16', duration: '10', external_task_id: 'x' });
    const i = buildWireBody({ kind: 'image2video', model: 'kling-v2-1-master', mode: 'std', duration: 5, aspectRatio: '1:1', startImage: { base64: IMG }, externalTaskId: 'x' });
    expect(i).not.toHaveProperty('mode');
    expect(i).not.toHaveProperty('aspect_ratio');
  });

  it('video-extend body', () => {
    const body = buildWireBody({ kind: 'video-extend', model: 'kling-v1-6', mode: 'pro', duration: 5, videoId: 'v123', prompt: 'keep going', externalTaskId: 'x' });
    expect(JSON.stringify(body)).toBe(JSON.stringify({ video_id: 'v123', prompt: 'keep going', external_task_id: 'x' }));
    expect(VideoExtendBody.safeParse(body).success).toBe(true);
  });
});

describe('checkVideoRequest names the field and the fix', () => {
  const base: VideoRequest = { kind: 'text2video', model: 'kling-v1', mode: 'std', duration: 5, prompt: 'p', externalTaskId: 'x' };
  const fields = (r: Partial<VideoRequest>): string[] => checkVideoRequest({ ...base, ...r }).map((p) => p.field);

  it('accepts a minimal text2video', () => expect(checkVideoRequest(base)).toEqual([]));
  it('model, mode, duration', () => {
    expect(fields({ model: 'kling-v1-5' })).toEqual(['model']);
    expect(fields({ duration: 7 })).toEqual(['duration']);
    expect(checkVideoRequest({ ...base, model: 'kling-v2-1' })[0]?.message).toMatch(/does not do text2video; use kling-v1, kling-v1-6/);
  });
  it('text limits and cfg', () => {
    expect(fields({ prompt: '' })).toEqual(['prompt']);
    expect(fields({ prompt: 'x'.repeat(2501) })).toEqual(['prompt']);
    expect(fields({ negativePrompt: 'x'.repeat(2501) })).toEqual(['negativePrompt']);
    expect(fields({ cfgScale: 1.5 })).toEqual(['cfgScale']);
    expect(fields({ model: 'kling-v2-5-turbo', cfgScale: 0.5 })).toEqual(['cfgScale']);
  });
  it('camera rules', () => {
    expect(fields({ camera: { type: 'simple', config: { zoom: 1, pan: 1 } } })).toEqual(['camera.config']);
    expect(fields({ camera: { type: 'simple', config: {} } })).toEqual(['camera.config']);
    expect(fields({ camera: { type: 'simple', config: { zoom: 11 } } })).toEqual(['camera.config.zoom']);
    expect(fields({ camera: { type: 'down_back', config: { zoom: 2 } } })).toEqual(['camera.config']);
    expect(fields({ mode: 'pro', camera: CAMERA_PRESETS.zoom_in })).toEqual(['camera']);
    expect(checkCamera({ type: 'simple', config: { roll: -10 } })).toEqual([]);
  });
  it('image2video exclusions', () => {
    const i2v: VideoRequest = { ...base, kind: 'image2video', prompt: undefined, startImage: { base64: IMG } };
    const f = (r: Partial<VideoRequest>): string[] => checkVideoRequest({ ...i2v, ...r }).map((p) => p.field);
    expect(f({})).toEqual([]);
    expect(f({ startImage: undefined })).toEqual(['startImage']);
    expect(f({ endImage: { base64: IMG } })).toEqual([]);
    expect(f({ model: 'kling-v1-6', endImage: { base64: IMG } })).toEqual(['endImage']);
    expect(f({ model: 'kling-v1-6', mode: 'pro', startImage: undefined, endImage: { base64: IMG } })).toEqual([]);
    expect(f({ endImage: { base64: IMG }, staticMask: { base64: MASK } })).toEqual(['staticMask']);
    expect(f({ model: 'kling-v1-5', mode: 'pro', camera: { type: 'down_back' } })).toEqual(['camera.type']);
    expect(f({ model: 'kling-v1-5', mode: 'pro', camera: { type: 'simple', config: { tilt: 2 } }, staticMask: { base64: MASK } })).toEqual(['camera']);
    expect(f({ dynamicMasks: [{ mask: { base64: MASK }, trajectories: [{ x: 1, y: 1 }] }] })).toEqual(['dynamicMasks[0].trajectories']);
    expect(f({ dynamicMasks: Array.from({ length: 7 }, () => ({ mask: { base64: MASK }, trajectories: [{ x: 1, y: 1 }, { x: 2, y: 2 }] })) })).toEqual(['dynamicMasks']);
    expect(f({ dynamicMasks: [{ mask: { base64: MASK }, trajectories: [{ x: 1.5, y: 1 }, { x: 2, y: 2 }] }] })).toEqual(['dynamicMasks[0].trajectories[0]']);
  });
  it('wire names for the sandbox', () => {
    const p = checkVideoRequest({ ...base, kind: 'image2video', model: 'kling-v1-6', endImage: { base64: IMG } }, { names: 'wire' });
    expect(p.map((x) => x.field)).toEqual(['image_tail']);
  });
  it('extend: only v1.x sources, no negative prompt or cfg', () => {
    const ext: VideoRequest = { kind: 'video-extend', model: 'kling-v1', mode: 'std', duration: 5, videoId: 'v', externalTaskId: 'x' };
    expect(checkVideoRequest(ext)).toEqual([]);
    expect(checkVideoRequest({ ...ext, model: 'kling-v2-6' }).map((p) => p.field)).toEqual(['model']);
    expect(checkVideoRequest({ ...ext, negativePrompt: 'n', cfgScale: 0.2 }).map((p) => p.field)).toEqual(['negativePrompt', 'cfgScale']);
    expect(checkVideoRequest({ ...ext, videoId: undefined }).map((p) => p.field)).toEqual(['videoId']);
  });
  it('urls: https, or http on loopback only', () => {
    expect(fields({ callbackUrl: 'http://example.com/cb' })).toEqual(['callbackUrl']);
    expect(fields({ callbackUrl: 'http://127.0.0.1:9/cb' })).toEqual([]);
  });
});

describe('buildWireBody refuses', () => {
  it('anything the matrix forbids, with every problem listed', () => {
    let err: unknown;
    try {
      buildWireBody({ kind: 'text2video', model: 'kling-v2-6', mode: 'std', duration: 7, prompt: '', camera: { type: 'forward_up' }, externalTaskId: '' });
    } catch (e) {
      err = e;
    }
    expect(err).toBeInstanceOf(ShotlineError);
    const info = (err as ShotlineError).info;
    expect(info.code).toBe('validation');
    expect(info.message).toMatch(/duration: 7 s.*prompt: a prompt is required.*externalTaskId/);
  });
  it('local paths that were not loaded, and plain-http URLs', () => {
    const req: VideoRequest = { kind: 'image2video', model: 'kling-v1', mode: 'std', duration: 5, startImage: 'frames/a.png', externalTaskId: 'x' };
    expect(() => buildWireBody(req)).toThrow(/local file; load it first/);
    expect(() => buildWireBody({ ...req, startImage: 'http://example.com/a.png' })).toThrow(/must use https/);
  });
});
