/**
 * Element deletions at Kling still owed after an erasure (table kling_deletions, schema step 210:
 * electron/core/db/migrations/210-kling-deletions.ts). This module is the table's one owner.
 * A row holds the account and Kling's opaque ids only; erase.ts adds one when Kling does not
 * answer and retries every row at the next erase; the compliance report lists what is left.
 */
import type Database from 'better-sqlite3';

export interface PendingDeletion {
  id: number;
  account: string;
  /** Kling's element id, or null when the creation task was sent but never polled to its end. */
  kling_id: string | null;
  /** The creation task's id or external id, to find the element id at Kling. */
  task_ref: string | null;
  since: string;
  attempts: number;
  last_error: string;
}

export function addPendingDeletion(
  db: Database.Database,
  d: { account: string; klingId: string | null; taskRef: string | null; error: string },
): void {
  db.prepare(
    'INSERT INTO kling_deletions (account, kling_id, task_ref, since, attempts, last_error) VALUES (?, ?, ?, ?, 1, ?)',
  ).run(d.account, d.klingId, d.taskRef, new Date().toISOString(), d.error);
}

/** Oldest first. */
export function pendingDeletions(db: Database.Database): PendingDeletion[] {
  return db.prepare<[], PendingDeletion>('SELECT * FROM kling_deletions ORDER BY id').all();
}

export function settlePendingDeletion(db: Database.Database, id: number): void {
  db.prepare('DELETE FROM kling_deletions WHERE id = ?').run(id);
}

export function failedAgain(db: Database.Database, id: number, error: string): void {
  db.prepare('UPDATE kling_deletions SET attempts = attempts + 1, last_error = ? WHERE id = ?').run(error, id);
}

/** Owed deletions as the compliance report lists held elements (electron/core/privacy/compliance.ts). */
export function owedAsHeld(
  db: Database.Database,
): Array<{ kling_id: string | null; alias: string; subject: null; account: string }> {
  return pendingDeletions(db).map((p) => ({
    kling_id: p.kling_id ?? `of task ${p.task_ref ?? ''}`,
    alias: `erased here, deletion at Kling owed since ${p.since.slice(0, 10)}`,
    subject: null,
    account: p.account,
  }));
}
