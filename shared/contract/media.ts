/** Media (Studio edit view, downloads): probe, stills, edit planning and export with progress/cancel. */
import { z } from 'zod';

import { Edit, EditPlan, ExportProgress, ProbeResult, ThumbnailSet, TimelineFormat, VerifyExpect } from '../media';
import { method } from './define';

const File = z.string().min(1);
const ExportId = z.string().min(1).max(100);

export const mediaContract = {
  'media.probe': method(
    z.object({ file: File }).strict(),
    ProbeResult,
    'Duration, streams, codec, resolution, fps, pixel format and audio of a clip.',
  ),
  'media.verify': method(
    z.object({ file: File, expect: VerifyExpect.optional() }).strict(),
    ProbeResult,
    'Probes and fully decodes a clip; fails with a clear message when missing, truncated or not video.',
  ),
  'media.thumbnails': method(
    z.object({ file: File, outDir: z.string().optional(), count: z.number().int().min(1).max(30).optional() }).strict(),
    ThumbnailSet,
    'Poster frame and a small filmstrip (JPEG) for a clip; default dir <dataDir>/thumbnails/<clip stem>-<hash>, files named <stem>.poster.jpg / <stem>.strip-NN.jpg.',
  ),
  'media.lastFrame': method(
    z.object({ file: File, outPng: z.string().optional() }).strict(),
    z.object({ file: z.string() }),
    'The exact last frame of a clip as PNG (shot chaining).',
  ),
  'media.planEdit': method(
    z.object({ edit: Edit }).strict(),
    EditPlan,
    'Verdict before rendering: stream copy or re-encode, and why (one line per mismatch).',
  ),
  'media.exportEdit': method(
    z
      .object({
        edit: Edit,
        output: z.string().min(1),
        exportId: ExportId.optional(),
        timelines: z.array(TimelineFormat).optional(),
        /** The user agreed to replace an existing file (asked after the save dialog). */
        overwrite: z.boolean().optional(),
      })
      .strict(),
    z.object({
      exportId: z.string(),
      output: z.string(),
      mode: z.enum(['copy', 'reencode']),
      durationS: z.number(),
      timelines: z.array(z.string()),
    }),
    'Renders the edit (media.progress events); resolves when the file is complete; media.cancel stops it and removes the partial file.',
  ),
  'media.cancel': method(
    z.object({ exportId: ExportId }).strict(),
    z.object({ cancelled: z.boolean() }),
    'Cancels a running export.',
  ),
  'media.timeline': method(
    z
      .object({
        edit: Edit,
        format: TimelineFormat,
        output: z.string().min(1),
        overwrite: z.boolean().optional(),
        /** Copy each clip into `<timeline name>_media/` beside it as `<shot>_T<take>.mp4` and point the timeline there. */
        collect: z.boolean().optional(),
      })
      .strict(),
    z.object({
      file: z.string(),
      /** With collect: the media folder and each copy. */
      media: z.object({ folder: z.string(), files: z.array(z.string()) }).optional(),
    }),
    'Writes the edit as an NLE timeline: fcp7 (Premiere, Resolve), edl, fcpxml (Final Cut) or otio; with collect, its media is copied beside it under readable names.',
  ),
} as const;

export const mediaEvents = {
  'media.progress': ExportProgress.extend({ exportId: z.string() }),
} as const;
