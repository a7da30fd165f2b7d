/**
 * Databases from before the one sequence (./migrations/index.ts). Until issue 18 each area owned
 * a range of numbers (1-99 queue and storyboards, 100-199 privacy) and a `schema_migrations`
 * table recorded which had run, because a later queue step (2) could arrive after a privacy one
 * (100). Such a database is read here once, on its first open by this build: its old numbers are
 * mapped to steps, the steps it lacks below the highest it has are run, `schema_migrations` is
 * dropped and user_version set to that highest step (./migrate.ts does it, in one transaction).
 * An old number not in the map means a build this one does not know wrote the file: refused.
 */
import type Database from 'better-sqlite3';

/** The first step of the one sequence: every user_version below it is an old area number. */
export const FIRST_STEP = 110;

/**
 * Old area number -> step of the one sequence, in the order the steps were written (git log of
 * electron/core/db/migrations), so a data dir left by any released build maps to a prefix.
 * Written once; never change a line, only a new build's steps follow 190.
 */
export const LEGACY_STEPS: ReadonlyMap<number, number> = new Map([
  [100, 110], // privacy
  [1, 120], // queue
  [2, 130], // batch-pii-mode
  [20, 140], // storyboard-edits
  [3, 150], // outages
  [101, 160], // export-clips
  [102, 170], // drafts
  [4, 180], // scenes (issue 13; not released under 4)
  [40, 190], // elements (issue 13; not released under 40)
]);

/** The two old steps that existed before `schema_migrations`, and the table each created. */
const BEFORE_THE_TABLE: readonly (readonly [number, string])[] = [
  [100, 'audit_log'],
  [1, 'storyboards'],
];

export interface LegacyState {
  /** The old numbers the database holds, ascending. */
  old: readonly number[];
  /** Whether the database has the `schema_migrations` table to drop. */
  hasTable: boolean;
}

const tableExists = (db: Database.Database, name: string): boolean =>
  db.prepare("SELECT 1 FROM sqlite_master WHERE type = 'table' AND name = ?").get(name) !== undefined;

/** What an old database holds, or null when `db` is new (user_version 0, no table) or already a sequence one. */
export function readLegacy(db: Database.Database, userVersion: number): LegacyState | null {
  if (userVersion >= FIRST_STEP) return null;
  const hasTable = tableExists(db, 'schema_migrations');
  if (!hasTable && userVersion === 0) return null;
  // With the table, it is the record. Without it (the first builds, which knew only 100 and 1 and
  // kept only user_version, and could skip 1 after 100), the tables themselves say what ran.
  const old = hasTable
    ? db
        .prepare<[], { version: number }>('SELECT version FROM schema_migrations ORDER BY version')
        .all()
        .map((r) => r.version)
    : BEFORE_THE_TABLE.filter(([, table]) => tableExists(db, table))
        .map(([v]) => v)
        .sort((a, b) => a - b);
  return { old, hasTable };
}
