/**
 * The durable record of outages (table `outages`, step 150 in electron/core/db/migrations): opened when the engine
 * finds the provider down, updated at each probe, closed when a probe is answered. `status`
 * and the Queue page read the open one (only while its engine process lives); the morning
 * report lists those of a batch's night with what waited.
 */
import type Database from 'better-sqlite3';

import type { OutageKind } from './outage';

export interface OutageRecord {
  id: number;
  provider: string;
  kind: OutageKind;
  startedAt: string;
  endedAt: string | null;
  lastError: string | null;
  nextTryAt: string | null;
  probes: number;
  /** Takes that waited (open jobs of the run when it began). */
  jobsWaiting: number;
  batches: string[];
  pid: number | null;
}

interface Row {
  id: number;
  provider: string;
  kind: OutageKind;
  started_at: string;
  ended_at: string | null;
  last_error: string | null;
  next_try_at: string | null;
  probes: number;
  jobs_waiting: number;
  batches: string;
  pid: number | null;
}

const iso = (ms: number | null): string | null => (ms === null ? null : new Date(ms).toISOString());

function toRecord(r: Row): OutageRecord {
  let batches: string[] = [];
  try {
    const b = JSON.parse(r.batches) as unknown;
    if (Array.isArray(b)) batches = b.filter((x): x is string => typeof x === 'string');
  } catch {
    batches = [];
  }
  return {
    id: r.id,
    provider: r.provider,
    kind: r.kind,
    startedAt: r.started_at,
    endedAt: r.ended_at,
    lastError: r.last_error,
    nextTryAt: r.next_try_at,
    probes: r.probes,
    jobsWaiting: r.jobs_waiting,
    batches,
    pid: r.pid,
  };
}

export function openOutage(
  db: Database.Database,
  o: {
    provider: string;
    kind: OutageKind;
    since: number;
    nextTryAt: number | null;
    lastError: string | null;
    jobs: number;
    batches: string[];
  },
): number {
  const r = db
    .prepare(
      'INSERT INTO outages (provider, kind, started_at, last_error, next_try_at, jobs_waiting, batches, pid) VALUES (?, ?, ?, ?, ?, ?, ?, ?)',
    )
    .run(
      o.provider,
      o.kind,
      iso(o.since),
      o.lastError,
      iso(o.nextTryAt),
      o.jobs,
      JSON.stringify(o.batches),
      process.pid,
    );
  return Number(r.lastInsertRowid);
}

export function updateOutage(
  db: Database.Database,
  id: number,
  o: { kind: OutageKind; lastError: string | null; nextTryAt: number | null; probes: number },
): void {
  db.prepare('UPDATE outages SET kind = ?, last_error = ?, next_try_at = ?, probes = ? WHERE id = ?').run(
    o.kind,
    o.lastError,
    iso(o.nextTryAt),
    o.probes,
    id,
  );
}

export function closeOutage(db: Database.Database, id: number, at: number): void {
  db.prepare('UPDATE outages SET ended_at = ?, next_try_at = NULL WHERE id = ? AND ended_at IS NULL').run(iso(at), id);
}

/**
 * The engine's handle on this table (openOutage, updateOutage, closeOutage on one database):
 * the runner (./runner.ts) builds it with the data dir's database and hands it to the engine,
 * which has no database of its own (the queue's is private to QueueStore).
 */
export interface OutageLog {
  open(o: Parameters<typeof openOutage>[1]): number;
  update(id: number, o: Parameters<typeof updateOutage>[2]): void;
  close(id: number, at: number): void;
}

export function outageLog(db: Database.Database): OutageLog {
  return {
    open: (o) => openOutage(db, o),
    update: (id, o) => updateOutage(db, id, o),
    close: (id, at) => closeOutage(db, id, at),
  };
}

/** Outages that began at or after `sinceIso` (all when null), oldest first. */
export function listOutages(db: Database.Database, sinceIso: string | null = null, batchId?: string): OutageRecord[] {
  const rows = db.prepare<[string], Row>('SELECT * FROM outages WHERE started_at >= ? ORDER BY id').all(sinceIso ?? '');
  return rows.map(toRecord).filter((o) => batchId === undefined || o.batches.includes(batchId));
}

/**
 * The outage in progress, or null. A row left open by an engine that is gone (kill -9, a
 * crash) is not in progress: it ended when its engine did, as far as anyone can tell.
 */
export function currentOutage(db: Database.Database, isAlive: (pid: number) => boolean): OutageRecord | null {
  const r = db.prepare<[], Row>('SELECT * FROM outages WHERE ended_at IS NULL ORDER BY id DESC LIMIT 1').get();
  if (!r) return null;
  const rec = toRecord(r);
  return rec.pid !== null && isAlive(rec.pid) ? rec : null;
}
