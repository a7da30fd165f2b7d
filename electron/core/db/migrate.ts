/**
 * Runs the one sequence of schema steps (./migrations/index.ts has the numbering rule):
 * PRAGMA user_version is the last step applied; every later step runs in order, all in one
 * transaction with the conversion of a database from before the sequence (./legacy.ts). A
 * database this build cannot place (a step it does not have, an old number it does not map)
 * is refused before anything is written.
 */
import type Database from 'better-sqlite3';

import { ShotlineError } from '../../../shared/result';
import { FIRST_STEP, LEGACY_STEPS, type LegacyState, readLegacy } from './legacy';
import type { Migration } from './migrations/types';

export function checkMigrationOrder(list: readonly Migration[]): void {
  for (let i = 0; i < list.length; i++) {
    const cur = list[i];
    const prev = list[i - 1];
    if (cur && (!Number.isInteger(cur.version) || cur.version < FIRST_STEP)) {
      throw new Error(
        `migration ${cur.version} (${cur.name}) is not a step of the sequence: steps are integers from ${FIRST_STEP} (electron/core/db/migrations/index.ts)`,
      );
    }
    if (prev && cur && cur.version <= prev.version) {
      throw new Error(`migrations out of order: ${cur.version} (${cur.name}) after ${prev.version} (${prev.name})`);
    }
  }
}

const refuse = (file: string, message: string): ShotlineError =>
  new ShotlineError({
    code: 'db_too_new',
    where: file,
    message: `${message} Update Shotline; the file was left untouched.`,
  });

interface Plan {
  /** The step the database is at once its old numbers are mapped (user_version for a new one). */
  from: number;
  /** Steps below `from` an old build skipped (it ran them in area order): they run first. */
  missing: readonly Migration[];
  /** The steps after `from`. */
  pending: readonly Migration[];
  legacy: LegacyState | null;
}

/** What `migrate` would do to `db`, or the refusal; reads only. */
function plan(db: Database.Database, list: readonly Migration[], file: string): Plan {
  const current = db.pragma('user_version', { simple: true }) as number;
  const newest = list.at(-1)?.version ?? 0;
  const known = new Set(list.map((m) => m.version));
  const legacy = readLegacy(db, current);
  let from = current;
  let missing: readonly Migration[] = [];
  if (legacy) {
    const foreign = legacy.old.filter((v) => !known.has(LEGACY_STEPS.get(v) ?? -1));
    if (foreign.length) {
      throw refuse(
        file,
        `${file} holds schema change${foreign.length === 1 ? '' : 's'} ${foreign.join(', ')} that this version of Shotline does not know (a newer build wrote it).`,
      );
    }
    const steps = legacy.old.map((v) => LEGACY_STEPS.get(v) ?? -1);
    from = Math.max(0, ...steps);
    missing = list.filter((m) => m.version < from && !steps.includes(m.version));
  } else if (current > newest) {
    throw refuse(file, `${file} was written by a newer Shotline (schema ${current}, this version knows ${newest}).`);
  } else if (current !== 0 && !known.has(current)) {
    throw refuse(
      file,
      `${file} is at schema step ${current}, which this version of Shotline does not have (another build wrote it).`,
    );
  }
  return { from, missing, pending: list.filter((m) => m.version > from), legacy };
}

const nothingToDo = (p: Plan): boolean => !p.legacy && p.pending.length === 0;

/** Brings `db` to the last step of `list`; returns the step it is at afterwards. */
export function migrate(db: Database.Database, list: readonly Migration[], file = 'database'): number {
  checkMigrationOrder(list);
  // The common open has nothing to do and takes no write lock; otherwise the plan is made again
  // under the lock, so a second process (the app and the CLI on one data dir) that migrated in
  // between is seen, not migrated over.
  const first = plan(db, list, file);
  if (nothingToDo(first)) return first.from;
  return db
    .transaction((): number => {
      const p = plan(db, list, file);
      if (nothingToDo(p)) return p.from;
      for (const m of p.missing) m.up(db);
      if (p.legacy?.hasTable) db.exec('DROP TABLE schema_migrations');
      if (p.legacy) db.pragma(`user_version = ${p.from}`);
      for (const m of p.pending) {
        m.up(db);
        db.pragma(`user_version = ${m.version}`);
      }
      return p.pending.at(-1)?.version ?? p.from;
    })
    .immediate();
}
