/**
 * The database schema as one sequence of steps (Signal Desktop's ts/sql/migrations pattern),
 * applied in order at open (../open.ts), all pending steps in one transaction.
 *
 * The numbering rule (docs/architecture.md, "The database schema"):
 * - One monotone sequence for every area, in steps of 10: the next step takes the next multiple
 *   of 10 above the newest. The gap leaves room for a step that must run between two that have
 *   not shipped yet (say 185, a fix to 180 before 190 is released); a number below a step any
 *   released build has is never used, because a database at user_version N counts every step up
 *   to N as applied.
 * - PRAGMA user_version is the truth: the number of the last step applied. A database whose
 *   user_version is not a step this list holds (above the newest, or between two) was written by
 *   another build and is refused, untouched.
 * - New tables are STRICT. The tables of 110-170 were released before this rule and stay as
 *   they were (rebuilding them would rewrite every user's data for no change in behaviour).
 * - The sequence starts at 110, above the old area numbers (1-102), so a user_version below 110
 *   can only be a database from before it: ../legacy.ts maps those numbers to these steps once,
 *   on first open. The steps are in the order they were written (and released).
 * - One file per step, named by its number; never edit a released step, add one.
 */
import { privacyMigration } from './110-privacy';
import { queueMigration } from './120-queue';
import { batchPiiMigration } from './130-batch-pii';
import { editsMigration } from './140-edits';
import { outagesMigration } from './150-outages';
import { exportClipsMigration } from './160-export-clips';
import { draftsMigration } from './170-drafts';
import { scenesMigration } from './180-scenes';
import { elementsMigration } from './190-elements';
import { reviewsMigration } from './200-reviews';
import { klingDeletionsMigration } from './210-kling-deletions';
import type { Migration } from './types';

export const migrations: readonly Migration[] = [
  privacyMigration,
  queueMigration,
  batchPiiMigration,
  editsMigration,
  outagesMigration,
  exportClipsMigration,
  draftsMigration,
  scenesMigration,
  elementsMigration,
  reviewsMigration,
  klingDeletionsMigration,
];
