/**
 * Retention and the compliance "results downloaded" line on a data dir the REAL engine wrote:
 * two storyboards run through `shotline run` against a sandbox in the test process, thumbnails
 * through the core, an edit export of one project recorded 40 days ago (backdated registry
 * row). The rule "raw takes 30 days after export, keep edits" previews, then removes exactly
 * that project's clips and thumbnails; the jobs stay done with `file: null`; a rerun
 * neither resubmits nor downloads again; compliance reads the real jobs table.
 */
import { existsSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';

import Database from 'better-sqlite3';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';

import { createCore } from '../../../electron/core';
import { elementsAtKling } from '../../../electron/core/elements/library';
import { complianceReport, registerFile } from '../../../electron/core/privacy';
import { walkFiles } from '../../../electron/core/privacy/files';
import { QueueStore } from '../../../electron/core/queue/store';
import type { Sandbox } from '../../../electron/core/sandbox';
import { createMemoryKeychain, createSecretStore } from '../../../electron/core/secrets';
import { RetentionPlan } from '../../../shared/contract/privacy';
import { JobView } from '../../../shared/queue';
import { RunResult } from '../../../shared/queue';
import { fastSandbox, readDb, runCli, sandboxArgs, tmp, writeBoard } from '../cli-run/helpers';

const DAY = 86_400_000;
let sb: Sandbox;
let dir: string;
let dataDir: string;
const boards: Record<'reel' | 'promo', string> = { reel: '', promo: '' };
const runs: Record<'reel' | 'promo', RunResult> = {
  reel: { jobs: [], edit: null, units: 0, estimatedUnits: 0 },
  promo: { jobs: [], edit: null, units: 0, estimatedUnits: 0 },
};

/** Poster + 6 filmstrip frames per take, made when the engine verifies it (electron/core/reviews/stills.ts). */
const STILLS_PER_CLIP = 7;
const rel = (f: string): string => f.slice(dataDir.length + 1);
const downloads = (): number => sb.requests.filter((r) => r.route === 'download').length;

async function compliance(): Promise<{ status: string; detail: string; fix: string }> {
  const db = new Database(join(dataDir, 'shotline.db'));
  try {
    const r = await complianceReport({
      db,
      dataDir,
      store: createSecretStore({ keychain: createMemoryKeychain() }),
      env: {},
      heldElements: () => elementsAtKling(db),
      queueFacts: () => new QueueStore(db).resultFacts(),
    });
    const c = r.checks.find((x) => x.id === 'results-downloaded');
    if (!c) throw new Error('no results-downloaded check');
    return { status: c.status, detail: c.detail, fix: c.fix ?? '' };
  } finally {
    db.close();
  }
}

beforeAll(async () => {
  dir = tmp('retention-run');
  dataDir = join(dir, 'data');
  sb = await fastSandbox({ timing: { submittedMs: 50, processingMs: 200 } });
  for (const name of ['reel', 'promo'] as const) {
    boards[name] = writeBoard(dir, name, 2, name === 'reel' ? 2 : 1);
    const r = await runCli(['run', boards[name], ...sandboxArgs(sb, dataDir), '--json'], { SHOTLINE_VERIFY: 'probe' });
    expect(r.code, r.stderr).toBe(0);
    runs[name] = RunResult.parse(JSON.parse(r.stdout));
  }
  const core = createCore({ dataDir });
  try {
    for (const j of [...runs.reel.jobs, ...runs.promo.jobs]) {
      const t = await core.call('media.thumbnails', { file: j.file as string, count: 1 });
      if (!t.ok) throw new Error(t.error.message);
    }
    // The reel's edit was exported 40 days ago, outside the data dir (as `run --edit` writes it).
    const out = join(dir, 'reel-final.mp4');
    writeFileSync(out, 'edit');
    registerFile(core.ctx.db(), { path: out, kind: 'edit', project: 'reel' }, new Date(Date.now() - 40 * DAY));
  } finally {
    await core.close();
  }
}, 120_000);

afterAll(async () => {
  await sb?.close();
  rmSync(dir, { recursive: true, force: true });
});

describe('retention on engine data', () => {
  it('compliance: every result of a finished run is downloaded (read from the real jobs table)', async () => {
    expect(await compliance()).toMatchObject({
      status: 'pass',
      detail: 'All 6 result(s) downloaded into the data dir.',
    });
  });

  it('"raw takes 30 days after the edit is exported; keep edits": preview, then delete; jobs stay done with no file', async () => {
    const set = await runCli(['retention', '--data-dir', dataDir, '--project', '*', '--raw-after-export', '30']);
    expect(set.code, set.stderr).toBe(0);
    const before = walkFiles(dataDir).length;
    const dry = await runCli(['retention', '--data-dir', dataDir, '--dry-run', '--json']);
    expect(dry.code, dry.stderr).toBe(0);
    const preview = RetentionPlan.parse(JSON.parse(dry.stdout));
    const reelClips = runs.reel.jobs.map((j) => rel(j.file as string));
    expect(
      preview.files
        .filter((f) => f.kind === 'take')
        .map((f) => f.path)
        .sort(),
    ).toEqual(reelClips.sort());
    // Per clip its poster and the 6-frame filmstrip the engine made when it verified the take
    // (electron/core/reviews/stills.ts), found by the clip's name in thumbnails/<stem>-<hash>/.
    expect(preview.files.filter((f) => f.kind === 'thumbnail')).toHaveLength(reelClips.length * STILLS_PER_CLIP);
    expect(preview.files.find((f) => f.kind === 'take')?.reason).toMatch(
      /edit of "reel" was exported .*, 40 days ago \(rule: 30\)/,
    );
    expect(walkFiles(dataDir).length).toBe(before);

    const run = await runCli(['retention', '--data-dir', dataDir, '--json']);
    expect(run.code, run.stderr).toBe(0);
    const done = RetentionPlan.parse(JSON.parse(run.stdout));
    expect(done.files.map((f) => f.path)).toEqual(preview.files.map((f) => f.path));
    console.log(
      `retention on engine data: ${done.files.length} files, ${done.bytes} bytes (${reelClips.length} takes + thumbnails); promo and the edit kept`,
    );
    for (const f of done.files) expect(existsSync(join(dataDir, f.path)), f.path).toBe(false);
    for (const j of runs.promo.jobs) expect(existsSync(j.file as string)).toBe(true);
    expect(existsSync(join(dir, 'reel-final.mp4'))).toBe(true);
    // No empty thumbnail folders left behind for the deleted takes.
    expect(walkFiles(dataDir).filter((f) => rel(f).startsWith('thumbnails/'))).toHaveLength(
      runs.promo.jobs.length * STILLS_PER_CLIP,
    );

    // The jobs: still done (made and paid for), the view honest about the clip being gone.
    const views = readDb(
      dataDir,
      (db) =>
        db.prepare('SELECT id, state, file, task_id FROM jobs').all() as Array<{
          id: string;
          state: string;
          file: string | null;
          task_id: string;
        }>,
    );
    const reelTasks = new Set(runs.reel.jobs.map((j) => j.taskId));
    for (const v of views) {
      expect(v.state).toBe('done');
      if (reelTasks.has(v.task_id)) expect(v.file).toBeNull();
      else expect(v.file && existsSync(v.file)).toBe(true);
    }
    // The event log is history: the 'done' event that named the clip keeps its detail.
    const firstReel = runs.reel.jobs[0]?.file as string;
    expect(
      readDb(
        dataDir,
        (db) => (db.prepare('SELECT count(*) AS n FROM events WHERE detail = ?').get(firstReel) as { n: number }).n,
      ),
    ).toBeGreaterThan(0);
    const core = createCore({ dataDir });
    try {
      const list = await core.call('queue.list', { limit: 50 });
      if (!list.ok) throw new Error(list.error.message);
      const jobs = list.value.jobs.map((j) => JobView.parse(j));
      expect(jobs.filter((j) => j.storyboard === 'reel').map((j) => [j.state, j.file])).toEqual(
        Array(4).fill(['done', null]),
      );
    } finally {
      await core.close();
    }
    expect(await compliance()).toMatchObject({
      status: 'pass',
      detail: expect.stringMatching(
        /All 2 result\(s\) downloaded.* 4 finished take\(s\) had their clip removed on purpose/,
      ) as string,
    });
  }, 60_000);

  it('a rerun after retention neither resubmits nor downloads the removed takes; status still works', async () => {
    const creates = sb.creates.length;
    const dl = downloads();
    const again = await runCli(['run', boards.reel, ...sandboxArgs(sb, dataDir), '--json'], {
      SHOTLINE_VERIFY: 'probe',
    });
    expect(again.code, again.stderr).toBe(0);
    const res = RunResult.parse(JSON.parse(again.stdout));
    expect(res.jobs.map((j) => [j.status, j.file])).toEqual(Array(4).fill(['done', null]));
    expect(sb.creates.length).toBe(creates);
    expect(downloads()).toBe(dl);
    const status = await runCli(['status', '--data-dir', dataDir, '--json']);
    expect(status.code, status.stderr).toBe(0);
  }, 60_000);

  it('compliance warns, with the fix, when a finished take has no clip on disk or a result exists only as a URL', async () => {
    const promo = runs.promo.jobs;
    rmSync(promo[0]?.file as string);
    let c = await compliance();
    expect(c).toMatchObject({
      status: 'warn',
      detail: expect.stringMatching(/1 finished take\(s\) point at a clip that is no longer on disk/) as string,
    });
    expect(c.fix).toMatch(/reroll/);
    // A take the provider finished whose download failed: only the provider URL holds it.
    const db = new Database(join(dataDir, 'shotline.db'));
    try {
      db.prepare("UPDATE jobs SET state = 'failed', file = NULL, expires_at = ? WHERE task_id = ?").run(
        new Date(Date.now() - DAY).toISOString(),
        promo[1]?.taskId,
      );
    } finally {
      db.close();
    }
    c = await compliance();
    expect(c.status).toBe('warn');
    expect(c.detail).toMatch(/1 of \d result\(s\) exist only as a provider URL.*1 already expired/);
    expect(c.fix).toMatch(/shotline run/);
  });
});
