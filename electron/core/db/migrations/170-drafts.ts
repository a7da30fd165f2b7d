/**
 * drafts: the storyboard under edit in the app, kept by the core (issue 16.5) instead of
 * Chromium's localStorage, where no erase could reach it. One row per draft slot ('current');
 * erase scrubs its text like any other row (electron/core/privacy/erase.ts step 5).
 */
import type { Migration } from './types';

export const draftsMigration: Migration = {
  version: 170,
  name: 'drafts',
  up(db) {
    db.exec(`
      CREATE TABLE drafts (
        slot TEXT PRIMARY KEY,
        content TEXT NOT NULL,
        updated_at TEXT NOT NULL
      );
    `);
  },
};
