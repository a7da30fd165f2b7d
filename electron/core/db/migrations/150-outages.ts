/**
 * Outages (issue 14): each stretch of time the engine found the provider down, with what
 * waited, for the `status` line, the Queue page banner and the morning report; and per job
 * the time it has spent in transient trouble, so the 12-hour budget survives a restart
 * (awake time only: engine/clock.ts).
 */
import type { Migration } from './types';

export const outagesMigration: Migration = {
  version: 150,
  name: 'outages',
  up(db) {
    db.exec(`
      ALTER TABLE jobs ADD COLUMN transient_ms INTEGER NOT NULL DEFAULT 0;
      CREATE TABLE outages (
        id INTEGER PRIMARY KEY AUTOINCREMENT,
        provider TEXT NOT NULL,
        kind TEXT NOT NULL CHECK (kind IN ('server', 'unreachable', 'network')),
        started_at TEXT NOT NULL,
        ended_at TEXT,
        last_error TEXT,
        next_try_at TEXT,
        probes INTEGER NOT NULL DEFAULT 0,
        jobs_waiting INTEGER NOT NULL DEFAULT 0,
        batches TEXT NOT NULL DEFAULT '[]',
        pid INTEGER
      );
      CREATE INDEX outages_started ON outages(started_at);
    `);
  },
};
