/**
 * Kling's live video models as data (kling-api.md §2, §3, §5, §6; checked 2026-11-26): the
 * roster by the ids of the path-based standard, the legacy `model_name` spellings accepted as
 * aliases, the retired models with the live one to use instead, and per model what it takes
 * (kinds, durations, resolutions, audio, frames, prompt limits, multi-shot, elements, motion
 * control, negative prompt). The storyboard validator, the request builders of both standards
 * (endpoints.ts), the estimate (prices.ts), the sandbox and the UI all read this one table, so
 * a new model is one row here and a price row in prices.ts.
 *
 * Where kling-api.md says UNCERTAIN the table is on the strict side (the client never sends a
 * combination the official pages do not list) and says so next to the row.
 */

export const LIVE_MODELS = [
  'kling-3.0',
  'kling-3.0-turbo',
  'kling-3.0-omni',
  'kling-o1',
  'kling-2.6',
  'kling-2.5-turbo',
] as const;
export type KlingModel = (typeof LIVE_MODELS)[number];
/** Kept for callers that listed "every model": only live ones are offered anywhere. */
export const MODELS = LIVE_MODELS;

/** The model every default, example and new shot uses (the minimal file of README.md, "Storyboards"). */
export const DEFAULT_MODEL: KlingModel = 'kling-2.5-turbo';

/** Legacy `model_name` spellings -> live ids (kling-api.md §2). */
export const MODEL_ALIASES: Readonly<Record<string, KlingModel>> = {
  'kling-v3': 'kling-3.0',
  'kling-v3-omni': 'kling-3.0-omni',
  'kling-video-o1': 'kling-o1',
  'kling-v2-6': 'kling-2.6',
  'kling-v2-5-turbo': 'kling-2.5-turbo',
};

/**
 * Retired models -> the live model to use instead (kling-api.md §2: kling-v1 answers
 * "discontinued"; v1.5, v1.6, v2.1 and v2.1 Master were retired on 2026-09-15).
 *
 * kling-v2-master is treated as retired: it is absent from the current capability map and from
 * every new-standard page, and no source says it still generates. Sending it could only fail or
 * bill a model Kling no longer documents; refusing before anything is paid is the safe reading
 * (the sandbox can be told to serve it, `legacyModels` in its options).
 */
export const RETIRED_MODELS: Readonly<Record<string, { label: string; replacement: KlingModel; why: string }>> = {
  'kling-v1': {
    label: 'Kling 1.0',
    replacement: 'kling-2.5-turbo',
    why: 'discontinued by Kling (it answers "no longer available")',
  },
  'kling-v1-5': { label: 'Kling 1.5', replacement: 'kling-2.5-turbo', why: 'retired by Kling on 2026-09-15' },
  'kling-v1-6': { label: 'Kling 1.6', replacement: 'kling-2.5-turbo', why: 'retired by Kling on 2026-09-15' },
  'kling-v2-1': { label: 'Kling 2.1', replacement: 'kling-2.6', why: 'retired by Kling on 2026-09-15' },
  'kling-v2-1-master': { label: 'Kling 2.1 Master', replacement: 'kling-3.0', why: 'retired by Kling on 2026-09-15' },
  'kling-v2-master': {
    label: 'Kling 2.0 Master',
    replacement: 'kling-3.0',
    why: "no longer in Kling's model list (unverified; refused to be safe)",
  },
};

export const RESOLUTIONS = ['720p', '1080p', '4k'] as const;
export type Resolution = (typeof RESOLUTIONS)[number];

/** The old storyboard field `mode` (std/pro) read as a resolution; legacy `4k` mode too. */
export const MODE_TO_RESOLUTION: Readonly<Record<string, Resolution>> = { std: '720p', pro: '1080p', '4k': '4k' };
export const RESOLUTION_TO_MODE: Readonly<Record<Resolution, 'std' | 'pro' | '4k'>> = {
  '720p': 'std',
  '1080p': 'pro',
  '4k': '4k',
};

export const AUDIO_SETTINGS = ['native', 'off'] as const;
export type AudioSetting = (typeof AUDIO_SETTINGS)[number];

