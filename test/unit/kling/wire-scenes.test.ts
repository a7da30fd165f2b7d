/**
 * The Kling 3.x bodies (shared/kling/endpoints.ts): multi-shot scenes, elements and motion
 * control on both standards, as golden bodies written by hand from kling-api.md §5.2, §5.4,
 * §5.6, §6.2, §7 and §10; the sandbox's decode gives the request back; the checks refuse what
 * Kling would (per-model element limits, scene rules, motion rules) before anything is built.
 */
import { describe, expect, it } from 'vitest';

import { buildWireBody, checkVideoRequest, ENDPOINTS, type VideoRequest } from '../../../shared/kling';
import { legacyElementPrompt } from '../../../shared/kling/endpoints';

const scene = (o: Partial<VideoRequest> = {}): VideoRequest => ({
  kind: 'text2video',
  model: 'kling-3.0',
  resolution: '1080p',
  duration: 9,
  aspectRatio: '16:9',
  audio: 'native',
  externalTaskId: 'scene-hall-1',
  shots: [
    { prompt: 'Wide shot of a night train crossing a bridge', duration: 4 },
    { prompt: 'Close-up of @mara at the window; melancholic', duration: 3 },
    { prompt: 'Her reflection fades', duration: 2 },
  ],
  ...o,
});
const START = 'https://example.com/start.png';
const ELEMENTS = [{ elementId: '321922438904313', alias: 'mara' }];

describe('multi-shot scenes', () => {
  it('new standard: one prompt in "shot n, m, words;" form, multi_shot true, duration the sum (kling-api.md §5.3 example)', () => {
    const { path, body } = buildWireBody(scene(), 'new');
    expect(path).toBe('/text-to-video/kling-3.0');
    expect(body).toEqual({
      prompt:
        'shot 1, 4, Wide shot of a night train crossing a bridge; shot 2, 3, Close-up of @mara at the window, melancholic; shot 3, 2, Her reflection fades;',
      settings: { resolution: '1080p', aspect_ratio: '16:9', duration: 9, audio: 'native', multi_shot: true },
      options: { external_task_id: 'scene-hall-1' },
    });
    const back = ENDPOINTS['new:text-to-video'].decode(body, 'kling-3.0');
    expect(back).toMatchObject({
      ok: true,
      req: {
        duration: 9,
        shots: [
          { duration: 4 },
          { duration: 3, prompt: 'Close-up of @mara at the window, melancholic' },
          { duration: 2 },
        ],
      },
    });
  });

  it('3.0 Turbo: the syntax alone, no multi_shot field', () => {
    const { body } = buildWireBody(scene({ model: 'kling-3.0-turbo', audio: undefined }), 'new');
    expect((body as { settings: Record<string, unknown> }).settings).toEqual({
      resolution: '1080p',
      aspect_ratio: '16:9',
      duration: 9,
    });
  });

  it('legacy: multi_shot, shot_type customize, multi_prompt with string durations; no prompt; decode gives the shots back', () => {
    const { path, body } = buildWireBody(scene(), 'legacy');
    expect(path).toBe('/v1/videos/text2video');
    expect(body).toEqual({
      model_name: 'kling-v3',
      mode: 'pro',
      aspect_ratio: '16:9',
      duration: '9',
      sound: 'on',
      multi_shot: true,
      shot_type: 'customize',
      multi_prompt: [
        { index: 1, prompt: 'Wide shot of a night train crossing a bridge', duration: '4' },
        { index: 2, prompt: 'Close-up of @mara at the window; melancholic', duration: '3' },
        { index: 3, prompt: 'Her reflection fades', duration: '2' },
      ],
      external_task_id: 'scene-hall-1',
    });
    const back = ENDPOINTS['legacy:text2video'].decode(body, 'kling-3.0');
    expect(back.ok && back.req.shots?.map((s) => s.duration)).toEqual([4, 3, 2]);
  });

  it('a scene with a start frame and an element rides on image to video, elements after the frames', () => {
    const { path, body } = buildWireBody(
      scene({ kind: 'image2video', aspectRatio: undefined, startImage: START, elements: ELEMENTS }),
      'new',
    );
    expect(path).toBe('/image-to-video/kling-3.0');
    expect((body as { contents: unknown[] }).contents).toEqual([
      {
        type: 'prompt',
        text: 'shot 1, 4, Wide shot of a night train crossing a bridge; shot 2, 3, Close-up of @mara at the window, melancholic; shot 3, 2, Her reflection fades;',
      },
      { type: 'first_frame', url: START },
      { type: 'element', element_id: '321922438904313', id: 'mara' },
    ]);
    const legacy = buildWireBody(
      scene({ kind: 'image2video', aspectRatio: undefined, startImage: START, elements: ELEMENTS }),
      'legacy',
    ).body as Record<string, unknown>;
    expect(legacy.element_list).toEqual([{ element_id: 321922438904313 }]);
    expect((legacy.multi_prompt as Array<{ prompt: string }>)[1]?.prompt).toBe(
      'Close-up of <<<element_1>>> at the window; melancholic',
    );
  });

  it('refuses the scene rules with the shot and the fix: 7 shots, a 0.5 s shot, 513 characters, a sum that does not match, a model without multi-shot', () => {
    const seven = scene({
      duration: 7,
      shots: Array.from({ length: 7 }, (_, i) => ({ prompt: `s${i}`, duration: 1 })),
    });
    expect(checkVideoRequest(seven).map((p) => p.message)).toContain('7 shots; a multi-shot generation has 1-6');
    const half = scene({
      shots: [
        { prompt: 'a', duration: 0.5 },
        { prompt: 'b', duration: 8.5 },
      ],
    });
    expect(checkVideoRequest(half).map((p) => p.message)).toContain(
      'shot 1 lasts 0.5 s; each shot must be a whole number of seconds, at least 1',
    );
    const long = scene({ shots: [{ prompt: 'x'.repeat(513), duration: 9 }] });
    expect(checkVideoRequest(long).map((p) => p.message)).toContain(
      'shot 1 text is 513 characters; at most 512 per shot',
    );
    expect(checkVideoRequest(scene({ duration: 10 })).map((p) => p.message)).toContain(
      'the shots last 9 s together, but duration is 10; they must add up to it',
    );
    expect(
      checkVideoRequest(scene({ model: 'kling-2.6', duration: 10, shots: [{ prompt: 'a', duration: 10 }] })).map(
        (p) => p.message,
      ),
    ).toContain(
      'kling-2.6 makes one shot per generation; use kling-3.0, kling-3.0-turbo, kling-3.0-omni for a multi-shot scene',
    );
  });
});

