/**
 * Deleting an element at Kling (`POST /v1/general/delete-advanced-elements`, kling-api.md §7)
 * and here: the Elements page, `shotline elements delete` and `erase --subject` (the one place
 * Shotline can erase what Kling holds). ready -> deleting (durable) -> deleted. An element
 * Kling no longer has counts as deleted there; one never made at Kling is deleted here only.
 */
import type Database from 'better-sqlite3';

import { ShotlineError } from '../../../shared/result';
import type { KlingClient } from '../kling/client';
import { getElement, moveElement, type ElementRow } from './library';

export interface DeleteOutcome {
  key: string;
  alias: string;
  klingId: string | null;
  /** `kling`: deleted at Kling now; `gone`: Kling no longer had it; `local`: never made at Kling. */
  where: 'kling' | 'gone' | 'local';
}

/** The Kling id of a row, asking Kling when a created task has not been polled to the end yet. */
async function klingIdOf(row: ElementRow, client: KlingClient): Promise<string | null> {
  if (row.kling_id) return row.kling_id;
  const ref = row.task_id ?? (row.submits > 0 ? row.external_task_id : null);
  if (!ref) return null;
  const task = await client.elements.get(ref);
  return task?.elementId ?? null;
}

export async function deleteElement(
  db: Database.Database,
  client: KlingClient | null,
  key: string,
): Promise<DeleteOutcome> {
  const row = getElement(db, key);
  if (!row)
    throw new ShotlineError({ code: 'not_found', where: 'key', message: `No element "${key}" in the library.` });
  if (row.state === 'deleted')
    return { key, alias: row.alias, klingId: row.kling_id, where: row.kling_id ? 'gone' : 'local' };
  const maybeAtKling = row.kling_id !== null || row.submits > 0;
  if (maybeAtKling && !client) {
    throw new ShotlineError({
      code: 'validation',
      where: `element ${row.alias}`,
      message: `Element "${row.alias}" lives at ${row.account}; deleting it there needs that account's key.`,
    });
  }
  const from = row.state;
  if (!moveElement(db, key, from, { state: 'deleting' }, { durable: true }))
    throw new ShotlineError({
      code: 'busy',
      where: `element ${row.alias}`,
      message: `Element "${row.alias}" changed while being deleted; try again.`,
    });
  try {
    const klingId = maybeAtKling && client ? await klingIdOf(row, client) : null;
    let where: DeleteOutcome['where'] = 'local';
    if (klingId && client)
      where = (await client.elements.delete(klingId, row.external_task_id)) === 'deleted' ? 'kling' : 'gone';
    moveElement(db, key, 'deleting', {
      state: 'deleted',
      kling_id: klingId,
      deleted_at: new Date().toISOString(),
      next_at: null,
    });
    return { key, alias: row.alias, klingId, where };
  } catch (err) {
    moveElement(db, key, 'deleting', {
      state: from,
      error: `deleting at Kling failed: ${(err as Error).message}`,
      fix: 'try again when Kling answers (shotline elements delete KEY, or the Elements page)',
    });
    throw err;
  }
}
