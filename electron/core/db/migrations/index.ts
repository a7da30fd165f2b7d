/**
 * Numbered migrations, applied in order inside one transaction at open (Signal's
 * ts/sql/migrations pattern): PRAGMA user_version holds the last applied number, and a
 * database newer than this code is refused rather than guessed at.
 * One file per step; add a line here. Numbers: 1-99 queue/storyboards, 100-199 privacy.
 */
import { queueMigration } from './001-queue';
import { batchPiiMigration } from './002-batch-pii';
import { outagesMigration } from './003-outages';
import { scenesMigration } from './004-scenes';
import { editsMigration } from './020-edits';
import { elementsMigration } from './040-elements';
import { privacyMigration } from './100-privacy';
import { exportClipsMigration } from './101-export-clips';
import { draftsMigration } from './102-drafts';
import type { Migration } from './types';

export const migrations: readonly Migration[] = [
  queueMigration,
  batchPiiMigration,
  outagesMigration,
  scenesMigration,
  editsMigration,
  elementsMigration,
  privacyMigration,
  exportClipsMigration,
  draftsMigration,
];
