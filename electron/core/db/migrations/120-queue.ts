/**
 * Storyboards, shots, batches, jobs (one per take), attempts and the event log (issue 7).
 * - jobs.external_task_id: stable per submission, written durably before the HTTP call;
 *   unique, so a job can never own two submissions under one id.
 * - jobs.claim_token: the lease of one worker; every write after the claim checks it.
 * - events: append-only by convention (the queue only inserts); no trigger, so privacy
 *   erasure can still delete a subject's rows through the foreign keys.
 * - shots.subject / jobs.subject: the data-subject tag erase seeds from.
 */
import type { Migration } from './types';

export const queueMigration: Migration = {
  version: 120,
  name: 'queue',
  up(db) {
    db.exec(`
      CREATE TABLE storyboards (
        id TEXT PRIMARY KEY,
        name TEXT NOT NULL,
        source_path TEXT,
        format TEXT NOT NULL,
        content_sha256 TEXT NOT NULL,
        created_at TEXT NOT NULL,
        updated_at TEXT NOT NULL
      );

      CREATE TABLE shots (
        pk INTEGER PRIMARY KEY,
        storyboard_id TEXT NOT NULL REFERENCES storyboards(id) ON DELETE CASCADE,
        shot_id TEXT NOT NULL,
        ord INTEGER NOT NULL,
        prompt TEXT NOT NULL,
        subject TEXT,
        takes INTEGER NOT NULL,
        units_per_take REAL NOT NULL,
        spec TEXT NOT NULL,
        spec_hash TEXT NOT NULL,
        active INTEGER NOT NULL DEFAULT 1,
        UNIQUE (storyboard_id, shot_id)
      );
      CREATE INDEX shots_subject ON shots(subject) WHERE subject IS NOT NULL;

      CREATE TABLE batches (
        id TEXT PRIMARY KEY,
        storyboard_id TEXT NOT NULL REFERENCES storyboards(id) ON DELETE CASCADE,
        created_at TEXT NOT NULL,
        paused INTEGER NOT NULL DEFAULT 0,
        pause_reason TEXT,
        budget_units REAL,
        provider TEXT,
        profile TEXT,
        finished_at TEXT
      );

      CREATE TABLE jobs (
        id TEXT PRIMARY KEY,
        batch_id TEXT NOT NULL REFERENCES batches(id) ON DELETE CASCADE,
        shot_pk INTEGER NOT NULL REFERENCES shots(pk) ON DELETE CASCADE,
        storyboard_id TEXT NOT NULL,
        shot_id TEXT NOT NULL,
        take INTEGER NOT NULL,
        seq INTEGER NOT NULL,
        spec_hash TEXT NOT NULL,
        spec TEXT NOT NULL,
        subject TEXT,
        kind TEXT NOT NULL,
        model TEXT NOT NULL,
        units REAL NOT NULL,
        priority INTEGER NOT NULL DEFAULT 0,
        state TEXT NOT NULL,
        state_since TEXT NOT NULL,
        attempts INTEGER NOT NULL DEFAULT 0,
        transient_failures INTEGER NOT NULL DEFAULT 0,
        submits INTEGER NOT NULL DEFAULT 0,
        external_task_id TEXT NOT NULL UNIQUE,
        reconcile INTEGER NOT NULL DEFAULT 0,
        task_id TEXT,
        claim_token TEXT,
        claimed_by TEXT,
        next_at INTEGER,
        video_id TEXT,
        video_url TEXT,
        video_duration REAL,
        file TEXT,
        expires_at TEXT,
        units_charged REAL,
        error_code TEXT,
        error TEXT,
        fix TEXT,
        retryable INTEGER NOT NULL DEFAULT 0,
        created_at TEXT NOT NULL,
        updated_at TEXT NOT NULL,
        UNIQUE (storyboard_id, shot_id, take, spec_hash)
      );
      CREATE INDEX jobs_claim ON jobs(state, priority DESC, seq);
      CREATE INDEX jobs_batch ON jobs(batch_id, state);
      CREATE INDEX jobs_shot ON jobs(shot_pk);
      CREATE INDEX jobs_subject ON jobs(subject) WHERE subject IS NOT NULL;

      CREATE TABLE attempts (
        id INTEGER PRIMARY KEY,
        job_id TEXT NOT NULL REFERENCES jobs(id) ON DELETE CASCADE,
        n INTEGER NOT NULL,
        external_task_id TEXT NOT NULL,
        task_id TEXT,
        started_at TEXT NOT NULL,
        ended_at TEXT,
        outcome TEXT,
        error_code TEXT,
        error TEXT
      );
      CREATE INDEX attempts_job ON attempts(job_id);

      CREATE TABLE events (
        id INTEGER PRIMARY KEY AUTOINCREMENT,
        at TEXT NOT NULL,
        job_id TEXT REFERENCES jobs(id) ON DELETE CASCADE,
        batch_id TEXT,
        type TEXT NOT NULL,
        from_state TEXT,
        to_state TEXT,
        detail TEXT
      );
      CREATE INDEX events_job ON events(job_id);

      CREATE TABLE engine_state (
        key TEXT PRIMARY KEY,
        value TEXT NOT NULL,
        updated_at TEXT NOT NULL
      );
    `);
  },
};
