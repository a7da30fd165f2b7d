/**
 * Kling's two wire formats as zod schemas (kling-api.md §5 new standard, §6 legacy): the single
 * source of truth for what the client sends and what the sandbox accepts.
 *
 * Request bodies are strict (unknown keys are an error: the new standard has no
 * `negative_prompt`, `cfg_scale`, `mode`, `camera_control` or `image_tail`, and the sandbox must
 * catch any drift). Response schemas are loose and coerce where services differ (numeric ids,
 * `succeeded` vs `succeed`), because the client must tolerate the real service.
 */
import { z } from 'zod';

import { ASPECT_RATIOS, LIMITS, RESOLUTIONS } from './capabilities';

// ---------- new standard: request bodies ----------

export const NewOptions = z.strictObject({
  callback_url: z.string().min(1).optional(),
  external_task_id: z.string().max(LIMITS.externalTaskIdMax).optional(),
  watermark_info: z.strictObject({ enabled: z.boolean() }).optional(),
});

export const NewSettings = z.strictObject({
  resolution: z.enum(RESOLUTIONS).optional(),
  aspect_ratio: z.enum(ASPECT_RATIOS).optional(),
  /** Whole seconds (an int on the new standard). */
  duration: z.number().int().optional(),
  audio: z.enum(['native', 'original', 'off']).optional(),
  multi_shot: z.boolean().optional(),
  /** Motion control only (kling-api.md §5.6): which orientation the output follows. */
  character_orientation: z.enum(['image', 'video']).optional(),
});

export const NewContent = z.discriminatedUnion('type', [
  z.strictObject({ type: z.literal('prompt'), text: z.string() }),
  z.strictObject({ type: z.literal('first_frame'), url: z.string().min(1), id: z.string().optional() }),
  z.strictObject({ type: z.literal('last_frame'), url: z.string().min(1), id: z.string().optional() }),
  /** An element by its Kling id; `id` is the alias the prompt names as `@id` (kling-api.md §5.2, §7). */
  z.strictObject({ type: z.literal('element'), element_id: z.string().min(1), id: z.string().min(1) }),
  /** Motion control: the appearance image and the motion video (kling-api.md §5.6). */
  z.strictObject({ type: z.literal('image'), url: z.string().min(1) }),
  z.strictObject({ type: z.literal('video'), url: z.string().min(1) }),
]);
export type NewContent = z.infer<typeof NewContent>;

/** `POST /text-to-video/<model>`: prompt + settings + options. */
export const NewText2VideoBody = z.strictObject({
  prompt: z.string().min(1),
  settings: NewSettings.optional(),
  options: NewOptions.optional(),
});
export type NewText2VideoBody = z.infer<typeof NewText2VideoBody>;

/** `POST /image-to-video/<model>` and `POST /omni-video/<model>`: contents[] + settings + options. */
export const NewContentsBody = z.strictObject({
  contents: z.array(NewContent).min(1),
  settings: NewSettings.optional(),
  options: NewOptions.optional(),
});
export type NewContentsBody = z.infer<typeof NewContentsBody>;

// ---------- legacy: request bodies ----------

/** Legacy durations are strings: "5"/"10", "3".."15" on kling-v3. */
export const WireDuration = z.enum(['3', '4', '5', '6', '7', '8', '9', '10', '11', '12', '13', '14', '15']);

const legacyCommon = {
  /** Any string on the wire: a retired name must reach the validator to be answered as Kling does. */
  model_name: z.string().min(1).optional(),
  prompt: z.string().optional(),
  negative_prompt: z.string().max(LIMITS.negativePromptMax).optional(),
  mode: z.enum(['std', 'pro', '4k']).optional(),
  duration: WireDuration.optional(),
  sound: z.enum(['on', 'off']).optional(),
  multi_shot: z.boolean().optional(),
  /** Multi-shot (kling-api.md §10): `customize` with `multi_prompt`, or `intelligence` (Kling plans the cuts; Shotline never sends it). */
  shot_type: z.enum(['customize', 'intelligence']).optional(),
  multi_prompt: z
    .array(z.strictObject({ index: z.number().int(), prompt: z.string(), duration: z.string().regex(/^\d+$/) }))
    .optional(),
  watermark_info: z.strictObject({ enabled: z.boolean() }).optional(),
  callback_url: z.string().min(1).optional(),
  external_task_id: z.string().min(1).max(LIMITS.externalTaskIdMax).optional(),
};

