/**
 * The typed request Shotline works with (camelCase, duration as a number), the capability
 * check over it, and the one function that turns it into Kling's wire body.
 *
 * `checkVideoRequest` returns every problem with the field it concerns; the storyboard
 * validator and the UI show them, `buildWireBody` refuses to build a body that has any,
 * and the sandbox runs the same check over incoming bodies (with wire field names).
 */
import { z } from 'zod';

import { ShotlineError } from '../result';
import {
  ASPECT_RATIOS,
  CAMERA_AXES,
  CAMERA_TYPES,
  CAPABILITIES,
  describeSupport,
  type Feature,
  LIMITS,
  MODELS,
  MODES,
  modelsSupporting,
  supports,
  VIDEO_KINDS,
  type CameraAxis,
} from './capabilities';
import { checkSafeUrl, looksLikeUrl } from './images';
import type { Image2VideoBody, Text2VideoBody, VideoExtendBody, WireBody, WireCameraControl } from './wire';

/** An image: an https URL, a local file path (the client loads it), or raw base64. */
export const ImageSource = z.union([z.string().min(1), z.strictObject({ base64: z.string().min(1) })]);
export type ImageSource = z.infer<typeof ImageSource>;

export const CameraConfig = z.strictObject({
  horizontal: z.number().optional(),
  vertical: z.number().optional(),
  pan: z.number().optional(),
  tilt: z.number().optional(),
  roll: z.number().optional(),
  zoom: z.number().optional(),
});
export const CameraSpec = z.strictObject({ type: z.enum(CAMERA_TYPES), config: CameraConfig.optional() });
export type CameraSpec = z.infer<typeof CameraSpec>;

export const TrajectoryPoint = z.strictObject({ x: z.number(), y: z.number() });
export const DynamicMaskSpec = z.strictObject({ mask: ImageSource, trajectories: z.array(TrajectoryPoint) });
export type DynamicMaskSpec = z.infer<typeof DynamicMaskSpec>;

export const VideoRequest = z.strictObject({
  kind: z.enum(VIDEO_KINDS),
  model: z.enum(MODELS),
  mode: z.enum(MODES),
  /** Seconds (5 or 10; 3-15 on kling-v3). The wire gets the string. For extend: ignored. */
  duration: z.number(),
  aspectRatio: z.enum(ASPECT_RATIOS).optional(),
  prompt: z.string().optional(),
  negativePrompt: z.string().optional(),
  cfgScale: z.number().optional(),
  camera: CameraSpec.optional(),
  startImage: ImageSource.optional(),
  endImage: ImageSource.optional(),
  staticMask: ImageSource.optional(),
  dynamicMasks: z.array(DynamicMaskSpec).optional(),
  /** video-extend: the `videos[].id` of the source clip. */
  videoId: z.string().optional(),
  externalTaskId: z.string(),
  callbackUrl: z.string().optional(),
  watermark: z.boolean().optional(),
});
export type VideoRequest = z.infer<typeof VideoRequest>;

/** Named camera moves for storyboards: Kling's four presets plus one-axis `simple` moves. */
export const CAMERA_PRESETS: Record<string, CameraSpec> = {
  down_back: { type: 'down_back' },
  forward_up: { type: 'forward_up' },
  right_turn_forward: { type: 'right_turn_forward' },
  left_turn_forward: { type: 'left_turn_forward' },
  zoom_in: { type: 'simple', config: { zoom: -5 } },
  zoom_out: { type: 'simple', config: { zoom: 5 } },
  pan_left: { type: 'simple', config: { pan: -5 } },
  pan_right: { type: 'simple', config: { pan: 5 } },
  tilt_up: { type: 'simple', config: { tilt: 5 } },
  tilt_down: { type: 'simple', config: { tilt: -5 } },
  roll_clockwise: { type: 'simple', config: { roll: 5 } },
  roll_counterclockwise: { type: 'simple', config: { roll: -5 } },
  truck_left: { type: 'simple', config: { horizontal: -5 } },
  truck_right: { type: 'simple', config: { horizontal: 5 } },
  pedestal_up: { type: 'simple', config: { vertical: 5 } },
  pedestal_down: { type: 'simple', config: { vertical: -5 } },
};

export interface Problem {
  /** Field path in request terms (`camera.config`, `dynamicMasks[1].trajectories`) or wire terms. */
  field: string;
  message: string;
}

