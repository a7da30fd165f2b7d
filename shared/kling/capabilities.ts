/**
 * Kling's legacy (v1 API) capability map as data: which model takes which kind of task,
 * mode, duration and feature (kling-api.md §3.6, §3.3, §3.4). The storyboard validator,
 * the cost estimate, the request builder, the sandbox and the UI all read this one table.
 *
 * Where the docs are uncertain the table is on the strict side (the client never sends a
 * combination the official map does not list); the sandbox enforces exactly this table.
 */

export const MODELS = [
  'kling-v1',
  'kling-v1-5',
  'kling-v1-6',
  'kling-v2-master',
  'kling-v2-1',
  'kling-v2-1-master',
  'kling-v2-5-turbo',
  'kling-v2-6',
  'kling-v3',
] as const;
export type KlingModel = (typeof MODELS)[number];

export const MODES = ['std', 'pro'] as const;
export type KlingMode = (typeof MODES)[number];

export const ASPECT_RATIOS = ['16:9', '9:16', '1:1'] as const;
export type AspectRatio = (typeof ASPECT_RATIOS)[number];

export const VIDEO_KINDS = ['text2video', 'image2video', 'video-extend'] as const;
export type VideoKind = (typeof VIDEO_KINDS)[number];

export const CAMERA_TYPES = ['simple', 'down_back', 'forward_up', 'right_turn_forward', 'left_turn_forward'] as const;
export type CameraType = (typeof CAMERA_TYPES)[number];

export const CAMERA_AXES = ['horizontal', 'vertical', 'pan', 'tilt', 'roll', 'zoom'] as const;
export type CameraAxis = (typeof CAMERA_AXES)[number];

/** Limits from §3.2-§3.4 and §3.8. */
export const LIMITS = {
  promptMax: 2500,
  negativePromptMax: 2500,
  cfgScale: [0, 1] as const,
  cameraValue: [-10, 10] as const,
  dynamicMasksMax: 6,
  trajectoryPoints: [2, 77] as const,
  imageMaxBytes: 10 * 1024 * 1024,
  imageMinSide: 300,
  /** width / height between 1:2.5 and 2.5:1. */
  imageAspect: [1 / 2.5, 2.5] as const,
  externalTaskIdMax: 128,
  /** Extensions may not take a video past 3 minutes (§3.5). */
  extendTotalMaxSeconds: 180,
} as const;

/**
 * Features that depend on model x mode x duration. `endFrame` = start and end frame
 * (`image` + `image_tail`); `endFrameOnly` = `image_tail` without `image`.
 */
export const FEATURES = [
  'text2video',
  'image2video',
  'endFrame',
  'endFrameOnly',
  'motionBrush',
  'cameraControlText2Video',
  'cameraControlImage2Video',
  'cfgScale',
  'extend',
] as const;
export type Feature = (typeof FEATURES)[number];

export const FEATURE_LABELS: Record<Feature, string> = {
  text2video: 'text to video',
  image2video: 'image to video',
  endFrame: 'start + end frame',
  endFrameOnly: 'end frame without a start frame',
  motionBrush: 'motion brush',
  cameraControlText2Video: 'camera control (text to video)',
  cameraControlImage2Video: 'camera control (image to video)',
  cfgScale: 'cfg scale',
  extend: 'video extend (as the source video)',
};

/** `'*'` = every mode and duration the model has; otherwise a list of `mode:duration`. */
type Combos = '*' | readonly `${KlingMode}:${number}`[] | readonly [];

export interface OutputFormat {
  /** Height of the 16:9 output in pixels (720 or 1080). */
  height: 720 | 1080;
  fps: 24 | 30;
}

export interface ModelCapabilities {
  label: string;
  /** The model takes no `mode` (v2 master models): the wire body omits it, prices ignore it. */
  modeless: boolean;
  durations: readonly number[];
  /** Modes accepted per kind ([] = kind not supported). Modeless models list both. */
  kinds: Record<'text2video' | 'image2video', readonly KlingMode[]>;
  features: Record<Exclude<Feature, 'text2video' | 'image2video'>, Combos>;
  /** Image-to-video camera control accepts only these types (`simple` only on v1-5). */
  cameraTypesImage2Video: readonly CameraType[];
  output: Record<KlingMode, OutputFormat> & { text2videoFps?: 24 | 30 };
  /** Free text shown next to the model in the UI. */
  note?: string;
}