export const ASPECT_RATIOS = ['16:9', '9:16', '1:1'] as const;
export type AspectRatio = (typeof ASPECT_RATIOS)[number];

/** `motion`: Kling's motion control (kling-api.md §5.6), a reference video drives the motion. */
export const VIDEO_KINDS = ['text2video', 'image2video', 'motion'] as const;
export type VideoKind = (typeof VIDEO_KINDS)[number];
/** The kinds every model has an endpoint for by its frames (motion control has its own product). */
export type FrameKind = Exclude<VideoKind, 'motion'>;

/** The two API standards (kling-api.md §4.2): the credential decides which one is spoken. */
export const STANDARDS = ['new', 'legacy'] as const;
export type Standard = (typeof STANDARDS)[number];

/** New-standard product of a create path (`POST /<product>/<model>`). */
export type NewProduct = 'text-to-video' | 'image-to-video' | 'omni-video' | 'motion-control';
/** Legacy endpoint family (`/v1/videos/<family>`). */
export type LegacyFamily = 'text2video' | 'image2video' | 'omni-video' | 'motion-control';

export interface ModelCapabilities {
  label: string;
  /** Legacy `model_name`, or null when the model has no legacy endpoint (AK/SK cannot reach it). */
  legacyName: string | null;
  /** New-standard product per kind (omni models take both kinds on `omni-video`); motion: productOf(). */
  product: Record<FrameKind, NewProduct>;
  /** Legacy family per kind; motion: legacyFamilyOf(). */
  legacyFamily: Record<FrameKind, LegacyFamily>;
  durations: readonly number[];
  resolutions: readonly Resolution[];
  /**
   * `settings.audio`: the values the model takes, or `always` (no field, every clip has sound:
   * 3.0 Turbo) or `never` (no field, silent: 2.5 Turbo).
   */
  audio: readonly AudioSetting[] | 'always' | 'never';
  /** Native audio only at these resolutions (2.6: 1080p). */
  audioResolutions?: readonly Resolution[];
  /** A start + end frame is allowed, and at which resolutions. */
  endFrame: false | { resolutions: readonly Resolution[]; silentOnly?: boolean };
  /** Prompt limit per kind (characters); motion control takes 2500 (kling-api.md §5.6). */
  promptMax: Record<FrameKind, number>;
  /** Several shots in one generation (issue: Storyboards for Kling 3.x). */
  multiShot: boolean;
  /** Elements per shot with image-to-video (0 = none). */
  elementsMax: number;
  motionControl: boolean;
  /** Takes `negative_prompt` on the legacy standard only; on the new one it is folded into the prompt. */
  negativePrompt: boolean;
  /** Output frame rate (kling-api.md §3: 24 fps, assumed for all current models [UNCERTAIN]). */
  fps: 24;
  note?: string;
}

const RANGE_3_15 = [3, 4, 5, 6, 7, 8, 9, 10, 11, 12, 13, 14, 15] as const;
const FIVE_TEN = [5, 10] as const;
const T2V_I2V = { text2video: 'text-to-video', image2video: 'image-to-video' } as const;
const OMNI = { text2video: 'omni-video', image2video: 'omni-video' } as const;
const LEGACY_T2V_I2V = { text2video: 'text2video', image2video: 'image2video' } as const;
const LEGACY_OMNI = { text2video: 'omni-video', image2video: 'omni-video' } as const;

