/**
 * Erasure at Kling (issue 13 item 2; docs/readme/privacy.md): `erase --subject X` deletes the subject's
 * elements at Kling (the one thing Kling holds that Shotline can erase) before the local erase
 * (electron/core/privacy/erase.ts) removes their rows. Each line names the element's Kling id
 * and alias; failures keep the Kling id in the report with the fix. Elements stored without a
 * subject whose shots all have this one (rows older than shared/storyboard/elements.ts
 * withShotSubjects) are deleted too.
 */
import type Database from 'better-sqlite3';

import type { KlingClient } from '../kling/client';
import { deleteElement } from './delete';
import { elementsOfSubject, tagElementSubject, untaggedElementsOfSubject, type ShotNamingElements } from './library';
import { addPendingDeletion, failedAgain, pendingDeletions, settlePendingDeletion } from './pending';

export interface ElementErasure {
  /** "deleted at Kling: element 123 (mara)", or in a dry run "would delete at Kling: ...". */
  deleted: string[];
  /** What could not be deleted at Kling, with the Kling id and the fix. */
  failed: string[];
}

export async function deleteSubjectElementsAtKling(
  db: Database.Database,
  subject: string,
  clientFor: (account: string) => Promise<KlingClient>,
  /** The stored shots naming elements (QueueStore.shotsNamingElements; the queue owns `shots`). */
  shots: readonly ShotNamingElements[],
  opts: { dryRun?: boolean } = {},
): Promise<ElementErasure> {
  const out: ElementErasure = { deleted: [], failed: [] };
  await retryOwedDeletions(db, clientFor, out, opts);
  // Older rows stored without a subject whose shots all carry this one are the subject's too
  // (docs/readme/privacy.md, "Elements"): tagged first, so the local erase removes their rows.
  const untagged = untaggedElementsOfSubject(db, subject, shots);
  if (!opts.dryRun) for (const row of untagged) tagElementSubject(db, row.key, subject);
  const rows = opts.dryRun ? [...elementsOfSubject(db, subject), ...untagged] : elementsOfSubject(db, subject);
  for (const row of rows) {
    const name = `element ${row.kling_id ?? '(not created yet)'} (${row.alias})`;
    const atKling = row.kling_id !== null || row.submits > 0;
    if (opts.dryRun) {
      if (atKling) out.deleted.push(`would delete at Kling: ${name} in ${row.account}`);
      continue;
    }
    try {
      const r = await deleteElement(db, atKling ? await clientFor(row.account) : null, row.key);
      const id = `element ${r.klingId ?? '-'} (${r.alias})`;
      if (r.where === 'kling') out.deleted.push(`deleted at Kling: ${id} in ${row.account}`);
      else if (r.where === 'gone') out.deleted.push(`already gone at Kling: ${id} in ${row.account}`);
    } catch (err) {
      const taskRef = row.task_id ?? (row.submits > 0 ? row.external_task_id : null);
      if (row.kling_id !== null || taskRef !== null)
        addPendingDeletion(db, {
          account: row.account,
          klingId: row.kling_id,
          taskRef,
          error: (err as Error).message,
        });
      out.failed.push(
        `${name} in ${row.account} was NOT deleted at Kling (${(err as Error).message}). Shotline keeps only its Kling id and retries the deletion at the next erase. Fix: run an erase again when Kling answers, or delete element ${row.kling_id ?? `of task ${row.external_task_id ?? ''}`} in Kling's console.`,
      );
    }
  }
  return out;
}

/** Deletions owed by earlier erasures (./pending.ts), retried before anything else. */
async function retryOwedDeletions(
  db: Database.Database,
  clientFor: (account: string) => Promise<KlingClient>,
  out: ElementErasure,
  opts: { dryRun?: boolean },
): Promise<void> {
  for (const p of pendingDeletions(db)) {
    const name = `element ${p.kling_id ?? `of task ${p.task_ref ?? ''}`} in ${p.account} (owed since ${p.since.slice(0, 10)})`;
    if (opts.dryRun) {
      out.deleted.push(`would retry at Kling: ${name}`);
      continue;
    }
    try {
      const client = await clientFor(p.account);
      const klingId = p.kling_id ?? (p.task_ref ? ((await client.elements.get(p.task_ref))?.elementId ?? null) : null);
      const where = klingId ? await client.elements.delete(klingId, null) : 'not-found';
      settlePendingDeletion(db, p.id);
      out.deleted.push(`${where === 'deleted' ? 'deleted at Kling' : 'already gone at Kling'}: ${name}`);
    } catch (err) {
      failedAgain(db, p.id, (err as Error).message);
      out.failed.push(
        `${name} was again NOT deleted at Kling (${(err as Error).message}). Fix: run an erase again when Kling answers, or delete it in Kling's console.`,
      );
    }
  }
}
