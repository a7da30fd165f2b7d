/**
 * Opens (or creates) the Shotline SQLite database: WAL, foreign keys, a busy timeout,
 * migrations. A file that is not a SQLite database, or one written by a newer Shotline,
 * is refused with a clear error and left untouched.
 */
import { closeSync, existsSync, openSync, readSync, statSync } from 'node:fs';

import Database from 'better-sqlite3';

import { ShotlineError } from '../../../shared/result';
import { migrations as allMigrations } from './migrations';
import type { Migration } from './migrations/types';
import { makeDataPrivate } from './private';

const SQLITE_MAGIC = 'SQLite format 3\0';

export interface OpenOptions {
  nativeBinding?: string | undefined;
  migrations?: readonly Migration[];
  readonly?: boolean;
}

function assertSqliteFile(file: string): void {
  if (!existsSync(file) || statSync(file).size === 0) return;
  const fd = openSync(file, 'r');
  try {
    const buf = Buffer.alloc(16);
    readSync(fd, buf, 0, 16, 0);
    if (buf.toString('latin1') !== SQLITE_MAGIC) {
      throw new ShotlineError({
        code: 'db_corrupt',
        where: file,
        message: `${file} is not a Shotline database (not SQLite). It was left untouched: move it aside or choose another data dir.`,
      });
    }
  } finally {
    closeSync(fd);
  }
}

export function checkMigrationOrder(list: readonly Migration[]): void {
  for (let i = 1; i < list.length; i++) {
    const prev = list[i - 1];
    const cur = list[i];
    if (prev && cur && cur.version <= prev.version) {
      throw new Error(`migrations out of order: ${cur.version} (${cur.name}) after ${prev.version} (${prev.name})`);
    }
  }
}

/**
 * Applies every migration not yet recorded in `schema_migrations`. Areas own number ranges
 * (1-99 queue, 100-199 privacy, ...), so a later queue migration (2) can arrive after a
 * privacy one (100) was applied: "newer than user_version" would skip it, a set does not.
 * PRAGMA user_version still holds the highest applied number, for the too-new check.
 */
export function migrate(db: Database.Database, list: readonly Migration[], file = 'database'): number {
  checkMigrationOrder(list);
  const current = db.pragma('user_version', { simple: true }) as number;
  const newest = list.at(-1)?.version ?? 0;
  if (current > newest) {
    throw new ShotlineError({
      code: 'db_too_new',
      where: file,
      message: `${file} was written by a newer Shotline (schema ${current}, this version knows ${newest}). Update Shotline; the file was left untouched.`,
    });
  }
  const hasTable =
    db.prepare("SELECT 1 FROM sqlite_master WHERE type = 'table' AND name = 'schema_migrations'").get() !== undefined;
  // A database from before the table: everything up to its user_version was applied.
  const applied = new Set<number>(
    hasTable
      ? db
          .prepare<[], { version: number }>('SELECT version FROM schema_migrations')
          .all()
          .map((r) => r.version)
      : list.filter((m) => m.version <= current).map((m) => m.version),
  );
  // A migration this build does not have (whatever area owns its number) means a newer or
  // different build wrote the file: refuse it and touch nothing (issue 18 item 6), rather than
  // run an older schema over it.
  const known = new Set(list.map((m) => m.version));
  const foreign = [...applied].filter((v) => !known.has(v)).sort((x, y) => x - y);
  if (foreign.length) {
    throw new ShotlineError({
      code: 'db_too_new',
      where: file,
      message: `${file} holds schema change${foreign.length === 1 ? '' : 's'} ${foreign.join(', ')} that this version of Shotline does not know (a newer build wrote it). Update Shotline; the file was left untouched.`,
    });
  }
  const pending = list.filter((m) => !applied.has(m.version));
  if (hasTable && pending.length === 0) return current;
  db.transaction(() => {
    if (!hasTable) {
      db.exec(
        'CREATE TABLE schema_migrations (version INTEGER PRIMARY KEY, name TEXT NOT NULL, applied_at TEXT NOT NULL)',
      );
      const record = db.prepare('INSERT INTO schema_migrations (version, name, applied_at) VALUES (?, ?, ?)');
      for (const m of list) if (applied.has(m.version)) record.run(m.version, m.name, 'before schema_migrations');
    }
    for (const m of pending) {
      m.up(db);
      db.prepare('INSERT INTO schema_migrations (version, name, applied_at) VALUES (?, ?, ?)').run(
        m.version,
        m.name,
        new Date().toISOString(),
      );
    }
    db.pragma(
      `user_version = ${Math.max(current, ...list.filter((m) => applied.has(m.version) || pending.includes(m)).map((m) => m.version))}`,
    );
  }).immediate();
  return Math.max(current, newest);
}

export function openDatabase(file: string, opts: OpenOptions = {}): Database.Database {
  assertSqliteFile(file);
  let db: Database.Database;
  try {
    db = new Database(file, {
      timeout: 5000,
      ...(opts.nativeBinding ? { nativeBinding: opts.nativeBinding } : {}),
      ...(opts.readonly ? { readonly: true } : {}),
    });
  } catch (err) {
    throw new ShotlineError({
      code: 'db_open',
      where: file,
      message: `Cannot open ${file}: ${(err as Error).message}. Check the file's permissions or choose another data dir.`,
    });
  }
  try {
    if (!opts.readonly) {
      db.pragma('journal_mode = WAL');
      db.pragma('synchronous = NORMAL');
    }
    db.pragma('foreign_keys = ON');
    db.pragma('busy_timeout = 5000');
    if (!opts.readonly) migrate(db, opts.migrations ?? allMigrations, file);
    if (!opts.readonly && file !== ':memory:') makeDataPrivate(file);
    return db;
  } catch (err) {
    db.close();
    if (err instanceof ShotlineError) throw err;
    const msg = (err as Error).message;
    const locked = /locked|busy/i.test(msg);
    throw new ShotlineError({
      code: locked ? 'db_locked' : 'db_corrupt',
      where: file,
      message: locked
        ? `${file} is locked by another program (is another Shotline running on this data dir?). Close it and try again.`
        : `${file} is damaged (${msg}). It was left untouched: restore a backup or choose another data dir.`,
    });
  }
}
