import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

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
});
