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
  promptMaxOf,
  RESOLUTIONS,
  VIDEO_KINDS,
  type KlingModel,
  type Standard,
} from './capabilities';
import { checkSafeUrl, isLoopbackHost } from './images';

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
  const motion = kind === 'motion';

  if (opts.standard === 'legacy' && caps.legacyName === null) {
    add(
      'model',
      `${model} is only offered on Kling's new API, which takes an API key, not an access key + secret key; add an API-key profile (shotline keys set --api-key, or Settings > Keys) or use ${modelsWith((c) => c.legacyName !== null).join(', ')}`,
    );
  }
  if (motion) checkMotion(req, add);
  else if (!Number.isInteger(duration) || !caps.durations.includes(duration)) {
    const others = modelsWith((c) => c.durations.includes(duration));
    add(
      'duration',
      `${duration} s is not offered by ${model}; use ${describeDurations(model)}${others.length ? `, or a model with ${duration} s (${others.join(', ')})` : ''}`,
    );
  }
  if (!caps.resolutions.includes(resolution)) {
    add(
      'resolution',
      `${model} does not make ${resolution}; use ${caps.resolutions.join(', ')}${use(modelsWith((c) => c.resolutions.includes(resolution)))}`,
    );
  }

  // Audio (kling-api.md §3, §11). Motion control keeps the reference's sound (native = Kling's `original`) or is silent.
  if (req.audio !== undefined && !motion) {
    if (caps.audio === 'always' && req.audio === 'off')
      add(
        'audio',
        `${model} always makes sound; leave audio out (or native), or use a model that can be silent: ${modelsWith((c) => Array.isArray(c.audio) && c.audio.includes('off')).join(', ')}`,
      );
    else if (caps.audio === 'never' && req.audio === 'native')
      add(
        'audio',
        `${model} makes silent clips${use(modelsWith((c) => c.audio === 'always' || (Array.isArray(c.audio) && c.audio.includes('native'))))}`,
      );
    else if (Array.isArray(caps.audio) && !caps.audio.includes(req.audio))
      add(
        'audio',
        `${model} takes audio ${caps.audio.join(' or ')}${req.audio === 'native' ? use(modelsWith((c) => Array.isArray(c.audio) && c.audio.includes('native'))) : ''}`,
      );
    else if (req.audio === 'native' && caps.audioResolutions && !caps.audioResolutions.includes(resolution)) {
      add(
        'audio',
        `${model} makes native audio only at ${caps.audioResolutions.join(', ')}; set resolution ${caps.audioResolutions[0]} or audio off`,
      );
    }
  }

  // Text: one prompt, or the shots of a multi-shot scene (kling-api.md §10).
  const prompt = req.shots ? multiShotPrompt(req.shots) : (req.prompt ?? '');
  const max = promptMaxOf(model, kind);
  if (req.shots) checkShots(req, add, opts.names);
  else if (kind === 'text2video' && prompt.trim() === '') add('prompt', 'a prompt is required for text to video');
  if (prompt.length > max)
    add(
      'prompt',
      `${prompt.length} characters${req.shots ? ' (the shots written as Kling reads them)' : ''}; ${model} takes at most ${max} for ${motion ? 'motion control' : kind === 'text2video' ? 'text to video' : 'image to video'}`,
    );
  if (req.negativePrompt !== undefined && req.negativePrompt !== '') {
    if (!caps.negativePrompt)
      add(
        'negativePrompt',
        `${model} takes no negative prompt; put what to avoid in the prompt ("... no text, no watermark")`,
      );
    else if (req.negativePrompt.length > LIMITS.negativePromptMax)
      add('negativePrompt', `${req.negativePrompt.length} characters; Kling takes at most ${LIMITS.negativePromptMax}`);
  }

  // Frames (kling-api.md §3, §5.4); motion control's startImage is the appearance image (checkMotion).
  if (motion) {
    if (req.endImage !== undefined)
      add('endImage', 'motion control takes no end frame; the motion follows the reference video');
  } else if (kind === 'text2video') {
    if (req.startImage !== undefined) add('startImage', 'text to video takes no images; this is image to video');
    if (req.endImage !== undefined) add('endImage', 'text to video takes no images; an end frame needs a start frame');
  } else {
    if (req.startImage === undefined) {
      add(
        'startImage',
        req.endImage !== undefined
          ? 'an end frame needs a start frame: no live Kling model generates from an end frame alone; add a start frame'
          : 'image to video needs a start frame',
      );
    }
    if (req.endImage !== undefined) {
      const ef = caps.endFrame;
      if (!ef) add('endImage', `${model} takes only a start frame${use(modelsWith((c) => c.endFrame !== false))}`);
      else {
        if (!ef.resolutions.includes(resolution))
          add(
            'endImage',
            `${model} takes a start + end frame only at ${ef.resolutions.join(', ')}; set resolution ${ef.resolutions[0]}`,
          );
        if (ef.silentOnly && req.audio === 'native')
          add('endImage', `${model} takes a start + end frame only without audio; set audio off or use kling-3.0`);
      }
    }
  }

  if (req.elements?.length) checkElements(req, add);
  else if (!motion && req.motion !== undefined)
    add('motion', 'a motion reference makes a motion-control task (kind motion)');

  // External id and callback.
  if (req.externalTaskId.trim() === '') add('externalTaskId', 'every request needs an external task id');
  else if (req.externalTaskId.length > LIMITS.externalTaskIdMax)
    add('externalTaskId', `longer than ${LIMITS.externalTaskIdMax} characters`);
  if (req.callbackUrl !== undefined) {
    const bad = checkSafeUrl('callbackUrl', req.callbackUrl);
    if (bad) add('callbackUrl', bad.slice(bad.indexOf(': ') + 2));
  }
  return out;
}