const FIVE_TEN = [5, 10] as const;
const BOTH = ['std', 'pro'] as const;
const HD = { height: 720, fps: 30 } as const;

export const CAPABILITIES: Record<KlingModel, ModelCapabilities> = {
  'kling-v1': {
    label: 'Kling 1.0',
    modeless: false,
    durations: FIVE_TEN,
    kinds: { text2video: BOTH, image2video: BOTH },
    features: {
      endFrame: ['std:5', 'pro:5'],
      endFrameOnly: [],
      motionBrush: ['std:5', 'pro:5'],
      cameraControlText2Video: ['std:5'],
      cameraControlImage2Video: [],
      cfgScale: '*',
      extend: '*',
    },
    cameraTypesImage2Video: [],
    output: { std: HD, pro: HD },
  },
  'kling-v1-5': {
    label: 'Kling 1.5',
    modeless: false,
    durations: FIVE_TEN,
    kinds: { text2video: [], image2video: BOTH },
    features: {
      endFrame: ['pro:5', 'pro:10'],
      endFrameOnly: ['pro:5', 'pro:10'],
      motionBrush: ['pro:5'],
      cameraControlText2Video: [],
      cameraControlImage2Video: ['pro:5'],
      cfgScale: '*',
      extend: '*',
    },
    cameraTypesImage2Video: ['simple'],
    output: { std: HD, pro: { height: 1080, fps: 30 } },
  },
  'kling-v1-6': {
    label: 'Kling 1.6',
    modeless: false,
    durations: FIVE_TEN,
    kinds: { text2video: BOTH, image2video: BOTH },
    features: {
      endFrame: ['pro:5', 'pro:10'],
      endFrameOnly: ['pro:5', 'pro:10'],
      motionBrush: [],
      cameraControlText2Video: [],
      cameraControlImage2Video: [],
      cfgScale: '*',
      extend: '*',
    },
    cameraTypesImage2Video: [],
    output: { std: HD, pro: { height: 1080, fps: 30 }, text2videoFps: 24 },
  },
  'kling-v2-master': {
    label: 'Kling 2.0 Master',
    modeless: true,
    durations: FIVE_TEN,
    kinds: { text2video: BOTH, image2video: BOTH },
    features: noExtras(),
    cameraTypesImage2Video: [],
    output: { std: { height: 720, fps: 24 }, pro: { height: 720, fps: 24 } },
    note: 'no mode: std and pro are the same',
  },
  'kling-v2-1': {
    label: 'Kling 2.1',
    modeless: false,
    durations: FIVE_TEN,
    kinds: { text2video: [], image2video: BOTH },
    features: { ...noExtras(), endFrame: ['pro:5', 'pro:10'] },
    cameraTypesImage2Video: [],
    output: { std: { height: 720, fps: 24 }, pro: { height: 1080, fps: 24 } },
  },
  'kling-v2-1-master': {
    label: 'Kling 2.1 Master',
    modeless: true,
    durations: FIVE_TEN,
    kinds: { text2video: BOTH, image2video: BOTH },
    features: noExtras(),
    cameraTypesImage2Video: [],
    output: { std: { height: 1080, fps: 24 }, pro: { height: 1080, fps: 24 } },
    note: 'no mode: std and pro are the same',
  },
  'kling-v2-5-turbo': {
    label: 'Kling 2.5 Turbo',
    modeless: false,
    durations: FIVE_TEN,
    kinds: { text2video: BOTH, image2video: BOTH },
    features: { ...noExtras(), endFrame: ['pro:5', 'pro:10'] },
    cameraTypesImage2Video: [],
    // std maps to 720p, pro to 1080p in the billing docs (§6.1).
    output: { std: { height: 720, fps: 24 }, pro: { height: 1080, fps: 24 } },
  },
  'kling-v2-6': {
    label: 'Kling 2.6',
    modeless: false,
    durations: FIVE_TEN,
    kinds: { text2video: BOTH, image2video: BOTH },
    features: { ...noExtras(), endFrame: ['pro:5', 'pro:10'] },
    cameraTypesImage2Video: [],
    output: { std: { height: 720, fps: 24 }, pro: { height: 1080, fps: 24 } },
    note: 'silent clips (native audio is not used by Shotline)',
  },
  'kling-v3': {
    label: 'Kling 3.0',
    modeless: false,
    durations: [3, 4, 5, 6, 7, 8, 9, 10, 11, 12, 13, 14, 15],
    kinds: { text2video: BOTH, image2video: BOTH },
    features: { ...noExtras(), endFrame: '*' },
    cameraTypesImage2Video: [],
    // Resolution/fps for v3 are not in the legacy map; assumed like 2.x (std 720p, pro 1080p).
    output: { std: { height: 720, fps: 24 }, pro: { height: 1080, fps: 24 } },
  },
};