/** Legacy elements: numeric Kling ids, named in the prompt as `<<<element_N>>>` (N = position, from 1; kling-api.md §6.2, §7). */
const ElementList = z.array(z.strictObject({ element_id: z.number().int().nonnegative() }));

export const LegacyText2VideoBody = z.strictObject({ ...legacyCommon, aspect_ratio: z.enum(ASPECT_RATIOS).optional() });
export type LegacyText2VideoBody = z.infer<typeof LegacyText2VideoBody>;

export const LegacyImage2VideoBody = z.strictObject({
  ...legacyCommon,
  image: z.string().min(1).optional(),
  image_tail: z.string().min(1).optional(),
  element_list: ElementList.optional(),
  /** Not in the official I2V docs (the output follows the image); ComfyUI sends it. Ignored. */
  aspect_ratio: z.enum(ASPECT_RATIOS).optional(),
});
export type LegacyImage2VideoBody = z.infer<typeof LegacyImage2VideoBody>;

export const LegacyOmniBody = z.strictObject({
  ...legacyCommon,
  image_list: z
    .array(z.strictObject({ image_url: z.string().min(1), type: z.enum(['first_frame', 'end_frame']).optional() }))
    .optional(),
  element_list: ElementList.optional(),
  aspect_ratio: z.enum(ASPECT_RATIOS).optional(),
});
export type LegacyOmniBody = z.infer<typeof LegacyOmniBody>;

/** `POST /v1/videos/motion-control` (kling-api.md §6.2, last paragraph): no duration, no multi-shot. */
export const LegacyMotionBody = z.strictObject({
  model_name: z.string().min(1).optional(),
  prompt: z.string().optional(),
  image_url: z.string().min(1).optional(),
  video_url: z.string().min(1),
  character_orientation: z.enum(['image', 'video']),
  keep_original_sound: z.enum(['yes', 'no']).optional(),
  element_list: ElementList.optional(),
  mode: z.enum(['std', 'pro']),
  watermark_info: z.strictObject({ enabled: z.boolean() }).optional(),
  callback_url: z.string().min(1).optional(),
  external_task_id: z.string().min(1).max(LIMITS.externalTaskIdMax).optional(),
});
export type LegacyMotionBody = z.infer<typeof LegacyMotionBody>;

export type WireBody =
  | NewText2VideoBody
  | NewContentsBody
  | LegacyText2VideoBody
  | LegacyImage2VideoBody
  | LegacyOmniBody
  | LegacyMotionBody;

// ---------- responses ----------

const idString = z.union([z.string(), z.number()]).transform(String);
const ms = z.union([z.number(), z.string()]).transform(Number).optional();

/** Normalised status; the new standard says `succeeded`, legacy `succeed`. */
export const WireTaskStatus = z
  .string()
  .transform((s) => (s === 'succeeded' ? 'succeed' : s))
  .pipe(z.enum(['submitted', 'processing', 'succeed', 'failed']));
export type WireTaskStatus = z.output<typeof WireTaskStatus>;

export const WireVideo = z.looseObject({
  id: idString,
  url: z.string(),
  watermark_url: z.string().nullish(),
  duration: idString.optional(),
});

/** A legacy task (`/v1/...` create, query and list). */
export const WireTask = z.looseObject({
  task_id: idString,
  task_status: WireTaskStatus,
  task_status_msg: z.string().nullish(),
  task_info: z
    .looseObject({
      external_task_id: z.string().nullish(),
      parent_video: z.looseObject({ id: idString, url: z.string(), duration: idString.optional() }).nullish(),
    })
    .nullish(),
  task_result: z.looseObject({ videos: z.array(WireVideo).nullish() }).nullish(),
  watermark_info: z.looseObject({ enabled: z.boolean() }).nullish(),
  final_unit_deduction: idString.nullish(),
  created_at: ms,
  updated_at: ms,
});
export type WireTask = z.output<typeof WireTask>;

export const WireOutput = z.looseObject({
  type: z.string(),
  id: idString.optional(),
  url: z.string().nullish(),
  watermark_url: z.string().nullish(),
  duration: idString.optional(),
});

export const WireBilling = z.looseObject({
  charge_type: z.string(),
  amount: idString,
  package_type: z.string().nullish(),
  currency: z.string().nullish(),
});

