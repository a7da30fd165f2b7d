/**
 * The storyboard file (README.md, "Storyboards"): JSON `{name, defaults, shots}` or CSV with the
 * same column names, one shot a row. Single source of truth for the importer (core), the
 * renderer's editor and the docs. Each field has its own zod schema and a line saying what
 * is allowed, so every problem can name file, row or shot id, field, value and the fix.
 */
import { z } from 'zod';

import { CAMERA_PRESETS } from '../kling/camera';
import {
  ASPECT_RATIOS,
  AUDIO_SETTINGS,
  LIMITS,
  LIVE_MODELS,
  RESOLUTIONS,
  type AspectRatio,
  type AudioSetting,
  type KlingModel,
  type Resolution,
  type VideoKind,
} from '../kling/capabilities';

/** Columns of the CSV form and keys of a JSON shot, in the order README.md ("Storyboards") lists them. */
export const SHOT_FIELDS = [
  'id',
  'prompt',
  'negativePrompt',
  'model',
  'resolution',
  'mode',
  'duration',
  'aspectRatio',
  'audio',
  'cfgScale',
  'camera',
  'startImage',
  'endImage',
  'motionBrush',
  'takes',
  'subject',
  'scene',
  'elements',
  'motionReference',
  'characterOrientation',
] as const;
export type ShotField = (typeof SHOT_FIELDS)[number];

/** `startImage: "@previous"` chains a shot to the last frame of the previous shot's first good take. */
export const PREVIOUS_FRAME = '@previous';

export const SHOT_ID_RE = /^[A-Za-z0-9][A-Za-z0-9._-]{0,63}$/;
/** Element ids are prompt aliases (`@mara`): letters, digits and "_" only, so `@id` ends cleanly. */
export const ELEMENT_ID_RE = /^[A-Za-z][A-Za-z0-9_]{0,31}$/;
/** Motion control: which orientation the output follows (kling-api.md §5.6). */
export const CHARACTER_ORIENTATIONS = ['image', 'video'] as const;
export type CharacterOrientation = (typeof CHARACTER_ORIENTATIONS)[number];
export const MAX_TAKES = 20;
export const MAX_SHOTS = 100_000;

const TrajectoryPoint = z.strictObject({ x: z.number(), y: z.number() });
export const MotionBrush = z.strictObject({
  staticMask: z.string().min(1).optional(),
  dynamicMasks: z.array(z.strictObject({ mask: z.string().min(1), trajectories: z.array(TrajectoryPoint) })).optional(),
});
export type MotionBrush = z.infer<typeof MotionBrush>;

/** A preset name, free words, or the first format's camera_control object (turned into words). */
export const CameraField = z.union([z.string().min(1), z.looseObject({ type: z.string() })]);

/** One zod schema per field (checked one by one so each problem names its field). */
export const FIELD_SCHEMAS: Record<ShotField, z.ZodType> = {
  id: z.string().regex(SHOT_ID_RE),
  prompt: z.string().max(LIMITS.promptMax),
  negativePrompt: z.string().max(LIMITS.negativePromptMax),
  // Any text here: retired names and aliases get their own message (validate.ts).
  model: z.string().min(1),
  resolution: z.enum(RESOLUTIONS),
  mode: z.enum(['std', 'pro', '4k']),
  duration: z.number().positive(),
  aspectRatio: z.enum(ASPECT_RATIOS),
  audio: z.enum(AUDIO_SETTINGS),
  cfgScale: z.number().min(0).max(1),
  camera: CameraField,
  startImage: z.string().min(1),
  endImage: z.string().min(1),
  motionBrush: MotionBrush,
  takes: z.number().int().min(1).max(MAX_TAKES),
  subject: z.string().min(1).max(200),
  scene: z.string().regex(SHOT_ID_RE),
  elements: z.array(z.string().regex(ELEMENT_ID_RE)).max(7),
  motionReference: z.string().min(1),
  characterOrientation: z.enum(CHARACTER_ORIENTATIONS),
};

