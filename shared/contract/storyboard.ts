/** Storyboards: validate, estimate and import JSON/CSV files (README.md, "Storyboards"). */
import { z } from 'zod';

import { StoryboardEstimate, StoryboardProblem } from '../storyboard/schema';
import { method } from './define';

/** A storyboard given by path (relative images resolve against its folder) or as text. */
export const StoryboardSource = z
  .object({
    path: z.string().min(1).optional(),
    content: z.string().optional(),
    format: z.enum(['json', 'csv']).optional(),
    /** For text: the folder relative image paths resolve against (default: the data dir). */
    baseDir: z.string().optional(),
    /** CSV has no name field: the storyboard name (default: the file name). */
    name: z.string().min(1).max(100).optional(),
    /**
     * Image paths may leave the storyboard's folder (absolute, `..`, UNC): set by the app only
     * after the user consented, by the CLI only with --allow-outside-paths (issue 16.3).
     */
    allowOutsidePaths: z.boolean().optional(),
  })
  .strict()
  .refine((s) => s.path !== undefined || s.content !== undefined, { message: 'give path or content' });
export type StoryboardSource = z.infer<typeof StoryboardSource>;

export const ValidateOutput = z.object({
  ok: z.boolean(),
  name: z.string().nullable(),
  problems: z.array(StoryboardProblem),
  /** One readable line per problem (file, row or shot, field, value, what is allowed). */
  messages: z.array(z.string()),
  estimate: StoryboardEstimate.nullable(),
});

export const StoryboardInfo = z.object({
  id: z.string(),
  name: z.string(),
  sourcePath: z.string().nullable(),
  shots: z.number().int(),
  createdAt: z.string(),
  updatedAt: z.string(),
});
export type StoryboardInfo = z.infer<typeof StoryboardInfo>;

/** What `storyboard.upgrade` proposes (shared/storyboard/upgrade.ts): nothing is written. */
export const UpgradeOutput = z.object({
  format: z.enum(['json', 'csv']),
  /** The upgraded storyboard text (the input unchanged when there is nothing to do). */
  text: z.string(),
  changes: z.array(
    z.object({
      shot: z.string(),
      field: z.string(),
      from: z.string().nullable(),
      to: z.string().nullable(),
      why: z.string(),
    }),
  ),
  /** Estimate of the upgraded storyboard, or null when problems remain to fix by hand. */
  estimate: StoryboardEstimate.nullable(),
  problems: z.array(StoryboardProblem),
});
export type UpgradeOutput = z.infer<typeof UpgradeOutput>;

export const storyboardContract = {
  'storyboard.validate': method(
    StoryboardSource,
    ValidateOutput,
    'Checks a storyboard (zod + Kling capability rules); every problem names file, row or shot, field, value and what is allowed.',
  ),
  'storyboard.estimate': method(
    StoryboardSource,
    StoryboardEstimate,
    'Cost estimate in Kling units per shot and in total; refuses a storyboard with problems.',
  ),
  'storyboard.import': method(
    StoryboardSource,
    z.object({ storyboardId: z.string(), name: z.string(), shots: z.number().int(), estimate: StoryboardEstimate }),
    'Stores a valid storyboard (shots with defaults merged, image paths resolved); a file with any problem stores nothing. Re-importing the same name updates it.',
  ),
  'storyboard.upgrade': method(
    StoryboardSource,
    UpgradeOutput,
    'Rewrites a storyboard for live Kling models (retired model -> replacement, mode -> resolution, camera -> prompt words ...): the changes, the new text and its estimate; writes nothing.',
  ),
  'storyboard.list': method(
    z.object({}).strict(),
    z.object({ storyboards: z.array(StoryboardInfo) }),
    'Imported storyboards, newest first.',
  ),
  // The storyboard under edit lives in the core, where erase reaches it (issue 16.5).
  'storyboard.draft.get': method(
    z.object({}).strict(),
    z.object({ content: z.string().nullable(), updatedAt: z.string().nullable() }),
    'The storyboard draft under edit in the app (JSON text), or null.',
  ),
  'storyboard.draft.set': method(
    z
      .object({
        content: z
          .string()
          .max(16 * 1024 * 1024)
          .nullable(),
      })
      .strict(),
    z.object({ saved: z.boolean() }),
    'Saves the storyboard draft under edit (null clears it). Kept in the data dir, so erase and retention reach it.',
  ),
} as const;

export const storyboardEvents = {} as const;
