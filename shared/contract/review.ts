/**
 * Review of takes like dailies (issue 17 item 2): per take its review (reject, 1-5 rating, a
 * note, in/out marks), stored in the core (electron/core/reviews/store.ts) next to what the
 * engine recorded when it verified the clip (poster, filmstrip, probe figures), so the Takes
 * page reads one list and never waits for ffprobe or ffmpeg. The pick stays in the edit
 * (StoredEdit.picks, ./project.ts); review.set and review.pickFirst change it by the rules in
 * electron/core/reviews/rules.ts. A note never leaves the machine (no Kling call reads it).
 */
import { z } from 'zod';

import { JobScene, JobState } from '../queue';
import { method } from './define';
import { StoredEdit } from './project';

const Id = z.string().min(1).max(200);

export const NOTE_MAX = 2000;

/** In and out marks of a take, seconds from the clip's start (the viewer sends frame-rounded values). */
export const TakeMarks = z
  .object({ inS: z.number().nonnegative(), outS: z.number().positive() })
  .strict()
  .refine((m) => m.outS > m.inS, { message: 'the out mark must be after the in mark' });
export type TakeMarks = z.infer<typeof TakeMarks>;

export const TakeReview = z.object({
  rejected: z.boolean(),
  /** 1-5, or null when not rated. */
  rating: z.number().int().min(1).max(5).nullable(),
  note: z.string().max(NOTE_MAX),
  marks: TakeMarks.nullable(),
  /** When the review last changed (null: never reviewed). */
  updatedAt: z.string().nullable(),
});
export type TakeReview = z.infer<typeof TakeReview>;

/** What ffprobe said of the clip when the engine verified it (null until a clip is verified). */
export const TakeMedia = z.object({
  durationS: z.number(),
  fps: z.number(),
  width: z.number().int(),
  height: z.number().int(),
  hasAudio: z.boolean(),
});
export type TakeMedia = z.infer<typeof TakeMedia>;

/** What the storyboard asked of this take (its shot's settings when the job was made). */
export const TakeAsked = z.object({
  model: z.string(),
  resolution: z.string().nullable(),
  aspectRatio: z.string().nullable(),
  /** The audio setting (off / native), or null when the model has none. */
  audio: z.string().nullable(),
  durationS: z.number().nullable(),
});
export type TakeAsked = z.infer<typeof TakeAsked>;

export const TakeInfo = z.object({
  jobId: z.string(),
  batchId: z.string(),
  storyboardId: z.string(),
  shotId: z.string(),
  take: z.number().int(),
  state: JobState,
  error: z.string().nullable(),
  errorCode: z.string().nullable(),
  /** What a person can do about the error. */
  fix: z.string().nullable(),
  /** The local clip once downloaded (null before, or after retention removed it). */
  file: z.string().nullable(),
  /** The clip's file name (what a page shows instead of the path). */
  fileName: z.string().nullable(),
  /** Poster JPEG made at verify time (null until then, or while one is being made). */
  poster: z.string().nullable(),
  filmstrip: z.array(z.string()),
  media: TakeMedia.nullable(),
  asked: TakeAsked,
  /** The prompt as sent to Kling (after the PII filter); null before the first submission. */
  promptSent: z.string().nullable(),
  /** Estimated Kling units of this take. */
  units: z.number(),
  billedUnits: z.number().nullable(),
  taskId: z.string().nullable(),
  externalTaskId: z.string(),
  /** When Kling deletes the result (URLs live 30 days). */
  expiresAt: z.string().nullable(),
  scene: JobScene.nullable(),
  /** This take's clip is the shot's pick in the storyboard's edit. */
  picked: z.boolean(),
  review: TakeReview,
});
export type TakeInfo = z.infer<typeof TakeInfo>;

export const ReviewSetInput = z
  .object({
    jobId: Id,
    rejected: z.boolean().optional(),
    rating: z.number().int().min(1).max(5).nullable().optional(),
    note: z.string().max(NOTE_MAX).optional(),
    /** null clears the marks. */
    marks: TakeMarks.nullable().optional(),
    /** true picks this take for its shot (its marks become the shot's trim); false un-picks it. */
    picked: z.boolean().optional(),
  })
  .strict();
export type ReviewSetInput = z.infer<typeof ReviewSetInput>;

export const reviewContract = {
  'review.takes': method(
    z.object({ storyboardId: Id, batchId: Id.optional() }).strict(),
    z.object({ storyboardId: z.string(), storyboard: z.string(), takes: z.array(TakeInfo) }),
    'Every take of a storyboard (or one batch of it) with its clip, poster, filmstrip, probe figures, what was asked and sent, cost and review; storyboard order, then take.',
  ),
  'review.set': method(
    ReviewSetInput,
    TakeInfo,
    'Changes a take review (reject, rating, note, marks) or its pick; rejecting the picked take un-picks it, marks on the picked take become its trim.',
  ),
  'review.pickFirst': method(
    z.object({ storyboardId: Id }).strict(),
    StoredEdit,
    'Picks, for every shot with no pick, its lowest numbered done take that is not rejected.',
  ),
} as const;

export const reviewEvents = {
  /** A review or pick changed (jobId null: several takes of the storyboard, e.g. pickFirst). */
  'review.changed': z.object({ storyboardId: z.string(), jobId: z.string().nullable() }),
} as const;
