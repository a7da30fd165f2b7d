/**
 * Runs the one sequence of schema steps (./migrations/index.ts has the numbering rule):
 * PRAGMA user_version is the last step applied; every later step runs in order, all in one
 * transaction with the conversion of a database from before the sequence (./legacy.ts). A
 * database this build cannot place (a step it does not have, an old number it does not map)
 * is refused before anything is written.
 */
import type Database from 'better-sqlite3';

import { ShotlineError } from '../../../shared/result';
import { FIRST_STEP, LEGACY_STEPS, readLegacy } from './legacy';
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

/** Brings `db` to the last step of `list`; returns the step it is at afterwards. */
export function migrate(db: Database.Database, list: readonly Migration[], file = 'database'): number {
  checkMigrationOrder(list);
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
    // Old builds ran steps in area order, so a step below the highest may be missing: it runs now.
    missing = list.filter((m) => m.version < from && !steps.includes(m.version));
  } else if (current > newest) {
    throw refuse(file, `${file} was written by a newer Shotline (schema ${current}, this version knows ${newest}).`);
  } else if (current !== 0 && !known.has(current)) {
    throw refuse(
      file,
      `${file} is at schema step ${current}, which this version of Shotline does not have (another build wrote it).`,
    );
  }
  const pending = list.filter((m) => m.version > from);
  if (!legacy && pending.length === 0) return current;
  db.transaction(() => {
    for (const m of missing) m.up(db);
    if (legacy?.hasTable) db.exec('DROP TABLE schema_migrations');
    if (legacy) db.pragma(`user_version = ${from}`);
    for (const m of pending) {
      m.up(db);
      db.pragma(`user_version = ${m.version}`);
    }
  }).immediate();
  return Math.max(from, newest);
}