function noExtras(): ModelCapabilities['features'] {
  // cfg_scale is "not supported on kling-v2.x"; for v3 the docs say nothing, so not sent.
  return {
    endFrame: [],
    endFrameOnly: [],
    motionBrush: [],
    cameraControlText2Video: [],
    cameraControlImage2Video: [],
    cfgScale: [],
    extend: [],
  };
}

export function isModel(x: unknown): x is KlingModel {
  return typeof x === 'string' && (MODELS as readonly string[]).includes(x);
}

/** Does `model` in `mode` for `duration` seconds support `feature`? Modeless models ignore `mode`. */
export function supports(model: KlingModel, mode: KlingMode, duration: number, feature: Feature): boolean {
  const caps = CAPABILITIES[model];
  if (!caps.durations.includes(duration)) return false;
  if (feature === 'text2video' || feature === 'image2video') return caps.kinds[feature].includes(mode);
  const combos = caps.features[feature];
  if (combos === '*') return true;
  // Modeless models list no per-mode combos today; if they ever do, either mode matches.
  return (combos as readonly string[]).some((c) => (caps.modeless ? c.endsWith(`:${duration}`) : c === `${mode}:${duration}`));
}

/** Human-readable list of where `feature` works on `model`, e.g. "pro 5 s, pro 10 s". */
export function describeSupport(model: KlingModel, feature: Feature): string {
  const caps = CAPABILITIES[model];
  const parts: string[] = [];
  for (const mode of caps.modeless ? (['std'] as const) : MODES) {
    const ds = caps.durations.filter((d) => supports(model, mode, d, feature));
    if (ds.length === 0) continue;
    const dur = ds.length === caps.durations.length && ds.length > 2 ? `${ds[0]}-${ds[ds.length - 1]} s` : ds.map((d) => `${d} s`).join(', ');
    parts.push(caps.modeless ? dur : `${mode} ${dur}`);
  }
  return parts.length ? parts.join('; ') : 'never';
}

/** Models on which `feature` works at all, for "use one of ..." hints. */
export function modelsSupporting(feature: Feature): KlingModel[] {
  return MODELS.filter((m) => MODES.some((mode) => CAPABILITIES[m].durations.some((d) => supports(m, mode, d, feature))));
}

/** Output size and frame rate of a clip (16:9, 9:16 or 1:1 at the model's resolution). */
export function outputFormat(
  model: KlingModel,
  mode: KlingMode,
  kind: VideoKind,
  aspectRatio: AspectRatio = '16:9',
): { width: number; height: number; fps: number } {
  const caps = CAPABILITIES[model];
  const out = caps.output[mode];
  const fps = kind === 'text2video' && caps.output.text2videoFps ? caps.output.text2videoFps : out.fps;
  const short = out.height;
  const long = short === 720 ? 1280 : 1920;
  if (aspectRatio === '9:16') return { width: short, height: long, fps };
  if (aspectRatio === '1:1') return { width: short, height: short, fps };
  return { width: long, height: short, fps };
}

/** Every (model, mode, duration) the matrix knows, for property tests and UI grids. */
export function allCombos(): Array<{ model: KlingModel; mode: KlingMode; duration: number }> {
  const out: Array<{ model: KlingModel; mode: KlingMode; duration: number }> = [];
  for (const model of MODELS) for (const mode of MODES) for (const duration of CAPABILITIES[model].durations) out.push({ model, mode, duration });
  return out;
}
