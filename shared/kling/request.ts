/**
 * The typed request Shotline works with (camelCase, duration as a number, resolution rather
 * than the old `mode`), and the capability check over it. Both standards' bodies are built
 * from it in endpoints.ts; the sandbox decodes incoming bodies back into it and runs the same
 * check, so the client and the simulator can never disagree about what Kling takes.
 */
import { z } from 'zod';

import {
  ASPECT_RATIOS,
  AUDIO_SETTINGS,
  CAPABILITIES,
  describeDurations,
  LIMITS,
  LIVE_MODELS,
  modelsWith,
  RESOLUTIONS,
  VIDEO_KINDS,
  type KlingModel,
  type Standard,
} from './capabilities';
import { checkSafeUrl } from './images';

/** An image: an https URL, a local file path (the client loads it), or raw base64. */
export const ImageSource = z.union([z.string().min(1), z.strictObject({ base64: z.string().min(1) })]);
export type ImageSource = z.infer<typeof ImageSource>;

export const VideoRequest = z.strictObject({
  kind: z.enum(VIDEO_KINDS),
  model: z.enum(LIVE_MODELS),
  resolution: z.enum(RESOLUTIONS),
  /** Whole seconds (per model: 3-15 or 5/10). Legacy bodies get the string. */
  duration: z.number(),
  /** Text to video only: image to video follows the first frame. */
  aspectRatio: z.enum(ASPECT_RATIOS).optional(),
  /** `native` = Kling's own soundtrack; absent = the model's default (off where allowed). */
  audio: z.enum(AUDIO_SETTINGS).optional(),
  prompt: z.string().optional(),
  /** Legacy standard only (2.6, 2.5 Turbo); the new standard gets it folded into the prompt. */
  negativePrompt: z.string().optional(),
  startImage: ImageSource.optional(),
  endImage: ImageSource.optional(),
  externalTaskId: z.string(),
  callbackUrl: z.string().optional(),
  watermark: z.boolean().optional(),
  /**
   * A multi-shot scene (kling-api.md §10): 1-6 shots whose durations sum to `duration`. The new
   * standard gets them as `shot n, m, words;` in the prompt with `multi_shot: true`; the legacy
   * one as `multi_shot`, `shot_type: customize`, `multi_prompt[]`. Absent: one shot, and the
   * 3.0 family gets `multi_shot: false`.
   */
  shots: z.array(z.strictObject({ prompt: z.string(), duration: z.number() })).optional(),
  /** Elements by their Kling id, each with the alias the prompt names as `@alias` (kling-api.md §5.2, §7). */
  elements: z.array(z.strictObject({ elementId: z.string().min(1), alias: z.string().min(1) })).optional(),
  /** Motion control (kind `motion`, kling-api.md §5.6): the reference video (URL) and the orientation the output follows. */
  motion: z.strictObject({ video: z.string().min(1), orientation: z.enum(['image', 'video']) }).optional(),
});
export type VideoRequest = z.infer<typeof VideoRequest>;

export interface Problem {
  /** Field path in request terms (`endImage`) or wire terms (`contents[].last_frame`). */
  field: string;
  message: string;
}

export function formatProblems(problems: Problem[]): string {
  return problems.map((p) => `${p.field}: ${p.message}`).join('; ');
}

export interface CheckOptions {
  /** The standard the request will go over (3.0 Turbo has no legacy endpoint). Omitted: either. */
  standard?: Standard;
  /** Field names in the problems: request names (default) or a map to wire names (the sandbox). */
  names?: Readonly<Record<string, string>>;
}

/** "use kling-3.0, kling-2.6". */
function use(models: KlingModel[]): string {
  return models.length ? `; use ${models.join(', ')}` : '';
}

/**
 * Every reason Kling would refuse (or the client must not send) this request, each with the
 * field and the fix. Pure: image bytes are checked separately (images.ts) once loaded.
 */
