/**
 * Media shapes that cross a boundary (IPC, CLI JSON): probe results, edits, plans, export
 * presets and timeline formats. Single source of truth for electron/core/media.
 */
import { z } from 'zod';

export const VideoStreamInfo = z.object({
  codec: z.string(),
  profile: z.string().nullable(),
  width: z.number().int(),
  height: z.number().int(),
  /** Sample aspect ratio, e.g. "1:1". */
  sar: z.string(),
  /** Average frame rate as a fraction string ("30000/1001") and as a number. */
  fpsFraction: z.string(),
  fps: z.number(),
  timebase: z.string(),
  pixFmt: z.string(),
  /** Frames in the video stream (nb_frames), null when the container does not say. */
  frames: z.number().int().nullable(),
  /** Length of the video stream itself (not the container, which audio may make longer). */
  durationS: z.number().nullable(),
});
export type VideoStreamInfo = z.infer<typeof VideoStreamInfo>;

export const AudioStreamInfo = z.object({
  codec: z.string(),
  sampleRate: z.number().int(),
  channels: z.number().int(),
  channelLayout: z.string().nullable(),
  /** Length of the audio stream (priming excluded), null when unknown. */
  durationS: z.number().nullable(),
});
export type AudioStreamInfo = z.infer<typeof AudioStreamInfo>;

export const ProbeResult = z.object({
  file: z.string(),
  formatName: z.string(),
  durationS: z.number(),
  sizeBytes: z.number().int(),
  video: VideoStreamInfo.nullable(),
  audio: AudioStreamInfo.nullable(),
  streams: z.number().int(),
});
export type ProbeResult = z.infer<typeof ProbeResult>;

export const VerifyExpect = z.object({
  durationS: z.number().positive().optional(),
  width: z.number().int().positive().optional(),
  height: z.number().int().positive().optional(),
  /** Allowed duration difference in seconds (default 0.25). */
  toleranceS: z.number().nonnegative().optional(),
});
export type VerifyExpect = z.infer<typeof VerifyExpect>;

export const Transition = z.object({ kind: z.literal('crossfade'), seconds: z.number().positive().max(10) });
export type Transition = z.infer<typeof Transition>;

/** A take's review as the timelines carry it: picked (it is on the cut), rejected, 1-5 stars, a note. */
export const ClipReview = z.object({
  picked: z.boolean(),
  rejected: z.boolean(),
  rating: z.number().int().min(1).max(5).nullable(),
  note: z.string().max(2000),
});
export type ClipReview = z.infer<typeof ClipReview>;

export const EditClip = z.object({
  file: z.string().min(1),
  inS: z.number().nonnegative().optional(),
  outS: z.number().positive().optional(),
  /** Transition into the next clip. */
  transition: Transition.optional(),
  /** Shown in NLE clip notes. */
  name: z.string().optional(),
  prompt: z.string().optional(),
  model: z.string().optional(),
  /** Alternate takes of this shot: written as disabled clips where the format allows. */
  alternates: z.array(z.string()).optional(),
  /**
   * The editor's review of this take (issue 17), written into NLE timelines as rating, pick or
   * reject and note. The core fills it from its review store when absent (electron/core/reviews/export.ts).
   */
  review: ClipReview.optional(),
});
export type EditClip = z.infer<typeof EditClip>;

export const PresetName = z.enum(['h264', 'hevc', 'prores']);
export type PresetName = z.infer<typeof PresetName>;

export const TimelineFormat = z.enum(['fcp7', 'edl', 'fcpxml', 'otio']);
export type TimelineFormat = z.infer<typeof TimelineFormat>;

export const Edit = z.object({
  clips: z.array(EditClip).min(1),
  /** Unset: stream copy when possible, else h264. Set: clips in another codec are re-encoded. */
  preset: PresetName.optional(),
  title: z.string().optional(),
});
export type Edit = z.input<typeof Edit>;

export const TargetSpec = z.object({
  width: z.number().int(),
  height: z.number().int(),
  fpsFraction: z.string(),
  pixFmt: z.string(),
  sampleRate: z.number().int(),
  channels: z.number().int(),
});
export type TargetSpec = z.infer<typeof TargetSpec>;

/**
 * One clip of the plan in whole frames: the single layout both the render and every timeline
 * follow (electron/core/media/plan.ts). Source frames are at the clip's own rate, record
 * frames at the target rate; `rec` is the clip's length on the timeline, cut to cut.
 */
export const ClipFrames = z.object({
  /** The clip's own frame rate, e.g. "25/1", "30000/1001". */
  fpsFraction: z.string(),
  /** Video frames in the file (its video stream, not the container). */
  fileFrames: z.number().int().positive(),
  /** Source range used, at the clip's rate: first frame and one past the last. */
  srcIn: z.number().int().nonnegative(),
  srcOut: z.number().int().positive(),
  /** Record frames (target rate) this clip contributes before overlaps. */
  rec: z.number().int().positive(),
  /** Dissolve into the next clip, in record frames (0 = cut). */
  fade: z.number().int().nonnegative(),
});
export type ClipFrames = z.infer<typeof ClipFrames>;

export const EditPlan = z.object({
  mode: z.enum(['copy', 'reencode']),
  /** Why re-encoding is needed (empty for stream copy): one line per mismatch, naming files. */
  reasons: z.array(z.string()),
  target: TargetSpec,
  /** Trimmed duration of each clip in seconds. */
  clipDurationsS: z.array(z.number()),
  /** Output duration: sum of trimmed clips minus transition overlaps. */
  durationS: z.number(),
  probes: z.array(ProbeResult),
  /** The edit in frames, one entry per clip (see ClipFrames). */
  frames: z.array(ClipFrames),
  /** Output length in frames at the target rate: what the render decodes to and every timeline declares. */
  totalFrames: z.number().int(),
  /** Probes of each clip's alternate takes (same order as EditClip.alternates). */
  alternates: z.array(z.array(ProbeResult)),
});
export type EditPlan = z.infer<typeof EditPlan>;

export const ExportProgress = z.object({
  percent: z.number(),
  /** Seconds left, estimated from speed so far; null before the first report. */
  etaS: z.number().nullable(),
  outTimeS: z.number(),
});
export type ExportProgress = z.infer<typeof ExportProgress>;

export const ThumbnailSet = z.object({
  poster: z.string(),
  filmstrip: z.array(z.string()),
});
export type ThumbnailSet = z.infer<typeof ThumbnailSet>;
export * from './split';