/** Request field -> wire field, so the sandbox can report the names it received. */
export const WIRE_NAMES: Record<string, string> = {
  model: 'model_name',
  mode: 'mode',
  duration: 'duration',
  aspectRatio: 'aspect_ratio',
  prompt: 'prompt',
  negativePrompt: 'negative_prompt',
  cfgScale: 'cfg_scale',
  camera: 'camera_control',
  startImage: 'image',
  endImage: 'image_tail',
  staticMask: 'static_mask',
  dynamicMasks: 'dynamic_masks',
  videoId: 'video_id',
  externalTaskId: 'external_task_id',
  callbackUrl: 'callback_url',
};

export function formatProblems(problems: Problem[]): string {
  return problems.map((p) => `${p.field}: ${p.message}`).join('; ');
}

export interface CheckOptions {
  /** Name fields as the wire does (`image_tail`), for the sandbox's 1201 messages. */
  names?: 'request' | 'wire';
}

/**
 * Every reason Kling would refuse (or the client must not send) this request. Pure: image
 * bytes are checked separately (images.ts) once loaded.
 */
export function checkVideoRequest(req: VideoRequest, opts: CheckOptions = {}): Problem[] {
  const out: Problem[] = [];
  const name = (field: string): string => {
    if (opts.names !== 'wire') return field;
    const m = /^([A-Za-z]+)(.*)$/.exec(field);
    return m ? (WIRE_NAMES[m[1] ?? ''] ?? m[1] ?? '') + (m[2] ?? '') : field;
  };
  const add = (field: string, message: string): void => {
    out.push({ field: name(field), message });
  };
  const caps = CAPABILITIES[req.model];
  const { model, mode, duration, kind } = req;
  const at = caps.modeless ? `${model} ${duration} s` : `${model} ${mode} ${duration} s`;
  const need = (feature: Feature, field: string, what: string): void => {
    if (!supports(model, mode, duration, feature)) {
      const where = describeSupport(model, feature);
      const others = modelsSupporting(feature);
      add(
        field,
        `${what} is not available on ${at}` +
          (where !== 'never' ? ` (${model}: ${where})` : others.length ? ` (use ${others.join(', ')})` : ''),
      );
    }
  };

  // Kind, mode and duration.
  if (kind === 'video-extend') {
    if (!supports(model, mode, caps.durations[0] ?? 5, 'extend')) {
      add('model', `only videos made with ${modelsSupporting('extend').join(', ')} can be extended, not ${model}`);
    }
  } else {
    if (!caps.durations.includes(duration)) {
      add('duration', `${duration} s is not offered by ${model}; use ${caps.durations.join(', ')} s`);
    } else if (caps.kinds[kind].length === 0) {
      add('model', `${model} does not do ${kind}; use ${modelsSupporting(kind).join(', ')}`);
    } else if (!caps.kinds[kind].includes(mode)) {
      add('mode', `${model} does ${kind} only in ${caps.kinds[kind].join(', ')} mode`);
    }
  }

  // Text.
  const prompt = req.prompt ?? '';
  if (kind === 'text2video' && prompt.trim() === '') add('prompt', 'a prompt is required for text to video');
  if (prompt.length > LIMITS.promptMax) add('prompt', `${prompt.length} characters; Kling takes at most ${LIMITS.promptMax}`);
  if (req.negativePrompt !== undefined) {
    if (kind === 'video-extend') add('negativePrompt', 'video extend does not take a negative prompt (capability map)');
    else if (req.negativePrompt.length > LIMITS.negativePromptMax) {
      add('negativePrompt', `${req.negativePrompt.length} characters; Kling takes at most ${LIMITS.negativePromptMax}`);
    }
  }
  if (req.cfgScale !== undefined) {
    if (kind === 'video-extend') add('cfgScale', 'video extend does not take cfg scale (capability map)');
    else if (!(req.cfgScale >= 0 && req.cfgScale <= 1)) add('cfgScale', `${req.cfgScale} is outside 0 to 1`);
    else if (!supports(model, mode, duration, 'cfgScale')) add('cfgScale', `${model} does not take cfg scale (only ${modelsSupporting('cfgScale').join(', ')})`);
  }

  // External id and callback.
  if (req.externalTaskId.trim() === '') add('externalTaskId', 'every request needs an external task id');
  else if (req.externalTaskId.length > LIMITS.externalTaskIdMax) add('externalTaskId', `longer than ${LIMITS.externalTaskIdMax} characters`);
  if (req.callbackUrl !== undefined) {
    const bad = checkSafeUrl(name('callbackUrl'), req.callbackUrl);
    if (bad) out.push({ field: name('callbackUrl'), message: bad.slice(bad.indexOf(': ') + 2) });
  }

  // Camera.
  if (req.camera) out.push(...checkCamera(req.camera).map((p) => ({ field: name(p.field), message: p.message })));

  const hasMasks = req.staticMask !== undefined || (req.dynamicMasks !== undefined && req.dynamicMasks.length > 0);
  if (kind === 'text2video' || kind === 'video-extend') {
    const label = kind === 'text2video' ? 'text to video' : 'video extend';
    for (const f of ['startImage', 'endImage', 'staticMask', 'dynamicMasks'] as const) {
      if (req[f] !== undefined) add(f, `${label} takes no images; use image2video`);
    }
    if (kind === 'text2video' && req.camera) need('cameraControlText2Video', 'camera', 'camera control');
    if (kind === 'video-extend') {
      if (req.camera) add('camera', 'video extend takes no camera control');
      if (!req.videoId) add('videoId', 'the id of the video to extend is required');
    }
  } else {
    if (req.videoId !== undefined) add('videoId', 'only video-extend takes a video id');
    if (req.startImage === undefined && req.endImage === undefined) add('startImage', 'image to video needs a start image or an end image');
    if (req.endImage !== undefined) {
      if (req.startImage !== undefined) need('endFrame', 'endImage', 'a start + end frame');
      else need('endFrameOnly', 'endImage', 'an end frame without a start frame');
      if (req.camera) add('camera', 'camera control cannot be combined with an end frame');
      if (hasMasks) add(req.staticMask !== undefined ? 'staticMask' : 'dynamicMasks', 'motion brush cannot be combined with an end frame');
    }
    if (req.camera) {
      need('cameraControlImage2Video', 'camera', 'camera control');
      if (supports(model, mode, duration, 'cameraControlImage2Video') && !caps.cameraTypesImage2Video.includes(req.camera.type)) {
        add('camera.type', `${model} image to video takes only ${caps.cameraTypesImage2Video.join(', ')} camera moves`);
      }
      if (hasMasks) add('camera', 'camera control cannot be combined with motion brush');
    }
    if (hasMasks) {
      need('motionBrush', req.staticMask !== undefined ? 'staticMask' : 'dynamicMasks', 'motion brush');
      if (req.startImage === undefined) add(req.staticMask !== undefined ? 'staticMask' : 'dynamicMasks', 'motion brush needs a start image');
    }
    const masks = req.dynamicMasks ?? [];
    if (req.dynamicMasks !== undefined && masks.length === 0) add('dynamicMasks', 'an empty list; leave it out instead');
    if (masks.length > LIMITS.dynamicMasksMax) add('dynamicMasks', `${masks.length} masks; at most ${LIMITS.dynamicMasksMax}`);
    masks.forEach((m, i) => {
      const n = m.trajectories.length;
      const [lo, hi] = LIMITS.trajectoryPoints;
      if (n < lo || n > hi) add(`dynamicMasks[${i}].trajectories`, `${n} points; a trajectory has ${lo} to ${hi} points`);
      m.trajectories.forEach((p, j) => {
        if (!Number.isInteger(p.x) || !Number.isInteger(p.y) || p.x < 0 || p.y < 0) {
          add(`dynamicMasks[${i}].trajectories[${j}]`, `(${p.x}, ${p.y}) must be whole, non-negative pixel coordinates (origin bottom-left)`);
        }
      });
    });
  }
  return out;
}

