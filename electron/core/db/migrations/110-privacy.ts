/**
 * Privacy tables (issue 5). No key material lives here: key profiles are in the OS keychain.
 * - audit_log: the GDPR Art. 30 record of every request that left the machine. Append-only,
 *   enforced by triggers: DELETE is refused; UPDATE is refused except the erasure tombstone,
 *   which may only clear the subject-linked columns (subject, job, task ids, path, body hash)
 *   and stamp tombstoned_at, once.
 * - privacy_settings: PII mode and terms, legal basis, export-metadata policy (key/value JSON).
 * - subject_files: files other modules wrote for a data subject (erase and retention use it).
 * - retention_rules: per project; retention_runs and erasures: what was done, never who.
 */
import type { Migration } from './types';

export const privacyMigration: Migration = {
  version: 110,
  name: 'privacy',
  up(db) {
    db.exec(`
      CREATE TABLE audit_log (
        id INTEGER PRIMARY KEY AUTOINCREMENT,
        time TEXT NOT NULL,
        purpose TEXT NOT NULL,
        legal_basis TEXT NOT NULL,
        data_categories TEXT NOT NULL,
        provider TEXT NOT NULL,
        host TEXT NOT NULL,
        region TEXT,
        location TEXT,
        method TEXT,
        path TEXT,
        subject TEXT,
        job_id TEXT,
        external_task_id TEXT,
        body_sha256 TEXT,
        tombstoned_at TEXT
      );
      CREATE INDEX audit_log_subject ON audit_log(subject) WHERE subject IS NOT NULL;
      CREATE INDEX audit_log_time ON audit_log(time);

      CREATE TRIGGER audit_log_append_only_delete BEFORE DELETE ON audit_log
      BEGIN
        SELECT RAISE(ABORT, 'audit_log is append-only: rows cannot be deleted (erasure tombstones them instead)');
      END;

      CREATE TRIGGER audit_log_append_only_update BEFORE UPDATE ON audit_log
      WHEN NOT (
        OLD.tombstoned_at IS NULL AND NEW.tombstoned_at IS NOT NULL
        AND NEW.id = OLD.id AND NEW.time = OLD.time AND NEW.purpose = OLD.purpose
        AND NEW.legal_basis = OLD.legal_basis AND NEW.data_categories = OLD.data_categories
        AND NEW.provider = OLD.provider AND NEW.host = OLD.host
        AND NEW.region IS OLD.region AND NEW.location IS OLD.location AND NEW.method IS OLD.method
        AND NEW.subject IS NULL AND NEW.job_id IS NULL AND NEW.external_task_id IS NULL
        AND NEW.path IS NULL AND NEW.body_sha256 IS NULL
      )
      BEGIN
        SELECT RAISE(ABORT, 'audit_log is append-only: only erasure may tombstone a row');
      END;

      CREATE TABLE privacy_settings (
        key TEXT PRIMARY KEY,
        value TEXT NOT NULL,
        updated_at TEXT NOT NULL
      );

      CREATE TABLE subject_files (
        path TEXT PRIMARY KEY,
        subject TEXT,
        project TEXT,
        kind TEXT NOT NULL,
        created_at TEXT NOT NULL
      );
      CREATE INDEX subject_files_subject ON subject_files(subject);

      CREATE TABLE retention_rules (
        project TEXT PRIMARY KEY,
        rule TEXT NOT NULL,
        updated_at TEXT NOT NULL
      );

      CREATE TABLE retention_runs (
        id INTEGER PRIMARY KEY AUTOINCREMENT,
        time TEXT NOT NULL,
        dry_run INTEGER NOT NULL,
        files_deleted INTEGER NOT NULL,
        bytes_freed INTEGER NOT NULL
      );

      CREATE TABLE erasures (
        id INTEGER PRIMARY KEY AUTOINCREMENT,
        time TEXT NOT NULL,
        files_removed INTEGER NOT NULL,
        rows_removed INTEGER NOT NULL,
        audit_rows_tombstoned INTEGER NOT NULL
      );
    `);
  },
};
