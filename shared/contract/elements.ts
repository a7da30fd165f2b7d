/**
 * The element library (issue 13 item 2, kling-api.md §7): Kling subjects created once per
 * account as durable jobs of their own, their Kling ids stored and reused by later batches,
 * deleted at Kling on request and by `erase --subject`.
 */
import { z } from 'zod';

import { method } from './define';

export const ElementState = z.enum([
  'queued',
  'submitting',
  'running',
  'ready',
  'failed',
  'blocked',
  'deleting',
  'deleted',
]);
export type ElementState = z.infer<typeof ElementState>;

export const ElementView = z.object({
  /** Library row id. */
  key: z.string(),
  /** The storyboard alias (`@id` in prompts). */
  id: z.string(),
  name: z.string(),
  description: z.string(),
  source: z.enum(['images', 'video', 'existing']),
  state: ElementState,
  /** Kling's element_id once created (a string of digits). */
  klingId: z.string().nullable(),
  externalTaskId: z.string().nullable(),
  /** Which account it lives in (provider, host and profile; never a key). */
  account: z.string(),
  /** Data-dir relative thumbnail (frontal image) for the picker, or null. */
  thumbnail: z.string().nullable(),
  /** Shot ids (with their storyboard) that name it. */
  usedBy: z.array(z.object({ storyboardId: z.string(), shotId: z.string() })),
  subject: z.string().nullable(),
  error: z.string().nullable(),
  fix: z.string().nullable(),
  createdAt: z.string(),
});
export type ElementView = z.infer<typeof ElementView>;

export const elementsContract = {
  'elements.list': method(
    z.object({ storyboardId: z.string().optional() }).strict(),
    z.object({ elements: z.array(ElementView) }),
    'The element library (every account), or the elements one storyboard names.',
  ),
  'elements.create': method(
    z
      .object({
        id: z.string().regex(/^[A-Za-z][A-Za-z0-9_]{0,31}$/),
        name: z.string().min(1).max(20).optional(),
        description: z.string().min(1).max(100).optional(),
        /** Data-dir relative images (from project.image.pick) or absolute paths the dialog chose. */
        frontalImage: z.string().min(1),
        referenceImages: z.array(z.string().min(1)).min(1).max(3),
        subject: z.string().min(1).max(200).optional(),
        profile: z.string().optional(),
      })
      .strict(),
    ElementView,
    'Queues the creation of an element at Kling from images (the same checks as frames); an element with the same images in the same account is reused, never created twice.',
  ),
  'elements.delete': method(
    z.object({ key: z.string().min(1) }).strict(),
    ElementView,
    'Deletes an element at Kling (POST /v1/general/delete-advanced-elements) and marks it deleted here.',
  ),
} as const;

export const elementsEvents = {
  'elements.changed': z.object({ key: z.string() }),
} as const;