/** Camera rules (§3.3): `simple` needs exactly one non-zero axis in [-10, 10]; presets take no config. */
export function checkCamera(camera: CameraSpec): Problem[] {
  const out: Problem[] = [];
  const cfg = camera.config ?? {};
  const set = CAMERA_AXES.filter((a) => (cfg[a] ?? 0) !== 0);
  for (const a of CAMERA_AXES) {
    const v = cfg[a];
    if (v !== undefined && !(v >= LIMITS.cameraValue[0] && v <= LIMITS.cameraValue[1])) {
      out.push({ field: `camera.config.${a}`, message: `${v} is outside -10 to 10` });
    }
  }
  if (camera.type === 'simple') {
    if (set.length !== 1) {
      out.push({
        field: 'camera.config',
        message: `a simple camera move sets exactly one of ${CAMERA_AXES.join(', ')} to a non-zero value (got ${set.length ? set.join(', ') : 'none'})`,
      });
    }
  } else if (set.length > 0) {
    out.push({ field: 'camera.config', message: `the ${camera.type} preset takes no config; leave it out or use type simple` });
  }
  return out;
}

function wireImage(field: string, src: ImageSource): string {
  if (typeof src !== 'string') return src.base64.replace(/^data:[^,]*;base64,/, '');
  if (looksLikeUrl(src)) {
    const bad = checkSafeUrl(field, src);
    if (bad) throw new ShotlineError({ code: 'validation', message: bad, where: field });
    return src;
  }
  throw new ShotlineError({
    code: 'validation',
    message: `${field}: "${src}" is a local file; load it first (the Kling client's createTask does: it checks the image and sends raw base64)`,
    where: field,
  });
}