describe('elements', () => {
  const i2v = (o: Partial<VideoRequest>): VideoRequest => ({
    kind: 'image2video',
    model: 'kling-3.0',
    resolution: '1080p',
    duration: 5,
    prompt: '@mara waves',
    startImage: START,
    externalTaskId: 'e-1',
    elements: ELEMENTS,
    ...o,
  });

  it('new standard: contents[element] with the alias; legacy: element_list numbers and <<<element_N>>> in the prompt', () => {
    expect((buildWireBody(i2v({}), 'new').body as { contents: unknown[] }).contents).toEqual([
      { type: 'prompt', text: '@mara waves' },
      { type: 'first_frame', url: START },
      { type: 'element', element_id: '321922438904313', id: 'mara' },
    ]);
    expect(buildWireBody(i2v({}), 'legacy').body).toMatchObject({
      prompt: '<<<element_1>>> waves',
      element_list: [{ element_id: 321922438904313 }],
    });
    const two = [...ELEMENTS, { elementId: '5', alias: 'mar' }];
    expect(legacyElementPrompt('@mar meets @mara; mail x@mar.com', two)).toBe(
      '<<<element_2>>> meets <<<element_1>>>; mail x@mar.com',
    );
  });

  it('per-model limits: 3.0 needs a first frame and takes 3; 3.0 Omni 7, 3 with a first frame; O1 none with first + last; 2.6 none', () => {
    const many = (n: number): VideoRequest['elements'] =>
      Array.from({ length: n }, (_, i) => ({ elementId: String(i + 1), alias: `e${i}` }));
    const msgs = (r: VideoRequest): string[] => checkVideoRequest(r).map((p) => p.message);
    expect(msgs(i2v({ kind: 'text2video', startImage: undefined, aspectRatio: '16:9' }))).toContain(
      'on kling-3.0 elements ride with image to video, which needs a first frame (kling-api.md §5.4); add a startImage, or use kling-3.0-omni',
    );
    expect(msgs(i2v({ elements: many(4) }))).toContain(
      '4 elements; kling-3.0 takes at most 3; use kling-3.0-omni for up to 7 without a start frame',
    );
    expect(
      msgs(
        i2v({
          model: 'kling-3.0-omni',
          kind: 'text2video',
          startImage: undefined,
          aspectRatio: '16:9',
          elements: many(7),
        }),
      ),
    ).toEqual([]);
    expect(msgs(i2v({ model: 'kling-3.0-omni', elements: many(4) }))).toContain(
      '4 elements; kling-3.0-omni takes at most 3 with a start frame (7 without one)',
    );
    expect(msgs(i2v({ model: 'kling-o1', endImage: START }))).toContain(
      'kling-o1 takes no elements with a start + end frame; drop the end frame or the elements',
    );
    expect(msgs(i2v({ model: 'kling-2.6' }))).toContain(
      'kling-2.6 takes no elements; use kling-3.0, kling-3.0-omni, kling-o1',
    );
  });
});

