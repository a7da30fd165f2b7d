/**
 * The scene split (issue 13 item 1): one multi-shot MP4 cut into one clip per shot at the
 * declared boundaries, exact to the frame (electron/core/media/split.ts). These shapes cross to
 * the engine, the CLI's JSON and the app.
 */
import { z } from 'zod';

/** How a shot's clip was made: stream copy (both ends on keyframes) or re-encoded. */
export const SplitMethod = z.enum(['copy', 'reencode']);
export type SplitMethod = z.infer<typeof SplitMethod>;

export const SplitShot = z.object({
  /** 0-based shot index in the scene. */
  index: z.number().int().nonnegative(),
  file: z.string(),
  /** Declared length in seconds. */
  declaredS: z.number().positive(),
  /** Source frames [firstFrame, firstFrame + frames). */
  firstFrame: z.number().int().nonnegative(),
  /** Video frames in the clip, counted by decoding it. */
  frames: z.number().int().positive(),
  method: SplitMethod,
});
export type SplitShot = z.infer<typeof SplitShot>;

export const SceneSplit = z.object({
  /** The whole scene clip, left where it was. */
  scene: z.string(),
  fpsFraction: z.string(),
  /** Video frames in the scene clip. */
  frames: z.number().int().positive(),
  shots: z.array(SplitShot).min(1),
});
export type SceneSplit = z.infer<typeof SceneSplit>;
