import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

import type Database from 'better-sqlite3';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';

import { openDatabase } from '../../../electron/core/db/open';
import {
  auditFromKlingRequest,
  exportAudit,
  listAudit,
  recordAudit,
  tombstoneAudit,
} from '../../../electron/core/privacy';

let dir: string;
let db: Database.Database;
beforeEach(() => {
  dir = mkdtempSync(join(tmpdir(), 'shotline-audit-'));
  db = openDatabase(join(dir, 'shotline.db'));
});
afterEach(() => {
  db.close();
  rmSync(dir, { recursive: true, force: true });
});

const entry = (subject: string | null, jobId: string | null = null) => ({
  time: '2026-11-25T06:00:00.000Z',
  purpose: 'AI video generation',
  legalBasis: 'Art. 6(1)(b) GDPR',
  dataCategories: ['prompt text', 'reference images'],
  recipient: { provider: 'kling', host: 'api-singapore.klingai.com', region: 'singapore', location: 'Singapore' },
  method: 'POST',
  path: '/v1/videos/text2video',
  subject,
  jobId,
  bodySha256: 'a'.repeat(64),
});

describe('audit log', () => {
  it('is append-only: UPDATE and DELETE are refused by triggers', () => {
    recordAudit(db, entry('client-7'));
    expect(() => db.prepare('DELETE FROM audit_log').run()).toThrow(/append-only/);
    expect(() => db.prepare("UPDATE audit_log SET purpose = 'x'").run()).toThrow(/append-only/);
    expect(() => db.prepare("UPDATE audit_log SET subject = 'other'").run()).toThrow(/append-only/);
    // A tombstone that keeps the subject is not a tombstone.
    expect(() => db.prepare("UPDATE audit_log SET tombstoned_at = 'now'").run()).toThrow(/append-only/);
    expect(listAudit(db).rows[0]?.subject).toBe('client-7');
  });

  it('tombstones a subject once, clearing every linked column and keeping the Art. 30 facts', () => {
    recordAudit(db, entry('client-7', 'job-1'));
    recordAudit(db, entry(null, 'job-1'));
    recordAudit(db, entry('client-8', 'job-2'));
    expect(tombstoneAudit(db, { subject: 'client-7', jobIds: ['job-1'] })).toBe(2);
    const rows = listAudit(db).rows;
    const gone = rows.filter((r) => r.tombstonedAt);
    expect(gone).toHaveLength(2);
    for (const r of gone) {
      expect([r.subject, r.jobId, r.bodySha256, r.path]).toEqual([null, null, null, null]);
      expect(r.host).toBe('api-singapore.klingai.com');
      expect(r.legalBasis).toBe('Art. 6(1)(b) GDPR');
    }
    // A tombstoned row cannot be edited again.
    expect(() =>
      db.prepare("UPDATE audit_log SET tombstoned_at = 'later' WHERE tombstoned_at IS NOT NULL").run(),
    ).toThrow(/append-only/);
    expect(rows.find((r) => r.subject === 'client-8')).toBeTruthy();
  });

  it('exports CSV (quoted, formula-safe) and JSON', () => {
    recordAudit(db, { ...entry('=HYPERLINK("x")'), purpose: 'a, "quoted" purpose' });
    const csv = exportAudit(db, 'csv');
    expect(csv.rows).toBe(1);
    const [head, line] = csv.content.trim().split('\r\n');
    expect(head).toMatch(/^id,time,purpose,legal_basis,data_categories,recipient_provider,recipient_host/);
    expect(line).toContain('"a, ""quoted"" purpose"');
    expect(line).toContain(`"'=HYPERLINK(""x"")"`);
    const json = JSON.parse(exportAudit(db, 'json').content) as Array<{ subject: string; dataCategories: string[] }>;
    expect(json[0]?.dataCategories).toEqual(['prompt text', 'reference images']);
  });

  it('builds an entry from the Kling client onRequest info', () => {
    const e = auditFromKlingRequest(
      db,
      {
        method: 'POST',
        url: 'https://api-singapore.klingai.com/v1/videos/text2video',
        host: 'api-singapore.klingai.com',
        provider: 'kling',
        region: 'singapore',
        location: 'Singapore (Kling global)',
        standard: 'legacy',
        purpose: 'create',
        externalTaskId: 'ext-1',
        bodySha256: 'b'.repeat(64),
        at: Date.parse('2026-11-25T06:00:00Z'),
      },
      { subject: 'client-7', jobId: 'job-1' },
    );
    expect(e).toMatchObject({
      path: '/v1/videos/text2video',
      subject: 'client-7',
      jobId: 'job-1',
      externalTaskId: 'ext-1',
      time: '2026-11-25T06:00:00.000Z',
    });
    expect(e.dataCategories).toContain('prompt text');
    recordAudit(db, e);
    expect(listAudit(db, { subject: 'client-7' }).total).toBe(1);
  });
});
