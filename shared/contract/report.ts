/**
 * The morning report of a batch (issue 17 item 5): per shot a poster, its status and its takes
 * (done, failed and blocked with the fix), the batch's time and its estimated and billed cost;
 * exported as a self-contained HTML page or a PDF for a producer who was not there.
 */
import { z } from 'zod';

import { JobState } from '../queue';
import { method } from './define';

export const ReportTake = z.object({
  take: z.number().int(),
  state: JobState,
  file: z.string().nullable(),
  error: z.string().nullable(),
  fix: z.string().nullable(),
  units: z.number(),
  billedUnits: z.number().nullable(),
  /** The take the edit uses for its shot. */
  picked: z.boolean(),
  /** The editor's review (review.takes, ./review.ts): rejected, 1-5 rating, note. */
  rejected: z.boolean(),
  rating: z.number().int().min(1).max(5).nullable(),
  note: z.string(),
});
export type ReportTake = z.infer<typeof ReportTake>;

export const ShotStatus = z.enum(['done', 'partial', 'running', 'blocked', 'failed', 'canceled']);
export type ShotStatus = z.infer<typeof ShotStatus>;

export const ReportShot = z.object({
  shotId: z.string(),
  status: ShotStatus,
  /** A JPEG of the picked take (else the first done take); null when no take is done. */
  poster: z.string().nullable(),
  takes: z.array(ReportTake),
});
export type ReportShot = z.infer<typeof ReportShot>;

export const BatchReport = z.object({
  batchId: z.string(),
  storyboardId: z.string(),
  storyboard: z.string(),
  createdAt: z.string(),
  /** The last time a take of the batch changed state (its end, once nothing is live). */
  lastChangeAt: z.string(),
  minutes: z.number(),
  live: z.boolean(),
  counts: z.object({
    done: z.number().int(),
    failed: z.number().int(),
    blocked: z.number().int(),
    canceled: z.number().int(),
    open: z.number().int(),
  }),
  estimatedUnits: z.number(),
  billedUnits: z.number(),
  /** Done takes Kling has not said the charge of yet. */
  unbilledTakes: z.number().int(),
  shots: z.array(ReportShot),
});
export type BatchReport = z.infer<typeof BatchReport>;

export const ReportFormat = z.enum(['html', 'pdf']);
export type ReportFormat = z.infer<typeof ReportFormat>;

const BatchId = z.string().min(1).max(200);

export const reportContract = {
  'report.batch': method(
    z.object({ batchId: BatchId }).strict(),
    BatchReport,
    "The morning report of one batch: per shot a poster, its status and takes with each failure's fix; time and cost.",
  ),
  'report.export': method(
    z
      .object({
        batchId: BatchId,
        format: ReportFormat,
        /** A path chosen in dialog.saveOutput (kind html or pdf). */
        output: z.string().min(1),
        overwrite: z.boolean().optional(),
      })
      .strict(),
    z.object({ file: z.string(), bytes: z.number().int(), shots: z.number().int() }),
    'Writes the report as a self-contained HTML page (posters embedded, no scripts) or a PDF.',
  ),
} as const;

export const reportEvents = {} as const;