function wireCamera(c: CameraSpec): WireCameraControl {
  if (c.type !== 'simple') return { type: c.type };
  const config: Record<CameraAxis, number> = { horizontal: 0, vertical: 0, pan: 0, tilt: 0, roll: 0, zoom: 0 };
  for (const a of CAMERA_AXES) config[a] = c.config?.[a] ?? 0;
  return { type: 'simple', config };
}

/**
 * The wire body for a request whose images are already URLs or base64. Throws a
 * ShotlineError (code `validation`, every problem listed) for anything the capability
 * matrix forbids, so no invalid combination is ever sent.
 */
export function buildWireBody(req: VideoRequest): WireBody {
  const parsed = VideoRequest.parse(req);
  const problems = checkVideoRequest(parsed);
  if (problems.length) {
    throw new ShotlineError({ code: 'validation', message: formatProblems(problems), where: problems[0]?.field });
  }
  const caps = CAPABILITIES[parsed.model];
  const tail = {
    ...(parsed.watermark !== undefined ? { watermark_info: { enabled: parsed.watermark } } : {}),
    ...(parsed.callbackUrl !== undefined ? { callback_url: parsed.callbackUrl } : {}),
    external_task_id: parsed.externalTaskId,
  };
  const text = {
    ...(parsed.prompt !== undefined && parsed.prompt !== '' ? { prompt: parsed.prompt } : {}),
    ...(parsed.negativePrompt !== undefined && parsed.negativePrompt !== '' ? { negative_prompt: parsed.negativePrompt } : {}),
    ...(parsed.cfgScale !== undefined ? { cfg_scale: parsed.cfgScale } : {}),
  };
  const mode = caps.modeless ? {} : { mode: parsed.mode };
  const duration = String(parsed.duration) as Text2VideoBody['duration'];

  if (parsed.kind === 'video-extend') {
    const body: VideoExtendBody = { video_id: parsed.videoId ?? '', ...(parsed.prompt ? { prompt: parsed.prompt } : {}), ...tail };
    return body;
  }
  if (parsed.kind === 'text2video') {
    const body: Text2VideoBody = {
      model_name: parsed.model,
      prompt: parsed.prompt ?? '',
      ...text,
      ...mode,
      ...(parsed.camera ? { camera_control: wireCamera(parsed.camera) } : {}),
      aspect_ratio: parsed.aspectRatio ?? '16:9',
      duration,
      ...tail,
    };
    return body;
  }
  const body: Image2VideoBody = {
    model_name: parsed.model,
    ...(parsed.startImage !== undefined ? { image: wireImage('startImage', parsed.startImage) } : {}),
    ...(parsed.endImage !== undefined ? { image_tail: wireImage('endImage', parsed.endImage) } : {}),
    ...text,
    ...mode,
    ...(parsed.staticMask !== undefined ? { static_mask: wireImage('staticMask', parsed.staticMask) } : {}),
    ...(parsed.dynamicMasks?.length
      ? {
          dynamic_masks: parsed.dynamicMasks.map((m, i) => ({
            mask: wireImage(`dynamicMasks[${i}].mask`, m.mask),
            trajectories: m.trajectories.map((p) => ({ x: p.x, y: p.y })),
          })),
        }
      : {}),
    ...(parsed.camera ? { camera_control: wireCamera(parsed.camera) } : {}),
    duration,
    ...tail,
  };
  return body;
}

/** Wire path segment per kind: `/v1/videos/<segment>`. */
export const KIND_PATH: Record<(typeof VIDEO_KINDS)[number], string> = {
  text2video: 'text2video',
  image2video: 'image2video',
  'video-extend': 'video-extend',
};
