/**
 * Art. 17 on a real data dir: two subjects, erase one, then grep every file (the SQLite
 * file and its WAL included, after the checkpoint) and every SQLite cell for the erased
 * subject's tag and prompt: nothing remains, and the other subject is intact.
 */
import { existsSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

import { afterEach, beforeEach, describe, expect, it } from 'vitest';

import { createCore, type Core } from '../../../electron/core';
import { walkFiles } from '../../../electron/core/privacy/files';
import { ALICE, BOB, buildDataDir, cellsMentioning as cellsOf } from './datadir';

let dir: string;
let core: Core;
beforeEach(() => {
  dir = mkdtempSync(join(tmpdir(), 'shotline-erase-'));
  core = createCore({ dataDir: dir });
  buildDataDir(core.ctx.db(), dir);
});
afterEach(async () => {
  await core.close();
  rmSync(dir, { recursive: true, force: true });
});

function needlesIn(buf: Buffer, needles: string[]): string[] {
  return needles.filter((n) => buf.includes(Buffer.from(n, 'utf8')));
}

const cellsMentioning = (needle: string): string[] => cellsOf(core.ctx.db(), needle);

describe('shotline erase --subject', () => {
  it('dry run lists everything and changes nothing', async () => {
    const before = walkFiles(dir).length;
    const res = await core.call('privacy.erase', { subject: ALICE.tag, dryRun: true });
    if (!res.ok) throw new Error(res.error.message);
    const r = res.value;
    expect(r.dryRun).toBe(true);
    expect(r.files.map((f) => f.path).sort()).toEqual(
      [
        'clips/demo/job-alice-0001.mp4',
        'clips/demo/job-alice-0002.mp4',
        'thumbs/job-alice-0001.jpg',
        'thumbs/job-alice-0002.jpg',
        `images/${ALICE.tag}-start.png`,
        'edits/demo/a-cut.mp4',
      ].sort(),
    );
    expect(r.rows).toMatchObject({ erase_shots: 1, erase_jobs: 2, erase_events: 2, subject_files: 1 });
    expect(r.auditRowsTombstoned).toBe(4);
    expect(walkFiles(dir).length).toBe(before);
    expect(cellsMentioning(ALICE.tag).length).toBeGreaterThan(0);
  });

  it('removes every file and row of one subject, leaves the other intact, and says what Kling keeps', async () => {
    const res = await core.call('privacy.erase', { subject: ALICE.tag });
    if (!res.ok) throw new Error(res.error.message);
    const r = res.value;
    console.log(
      `erase ${ALICE.tag}: ${r.files.length} files, rows ${JSON.stringify(r.rows)}, scrubbed ${JSON.stringify(r.scrubbed)}, ${r.auditRowsTombstoned} audit rows tombstoned`,
    );
    expect(r.cannotErase[0]).toMatch(/Kling \(official API\) at api-singapore\.klingai\.com.*task-alice-9001/);
    for (const f of r.files) expect(existsSync(join(dir, f.path))).toBe(false);

    // Every SQLite cell.
    for (const needle of [ALICE.tag, ALICE.prompt, ...ALICE.jobIds, ...ALICE.taskIds])
      expect(cellsMentioning(needle), needle).toEqual([]);
    // Every file, byte for byte, including the database and its WAL: while the database is
    // still open (the WAL as erase left it), and again after closing.
    const scan = (): string[] => {
      const files = walkFiles(dir);
      expect(files.some((f) => f.endsWith('shotline.db'))).toBe(true);
      return files.flatMap((f) =>
        needlesIn(readFileSync(f), [ALICE.tag, ALICE.prompt, 'Alice Moreau', ...ALICE.jobIds, ...ALICE.taskIds]).map(
          (n) => `${f}: ${n}`,
        ),
      );
    };
    expect(walkFiles(dir).some((f) => f.endsWith('shotline.db-wal'))).toBe(true);
    expect(scan()).toEqual([]);
    await core.close();
    expect(scan()).toEqual([]);

    // Bob is intact.
    core = createCore({ dataDir: dir });
    const db = core.ctx.db();
    expect(db.prepare('SELECT prompt, negative_prompt FROM erase_shots WHERE subject = ?').get(BOB.tag)).toEqual({
      prompt: BOB.prompt,
      negative_prompt: 'blurry, low quality',
    });
    expect(db.prepare('SELECT count(*) AS n FROM erase_jobs').get()).toEqual({ n: 1 });
    expect(db.prepare('SELECT count(*) AS n FROM erase_events').get()).toEqual({ n: 1 });
    for (const p of [
      'clips/demo/job-bob-0003.mp4',
      'thumbs/job-bob-0003.jpg',
      `images/${BOB.tag}-start.png`,
      'edits/demo/b-cut.mp4',
    ]) {
      expect(existsSync(join(dir, p)), p).toBe(true);
    }
    const log = readFileSync(join(dir, 'logs', 'shotline.log'), 'utf8');
    expect(log).toContain(BOB.prompt);
    expect(log).toContain('[erased]');
    const sb = JSON.parse((db.prepare('SELECT source FROM erase_storyboards').get() as { source: string }).source) as {
      shots: Array<{ prompt: string; subject: string }>;
    };
    expect(sb.shots.map((s) => [s.prompt, s.subject])).toEqual([
      ['[erased]', '[erased]'],
      [BOB.prompt, BOB.tag],
    ]);
    const audit = await core.call('privacy.audit.list', { limit: 100 });
    if (!audit.ok) throw new Error(audit.error.message);
    expect(audit.value.rows.filter((x) => x.tombstonedAt)).toHaveLength(4);
    expect(audit.value.rows.filter((x) => x.subject === BOB.tag)).toHaveLength(1);
    expect(audit.value.rows.filter((x) => x.jobId === 'job-bob-0003')).toHaveLength(2);
    // The erasure itself is recorded without naming the subject.
    expect(db.prepare('SELECT files_removed, audit_rows_tombstoned FROM erasures').all()).toEqual([
      { files_removed: 6, audit_rows_tombstoned: 4 },
    ]);
  });

  it('follows composite keys exactly: shot "a" of another storyboard is not touched', async () => {
    const db = core.ctx.db();
    db.exec(`
      CREATE TABLE cx_shots (storyboard_id TEXT, id TEXT, prompt TEXT, subject TEXT, PRIMARY KEY (storyboard_id, id));
      CREATE TABLE cx_jobs (id INTEGER PRIMARY KEY, storyboard_id TEXT, shot_id TEXT, FOREIGN KEY (storyboard_id, shot_id) REFERENCES cx_shots(storyboard_id, id));
      CREATE TABLE cx_attempts (id INTEGER PRIMARY KEY, cx_shot_id TEXT, note TEXT);
    `);
    db.prepare('INSERT INTO cx_shots VALUES (?, ?, ?, ?)').run(
      'sb-1',
      'a',
      'A fox in the snow near the cabin',
      'subj-carol-1111',
    );
    db.prepare('INSERT INTO cx_shots VALUES (?, ?, ?, ?)').run('sb-2', 'a', 'A heron standing in the reeds', null);
    db.prepare('INSERT INTO cx_jobs (storyboard_id, shot_id) VALUES (?, ?), (?, ?)').run('sb-1', 'a', 'sb-2', 'a');
    // By name only where `id` alone is the key: cx_shots has a composite key, so no guess.
    db.prepare('INSERT INTO cx_attempts (cx_shot_id, note) VALUES (?, ?)').run('a', 'kept');
    const res = await core.call('privacy.erase', { subject: 'subj-carol-1111' });
    if (!res.ok) throw new Error(res.error.message);
    expect(res.value.rows).toEqual({ cx_shots: 1, cx_jobs: 1 });
    expect(db.prepare('SELECT storyboard_id, shot_id FROM cx_jobs').all()).toEqual([
      { storyboard_id: 'sb-2', shot_id: 'a' },
    ]);
    expect(db.prepare('SELECT count(*) AS n FROM cx_attempts').get()).toEqual({ n: 1 });
  });

  it('a short tag is scrubbed only where it is labelled as a subject', async () => {
    const db = core.ctx.db();
    db.exec(
      'CREATE TABLE short_shots (id TEXT PRIMARY KEY, prompt TEXT, subject TEXT); CREATE TABLE short_notes (body TEXT);',
    );
    db.prepare('INSERT INTO short_shots VALUES (?, ?, ?)').run('s1', 'A violinist on a rooftop at night', 'c1');
    db.prepare('INSERT INTO short_notes VALUES (?), (?)').run(
      '{"subject":"c1","note":"ok"}',
      'Use lens c1 for the wide shot',
    );
    const res = await core.call('privacy.erase', { subject: 'c1' });
    if (!res.ok) throw new Error(res.error.message);
    expect(db.prepare('SELECT body FROM short_notes').all()).toEqual([
      { body: '{"subject":"[erased]","note":"ok"}' },
      { body: 'Use lens c1 for the wide shot' },
    ]);
    expect(db.prepare('SELECT count(*) AS n FROM short_shots').get()).toEqual({ n: 0 });
  });
});