export function checkVideoRequest(req: VideoRequest, opts: CheckOptions = {}): Problem[] {
  const out: Problem[] = [];
  const add = (field: string, message: string): void => {
    out.push({ field: opts.names?.[field] ?? field, message });
  };
  const { model, kind, resolution, duration } = req;
  const caps = CAPABILITIES[model];

  if (opts.standard === 'legacy' && caps.legacyName === null) {
    add('model', `${model} is only offered on Kling's new API, which takes an API key, not an access key + secret key; add an API-key profile (shotline keys set --api-key, or Settings > Keys) or use ${modelsWith((c) => c.legacyName !== null).join(', ')}`);
  }
  if (!Number.isInteger(duration) || !caps.durations.includes(duration)) {
    const others = modelsWith((c) => c.durations.includes(duration));
    add('duration', `${duration} s is not offered by ${model}; use ${describeDurations(model)}${others.length ? `, or a model with ${duration} s (${others.join(', ')})` : ''}`);
  }
  if (!caps.resolutions.includes(resolution)) {
    add('resolution', `${model} does not make ${resolution}; use ${caps.resolutions.join(', ')}${use(modelsWith((c) => c.resolutions.includes(resolution)))}`);
  }

  // Audio (kling-api.md §3, §11).
  if (req.audio !== undefined) {
    if (caps.audio === 'always' && req.audio === 'off') add('audio', `${model} always makes sound; leave audio out (or native), or use a model that can be silent: ${modelsWith((c) => Array.isArray(c.audio) && c.audio.includes('off')).join(', ')}`);
    else if (caps.audio === 'never' && req.audio === 'native') add('audio', `${model} makes silent clips${use(modelsWith((c) => c.audio === 'always' || (Array.isArray(c.audio) && c.audio.includes('native'))))}`);
    else if (Array.isArray(caps.audio) && !caps.audio.includes(req.audio)) add('audio', `${model} takes audio ${caps.audio.join(' or ')}${req.audio === 'native' ? use(modelsWith((c) => Array.isArray(c.audio) && c.audio.includes('native'))) : ''}`);
    else if (req.audio === 'native' && caps.audioResolutions && !caps.audioResolutions.includes(resolution)) {
      add('audio', `${model} makes native audio only at ${caps.audioResolutions.join(', ')}; set resolution ${caps.audioResolutions[0]} or audio off`);
    }
  }

  // Text.
  const prompt = req.prompt ?? '';
  const max = caps.promptMax[kind];
  if (kind === 'text2video' && prompt.trim() === '') add('prompt', 'a prompt is required for text to video');
  if (prompt.length > max) add('prompt', `${prompt.length} characters; ${model} takes at most ${max} for ${kind === 'text2video' ? 'text' : 'image'} to video`);
  if (req.negativePrompt !== undefined && req.negativePrompt !== '') {
    if (!caps.negativePrompt) add('negativePrompt', `${model} takes no negative prompt; put what to avoid in the prompt ("... no text, no watermark")`);
    else if (req.negativePrompt.length > LIMITS.negativePromptMax) add('negativePrompt', `${req.negativePrompt.length} characters; Kling takes at most ${LIMITS.negativePromptMax}`);
  }

  // Frames (kling-api.md §3, §5.4).
  if (kind === 'text2video') {
    if (req.startImage !== undefined) add('startImage', 'text to video takes no images; this is image to video');
    if (req.endImage !== undefined) add('endImage', 'text to video takes no images; an end frame needs a start frame');
  } else {
    if (req.startImage === undefined) {
      add('startImage', req.endImage !== undefined ? 'an end frame needs a start frame: no live Kling model generates from an end frame alone; add a start frame' : 'image to video needs a start frame');
    }
    if (req.endImage !== undefined) {
      const ef = caps.endFrame;
      if (!ef) add('endImage', `${model} takes only a start frame${use(modelsWith((c) => c.endFrame !== false))}`);
      else {
        if (!ef.resolutions.includes(resolution)) add('endImage', `${model} takes a start + end frame only at ${ef.resolutions.join(', ')}; set resolution ${ef.resolutions[0]}`);
        if (ef.silentOnly && req.audio === 'native') add('endImage', `${model} takes a start + end frame only without audio; set audio off or use kling-3.0`);
      }
    }
  }

  // External id and callback.
  if (req.externalTaskId.trim() === '') add('externalTaskId', 'every request needs an external task id');
  else if (req.externalTaskId.length > LIMITS.externalTaskIdMax) add('externalTaskId', `longer than ${LIMITS.externalTaskIdMax} characters`);
  if (req.callbackUrl !== undefined) {
    const bad = checkSafeUrl('callbackUrl', req.callbackUrl);
    if (bad) add('callbackUrl', bad.slice(bad.indexOf(': ') + 2));
  }
  return out;
}

/**
 * The prompt as the new standard gets it: it has no `negative_prompt`, and Kling's pages say
 * negative wording goes in the prompt, so a 2.6/2.5 Turbo negative prompt is appended.
 */
export function foldNegativePrompt(prompt: string, negative: string | undefined): string {
  if (!negative || negative.trim() === '') return prompt;
  const p = prompt.trim();
  return `${p}${p === '' || /[.!?]$/.test(p) ? '' : '.'}${p === '' ? '' : ' '}Avoid: ${negative.trim()}.`;
}
