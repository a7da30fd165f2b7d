/**
 * Databases from before the one sequence of schema steps (electron/core/db/legacy.ts): the old
 * area numbers are mapped to steps on the first open, what an old build skipped runs then, and
 * the result is the schema a new data dir gets, with every row kept. The fixtures in ./fixtures
 * were dumped from data dirs made by the old build itself (commit f4ac061); the prefixes below are
 * built the way that build did (each step's own SQL in area order, recorded in schema_migrations).
 * Real SQLite files.
 */
import { mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

import Database from 'better-sqlite3';
import { describe, expect, it } from 'vitest';

import { LEGACY_STEPS } from '../../../electron/core/db/legacy';
import { migrations } from '../../../electron/core/db/migrations';
import { openDatabase } from '../../../electron/core/db/open';

/** The newest schema step this build has (every old database ends there). */
const NEWEST = migrations[migrations.length - 1]?.version;
import { QueueStore } from '../../../electron/core/queue/store';

const newFile = (): string => join(mkdtempSync(join(tmpdir(), 'shotline-legacy-')), 'shotline.db');

/** A data dir as the old build left it, from a dump in ./fixtures. */
function fromFixture(name: string): string {
  const file = newFile();
  const raw = new Database(file);
  raw.pragma('journal_mode = WAL'); // as the old build left every data dir
  raw.exec(readFileSync(join(__dirname, 'fixtures', `${name}.sql`), 'utf8'));
  raw.close();
  return file;
}

/** A data dir as the old build made it when it knew exactly `old` (area numbers, applied ascending). */
function fromOldNumbers(old: readonly number[]): string {
  const file = newFile();
  const raw = new Database(file);
  raw.exec(
    'CREATE TABLE schema_migrations (version INTEGER PRIMARY KEY, name TEXT NOT NULL, applied_at TEXT NOT NULL)',
  );
  for (const v of [...old].sort((a, b) => a - b)) {
    const m = migrations.find((x) => x.version === LEGACY_STEPS.get(v));
    if (!m) throw new Error(`old number ${v} has no step`);
    m.up(raw);
    raw.prepare('INSERT INTO schema_migrations VALUES (?, ?, ?)').run(v, m.name, '2026-11-25T10:00:00.000Z');
  }
  raw.pragma(`user_version = ${Math.max(0, ...old)}`);
  raw.close();
  return file;
}

/** Tables with their columns and indexes (the shape a query sees), plus triggers. */
function shape(db: Database.Database): Record<string, string> {
  const out: Record<string, string> = {};
  const objs = db
    .prepare<[], { type: string; name: string; tbl_name: string }>(
      "SELECT type, name, tbl_name FROM sqlite_master WHERE name NOT LIKE 'sqlite_%' ORDER BY name",
    )
    .all();
  for (const o of objs) {
    out[`${o.type} ${o.name}`] =
      o.type === 'table'
        ? db
            .prepare<[], { name: string; type: string; notnull: number; pk: number }>(`PRAGMA table_info("${o.name}")`)
            .all()
            .map((c) => `${c.name} ${c.type}${c.notnull ? ' NOT NULL' : ''}${c.pk ? ' PK' : ''}`)
            .join(', ')
        : o.tbl_name;
  }
  return out;
}

const freshShape = (() => {
  const db = openDatabase(newFile());
  const s = shape(db);
  db.close();
  return s;
})();

const OLD_AREA_ORDER = [1, 2, 3, 4, 20, 40, 100, 101, 102];
const RELEASED = [1, 2, 3, 20, 100, 101, 102];

describe('a data dir from before the one sequence', () => {
  it('maps every old number to a step of this build', () => {
    expect([...LEGACY_STEPS.keys()].sort((a, b) => a - b)).toEqual(OLD_AREA_ORDER);
    // The old numbers map onto the steps up to 190 (electron/core/db/legacy.ts); later steps are new.
    expect([...LEGACY_STEPS.values()].sort((a, b) => a - b)).toEqual(
      migrations.filter((m) => m.version <= 190).map((m) => m.version),
    );
  });

  for (const name of ['legacy-released', 'legacy-session', 'legacy-early']) {
    it(`${name}: opens at the newest step with the schema of a new data dir and every row kept`, () => {
      const file = fromFixture(name);
      const raw = new Database(file);
      const oldVersion = raw.pragma('user_version', { simple: true });
      const counts = Object.fromEntries(
        ['jobs', 'audit_log', 'edits', 'drafts', 'export_clips', 'outages'].map((t) => [
          t,
          raw.prepare('SELECT 1 FROM sqlite_master WHERE name = ?').get(t)
            ? raw.prepare(`SELECT COUNT(*) FROM ${t}`).pluck().get()
            : 0,
        ]),
      );
      raw.close();
      expect(oldVersion).toBeLessThan(110);

      const db = openDatabase(file);
      expect(db.pragma('user_version', { simple: true })).toBe(NEWEST);
      if (name === 'legacy-session') {
        // Old 40 ran here before step 190 made `elements` STRICT (which makes its TEXT key NOT
        // NULL): a data dir from this session's unreleased builds keeps its loose table.
        const { ['table elements']: loose, ...rest } = shape(db);
        const { ['table elements']: strict, ...freshRest } = freshShape;
        expect(rest).toEqual(freshRest);
        expect(loose?.replace(/^key TEXT PK/, 'key TEXT NOT NULL PK')).toBe(strict);
      } else {
        expect(shape(db)).toEqual(freshShape);
      }
      for (const [t, n] of Object.entries(counts)) {
        expect(db.prepare(`SELECT COUNT(*) FROM ${t}`).pluck().get(), t).toBe(n);
      }
      expect(new QueueStore(db).jobView('j-old')).toMatchObject({
        state: 'done',
        taskId: '7001',
        externalTaskId: 'shotline-j-old',
        file: '/clips/a.mp4',
        scene: null,
      });
      expect(db.prepare("SELECT subject FROM audit_log WHERE job_id = 'j-old'").pluck().get()).toBe('mara');
      db.close();
      // The second open has nothing to do and does not take it for an old database again.
      const again = openDatabase(file);
      expect(again.pragma('user_version', { simple: true })).toBe(NEWEST);
      again.close();
    });
  }

  const prefixes = (order: readonly number[]): number[][] => order.map((_, i) => order.slice(0, i + 1));
  const cases = [...prefixes(OLD_AREA_ORDER), ...prefixes(RELEASED), [1, 100], [100]];
  it(`opens each of ${cases.length} old sets (every prefix of the area order, with and without 4 and 40) at the newest step with the new schema`, () => {
    for (const old of cases) {
      const file = fromOldNumbers(old);
      const db = openDatabase(file);
      expect(db.pragma('user_version', { simple: true }), old.join(',')).toBe(NEWEST);
      expect(shape(db), old.join(',')).toEqual(freshShape);
      db.close();
    }
  });

  it('reads a database from before schema_migrations by its tables (the first builds kept only user_version)', () => {
    // A build that knew 100 and 1 opened a data dir made by one that knew only 100: it saw
    // user_version 100 and skipped 1. Its tables say what ran, so step 120 (old 1) runs now.
    const file = newFile();
    const raw = new Database(file);
    migrations.find((m) => m.version === 110)?.up(raw);
    raw.pragma('user_version = 100');
    raw.close();
    const db = openDatabase(file);
    expect(db.pragma('user_version', { simple: true })).toBe(NEWEST);
    expect(shape(db)).toEqual(freshShape);
    db.close();
  });

  it('refuses an old database holding a number this build does not know, whatever area owns it, and leaves it untouched', () => {
    const file = fromFixture('legacy-released');
    // A later build of the old scheme added a queue migration numbered below the privacy ones.
    const raw = new Database(file);
    raw.prepare("INSERT INTO schema_migrations VALUES (7, 'from-a-newer-build', 'x')").run();
    raw.exec('CREATE TABLE future_only (id INTEGER PRIMARY KEY)');
    raw.close();
    const before = readFileSync(file);
    expect(() => openDatabase(file)).toThrow(
      /holds schema change 7 that this version of Shotline does not know.*left untouched/,
    );
    expect(readFileSync(file).equals(before)).toBe(true);
  });

  it('converts in one transaction: a failing step leaves the old database as it was', () => {
    const file = fromFixture('legacy-released');
    const before = readFileSync(file);
    const broken = {
      version: (NEWEST ?? 0) + 10,
      name: 'broken',
      up: (): void => {
        throw new Error('disk I/O error');
      },
    };
    expect(() => openDatabase(file, { migrations: [...migrations, broken] })).toThrow(/damaged \(disk I\/O error\)/);
    const raw = new Database(file);
    expect(raw.pragma('user_version', { simple: true })).toBe(102);
    expect(raw.prepare('SELECT COUNT(*) FROM schema_migrations').pluck().get()).toBe(7);
    expect(raw.prepare("SELECT COUNT(*) FROM sqlite_master WHERE name = 'elements'").pluck().get()).toBe(0);
    raw.close();
    expect(before.length).toBeGreaterThan(0);
  });
});

describe('STRICT tables', () => {
  it('every table a step after the released ones (170) creates is STRICT', () => {
    const db = openDatabase(newFile());
    const strict = db
      .prepare<[], { name: string; strict: number }>(
        "SELECT name, strict FROM pragma_table_list WHERE schema = 'main' AND name NOT LIKE 'sqlite_%' ORDER BY name",
      )
      .all();
    const released = new Set(freshShapeTablesUpTo(170));
    const loose = strict.filter((t) => !t.strict && !released.has(t.name)).map((t) => t.name);
    expect(loose).toEqual([]);
    expect(strict.filter((t) => t.strict).map((t) => t.name)).toEqual([
      'elements',
      'kling_deletions',
      'storyboard_elements',
      'take_media',
      'take_reviews',
    ]);
    db.close();
  });
});

/** The tables a new data dir has after the steps up to `last`. */
function freshShapeTablesUpTo(last: number): string[] {
  const db = openDatabase(newFile(), { migrations: migrations.filter((m) => m.version <= last) });
  const names = db
    .prepare("SELECT name FROM sqlite_master WHERE type = 'table' AND name NOT LIKE 'sqlite_%'")
    .pluck()
    .all() as string[];
  db.close();
  return names;
}