export const CAPABILITIES: Record<KlingModel, ModelCapabilities> = {
  'kling-3.0': {
    label: 'Kling 3.0',
    legacyName: 'kling-v3',
    product: T2V_I2V,
    legacyFamily: LEGACY_T2V_I2V,
    durations: RANGE_3_15,
    resolutions: ['720p', '1080p', '4k'],
    audio: ['native', 'off'],
    endFrame: { resolutions: ['720p', '1080p', '4k'] },
    promptMax: { text2video: 3072, image2video: 3072 },
    multiShot: true,
    elementsMax: 3,
    motionControl: true,
    negativePrompt: false,
    fps: 24,
  },
  'kling-3.0-turbo': {
    label: 'Kling 3.0 Turbo',
    legacyName: null,
    product: T2V_I2V,
    legacyFamily: LEGACY_T2V_I2V,
    durations: RANGE_3_15,
    resolutions: ['720p', '1080p'],
    audio: 'always',
    endFrame: false,
    // I2V page says 2500, T2V page 3072 (kling-api.md §19.4): each kind keeps its own page's limit.
    promptMax: { text2video: 3072, image2video: 2500 },
    multiShot: true,
    elementsMax: 0,
    motionControl: false,
    negativePrompt: false,
    fps: 24,
    note: 'always with sound; only with an API key (no legacy endpoint)',
  },
  'kling-3.0-omni': {
    label: 'Kling 3.0 Omni',
    legacyName: 'kling-v3-omni',
    product: OMNI,
    legacyFamily: LEGACY_OMNI,
    durations: RANGE_3_15,
    resolutions: ['720p', '1080p', '4k'],
    audio: ['native', 'off'],
    endFrame: { resolutions: ['720p', '1080p', '4k'] },
    promptMax: { text2video: 3072, image2video: 3072 },
    multiShot: true,
    elementsMax: 7,
    motionControl: false,
    negativePrompt: false,
    fps: 24,
  },
  'kling-o1': {
    label: 'Kling O1',
    legacyName: 'kling-video-o1',
    product: OMNI,
    legacyFamily: LEGACY_OMNI,
    // 3-10 s only with reference images or videos; prompt-only and first-frame tasks take 5 or 10.
    durations: FIVE_TEN,
    resolutions: ['720p', '1080p'],
    // O1 takes `original` (a reference video's sound) or `off`: without a reference video, off.
    audio: ['off'],
    endFrame: { resolutions: ['720p', '1080p'] },
    promptMax: { text2video: 2500, image2video: 2500 },
    multiShot: false,
    elementsMax: 7,
    motionControl: false,
    negativePrompt: false,
    fps: 24,
  },
  'kling-2.6': {
    label: 'Kling 2.6',
    legacyName: 'kling-v2-6',
    product: T2V_I2V,
    legacyFamily: LEGACY_T2V_I2V,
    durations: FIVE_TEN,
    resolutions: ['720p', '1080p'],
    audio: ['native', 'off'],
    audioResolutions: ['1080p'],
    // The capability map says start + end frame is silent only (kling-api.md §3).
    endFrame: { resolutions: ['1080p'], silentOnly: true },
    promptMax: { text2video: 2500, image2video: 2500 },
    multiShot: false,
    elementsMax: 0,
    motionControl: true,
    negativePrompt: true,
    fps: 24,
  },
  'kling-2.5-turbo': {
    label: 'Kling 2.5 Turbo',
    legacyName: 'kling-v2-5-turbo',
    product: T2V_I2V,
    legacyFamily: LEGACY_T2V_I2V,
    durations: FIVE_TEN,
    resolutions: ['720p', '1080p'],
    audio: 'never',
    endFrame: { resolutions: ['1080p'] },
    promptMax: { text2video: 2500, image2video: 2500 },
    multiShot: false,
    elementsMax: 0,
    motionControl: false,
    negativePrompt: true,
    fps: 24,
    note: 'silent clips',
  },
};

/** Limits that do not depend on the model (kling-api.md §5.2, §6.2, §10). */
export const LIMITS = {
  promptMax: 3072,
  negativePromptMax: 2500,
  /** Images: new standard 50 MB, legacy 10 MB; Shotline keeps to the smaller so both standards take the same file. */
  imageMaxBytes: 10 * 1024 * 1024,
  imageMinSide: 300,
  /** width / height between 1:2.5 and 2.5:1. */
  imageAspect: [1 / 2.5, 2.5] as const,
  externalTaskIdMax: 128,
  multiShotPromptMax: 512,
  multiShotMax: 6,
  /** `GET /tasks` takes at most 20 ids (kling-api.md §5.8). */
  tasksQueryMax: 20,
} as const;

export function isModel(x: unknown): x is KlingModel {
  return typeof x === 'string' && (LIVE_MODELS as readonly string[]).includes(x);
}

export type ModelLookup =
  | { ok: true; model: KlingModel; alias: string | null }
  | { ok: false; retired: { label: string; replacement: KlingModel; why: string } | null };

