import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

import Database from 'better-sqlite3';
import { describe, expect, it } from 'vitest';

import { openDatabase } from '../../electron/core/db/open';

const dir = (): string => mkdtempSync(join(tmpdir(), 'shotline-db-'));

describe('openDatabase', () => {
  it('opens in WAL mode and applies migrations in order', () => {
    const file = join(dir(), 'shotline.db');
    const db = openDatabase(file, {
      migrations: [
        { version: 1, name: 'a', up: (d) => d.exec('CREATE TABLE a (x INTEGER) STRICT') },
        { version: 2, name: 'b', up: (d) => d.exec('CREATE TABLE b (y INTEGER) STRICT') },
      ],
    });
    expect(db.pragma('journal_mode', { simple: true })).toBe('wal');
    expect(db.pragma('user_version', { simple: true })).toBe(2);
    db.close();
  });

  it('applies a migration numbered below one already applied (areas own number ranges)', () => {
    const file = join(dir(), 'shotline.db');
    const a = { version: 1, name: 'a', up: (d: Database.Database) => d.exec('CREATE TABLE a (x INTEGER) STRICT') };
    const c = { version: 100, name: 'c', up: (d: Database.Database) => d.exec('CREATE TABLE c (z INTEGER) STRICT') };
    const b = { version: 2, name: 'b', up: (d: Database.Database) => d.exec('CREATE TABLE b (y INTEGER) STRICT') };
    openDatabase(file, { migrations: [a, c] }).close();
    const db = openDatabase(file, { migrations: [a, b, c] });
    expect(
      db
        .prepare("SELECT name FROM sqlite_master WHERE type = 'table' AND name IN ('a', 'b', 'c') ORDER BY name")
        .pluck()
        .all(),
    ).toEqual(['a', 'b', 'c']);
    expect(db.prepare('SELECT version FROM schema_migrations ORDER BY version').pluck().all()).toEqual([1, 2, 100]);
    expect(db.pragma('user_version', { simple: true })).toBe(100);
    db.close();
    // Opening again applies nothing twice.
    openDatabase(file, { migrations: [a, b, c] }).close();
  });

  it('adopts a database made before schema_migrations: what user_version covers counts as applied', () => {
    const file = join(dir(), 'shotline.db');
    const legacy = new Database(file);
    legacy.exec('CREATE TABLE a (x INTEGER) STRICT');
    legacy.pragma('user_version = 1');
    legacy.close();
    const db = openDatabase(file, {
      migrations: [
        { version: 1, name: 'a', up: (d) => d.exec('CREATE TABLE a (x INTEGER) STRICT') },
        { version: 2, name: 'b', up: (d) => d.exec('CREATE TABLE b (y INTEGER) STRICT') },
      ],
    });
    expect(db.prepare('SELECT version FROM schema_migrations ORDER BY version').pluck().all()).toEqual([1, 2]);
    db.close();
  });

  it('refuses a file that is not SQLite and leaves it untouched', () => {
    const file = join(dir(), 'shotline.db');
    writeFileSync(file, 'my precious notes, not a database');
    expect(() => openDatabase(file)).toThrow(/not a Shotline database.*left untouched/);
    expect(readFileSync(file, 'utf8')).toBe('my precious notes, not a database');
  });

  it('refuses a database written by a newer Shotline', () => {
    const file = join(dir(), 'shotline.db');
    const db = openDatabase(file, { migrations: [] });
    db.pragma('user_version = 999');
    db.close();
    expect(() => openDatabase(file, { migrations: [] })).toThrow(/newer Shotline/);
  });

  it('refuses a database holding a migration this build does not have, below the newest it knows, and leaves it untouched', () => {
    const file = join(dir(), 'shotline.db');
    openDatabase(file).close();
    // A later build added a queue migration numbered below the privacy ones this build knows.
    const raw = new Database(file);
    raw
      .prepare("INSERT INTO schema_migrations (version, name, applied_at) VALUES (7, 'from-a-newer-build', 'x')")
      .run();
    raw.exec('CREATE TABLE future_only (id INTEGER PRIMARY KEY)');
    raw.close();
    const before = readFileSync(file);
    expect(() => openDatabase(file)).toThrow(
      /holds schema change 7 that this version of Shotline does not know.*left untouched/,
    );
    expect(readFileSync(file).equals(before)).toBe(true);
  });
});
