/**
 * The element library (issue 13 item 2; electron/core/elements): Kling elements per account,
 * each created once as a durable job of its own, and which storyboard names which element.
 * - elements.account: provider + host + profile or credential kind (elements/account.ts); never a key.
 * - elements.content_hash: sha256 over source, name and the sha256 of each image file (or the
 *   video URL, or the given Kling id; elements/library.ts): one live element per account and
 *   content, so the same name and images are never created twice (the partial unique index).
 * - elements.external_task_id: written with synchronous=FULL before the create is sent; a row
 *   in `submitting` is reconciled by it before anything is resent (docs/architecture.md, "What the queue guarantees").
 * - storyboard_elements: the storyboard's top-level `elements`, resolved, per alias.
 * Both tables are STRICT (a value of the wrong type is refused, not stored): this step was new in
 * issue 13 and never released under its old number (40), so it could still be made so.
 */
import type { Migration } from './types';

export const elementsMigration: Migration = {
  version: 190,
  name: 'elements',
  up(db) {
    db.exec(`
      CREATE TABLE elements (
        key TEXT PRIMARY KEY,
        account TEXT NOT NULL,
        alias TEXT NOT NULL,
        name TEXT NOT NULL,
        description TEXT NOT NULL,
        source TEXT NOT NULL CHECK (source IN ('images', 'video', 'existing')),
        content_hash TEXT NOT NULL,
        spec TEXT NOT NULL,
        subject TEXT,
        state TEXT NOT NULL CHECK (state IN ('queued', 'submitting', 'running', 'ready', 'failed', 'blocked', 'deleting', 'deleted')),
        kling_id TEXT,
        external_task_id TEXT UNIQUE,
        task_id TEXT,
        reconcile INTEGER NOT NULL DEFAULT 0,
        submits INTEGER NOT NULL DEFAULT 0,
        next_at INTEGER,
        transient_since INTEGER,
        error TEXT,
        fix TEXT,
        created_at TEXT NOT NULL,
        updated_at TEXT NOT NULL,
        deleted_at TEXT
      ) STRICT;
      CREATE UNIQUE INDEX elements_live ON elements(account, content_hash) WHERE state IN ('queued', 'submitting', 'running', 'ready', 'blocked');
      CREATE INDEX elements_subject ON elements(subject) WHERE subject IS NOT NULL;

      CREATE TABLE storyboard_elements (
        storyboard_id TEXT NOT NULL REFERENCES storyboards(id) ON DELETE CASCADE,
        alias TEXT NOT NULL,
        content_hash TEXT NOT NULL,
        spec TEXT NOT NULL,
        subject TEXT,
        PRIMARY KEY (storyboard_id, alias)
      ) STRICT;
    `);
  },
};
