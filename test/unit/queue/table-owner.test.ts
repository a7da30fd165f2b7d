/**
 * One owner per table (issue 18 item 3; docs/architecture.md, "One owner per table"): SQL that
 * reads or writes a table appears only in the files that own it. Everything else asks the
 * owner (QueueStore in electron/core/queue/store.ts for the queue's tables). The check reads
 * every .ts file under electron/ for an upper-case SQL verb followed by a table name.
 */
import { mkdtempSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, relative, sep } from 'node:path';

import { describe, expect, it } from 'vitest';

import { openDatabase } from '../../../electron/core/db/open';

const ROOT = join(__dirname, '..', '..', '..');

/** Table -> the path prefixes (from the repo root, '/'-separated) allowed to hold its SQL. */
const OWNERS: Record<string, readonly string[]> = {
  storyboards: ['electron/core/queue/'],
  shots: ['electron/core/queue/'],
  batches: ['electron/core/queue/'],
  jobs: ['electron/core/queue/'],
  attempts: ['electron/core/queue/'],
  events: ['electron/core/queue/'],
  engine_state: ['electron/core/queue/'],
  outages: ['electron/core/engine/outage-log.ts'],
  edits: ['electron/core/edits/'],
  elements: ['electron/core/elements/'],
  storyboard_elements: ['electron/core/elements/'],
  kling_deletions: ['electron/core/elements/pending.ts'],
  audit_log: ['electron/core/privacy/'],
  privacy_settings: ['electron/core/privacy/'],
  subject_files: ['electron/core/privacy/'],
  retention_rules: ['electron/core/privacy/'],
  retention_runs: ['electron/core/privacy/'],
  erasures: ['electron/core/privacy/'],
  export_clips: ['electron/core/privacy/'],
  drafts: ['electron/core/handlers/storyboard.ts'],
  take_reviews: ['electron/core/reviews/store.ts'],
  take_media: ['electron/core/reviews/store.ts'],
};

/**
 * Statements not yet moved to their owner: "file|table". None are left (issue 18 item 3); a
 * new entry must still occur (the test fails once it is fixed, so it is removed with the fix).
 */
const NOT_YET_MOVED = new Set<string>([]);

function tsFiles(dir: string): string[] {
  return readdirSync(dir, { withFileTypes: true }).flatMap((e) => {
    const p = join(dir, e.name);
    if (e.isDirectory()) return tsFiles(p);
    return /\.tsx?$/.test(e.name) ? [p] : [];
  });
}

/** "file|table" for every SQL verb over a table outside the table's owners. */
function strayStatements(): Map<string, string> {
  const verb = new RegExp(`\\b(?:FROM|JOIN|INTO|UPDATE|TABLE)\\s+(${Object.keys(OWNERS).join('|')})\\b`, 'g');
  const found = new Map<string, string>();
  for (const abs of tsFiles(join(ROOT, 'electron'))) {
    const file = relative(ROOT, abs).split(sep).join('/');
    if (file.startsWith('electron/core/db/migrations/')) continue; // the schema itself
    const text = readFileSync(abs, 'utf8');
    for (const m of text.matchAll(verb)) {
      const table = m[1] as string;
      if ((OWNERS[table] ?? []).some((o) => file.startsWith(o))) continue;
      const line = text.slice(0, m.index).split('\n').length;
      if (!found.has(`${file}|${table}`)) found.set(`${file}|${table}`, `${file}:${line}: ${m[0]}`);
    }
  }
  return found;
}

describe('one owner per table', () => {
  const stray = strayStatements();

  it('finds SQL over a table only in its owner', () => {
    const unexpected = [...stray].filter(([k]) => !NOT_YET_MOVED.has(k)).map(([, where]) => where);
    expect(
      unexpected,
      'SQL over a table outside its owner: add a method to the owner (for the queue, QueueStore) and call it',
    ).toEqual([]);
  });

  it('lists as not yet moved only statements that are still there', () => {
    const gone = [...NOT_YET_MOVED].filter((k) => !stray.has(k));
    expect(gone, 'these moved to their owner: remove them from NOT_YET_MOVED').toEqual([]);
  });

  it('names an owner for every table a fresh database has (a new migration adds its table here)', () => {
    const dir = mkdtempSync(join(tmpdir(), 'shotline-owners-'));
    try {
      const db = openDatabase(join(dir, 'shotline.db'));
      const tables = (
        db.prepare("SELECT name FROM sqlite_master WHERE type = 'table' AND name NOT LIKE 'sqlite_%'").all() as Array<{
          name: string;
        }>
      ).map((t) => t.name);
      db.close();
      expect(tables.length).toBeGreaterThanOrEqual(19);
      expect(
        tables.filter((t) => !(t in OWNERS)),
        'a table without an owner: add it to OWNERS here and to the table in docs/architecture.md',
      ).toEqual([]);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });

  it('sees a stray statement (the check itself works)', () => {
    const verb = new RegExp(`\\b(?:FROM|JOIN|INTO|UPDATE|TABLE)\\s+(${Object.keys(OWNERS).join('|')})\\b`);
    expect(verb.exec("db.prepare('SELECT id FROM jobs WHERE x = ?')")?.[1]).toBe('jobs');
    expect(verb.exec('cuts the scene into shots')).toBeNull();
  });
});
