/**
 * Opens (or creates) the Shotline SQLite database: WAL, foreign keys, a busy timeout,
 * the schema steps (./migrate.ts). A file that is not a SQLite database, or one holding a schema
 * this build does not know, is refused with a clear error and left untouched.
 */
import { closeSync, existsSync, openSync, readSync, statSync } from 'node:fs';

import Database from 'better-sqlite3';

import { ShotlineError } from '../../../shared/result';
import { migrate } from './migrate';
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
