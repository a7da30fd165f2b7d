/**
 * The Art. 30 record: one row per request that leaves the machine. Append-only (triggers in
 * schema step 110); `tombstoneSubject` is the one permitted update, used by erasure.
 * `auditFromKlingRequest` turns the Kling client's onRequest info into an entry, so the
 * engine wires `onRequest: (i) => recordAudit(db, auditFromKlingRequest(i, {...}))`.
 */
import type Database from 'better-sqlite3';

import { AuditEntrySchema, AuditRow, type AuditEntry } from '../../../shared/contract/privacy';
import type { KlingRequestInfo } from '../kling';
import { getPrivacySettings } from './settings';

export function recordAudit(db: Database.Database, entry: AuditEntry): number {
  const e = AuditEntrySchema.parse(entry);
  const res = db
    .prepare(
      `INSERT INTO audit_log (time, purpose, legal_basis, data_categories, provider, host, region, location, method, path, subject, job_id, external_task_id, body_sha256)
       VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`,
    )
    .run(
      e.time,
      e.purpose,
      e.legalBasis,
      JSON.stringify(e.dataCategories),
      e.recipient.provider,
      e.recipient.host,
      e.recipient.region ?? null,
      e.recipient.location ?? null,
      e.method ?? null,
      e.path ?? null,
      e.subject ?? null,
      e.jobId ?? null,
      e.externalTaskId ?? null,
      e.bodySha256,
    );
  return Number(res.lastInsertRowid);
}

const CATEGORIES: Record<string, string[]> = {
  create: [
    'prompt text',
    'negative prompt',
    'generation parameters',
    'reference images (when given)',
    'reference video URL (motion control, when given)',
    'element ids (when given)',
    'account credentials (signed token)',
  ],
  query: ['task identifiers', 'account credentials (signed token)'],
  list: ['account credentials (signed token)'],
  account: ['account credentials (signed token)'],
  download: ['result URL (signed by the provider)'],
};

const PURPOSE_SUFFIX: Record<string, string> = {
  query: 'status query',
  list: 'status query',
  account: 'account check',
  download: 'result download',
};

/** An audit entry for one Kling client request; purpose and legal basis from the settings. */
export function auditFromKlingRequest(
  db: Database.Database,
  info: KlingRequestInfo,
  extra: { subject?: string | null; jobId?: string | null; purpose?: string; legalBasis?: string } = {},
): AuditEntry {
  const s = getPrivacySettings(db);
  const url = new URL(info.url);
  return {
    time: new Date(info.at).toISOString(),
    purpose:
      extra.purpose ??
      (info.purpose === 'create' ? s.purpose : `${s.purpose} (${PURPOSE_SUFFIX[info.purpose] ?? info.purpose})`),
    legalBasis: extra.legalBasis ?? s.legalBasis,
    // A motion-control create says where Kling fetches the reference video from: the host only,
    // since the full URL can name a person's video and erasure tombstones paths, not categories
    // (test/integration/cli-run/motion.test.ts).
    dataCategories: [
      ...(CATEGORIES[info.purpose] ?? []),
      ...(info.referenceUrl ? [referenceCategory(info.referenceUrl)] : []),
    ],
    recipient: { provider: info.provider, host: info.host, region: info.region, location: info.location },
    method: info.method,
    path: url.pathname,
    subject: extra.subject ?? null,
    jobId: extra.jobId ?? null,
    externalTaskId: info.externalTaskId ?? null,
    bodySha256: info.bodySha256,
  };
}

/**
 * The engine reads a motion reference video before it pays for a take (electron/core/engine/engine.ts
 * `checkReference`): a HEAD and an ffprobe read from the host the storyboard names. Nothing of the
 * user's is sent, but the host learns this machine's address and that the video was read, so it is
 * in the record too. Host only, no path (the path can name a person's video; see referenceCategory).
 */
export function auditFromReferenceProbe(
  db: Database.Database,
  p: { url: string; at: number; subject?: string | null; jobId?: string | null },
): AuditEntry {
  const s = getPrivacySettings(db);
  let host = 'an unreadable URL';
  try {
    host = new URL(p.url).host;
  } catch {
    // keep the placeholder
  }
  return {
    time: new Date(p.at).toISOString(),
    purpose: `${s.purpose} (motion reference check before paying)`,
    legalBasis: s.legalBasis,
    dataCategories: ["none sent: a read of the reference video (the host sees this machine's IP address)"],
    recipient: { provider: 'motion reference host', host },
    method: 'HEAD, GET',
    subject: p.subject ?? null,
    jobId: p.jobId ?? null,
    bodySha256: null,
  };
}

interface RawRow {
  id: number;
  time: string;
  purpose: string;
  legal_basis: string;
  data_categories: string;
  provider: string;
  host: string;
  region: string | null;
  location: string | null;
  method: string | null;
  path: string | null;
  subject: string | null;
  job_id: string | null;
  external_task_id: string | null;
  body_sha256: string | null;
  tombstoned_at: string | null;
}

function toRow(r: RawRow): AuditRow {
  let cats: string[] = [];
  try {
    cats = JSON.parse(r.data_categories) as string[];
  } catch {
    cats = [r.data_categories];
  }
  return AuditRow.parse({
    id: r.id,
    time: r.time,
    purpose: r.purpose,
    legalBasis: r.legal_basis,
    dataCategories: cats,
    provider: r.provider,
    host: r.host,
    region: r.region,
    location: r.location,
    method: r.method,
    path: r.path,
    subject: r.subject,
    jobId: r.job_id,
    externalTaskId: r.external_task_id,
    bodySha256: r.body_sha256,
    tombstonedAt: r.tombstoned_at,
  });
}