/** What each field accepts, for error messages and docs. */
export const FIELD_ALLOWED: Record<ShotField, string> = {
  id: '1-64 letters, digits, ".", "_" or "-", starting with a letter or digit, unique in the storyboard',
  prompt: `text, at most ${LIMITS.promptMax} characters (2500 on some models; required for text to video)`,
  negativePrompt: 'text, at most 2500 characters (kling-2.6 and kling-2.5-turbo only)',
  model: LIVE_MODELS.join(', '),
  resolution: RESOLUTIONS.join(', '),
  mode: "std (= 720p) or pro (= 1080p); the first format's field, prefer resolution",
  duration:
    'whole seconds: 3-15 on the kling-3.0 family, 5 or 10 on the others; a shot of a multi-shot scene 1-15 (the scene 3-15 together); a motion-control shot is as long as its reference (3-30 s: the estimate reads this as an upper bound)',
  aspectRatio: ASPECT_RATIOS.join(', '),
  audio: `${AUDIO_SETTINGS.join(' or ')} (native = Kling's own soundtrack in the clip)`,
  cfgScale: 'nothing: no live Kling model takes cfg scale; remove the field',
  camera: `a preset name (${Object.keys(CAMERA_PRESETS).join(', ')}) or the move in words; it is added to the prompt as camera language`,
  startImage: `a .png/.jpg path relative to the storyboard file, an https URL, or "${PREVIOUS_FRAME}" (last frame of the previous shot)`,
  endImage: 'a .png/.jpg path relative to the storyboard file, or an https URL',
  motionBrush: 'nothing: no live Kling model takes a motion brush; describe the motion in the prompt',
  takes: `a whole number from 1 to ${MAX_TAKES}`,
  subject: 'a data-subject tag (text, at most 200 characters), used by erase',
  scene:
    'a scene name (letters, digits, ".", "_" or "-"): consecutive shots with the same scene are one multi-shot generation (kling-3.0 family; 1-6 shots, 3-15 s together)',
  elements: 'ids from the storyboard\'s top-level "elements" (in CSV separated by ";"); name one in the prompt as @id',
  motionReference:
    'an https URL of a reference video (mp4/mov; Kling fetches video by URL only) whose motion the shot copies (kling-3.0, kling-2.6)',
  characterOrientation: `${'image'} (reference video at most 10 s) or ${'video'} (at most 30 s); required with motionReference`,
};

/** Fields that cannot be set in `defaults` (they identify one shot). */
export const NOT_IN_DEFAULTS: ReadonlySet<ShotField> = new Set(['id']);

/** Built-in defaults, below the file's own `defaults`. */
export const BUILTIN_DEFAULTS = { duration: 5, aspectRatio: '16:9', takes: 1 } as const;
/** Resolution when neither `resolution` nor `mode` is given. */
export const DEFAULT_RESOLUTION: Resolution = '720p';

/** The file as written (JSON form); the importer checks field by field before this. */
export const StoryboardFile = z.strictObject({
  name: z.string().min(1).max(100),
  defaults: z.record(z.string(), z.unknown()).optional(),
  elements: z.array(z.record(z.string(), z.unknown())).optional(),
  shots: z.array(z.record(z.string(), z.unknown())).min(1),
});

/**
 * A storyboard element (README.md, "Storyboards", kling-api.md §7): Kling's subject library entry for the
 * same character or product across shots. Exactly one of: images (frontal + 1-3 references),
 * a 3-8 s video, or the id of an element that already exists at Kling.
 */
export const ElementSpec = z.strictObject({
  id: z.string().regex(ELEMENT_ID_RE),
  /** Kling's element_name (at most 20 characters); default: the id. */
  name: z.string().min(1).max(20).optional(),
  /** Kling's element_description (at most 100 characters); default: the name. */
  description: z.string().min(1).max(100).optional(),
  frontalImage: z.string().min(1).optional(),
  referenceImages: z.array(z.string().min(1)).min(1).max(3).optional(),
  video: z.string().min(1).optional(),
  klingId: z
    .string()
    .regex(/^\d{1,24}$/)
    .optional(),
  /** Data-subject tag: `erase --subject` deletes the element at Kling too. */
  subject: z.string().min(1).max(200).optional(),
});
export type ElementSpec = z.infer<typeof ElementSpec>;

