/**
 * Element deletions at Kling still owed after an erasure (electron/core/elements/pending.ts owns
 * the table). `erase --subject X` deletes X's elements at Kling before it removes X's rows here;
 * when Kling does not answer, the local erase still runs (the person's data leaves this machine
 * now), and this row keeps only what a later attempt needs: the account and Kling's opaque ids,
 * never an alias, a name, an image or the subject tag. Every later erase retries it first, and
 * the compliance report lists it until Kling confirms.
 */
import type { Migration } from './types';

export const klingDeletionsMigration: Migration = {
  version: 210,
  name: 'kling-deletions',
  up(db) {
    db.exec(`
      CREATE TABLE kling_deletions (
        id INTEGER PRIMARY KEY,
        account TEXT NOT NULL,
        kling_id TEXT,
        task_ref TEXT,
        since TEXT NOT NULL,
        attempts INTEGER NOT NULL DEFAULT 1,
        last_error TEXT NOT NULL,
        CHECK (kling_id IS NOT NULL OR task_ref IS NOT NULL)
      ) STRICT;
    `);
  },
};