type Add = (field: string, message: string) => void;

/** Kling's multi-shot prompt syntax (kling-api.md §10): `shot 1, 4, words; shot 2, 3, words;`. */
export function multiShotPrompt(shots: ReadonlyArray<{ prompt: string; duration: number }>): string {
  return shots.map((s, i) => `shot ${i + 1}, ${s.duration}, ${s.prompt.trim().replace(/;/g, ',')};`).join(' ');
}

/**
 * A multi-shot scene (kling-api.md §10): 1-6 shots, each >= 1 whole second, summing to the
 * duration, each text <= 512 (worded as the sandbox answers a bad wire body).
 */
function checkShots(req: VideoRequest, add: Add, names: Readonly<Record<string, string>> | undefined): void {
  const shots = req.shots ?? [];
  const multi = modelsWith((c) => c.multiShot);
  if (!CAPABILITIES[req.model].multiShot)
    add('shots', `${req.model} makes one shot per generation; use ${multi.join(', ')} for a multi-shot scene`);
  if (req.kind === 'motion') add('shots', 'motion control makes one shot; take the shot out of the scene');
  if (shots.length < 1 || shots.length > LIMITS.multiShotMax)
    add('shots', `${shots.length} shots; a multi-shot generation has 1-${LIMITS.multiShotMax}`);
  if (req.prompt !== undefined && req.prompt !== '')
    add('prompt', "a multi-shot scene sends its shots' prompts; give no prompt of its own");
  shots.forEach((s, i) => {
    if (!Number.isInteger(s.duration) || s.duration < 1)
      add('shots', `shot ${i + 1} lasts ${s.duration} s; each shot must be a whole number of seconds, at least 1`);
    if (s.prompt.trim() === '') add('shots', `shot ${i + 1} has no description`);
    if (s.prompt.length > LIMITS.multiShotPromptMax)
      add(
        'shots',
        `shot ${i + 1} text is ${s.prompt.length} characters; at most ${LIMITS.multiShotPromptMax} per shot`,
      );
  });
  const sum = shots.reduce((a, s) => a + s.duration, 0);
  if (sum !== req.duration)
    add(
      'shots',
      `the shots last ${sum} s together, but ${names?.duration ?? 'duration'} is ${req.duration}; they must add up to it`,
    );
}

