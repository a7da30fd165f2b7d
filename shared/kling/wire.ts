/**
 * Kling's legacy wire format as zod schemas (kling-api.md §3-§5): the single source of truth
 * for what the client sends and what the sandbox accepts.
 *
 * Request bodies are strict (unknown keys are an error), because the client builds them and
 * the sandbox must catch any drift. Response schemas are loose and coerce where gateways are
 * known to differ (numeric ids, `succeeded` vs `succeed`), because the client must tolerate
 * the real service.
 */
import { z } from 'zod';

import { ASPECT_RATIOS, CAMERA_TYPES, LIMITS, MODELS, MODES } from './capabilities';

// ---------- request bodies ----------

const axis = z.number().min(LIMITS.cameraValue[0]).max(LIMITS.cameraValue[1]);
export const WireCameraConfig = z.strictObject({
  horizontal: axis.optional(),
  vertical: axis.optional(),
  pan: axis.optional(),
  tilt: axis.optional(),
  roll: axis.optional(),
  zoom: axis.optional(),
});
export const WireCameraControl = z.strictObject({
  type: z.enum(CAMERA_TYPES),
  config: WireCameraConfig.optional(),
});
export type WireCameraControl = z.infer<typeof WireCameraControl>;

/** Trajectory point: pixel coordinates, origin at the bottom-left of the image (§3.4). */
export const WirePoint = z.strictObject({ x: z.number().int(), y: z.number().int() });
export const WireDynamicMask = z.strictObject({
  mask: z.string().min(1),
  trajectories: z.array(WirePoint).min(LIMITS.trajectoryPoints[0]).max(LIMITS.trajectoryPoints[1]),
});
export type WireDynamicMask = z.infer<typeof WireDynamicMask>;

/** Legacy durations are strings: "5"/"10", "3".."15" on kling-v3. */
export const WireDuration = z.enum(['3', '4', '5', '6', '7', '8', '9', '10', '11', '12', '13', '14', '15']);

const common = {
  prompt: z.string().max(LIMITS.promptMax).optional(),
  negative_prompt: z.string().max(LIMITS.negativePromptMax).optional(),
  cfg_scale: z.number().min(0).max(1).optional(),
  watermark_info: z.strictObject({ enabled: z.boolean() }).optional(),
  callback_url: z.string().min(1).optional(),
  external_task_id: z.string().min(1).max(LIMITS.externalTaskIdMax).optional(),
};

export const Text2VideoBody = z.strictObject({
  model_name: z.enum(MODELS).optional(),
  ...common,
  prompt: z.string().min(1).max(LIMITS.promptMax),
  mode: z.enum(MODES).optional(),
  camera_control: WireCameraControl.optional(),
  aspect_ratio: z.enum(ASPECT_RATIOS).optional(),
  duration: WireDuration.optional(),
});
export type Text2VideoBody = z.infer<typeof Text2VideoBody>;

export const Image2VideoBody = z.strictObject({
  model_name: z.enum(MODELS).optional(),
  image: z.string().min(1).optional(),
  image_tail: z.string().min(1).optional(),
  ...common,
  mode: z.enum(MODES).optional(),
  static_mask: z.string().min(1).optional(),
  dynamic_masks: z.array(WireDynamicMask).min(1).max(LIMITS.dynamicMasksMax).optional(),
  camera_control: WireCameraControl.optional(),
  /** Not in the official I2V docs (the output follows the image); ComfyUI sends it. Ignored. */
  aspect_ratio: z.enum(ASPECT_RATIOS).optional(),
  duration: WireDuration.optional(),
});
export type Image2VideoBody = z.infer<typeof Image2VideoBody>;

export const VideoExtendBody = z.strictObject({
  video_id: z.string().min(1),
  ...common,
});
export type VideoExtendBody = z.infer<typeof VideoExtendBody>;

export type WireBody = Text2VideoBody | Image2VideoBody | VideoExtendBody;

// ---------- responses ----------

const idString = z.union([z.string(), z.number()]).transform(String);
const ms = z.number().optional();

/** Normalised status; gateways and the new API say `succeeded`. */
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
  /** Seconds, parsed from the wire string ("5"). */
  durationSec: number | null;
}

export interface KlingTask {
  taskId: string;
  status: WireTaskStatus;
  statusMessage: string | null;
  externalTaskId: string | null;
  videos: KlingVideo[];
  parentVideo: KlingVideo | null;
  /** Units charged (final_unit_deduction), when Kling says. */
  unitsCharged: number | null;
  createdAt: number | null;
  updatedAt: number | null;
}

function num(s: string | null | undefined): number | null {
  if (s === null || s === undefined || s === '') return null;
  const n = Number(s);
  return Number.isFinite(n) ? n : null;
}

export function toKlingTask(t: WireTask): KlingTask {
  const video = (v: { id: string; url: string; watermark_url?: string | null; duration?: string | undefined }): KlingVideo => ({
    id: v.id,
    url: v.url,
    watermarkUrl: v.watermark_url ?? null,
    durationSec: num(v.duration),
  });
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
