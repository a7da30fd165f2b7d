/**
 * Opening a data dir's database (electron/core/db/open.ts) and running the one sequence of
 * schema steps (electron/core/db/migrate.ts): user_version is the last step applied, and a
 * database this build cannot place is refused and left untouched. Real SQLite files. Databases
 * from before the sequence: ./legacy.test.ts.
 */
import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

import Database from 'better-sqlite3';
import { describe, expect, it } from 'vitest';

import { checkMigrationOrder } from '../../../electron/core/db/migrate';
import { openDatabase } from '../../../electron/core/db/open';
import { migrations } from '../../../electron/core/db/migrations';
import type { Migration } from '../../../electron/core/db/migrations/types';

const dir = (): string => mkdtempSync(join(tmpdir(), 'shotline-db-'));
const step = (version: number, table: string): Migration => ({
  version,
  name: table,
  up: (d) => d.exec(`CREATE TABLE ${table} (x INTEGER) STRICT`),
});
const tables = (db: Database.Database): string[] =>
  db
    .prepare("SELECT name FROM sqlite_master WHERE type = 'table' AND name NOT LIKE 'sqlite_%' ORDER BY name")
    .pluck()
    .all() as string[];

describe('openDatabase', () => {
  it('opens in WAL mode and applies the steps in order; user_version is the last one', () => {
    const file = join(dir(), 'shotline.db');
    const db = openDatabase(file, { migrations: [step(110, 'a'), step(120, 'b')] });
    expect(db.pragma('journal_mode', { simple: true })).toBe('wal');
    expect(db.pragma('user_version', { simple: true })).toBe(120);
    expect(tables(db)).toEqual(['a', 'b']);
    db.close();
  });

  it('runs only the steps after user_version, and nothing on a second open', () => {
    const file = join(dir(), 'shotline.db');
    openDatabase(file, { migrations: [step(110, 'a')] }).close();
    const db = openDatabase(file, { migrations: [step(110, 'a'), step(120, 'b'), step(130, 'c')] });
    expect(tables(db)).toEqual(['a', 'b', 'c']);
    expect(db.pragma('user_version', { simple: true })).toBe(130);
    db.close();
    // A second run of 110-130 would fail on CREATE TABLE: the open passes, so nothing ran twice.
    openDatabase(file, { migrations: [step(110, 'a'), step(120, 'b'), step(130, 'c')] }).close();
  });

  it('applies every pending step in one transaction: a failing step leaves the database as it was', () => {
    const file = join(dir(), 'shotline.db');
    openDatabase(file, { migrations: [step(110, 'a')] }).close();
    const broken: Migration = {
      version: 130,
      name: 'broken',
      up: () => {
        throw new Error('no such column: nope');
      },
    };
    expect(() => openDatabase(file, { migrations: [step(110, 'a'), step(120, 'b'), broken] })).toThrow(
      /is damaged \(no such column: nope\)/,
    );
    const raw = new Database(file);
    expect(raw.pragma('user_version', { simple: true })).toBe(110);
    expect(tables(raw)).toEqual(['a']);
    raw.close();
  });

  it('refuses a list that is not one increasing sequence from 110', () => {
    expect(() => checkMigrationOrder([step(110, 'a'), step(110, 'b')])).toThrow(
      /migrations out of order: 110 \(b\) after 110 \(a\)/,
    );
    expect(() => checkMigrationOrder([step(4, 'a')])).toThrow(
      /migration 4 \(a\) is not a step of the sequence: steps are integers from 110/,
    );
  });

  it('refuses a file that is not SQLite and leaves it untouched', () => {
    const file = join(dir(), 'shotline.db');
    writeFileSync(file, 'my precious notes, not a database');
    expect(() => openDatabase(file)).toThrow(/not a Shotline database.*left untouched/);
    expect(readFileSync(file, 'utf8')).toBe('my precious notes, not a database');
  });

  it('refuses a database written by a newer Shotline and leaves it untouched', () => {
    const file = join(dir(), 'shotline.db');
    openDatabase(file).close();
    const raw = new Database(file);
    raw.pragma('user_version = 999');
    raw.close();
    const before = readFileSync(file);
    const newest = migrations.at(-1)?.version;
    expect(() => openDatabase(file)).toThrow(
      new RegExp(`was written by a newer Shotline \\(schema 999, this version knows ${newest}\\).*left untouched`),
    );
    expect(readFileSync(file).equals(before)).toBe(true);
  });

  it('refuses a database at a step this build does not have, below its newest, and leaves it untouched', () => {
    const file = join(dir(), 'shotline.db');
    // Another build put a step 125 between 120 and 130 and ran it.
    openDatabase(file, { migrations: [step(110, 'a'), step(120, 'b'), step(125, 'from_another_build')] }).close();
    const before = readFileSync(file);
    expect(() => openDatabase(file, { migrations: [step(110, 'a'), step(120, 'b'), step(130, 'c')] })).toThrow(
      /is at schema step 125, which this version of Shotline does not have.*left untouched/,
    );
    expect(readFileSync(file).equals(before)).toBe(true);
  });
});
