/**
 * The Art. 30 entry of an element request (docs/readme/privacy.md): element creates carry images of a
 * person or product, so their purpose and data categories are their own, and the subject comes
 * from the element's row (by external id; for a delete, by the Kling id it names). Requests that are not
 * for elements get null (electron/core/privacy/audit.ts auditFromKlingRequest handles them).
 */
import type Database from 'better-sqlite3';

import type { AuditEntry } from '../../../shared/contract/privacy';
import type { KlingRequestInfo } from '../kling/client';
import { DELETE_ELEMENT_PATH, ELEMENTS_PATH } from '../kling/elements';
import { getPrivacySettings } from '../privacy/settings';

const CATEGORIES = {
  create: [
    'images of a person or product (element frontal and reference images)',
    'element name and description',
    'account credentials (signed token)',
  ],
  query: ['task identifiers', 'account credentials (signed token)'],
  delete: ['element identifier', 'account credentials (signed token)'],
} as const;

export function elementAuditEntry(db: Database.Database, info: KlingRequestInfo): AuditEntry | null {
  const url = new URL(info.url);
  const del = url.pathname.endsWith(DELETE_ELEMENT_PATH);
  if (!del && !url.pathname.includes(ELEMENTS_PATH)) return null;
  const op = del ? 'delete' : info.method === 'POST' ? 'create' : 'query';
  // A delete names the element by its Kling id (an element given by klingId has no external id);
  // creates and queries by the external id Shotline gave it.
  const row =
    del && info.elementId
      ? db
          .prepare<[string], { subject: string | null }>(
            "SELECT subject FROM elements WHERE kling_id = ? ORDER BY state = 'deleting' DESC, subject IS NULL, created_at DESC LIMIT 1",
          )
          .get(info.elementId)
      : info.externalTaskId
        ? db
            .prepare<[string], { subject: string | null }>('SELECT subject FROM elements WHERE external_task_id = ?')
            .get(info.externalTaskId)
        : undefined;
  const s = getPrivacySettings(db);
  return {
    time: new Date(info.at).toISOString(),
    purpose:
      op === 'create'
        ? 'element creation'
        : op === 'delete'
          ? 'element deletion (erasure at the provider)'
          : 'element creation (status query)',
    legalBasis: s.legalBasis,
    dataCategories: [...CATEGORIES[op]],
    recipient: { provider: info.provider, host: info.host, region: info.region, location: info.location },
    method: info.method,
    path: url.pathname,
    subject: row?.subject ?? null,
    jobId: null,
    externalTaskId: info.externalTaskId ?? null,
    bodySha256: info.bodySha256,
  };
}