/** True for http(s) URLs on this machine (the sandbox), the one place plain http is taken. */
export function isLoopbackUrl(url: string): boolean {
  try {
    return isLoopbackHost(new URL(url).hostname);
  } catch {
    return false;
  }
}

/** Motion control (kling-api.md §5.6): 3.0 and 2.6, a reference video by URL, an orientation, no 4K. */
function checkMotion(req: VideoRequest, add: Add): void {
  const { model } = req;
  if (!CAPABILITIES[model].motionControl)
    add('model', `${model} has no motion control; use ${modelsWith((c) => c.motionControl).join(', ')}`);
  if (req.resolution === '4k') add('resolution', 'motion control makes 720p or 1080p, no 4K; set resolution 1080p');
  if (req.aspectRatio !== undefined)
    add('aspectRatio', 'motion control takes no aspect ratio: the output follows the reference video');
  if (!req.motion) {
    add('motion', 'motion control needs a reference video and a character orientation');
    return;
  }
  const v = req.motion.video;
  if (!/^https?:\/\//i.test(v))
    add(
      'motion.video',
      'Kling fetches reference videos by URL only (kling-api.md §5.1): upload it and give the https URL',
    );
  else if (/^http:/i.test(v) && !isLoopbackUrl(v)) add('motion.video', 'reference video URLs must be https');
  const most = req.motion.orientation === 'image' ? 10 : 30;
  if (!Number.isInteger(req.duration) || req.duration < 3 || req.duration > most) {
    add(
      'duration',
      `${req.duration} s; with orientation ${req.motion.orientation} the reference video lasts 3-${most} s (the output follows it; duration is the estimate's upper bound)`,
    );
  }
  if (req.startImage === undefined && !req.elements?.length)
    add(
      'startImage',
      'motion control needs the appearance image (the character the motion is put on); give a start image',
    );
}

/** Elements per model (kling-api.md §3, §5.4, §5.5, §5.6). */
function checkElements(req: VideoRequest, add: Add): void {
  const { model, kind } = req;
  const n = req.elements?.length ?? 0;
  const caps = CAPABILITIES[model];
  const takers = modelsWith((c) => c.elementsMax > 0);
  const aliases = new Set<string>();
  for (const e of req.elements ?? []) {
    if (aliases.has(e.alias)) add('elements', `alias ${e.alias} is given twice; each element once`);
    aliases.add(e.alias);
  }
  if (caps.elementsMax === 0) {
    add('elements', `${model} takes no elements; use ${takers.join(', ')}`);
    return;
  }
  if (kind === 'motion') {
    if (model !== 'kling-3.0') add('elements', `motion control on ${model} takes no elements; use kling-3.0`);
    else if (n > 1) add('elements', `${n} elements; motion control on kling-3.0 takes at most 1`);
    return;
  }
  if (model === 'kling-3.0') {
    if (kind !== 'image2video')
      add(
        'elements',
        'on kling-3.0 elements ride with image to video, which needs a first frame (kling-api.md §5.4); add a startImage, or use kling-3.0-omni',
      );
    if (n > caps.elementsMax)
      add(
        'elements',
        `${n} elements; kling-3.0 takes at most ${caps.elementsMax}; use kling-3.0-omni for up to 7 without a start frame`,
      );
    return;
  }
  if (model === 'kling-o1' && req.startImage !== undefined && req.endImage !== undefined) {
    add('elements', 'kling-o1 takes no elements with a start + end frame; drop the end frame or the elements');
  }
  // Omni count matrix as Shotline sends it (no refer images, no reference video): <= 7, <= 3 with a first frame on 3.0 Omni.
  const max = model === 'kling-3.0-omni' && req.startImage !== undefined ? 3 : caps.elementsMax;
  if (n > max)
    add(
      'elements',
      `${n} elements; ${model} takes at most ${max}${max === 3 ? ' with a start frame (7 without one)' : ''}`,
    );
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
