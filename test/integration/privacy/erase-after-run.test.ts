/**
 * Art. 17 on a data dir the REAL engine wrote: `shotline run` (child process) against a
 * sandbox in the test process whose state file lives in the data dir (as the CLI's own
 * sandbox keeps it), thumbnails through the core, then `shotline erase --subject` and a byte
 * search of every file (SQLite and WAL included) and every cell for the erased subject's tag,
 * prompt marker words, job and task ids. The other subject stays intact and playable, and
 * `status` and a rerun still behave.
 */
import { execFileSync } from 'node:child_process';
import { existsSync, mkdirSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';

import Database from 'better-sqlite3';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';

import { createCore } from '../../../electron/core';
import { walkFiles } from '../../../electron/core/privacy/files';
import type { Sandbox } from '../../../electron/core/sandbox';
import { EraseReport } from '../../../shared/contract/privacy';
import { RunResult } from '../../../shared/queue';
import { cellsMentioning } from './datadir';
import { createsPerExternalId, fastSandbox, readDb, runCli, sandboxArgs, tmp } from '../cli-run/helpers';

const ALICE = 'client-alice';
const BOB = 'client-bob';
// Marker words: unique, so any byte hit anywhere is a leak.
const ALICE_WORDS = ['Zorblatine', 'quixmarrow'];
const BOB_WORD = 'Thrennolyx';

let sb: Sandbox;
let dir: string;
let dataDir: string;
let board: string;

interface JobRow {
  id: string;
  shot_id: string;
  take: number;
  subject: string | null;
  state: string;
  task_id: string | null;
  external_task_id: string;
  file: string | null;
}
let before: { alice: JobRow[]; bob: JobRow[]; bobAudit: number; bobCreates: Map<string, number> };

function writeStoryboard(): string {
  const file = join(dir, 'campaign.json');
  writeFileSync(
    file,
    JSON.stringify({
      name: 'campaign',
      defaults: { model: 'kling-2.5-turbo', resolution: '720p', duration: 5, aspectRatio: '16:9', takes: 1 },
      shots: [
        { id: 'bob-open', prompt: `${BOB_WORD} the baker opens his shop at dawn`, subject: BOB, takes: 2 },
        { id: 'bob-bread', prompt: `${BOB_WORD} pulls bread from the oven`, subject: BOB, startImage: '@previous' },
        { id: 'alice-walk', prompt: `${ALICE_WORDS[0]} walks her dog along the river`, subject: ALICE, takes: 2 },
        {
          id: 'alice-wave',
          prompt: `${ALICE_WORDS[0]} waves at the camera, ${ALICE_WORDS[1]} scarf`,
          subject: ALICE,
          startImage: '@previous',
        },
      ],
    }),
  );
  return file;
}

function jobs(subject: string): JobRow[] {
  return readDb(
    dataDir,
    (db) =>
      db
        .prepare(
          'SELECT id, shot_id, take, subject, state, task_id, external_task_id, file FROM jobs WHERE subject = ? ORDER BY id',
        )
        .all(subject) as JobRow[],
  );
}

function fileHits(needles: string[]): string[] {
  return walkFiles(dataDir).flatMap((f) => {
    const buf = readFileSync(f);
    return needles
      .filter((n) => buf.includes(Buffer.from(n, 'utf8')))
      .map((n) => `${f.slice(dataDir.length + 1)}: ${n}`);
  });
}

/** Every file and folder under `root`, relative. */
function pathsUnder(root: string): string[] {
  const out: string[] = [];
  const visit = (d: string): void => {
    for (const e of readdirSync(d, { withFileTypes: true })) {
      const p = join(d, e.name);
      out.push(p.slice(root.length + 1));
      if (e.isDirectory()) visit(p);
    }
  };
  visit(root);
  return out;
}

beforeAll(async () => {
  dir = tmp('erase-run');
  dataDir = join(dir, 'data');
  mkdirSync(dataDir, { recursive: true });
  // The simulator keeps its tasks (with the prompts it received) where the CLI's own sandbox does.
  sb = await fastSandbox({
    stateFile: join(dataDir, 'sandbox', 'state.json'),
    timing: { submittedMs: 50, processingMs: 200 },
  });
  board = writeStoryboard();
  const r = await runCli(['run', board, ...sandboxArgs(sb, dataDir), '--json'], { SHOTLINE_VERIFY: 'probe' });
  expect(r.code, r.stderr).toBe(0);
  const res = RunResult.parse(JSON.parse(r.stdout));
  expect(res.jobs.map((j) => j.status)).toEqual(Array(6).fill('done'));
  // A storyboard that is alice's alone, named after her: its storyboard and batch rows go too.
  const solo = join(dir, 'solo.json');
  writeFileSync(
    solo,
    JSON.stringify({
      name: `${ALICE_WORDS[0]}-teaser`,
      defaults: { model: 'kling-2.5-turbo', resolution: '720p', duration: 5, aspectRatio: '16:9', takes: 1 },
      shots: [{ id: 'teaser', prompt: `${ALICE_WORDS[1]} close-up in the rain`, subject: ALICE }],
    }),
  );
  const r2 = await runCli(['run', solo, ...sandboxArgs(sb, dataDir), '--json'], { SHOTLINE_VERIFY: 'probe' });
  expect(r2.code, r2.stderr).toBe(0);
  res.jobs.push(...RunResult.parse(JSON.parse(r2.stdout)).jobs);

  // Thumbnails for every clip, the way the app makes them (core media.thumbnails).
  const core = createCore({ dataDir });
  try {
    for (const j of res.jobs) {
      const t = await core.call('media.thumbnails', { file: j.file as string, count: 2 });
      if (!t.ok) throw new Error(t.error.message);
    }
  } finally {
    await core.close();
  }
  const bob = jobs(BOB);
  before = {
    alice: jobs(ALICE),
    bob,
    bobAudit: readDb(
      dataDir,
      (db) => (db.prepare('SELECT count(*) AS n FROM audit_log WHERE subject = ?').get(BOB) as { n: number }).n,
    ),
    bobCreates: new Map([...createsPerExternalId(sb)].filter(([ext]) => bob.some((j) => j.external_task_id === ext))),
  };
}, 120_000);

afterAll(async () => {
  await sb?.close();
  rmSync(dir, { recursive: true, force: true });
});

describe('erase on a data dir made by shotline run', () => {
  it('the data dir holds the subject everywhere the engine writes (the test would catch a leak)', () => {
    expect(before.alice).toHaveLength(4);
    expect(before.bob).toHaveLength(3);
    const hits = fileHits([ALICE, ...ALICE_WORDS]).map((h) => h.split(':')[0] ?? h);
    // The database, the simulator's record of what it received, the frame and thumbnails by name.
    expect(hits.some((h) => h.startsWith('shotline.db'))).toBe(true);
    expect(hits).toContain('sandbox/state.json');
    const names = walkFiles(dataDir).map((f) => f.slice(dataDir.length + 1));
    expect(names.filter((n) => n.startsWith('frames/'))).toHaveLength(2);
    expect(names.filter((n) => n.startsWith('thumbnails/') && n.endsWith('.poster.jpg'))).toHaveLength(7);
  });

  it('erase refuses while another process (a running `shotline run`) holds the data dir, touching nothing', async () => {
    const lock = join(dataDir, 'engine.lock');
    writeFileSync(lock, String(process.pid)); // this test process: alive, not the CLI
    try {
      const files = walkFiles(dataDir).length;
      const r = await runCli(['erase', '--subject', ALICE, '--data-dir', dataDir, '--json']);
      expect(r.code).not.toBe(0);
      expect(r.stderr).toMatch(/another Shotline process \(pid \d+\) is working this data dir/);
      expect(walkFiles(dataDir).length).toBe(files);
      expect(jobs(ALICE)).toEqual(before.alice);
    } finally {
      rmSync(lock, { force: true });
    }
  });

  it('erase --subject removes every file, row and byte of the subject and leaves the other intact', async () => {
    const dry = await runCli(['erase', '--subject', ALICE, '--data-dir', dataDir, '--dry-run', '--json']);
    expect(dry.code, dry.stderr).toBe(0);
    const preview = EraseReport.parse(JSON.parse(dry.stdout));
    const filesBefore = walkFiles(dataDir).length;

    const r = await runCli(['erase', '--subject', ALICE, '--data-dir', dataDir, '--json']);
    expect(r.code, r.stderr).toBe(0);
    const report = EraseReport.parse(JSON.parse(r.stdout));
    console.log(
      `erase after a real run: ${report.files.length} files (${report.files.map((f) => f.kind).join(', ')}), rows ${JSON.stringify(report.rows)}, scrubbed ${JSON.stringify(report.scrubbed)}, ${report.auditRowsTombstoned} audit rows tombstoned`,
    );
    expect(report.files.map((f) => f.path).sort()).toEqual(preview.files.map((f) => f.path).sort());
    expect(walkFiles(dataDir).length).toBe(filesBefore - report.files.length);

    // What was removed: 4 takes, 1 frame, 4 x (poster + 6 strip) thumbnails (the stills the engine
    // made when it verified each take, electron/core/reviews/stills.ts, which the page's
    // media.thumbnails call above reused); their rows, and the storyboard and batch rows of the
    // storyboard that was hers alone.
    const paths = report.files.map((f) => f.path);
    for (const j of before.alice) expect(paths).toContain(`clips/${(j.file as string).split('/clips/')[1]}`);
    expect(paths.filter((p) => p.startsWith('frames/'))).toHaveLength(1);
    expect(paths.filter((p) => p.startsWith('thumbnails/'))).toHaveLength(4 * 7);
    expect(report.rows).toMatchObject({ shots: 3, jobs: 4, storyboards: 1, batches: 1 });
    expect(report.auditRowsTombstoned).toBeGreaterThanOrEqual(3);
    // The simulator's record is local data: scrubbed, and the report says nothing reached a real provider.
    expect(report.scrubbed['file:sandbox/state.json']).toBeGreaterThan(0);
    expect(report.cannotErase.join('\n')).toMatch(/simulator/i);
    expect(report.cannotErase.join('\n')).not.toMatch(/Ask the provider/);
    // The user's storyboard file still names alice: the report says a rerun re-creates her shots.
    expect(report.cannotErase.find((c) => c.includes(board))).toMatch(/re-creates the subject's shots/);

    // No byte anywhere: every file (database and WAL as erase left them), every cell.
    const aliceIds = before.alice.flatMap((j) => [j.id, j.external_task_id, j.task_id as string]);
    const needles = [ALICE, ...ALICE_WORDS, ...aliceIds];
    expect(fileHits(needles)).toEqual([]);
    // Nor in a file or folder name (thumbnails/<clip stem>-<hash>/ carries the task id).
    expect(pathsUnder(dataDir).filter((p) => needles.some((n) => p.includes(n)))).toEqual([]);
    // The simulator's task list lost alice's tasks as records (still valid JSON, bob's kept).
    const state = JSON.parse(readFileSync(join(dataDir, 'sandbox', 'state.json'), 'utf8')) as { tasks: unknown[] };
    expect(state.tasks).toHaveLength(before.bob.length);
    const db = new Database(join(dataDir, 'shotline.db'));
    try {
      for (const n of needles) expect(cellsMentioning(db, n), n).toEqual([]);
      // Bob: rows, audit rows and clips intact; clips still decode.
      expect(
        db
          .prepare(
            'SELECT id, shot_id, take, subject, state, task_id, external_task_id, file FROM jobs WHERE subject = ? ORDER BY id',
          )
          .all(BOB),
      ).toEqual(before.bob);
      expect((db.prepare('SELECT count(*) AS n FROM audit_log WHERE subject = ?').get(BOB) as { n: number }).n).toBe(
        before.bobAudit,
      );
      expect((db.prepare('SELECT count(*) AS n FROM shots WHERE subject = ?').get(BOB) as { n: number }).n).toBe(2);
      expect(
        (
          db
            .prepare('SELECT count(*) AS n FROM events e JOIN jobs j ON j.id = e.job_id WHERE j.subject = ?')
            .get(BOB) as { n: number }
        ).n,
      ).toBeGreaterThan(0);
    } finally {
      db.close();
    }
    expect(fileHits([BOB, BOB_WORD]).map((h) => h.split(':')[0] ?? h)).toContain('sandbox/state.json');
    for (const j of before.bob) {
      const out = execFileSync('ffprobe', [
        '-v',
        'error',
        '-show_entries',
        'stream=codec_type,width,height',
        '-of',
        'csv=p=0',
        j.file as string,
      ]).toString();
      expect(out).toMatch(/video/);
    }
    const names = walkFiles(dataDir).map((f) => f.slice(dataDir.length + 1));
    expect(names.filter((n) => n.startsWith('thumbnails/') && n.endsWith('.poster.jpg'))).toHaveLength(3);
    expect(names.filter((n) => n.startsWith('frames/'))).toHaveLength(1);
  }, 60_000);

  it('status still works, and a rerun re-creates the erased shots from the storyboard file but never resubmits the kept ones', async () => {
    const status = await runCli(['status', '--data-dir', dataDir, '--json']);
    expect(status.code, status.stderr).toBe(0);
    const st = RunResult.parse(JSON.parse(status.stdout));
    expect(st.jobs.every((j) => j.status === 'done')).toBe(true);
    expect(st.jobs.map((j) => j.taskId).sort()).toEqual(before.bob.map((j) => j.task_id).sort());

    // The storyboard file still names alice: importing it again is a new processing of her
    // data (expected; the erase report tells the user to delete copies outside the data dir).
    const again = await runCli(['run', board, ...sandboxArgs(sb, dataDir), '--json'], { SHOTLINE_VERIFY: 'probe' });
    expect(again.code, again.stderr).toBe(0);
    const res = RunResult.parse(JSON.parse(again.stdout));
    expect(res.jobs.map((j) => j.status)).toEqual(Array(6).fill('done'));
    const bob = jobs(BOB);
    expect(bob).toEqual(before.bob);
    const creates = createsPerExternalId(sb);
    for (const j of before.bob) expect(creates.get(j.external_task_id)).toBe(before.bobCreates.get(j.external_task_id));
    const alice = jobs(ALICE);
    expect(alice).toHaveLength(3);
    for (const j of alice) expect(before.alice.map((a) => a.task_id)).not.toContain(j.task_id);
    expect(existsSync(alice[0]?.file as string)).toBe(true);
  }, 60_000);
});
