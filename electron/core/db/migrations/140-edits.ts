/**
 * The edit of each storyboard (issue 11 item 5): cut order, picked takes, trims, fades,
 * preset and the last chosen output, kept in the core so the Edit page remembers it
 * (electron/core/edits/store.ts). One row per storyboard; `doc` is JSON.
 */
import type { Migration } from './types';

export const editsMigration: Migration = {
  version: 140,
  name: 'storyboard-edits',
  up(db) {
    db.exec(`CREATE TABLE edits (
      storyboard_id TEXT PRIMARY KEY REFERENCES storyboards(id) ON DELETE CASCADE,
      doc TEXT NOT NULL,
      updated_at TEXT NOT NULL
    )`);
  },
};