export function listAudit(
  db: Database.Database,
  opts: { limit?: number; offset?: number; subject?: string } = {},
): { rows: AuditRow[]; total: number } {
  const where = opts.subject ? 'WHERE subject = @subject' : '';
  const params = { subject: opts.subject ?? null, limit: opts.limit ?? 200, offset: opts.offset ?? 0 };
  const total = (db.prepare(`SELECT count(*) AS n FROM audit_log ${where}`).get(params) as { n: number }).n;
  const rows = db
    .prepare(`SELECT * FROM audit_log ${where} ORDER BY id DESC LIMIT @limit OFFSET @offset`)
    .all(params) as RawRow[];
  return { rows: rows.map(toRow), total };
}

const CSV_COLUMNS: Array<[string, (r: AuditRow) => string | number | null]> = [
  ['id', (r) => r.id],
  ['time', (r) => r.time],
  ['purpose', (r) => r.purpose],
  ['legal_basis', (r) => r.legalBasis],
  ['data_categories', (r) => r.dataCategories.join('; ')],
  ['recipient_provider', (r) => r.provider],
  ['recipient_host', (r) => r.host],
  ['recipient_region', (r) => r.region],
  ['recipient_location', (r) => r.location],
  ['method', (r) => r.method],
  ['path', (r) => r.path],
  ['subject', (r) => r.subject],
  ['job_id', (r) => r.jobId],
  ['external_task_id', (r) => r.externalTaskId],
  ['body_sha256', (r) => r.bodySha256],
  ['tombstoned_at', (r) => r.tombstonedAt],
];

function csvCell(v: string | number | null): string {
  if (v === null) return '';
  let s = String(v);
  // Spreadsheet formula injection: a leading =,+,-,@ is made inert.
  if (/^[=+\-@\t\r]/.test(s)) s = `'${s}`;
  return /[",\r\n]/.test(s) ? `"${s.replace(/"/g, '""')}"` : s;
}

export function exportAudit(
  db: Database.Database,
  format: 'csv' | 'json',
): { format: 'csv' | 'json'; content: string; rows: number } {
  const rows = (db.prepare('SELECT * FROM audit_log ORDER BY id').all() as RawRow[]).map(toRow);
  if (format === 'json') return { format, content: `${JSON.stringify(rows, null, 2)}\n`, rows: rows.length };
  const lines = [CSV_COLUMNS.map(([h]) => h).join(',')];
  for (const r of rows) lines.push(CSV_COLUMNS.map(([, get]) => csvCell(get(r))).join(','));
  return { format, content: `${lines.join('\r\n')}\r\n`, rows: rows.length };
}

/** Erasure's one permitted update: clears every subject-linked column and stamps the row. */
export function tombstoneAudit(
  db: Database.Database,
  where: { subject: string; jobIds?: readonly string[]; taskIds?: readonly string[] },
  now = new Date(),
): number {
  const stamp = now.toISOString();
  const set = `UPDATE audit_log SET subject = NULL, job_id = NULL, external_task_id = NULL, path = NULL, body_sha256 = NULL, tombstoned_at = @stamp
     WHERE tombstoned_at IS NULL AND `;
  let n = db.prepare(`${set} subject = @v`).run({ stamp, v: where.subject }).changes;
  const byJob = db.prepare(`${set} job_id = @v`);
  for (const id of where.jobIds ?? []) n += byJob.run({ stamp, v: id }).changes;
  const byTask = db.prepare(`${set} (external_task_id = @v OR path LIKE '%/' || @v)`);
  for (const id of where.taskIds ?? []) n += byTask.run({ stamp, v: id }).changes;
  return n;
}

/** Audit rows that would be tombstoned, for erasure's report (recipients and task ids). */
export function auditRowsFor(
  db: Database.Database,
  where: { subject: string; jobIds?: readonly string[]; taskIds?: readonly string[] },
): AuditRow[] {
  const seen = new Map<number, AuditRow>();
  const add = (rows: RawRow[]): void => {
    for (const r of rows) seen.set(r.id, toRow(r));
  };
  add(db.prepare('SELECT * FROM audit_log WHERE tombstoned_at IS NULL AND subject = ?').all(where.subject) as RawRow[]);
  const byJob = db.prepare('SELECT * FROM audit_log WHERE tombstoned_at IS NULL AND job_id = ?');
  for (const id of where.jobIds ?? []) add(byJob.all(id) as RawRow[]);
  const byTask = db.prepare(
    "SELECT * FROM audit_log WHERE tombstoned_at IS NULL AND (external_task_id = ? OR path LIKE '%/' || ?)",
  );
  for (const id of where.taskIds ?? []) add(byTask.all(id, id) as RawRow[]);
  return [...seen.values()];
}

/** "reference video URL sent (Kling fetches it from host)". */
function referenceCategory(url: string): string {
  let host = 'an unreadable URL';
  try {
    host = new URL(url).host;
  } catch {
    // keep the placeholder: the URL itself is never written here
  }
  return `reference video URL sent (Kling fetches it from ${host})`;
}