/** A new-standard task record (create, `GET /tasks`, `POST /tasks`, callbacks). */
export const WireNewTask = z.looseObject({
  id: idString,
  status: WireTaskStatus,
  message: z.string().nullish(),
  create_time: ms,
  update_time: ms,
  external_id: z.string().nullish(),
  outputs: z.array(WireOutput).nullish(),
  billing: z.array(WireBilling).nullish(),
});
export type WireNewTask = z.output<typeof WireNewTask>;

/** `POST /tasks`: `data: {result, count, next_cursor, has_more}`. */
export const WireTaskPage = z.looseObject({
  result: z.array(z.unknown()),
  count: z.number().optional(),
  next_cursor: z.string().nullish(),
  has_more: z.boolean().optional(),
});

/** `{code, message, request_id, data}`; `data` is absent or null on errors. */
export const WireEnvelope = z.looseObject({
  code: z.number(),
  message: z.string().nullish(),
  request_id: z.string().nullish(),
  data: z.unknown().optional(),
});
export type WireEnvelope = z.output<typeof WireEnvelope>;

export const WireResourcePack = z.looseObject({
  resource_pack_name: z.string(),
  resource_pack_id: idString,
  resource_pack_type: z.string(),
  total_quantity: z.number(),
  remaining_quantity: z.number(),
  purchase_time: ms,
  effective_time: ms,
  invalid_time: ms,
  status: z.string(),
});

/** `/account/costs` is double-wrapped: `data: {code, msg, resource_pack_subscribe_infos}`. */
export const WireAccountCosts = z.looseObject({
  code: z.number(),
  msg: z.string().nullish(),
  resource_pack_subscribe_infos: z.array(WireResourcePack),
});

// ---------- the client's normalised view ----------

export interface KlingVideo {
  id: string;
  url: string;
  watermarkUrl: string | null;
  /** Seconds, parsed from the wire string ("5.041"). */
  durationSec: number | null;
}

export interface KlingTask {
  taskId: string;
  status: WireTaskStatus;
  statusMessage: string | null;
  externalTaskId: string | null;
  videos: KlingVideo[];
  parentVideo: KlingVideo | null;
  /** Units Kling billed (`billing[]` unit amounts, or legacy `final_unit_deduction`), when it says. */
  unitsCharged: number | null;
  createdAt: number | null;
  updatedAt: number | null;
}

function num(s: string | null | undefined): number | null {
  if (s === null || s === undefined || s === '') return null;
  const n = Number(s);
  return Number.isFinite(n) ? n : null;
}

const video = (v: {
  id: string;
  url: string;
  watermark_url?: string | null | undefined;
  duration?: string | undefined;
}): KlingVideo => ({
  id: v.id,
  url: v.url,
  watermarkUrl: v.watermark_url ?? null,
  durationSec: num(v.duration),
});

export function toKlingTask(t: WireTask): KlingTask {
  const parent = t.task_info?.parent_video;
  return {
    taskId: t.task_id,
    status: t.task_status,
    statusMessage: t.task_status_msg || null,
    externalTaskId: t.task_info?.external_task_id ?? null,
    videos: (t.task_result?.videos ?? []).map(video),
    parentVideo: parent ? video(parent) : null,
    unitsCharged: num(t.final_unit_deduction),
    createdAt: t.created_at ?? null,
    updatedAt: t.updated_at ?? null,
  };
}

/** Units in a new-standard `billing[]`: the `unit` entries' amounts (cash entries are money, not units). */
export function billedUnits(billing: WireNewTask['billing']): number | null {
  const units = (billing ?? []).filter((b) => b.charge_type === 'unit').map((b) => Number(b.amount));
  if (units.length === 0 || units.some((n) => !Number.isFinite(n))) return null;
  return Math.round(units.reduce((a, b) => a + b, 0) * 1000) / 1000;
}

export function newTaskToKlingTask(t: WireNewTask): KlingTask {
  const videos = (t.outputs ?? [])
    .filter((o) => o.type === 'video' && o.url)
    .map((o) =>
      video({ id: o.id ?? t.id, url: o.url as string, watermark_url: o.watermark_url, duration: o.duration }),
    );
  return {
    taskId: t.id,
    status: t.status,
    statusMessage: t.message || null,
    externalTaskId: t.external_id || null,
    videos,
    parentVideo: null,
    unitsCharged: billedUnits(t.billing),
    createdAt: t.create_time ?? null,
    updatedAt: t.update_time ?? null,
  };
}
