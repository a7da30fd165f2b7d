/**
 * Kling's element endpoints on the wire (kling-api.md §7): the create body of
 * `POST /v1/general/advanced-custom-elements`, the task it answers with and the elements in its
 * result. Shared by the client (electron/core/kling/elements.ts) and the sandbox
 * (electron/core/sandbox/elements.ts), so both read the same shape.
 */
import { z } from 'zod';

/** Element tags (kling-api.md §7 `tag_list`). */
export const ELEMENT_TAGS = ['o_101', 'o_102', 'o_103', 'o_104', 'o_105', 'o_106', 'o_107', 'o_108'] as const;

export const ELEMENT_LIMITS = {
  nameMax: 20,
  descriptionMax: 100,
  referImagesMin: 1,
  referImagesMax: 3,
  videoMinSec: 3,
  videoMaxSec: 8,
  pageSizeMax: 500,
} as const;

export const ElementCreateBody = z.strictObject({
  element_name: z.string().min(1).max(ELEMENT_LIMITS.nameMax),
  element_description: z.string().min(1).max(ELEMENT_LIMITS.descriptionMax),
  reference_type: z.enum(['image_refer', 'video_refer']),
  element_image_list: z
    .strictObject({
      frontal_image: z.string().min(1),
      refer_images: z
        .array(z.strictObject({ image_url: z.string().min(1) }))
        .min(ELEMENT_LIMITS.referImagesMin)
        .max(ELEMENT_LIMITS.referImagesMax),
    })
    .optional(),
  element_video_list: z
    .strictObject({ refer_videos: z.array(z.strictObject({ video_url: z.string().min(1) })).length(1) })
    .optional(),
  element_voice_id: z.string().min(1).optional(),
  tag_list: z.array(z.strictObject({ tag_id: z.enum(ELEMENT_TAGS) })).optional(),
  callback_url: z.string().min(1).optional(),
  external_task_id: z.string().min(1).optional(),
});
export type ElementCreateBody = z.infer<typeof ElementCreateBody>;

/** One element in a task result; `element_id` is a number on this surface. */
export const WireElement = z.object({
  element_id: z.union([z.number(), z.string()]).transform(String),
  element_name: z.string().optional(),
  element_description: z.string().optional(),
  reference_type: z.string().optional(),
  status: z.string().optional(),
});

/** The legacy task envelope of an element task (create, query, list). */
export const WireElementTask = z.object({
  task_id: z.union([z.string(), z.number()]).transform(String),
  task_status: z.string(),
  task_status_msg: z.string().optional(),
  task_info: z.object({ external_task_id: z.string().optional() }).partial().optional(),
  task_result: z
    .object({ elements: z.array(WireElement).optional() })
    .partial()
    .optional(),
  final_unit_deduction: z.union([z.string(), z.number()]).optional(),
});
export type WireElementTask = z.infer<typeof WireElementTask>;

/** An element task as Shotline reads it. */
export interface ElementTask {
  taskId: string;
  externalTaskId: string | null;
  status: 'submitted' | 'processing' | 'succeed' | 'failed';
  message: string;
  /** Kling's element_id once the task succeeded (digits). */
  elementId: string | null;
  /** `deleted` once the element was deleted at Kling. */
  elementStatus: string | null;
}

export function toElementTask(w: WireElementTask): ElementTask {
  const el = w.task_result?.elements?.[0];
  const s = w.task_status === 'succeeded' ? 'succeed' : w.task_status;
  return {
    taskId: w.task_id,
    externalTaskId: w.task_info?.external_task_id ?? null,
    status: s === 'submitted' || s === 'processing' || s === 'succeed' || s === 'failed' ? s : 'processing',
    message: w.task_status_msg ?? '',
    elementId: el ? el.element_id : null,
    elementStatus: el?.status ?? null,
  };
}
