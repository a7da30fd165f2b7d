/**
 * Issue 16.5, "erasure leaves nothing", on a real SQLite data dir. Attacks reproduced: an edit
 * cut from two subjects' clips (registered with no subject, it survived the erase of either),
 * and a second connection holding a read snapshot so the WAL cannot be emptied (the erase
 * said done while the erased text was still in shotline.db-wal).
 */
import { existsSync, mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

import Database from 'better-sqlite3';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';

import { openDatabase } from '../../../electron/core/db/open';
import { eraseSubject, registerExport, registerFile } from '../../../electron/core/privacy';

let dir: string;
beforeAll(() => {
  dir = mkdtempSync(join(tmpdir(), 'shotline-erase16-'));
});
afterAll(() => rmSync(dir, { recursive: true, force: true }));

function dataDirWithMixedEdit(name: string): { data: string; db: Database.Database; inside: string; outside: string } {
  const data = join(dir, name);
  mkdirSync(join(data, 'clips'), { recursive: true });
  mkdirSync(join(data, 'edits'), { recursive: true });
  mkdirSync(join(dir, `${name}-exports`), { recursive: true });
  const db = openDatabase(join(data, 'shotline.db'));
  const a = join(data, 'clips', 'alice_take1.mp4');
  const b = join(data, 'clips', 'bob_take1.mp4');
  writeFileSync(a, 'alice clip');
  writeFileSync(b, 'bob clip');
  registerFile(db, { path: a, kind: 'take', project: 'p', subject: 'subject-alice' });
  registerFile(db, { path: b, kind: 'take', project: 'p', subject: 'subject-bob' });
  const inside = join(data, 'edits', 'mixed.mp4');
  const outside = join(dir, `${name}-exports`, 'mixed-for-client.mp4');
  for (const e of [inside, outside]) {
    writeFileSync(e, 'edit of both');
    registerExport(db, e, [a, b]);
  }
  return { data, db, inside, outside };
}

describe('erasure leaves nothing (issue 16.5)', () => {
  it('erasing one subject of a mixed edit deletes the edit in the data dir and names the one outside', () => {
    const { data, db, inside, outside } = dataDirWithMixedEdit('mixed');
    try {
      const dry = eraseSubject(db, data, 'subject-alice', { dryRun: true });
      expect(dry.files).toContainEqual(
        expect.objectContaining({ path: 'edits/mixed.mp4', kind: 'edit (also has other subjects)' }),
      );
      const r = eraseSubject(db, data, 'subject-alice');
      expect(existsSync(inside)).toBe(false);
      expect(existsSync(outside)).toBe(true); // the user's own file elsewhere: reported, not touched
      expect(r.cannotErase.join('\n')).toContain(`${outside} (1 of its 2 clips are this subject's)`);
      expect(r.notYetGone).toEqual([]);
      expect(db.prepare("SELECT COUNT(*) AS n FROM export_clips WHERE subject = 'subject-alice'").get()).toEqual({
        n: 0,
      });
      // bob's clip stays, and so does his registration
      expect(existsSync(join(data, 'clips', 'bob_take1.mp4'))).toBe(true);
    } finally {
      db.close();
    }
  });

  it('a WAL a reader keeps busy is retried; if it stays busy the erase says the data is not yet gone', () => {
    const { data, db } = dataDirWithMixedEdit('busy');
    const reader = new Database(join(data, 'shotline.db'));
    try {
      reader.prepare('BEGIN').run();
      reader.prepare('SELECT COUNT(*) FROM subject_files').get(); // holds a snapshot of the WAL
      const r = eraseSubject(db, data, 'subject-alice', { compact: { tries: 3, waitMs: 5 } });
      expect(r.notYetGone).toHaveLength(1);
      expect(r.notYetGone[0]).toMatch(/^NOT YET GONE: .*shotline\.db-wal.*run the erase for this subject again/);
      expect(r.cannotErase[0]).toBe(r.notYetGone[0]);
      reader.prepare('COMMIT').run();
      const again = eraseSubject(db, data, 'subject-alice');
      expect(again.notYetGone).toEqual([]);
    } finally {
      reader.close();
      db.close();
    }
  });
});