/** A storyboard's or a wire body's model name -> the live id (aliases accepted), or why not. */
export function lookupModel(name: string): ModelLookup {
  if (isModel(name)) return { ok: true, model: name, alias: null };
  const alias = MODEL_ALIASES[name];
  if (alias) return { ok: true, model: alias, alias: name };
  return { ok: false, retired: RETIRED_MODELS[name] ?? null };
}

/** Kling's own wording for a retired model (kling-api.md §4.4), used by the sandbox. */
export function discontinuedMessage(name: string): string {
  return `The model '${name}' has been discontinued and is no longer available.`;
}

/** The standards a model can be reached on (3.0 Turbo has no legacy endpoint). */
export function standardsOf(model: KlingModel): Standard[] {
  return CAPABILITIES[model].legacyName ? ['new', 'legacy'] : ['new'];
}

/** Does the model make sound with this setting? (`always`/`never` models ignore the setting.) */
export function hasAudio(model: KlingModel, audio: AudioSetting | undefined): boolean {
  const a = CAPABILITIES[model].audio;
  if (a === 'always') return true;
  if (a === 'never') return false;
  return audio === 'native';
}

/** The audio setting a shot gets when it names none: off where the model allows it (README.md, "Storyboards"). */
export function defaultAudio(model: KlingModel): AudioSetting {
  return CAPABILITIES[model].audio === 'always' ? 'native' : 'off';
}

/** Models that take a feature at all, for "use one of ..." hints. */
export function modelsWith(pred: (c: ModelCapabilities, m: KlingModel) => boolean): KlingModel[] {
  return LIVE_MODELS.filter((m) => pred(CAPABILITIES[m], m));
}

/** Output size and frame rate (16:9, 9:16 or 1:1 at the resolution; kling-api.md §3 [UNCERTAIN]). */
export function outputFormat(
  model: KlingModel,
  resolution: Resolution,
  aspectRatio: AspectRatio = '16:9',
): { width: number; height: number; fps: number } {
  const fps = CAPABILITIES[model].fps;
  const short = resolution === '720p' ? 720 : resolution === '1080p' ? 1080 : 2160;
  const long = short === 720 ? 1280 : short === 1080 ? 1920 : 3840;
  if (aspectRatio === '9:16') return { width: short, height: long, fps };
  if (aspectRatio === '1:1') return { width: short, height: short, fps };
  return { width: long, height: short, fps };
}

/** Motion control's prompt limit (kling-api.md §5.6). */
export const MOTION_PROMPT_MAX = 2500;

/** The prompt limit of a (model, kind). */
export function promptMaxOf(model: KlingModel, kind: VideoKind): number {
  return kind === 'motion' ? MOTION_PROMPT_MAX : CAPABILITIES[model].promptMax[kind];
}

/** New-standard product of a (model, kind): motion control is `/motion-control/<model>` (kling-api.md §5.1). */
export function productOf(model: KlingModel, kind: VideoKind): NewProduct {
  return kind === 'motion' ? 'motion-control' : CAPABILITIES[model].product[kind];
}

/** Legacy family of a (model, kind): motion control is `/v1/videos/motion-control` (kling-api.md §6.1). */
export function legacyFamilyOf(model: KlingModel, kind: VideoKind): LegacyFamily {
  return kind === 'motion' ? 'motion-control' : CAPABILITIES[model].legacyFamily[kind];
}

/** "3-15 s" or "5, 10 s". */
export function describeDurations(model: KlingModel): string {
  const ds = CAPABILITIES[model].durations;
  return ds.length > 2 ? `${ds[0]}-${ds[ds.length - 1]} s` : `${ds.join(', ')} s`;
}

/** Every (model, resolution, duration) the table knows, for property tests and UI grids. */
export function allCombos(): Array<{ model: KlingModel; resolution: Resolution; duration: number }> {
  const out: Array<{ model: KlingModel; resolution: Resolution; duration: number }> = [];
  for (const model of LIVE_MODELS)
    for (const resolution of CAPABILITIES[model].resolutions)
      for (const duration of CAPABILITIES[model].durations) out.push({ model, resolution, duration });
  return out;
}