describe('motion control', () => {
  const motion = (o: Partial<VideoRequest> = {}): VideoRequest => ({
    kind: 'motion',
    model: 'kling-3.0',
    resolution: '1080p',
    duration: 10,
    prompt: 'she dances',
    startImage: START,
    motion: { video: 'https://example.com/dance.mp4', orientation: 'image' },
    externalTaskId: 'm-1',
    ...o,
  });

  it('new standard: POST /motion-control/<model>, contents image + video, character_orientation, audio original; no duration or aspect ratio (kling-api.md §5.6)', () => {
    const { path, body } = buildWireBody(motion(), 'new');
    expect(path).toBe('/motion-control/kling-3.0');
    expect(body).toEqual({
      contents: [
        { type: 'prompt', text: 'she dances' },
        { type: 'image', url: START },
        { type: 'video', url: 'https://example.com/dance.mp4' },
      ],
      settings: { resolution: '1080p', character_orientation: 'image', audio: 'original' },
      options: { external_task_id: 'm-1' },
    });
    expect(ENDPOINTS['new:motion-control'].decode(body, 'kling-3.0')).toMatchObject({
      ok: true,
      req: { kind: 'motion', audio: 'native', motion: { orientation: 'image' }, startImage: START },
    });
  });

  it('legacy: /v1/videos/motion-control with image_url, video_url, keep_original_sound and mode', () => {
    const { path, body } = buildWireBody(motion({ model: 'kling-2.6', audio: 'off', resolution: '720p' }), 'legacy');
    expect(path).toBe('/v1/videos/motion-control');
    expect(body).toEqual({
      model_name: 'kling-v2-6',
      prompt: 'she dances',
      image_url: START,
      video_url: 'https://example.com/dance.mp4',
      character_orientation: 'image',
      keep_original_sound: 'no',
      mode: 'std',
      external_task_id: 'm-1',
    });
  });

  it('refuses: a model without motion control, 4K, a local reference, plain http off this machine, an end frame, 2 elements on 3.0, too long for the orientation', () => {
    const msgs = (r: VideoRequest): string[] => checkVideoRequest(r).map((p) => `${p.field}: ${p.message}`);
    expect(msgs(motion({ model: 'kling-3.0-omni' }))).toContain(
      'model: kling-3.0-omni has no motion control; use kling-3.0, kling-2.6',
    );
    expect(msgs(motion({ resolution: '4k' }))).toContain(
      'resolution: motion control makes 720p or 1080p, no 4K; set resolution 1080p',
    );
    expect(msgs(motion({ motion: { video: 'clips/dance.mp4', orientation: 'image' } }))).toContain(
      'motion.video: Kling fetches reference videos by URL only (kling-api.md §5.1): upload it and give the https URL',
    );
    expect(msgs(motion({ motion: { video: 'http://example.com/d.mp4', orientation: 'image' } }))).toContain(
      'motion.video: reference video URLs must be https',
    );
    expect(msgs(motion({ motion: { video: 'http://127.0.0.1:9/d.mp4', orientation: 'image' } }))).toEqual([]);
    expect(msgs(motion({ endImage: START }))).toContain(
      'endImage: motion control takes no end frame; the motion follows the reference video',
    );
    expect(msgs(motion({ elements: [...ELEMENTS, { elementId: '2', alias: 'cup' }] }))).toContain(
      'elements: 2 elements; motion control on kling-3.0 takes at most 1',
    );
    expect(msgs(motion({ duration: 12 }))[0]).toMatch(
      /^duration: 12 s; with orientation image the reference video lasts 3-10 s/,
    );
  });
});