/** An element after paths are resolved (absolute local paths or https URLs). */
export interface ResolvedElement {
  id: string;
  name: string;
  description: string;
  /** image_refer (frontal + references), video_refer (one clip), or existing (klingId given). */
  source: 'images' | 'video' | 'existing';
  frontalImage?: string;
  referenceImages?: string[];
  video?: string;
  klingId?: string;
  subject?: string;
}

/** One multi-shot scene: consecutive shots with the same `scene` (kling-api.md §10). */
export interface ResolvedScene {
  /** The scene's name as written (unique among the storyboard's scenes). */
  id: string;
  /** Its shots' ids, in order (1-6). */
  shotIds: string[];
  /** Declared seconds of each shot (each >= 1, summing to `duration`, 3-15). */
  durations: number[];
  /** Sum of the shots' durations: the task's `duration`. */
  duration: number;
  /** Takes of the scene (whole-scene takes; every shot of a scene has the same `takes`). */
  takes: number;
  /** Kling units for one take of the whole scene (one task, one charge). */
  unitsPerTake: number;
}

/** One shot after defaults are merged, paths resolved and every rule checked. */
export interface ResolvedShot {
  id: string;
  /** 0-based position in the storyboard. */
  index: number;
  /** CSV line where the row starts (1 = header); null for JSON. */
  row: number | null;
  kind: VideoKind;
  /** The prompt as it will be sent (camera words appended), before the PII filter. */
  prompt: string;
  /** The camera sentence that was appended (shown in the editor next to the prompt). */
  camera?: string;
  negativePrompt?: string;
  model: KlingModel;
  resolution: Resolution;
  /** Resolved: the shot's setting or the model's default. */
  audio: AudioSetting;
  duration: number;
  aspectRatio: AspectRatio;
  /** Absolute local path, https URL, or PREVIOUS_FRAME. */
  startImage?: string;
  endImage?: string;
  takes: number;
  subject?: string;
  /** Kling units for one take (prices.ts). A shot of a scene: its share by duration of the scene's charge. */
  unitsPerTake: number;
  /** The scene this shot belongs to (ResolvedScene.id); absent for a shot generated alone. */
  scene?: string;
  /** Element ids (ResolvedElement.id) the shot sends; the prompt names them as `@id`. */
  elements?: string[];
  /** Motion control (kind 'motion'): the reference video (https URL) and the orientation. */
  motionReference?: string;
  characterOrientation?: CharacterOrientation;
}

export const StoryboardProblem = z.object({
  file: z.string(),
  /** CSV line (1 = header) or null. */
  row: z.number().int().nullable(),
  /** Shot id when known, else `shots[3]` style position. */
  shot: z.string().nullable(),
  field: z.string().nullable(),
  value: z.string().nullable(),
  message: z.string(),
});
export type StoryboardProblem = z.infer<typeof StoryboardProblem>;

/** "demo.csv row 4, shot \"b\", duration = 7: 7 s is not offered by kling-2.6; use 5, 10 s". */
export function formatProblem(p: StoryboardProblem): string {
  const at = [p.file, p.row !== null ? `row ${p.row}` : null, p.shot !== null ? `shot ${p.shot}` : null]
    .filter(Boolean)
    .join(', ');
  const field = p.field ? `${p.field}${p.value !== null ? ` = ${p.value}` : ''}: ` : '';
  return `${at}: ${field}${p.message}`;
}

export const ShotEstimate = z.object({
  shotId: z.string(),
  model: z.string(),
  resolution: z.string(),
  audio: z.string(),
  duration: z.number(),
  takes: z.number().int(),
  unitsPerTake: z.number(),
  units: z.number(),
});
export const StoryboardEstimate = z.object({
  shots: z.array(ShotEstimate),
  totalUnits: z.number(),
  /** Currency view of the total (USD at Kling's list price per unit). */
  totalCurrency: z.object({ currency: z.string(), amount: z.number() }),
  jobs: z.number().int(),
  /** Prices the tables are unsure of (shown next to the estimate). */
  notes: z.array(z.string()),
});
export type StoryboardEstimate = z.infer<typeof StoryboardEstimate>;
