/**
 * export_clips: which clips (and so which data subjects) each exported edit contains
 * (issue 16.5), written by registerExport (electron/core/privacy/retention.ts). Erasing one
 * subject of a mixed edit finds the edit here: deleted when it is in the data dir, reported
 * by name when it is elsewhere. Privacy handles the table itself (electron/core/privacy/erase.ts).
 */
import type { Migration } from './types';

export const exportClipsMigration: Migration = {
  version: 160,
  name: 'export-clips',
  up(db) {
    db.exec(`
      CREATE TABLE export_clips (
        export_path TEXT NOT NULL,
        clip_path TEXT NOT NULL,
        subject TEXT,
        created_at TEXT NOT NULL,
        PRIMARY KEY (export_path, clip_path)
      );
      CREATE INDEX export_clips_subject ON export_clips(subject);
      CREATE INDEX export_clips_clip ON export_clips(clip_path);
    `);
  },
};
