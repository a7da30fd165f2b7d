/**
 * `shotline run` / `status` as README.md ("The CLI") specifies them, through the real CLI in a
 * child process against a sandbox in the test process.
 */
import { createHash } from 'node:crypto';
import { existsSync, readFileSync, statSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';

import Database from 'better-sqlite3';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';

import type { Sandbox } from '../../../electron/core/sandbox';
import { RunResult } from '../../../shared/queue';
import {
  createsPerExternalId,
  credentialEnv,
  fastSandbox,
  readDb,
  runCli,
  sandboxArgs,
  startCli,
  tmp,
  walk,
  writeBoard,
} from './helpers';

let sb: Sandbox;
beforeAll(async () => {
  sb = await fastSandbox();
});
afterAll(async () => {
  await sb.close();
});
beforeEach(() => sb.clearFaults());

const parse = (stdout: string): RunResult => RunResult.parse(JSON.parse(stdout));
const downloads = (): number => sb.requests.filter((r) => r.route === 'download').length;

describe('shotline run', () => {
  it('runs examples/demo.json with --provider sandbox (its own sandbox) over the new standard and prints the JSON the README documents, with billed units', async () => {
    const dataDir = join(tmp('demo'), 'demo-data');
    const r = await runCli(['run', 'examples/demo.json', '--provider', 'sandbox', '--data-dir', dataDir, '--json']);
    expect(r.code, r.stderr).toBe(0);
    const out = JSON.parse(r.stdout) as Record<string, unknown>;
    expect(Object.keys(out).sort()).toEqual(['edit', 'estimatedUnits', 'jobs', 'units']);
    const res = parse(r.stdout);
    expect(res.jobs.length).toBeGreaterThan(0);
    for (const j of res.jobs) {
      expect(Object.keys(j).sort()).toEqual([
        'billedUnits',
        'error',
        'estimatedUnits',
        'externalTaskId',
        'file',
        'shotId',
        'status',
        'take',
        'taskId',
      ]);
      expect(j.status).toBe('done');
      expect(j.file && existsSync(j.file)).toBe(true);
      expect(j.file).toMatch(new RegExp(`clips/[^/]+/${j.shotId}_take${j.take}_${j.taskId}\\.mp4$`));
      // What Kling billed (the sandbox bills as §12 says) next to the estimate.
      expect(j.billedUnits).toBe(j.estimatedUnits);
    }
    const sum = res.jobs.reduce((a, j) => a + (j.billedUnits ?? 0), 0);
    expect(res.units).toBeCloseTo(sum, 6);
    expect(res.units).toBe(res.estimatedUnits);
    expect(res.edit).toBeNull();
    expect(r.stderr).toMatch(/sandbox/i);
    expect(r.stderr).toContain(`${res.units} units billed by Kling (estimate ${res.estimatedUnits})`);
    // Live models over the new standard only: every API request was path-based with the API key.
    const paths = readDb(dataDir, (db) =>
      (
        db
          .prepare("SELECT DISTINCT method || ' ' || path AS p FROM audit_log WHERE path NOT LIKE '/media/%'")
          .all() as Array<{ p: string }>
      ).map((x) => x.p),
    );
    expect(paths.length).toBeGreaterThan(0);
    expect(
      paths.filter(
        (p) =>
          !/^(POST \/(text-to-video|image-to-video|omni-video)\/kling-[0-9.]+(-turbo|-omni)?|GET \/tasks|POST \/tasks)$/.test(
            p,
          ),
      ),
    ).toEqual([]);
    expect(paths.some((p) => p.startsWith('POST /text-to-video/kling-2.5-turbo'))).toBe(true);

    // status shows the same billed units.
    const status = await runCli(['status', '--data-dir', dataDir]);
    expect(status.stdout).toContain(`${res.units} units billed by Kling (estimate ${res.estimatedUnits})`);
  }, 120_000);

  it('resumes on a rerun: never resubmits, never downloads again; status shows the same jobs', async () => {
    const dir = tmp('rerun');
    const board = writeBoard(dir, 'rerun', 3, 2);
    const dataDir = join(dir, 'data');
    const first = await runCli(['run', board, ...sandboxArgs(sb, dataDir), '--json']);
    expect(first.code, first.stderr).toBe(0);
    const a = parse(first.stdout);
    const creates = sb.creates.length;
    const dl = downloads();
    const mtimes = a.jobs.map((j) => statSync(j.file as string).mtimeMs);
    const second = await runCli(['run', board, ...sandboxArgs(sb, dataDir), '--json']);
    expect(second.code, second.stderr).toBe(0);
    const b = parse(second.stdout);
    expect(b.jobs).toEqual(a.jobs);
    expect(sb.creates.length).toBe(creates);
    expect(downloads()).toBe(dl);
    expect(b.jobs.map((j) => statSync(j.file as string).mtimeMs)).toEqual(mtimes);

    const status = await runCli(['status', '--data-dir', dataDir, '--json']);
    expect(status.code, status.stderr).toBe(0);
    expect(
      parse(status.stdout)
        .jobs.map((j) => j.taskId)
        .sort(),
    ).toEqual(a.jobs.map((j) => j.taskId).sort());
  }, 120_000);

  it('cuts the first good take of each shot into --edit OUT.mp4', async () => {
    const dir = tmp('edit');
    const board = writeBoard(dir, 'edit', 2, 2);
    const out = join(dir, 'cut.mp4');
    const r = await runCli(['run', board, ...sandboxArgs(sb, join(dir, 'data')), '--edit', out, '--json']);
    expect(r.code, r.stderr).toBe(0);
    expect(parse(r.stdout).edit).toBe(out);
    expect(statSync(out).size).toBeGreaterThan(10_000);
  }, 120_000);

  it('refuses a storyboard with problems: exit 2, file/row/field named, nothing queued', async () => {
    const dir = tmp('bad');
    const file = join(dir, 'bad.csv');
    writeFileSync(
      file,
      'id,prompt,model,duration\na,a kite,kling-2.5-turbo,7\nb,a boat,kling-v9,5\nc,a gull,kling-v1,5\n',
    );
    const dataDir = join(dir, 'data');
    const creates = sb.creates.length;
    const r = await runCli(['run', file, ...sandboxArgs(sb, dataDir), '--json']);
    expect(r.code).toBe(2);
    expect(r.stderr).toContain('bad.csv, row 2, shot "a": duration = 7');
    expect(r.stderr).toContain('bad.csv, row 3, shot "b": model = "kling-v9"');
    // A retired model: shot, field and the live model to use instead; nothing is sent.
    expect(r.stderr).toMatch(/bad\.csv, row 4, shot "c": model = "kling-v1".*kling-2\.5-turbo/);
    expect(r.stderr).toContain('3 problems');
    expect(r.stdout).toBe('');
    expect(sb.creates.length).toBe(creates);
    expect(existsSync(join(dataDir, 'shotline.db'))).toBe(false);
  }, 60_000);

  it('--dry-run prints the plan and the estimate and submits nothing', async () => {
    const dir = tmp('dry');
    const board = writeBoard(dir, 'dry', 2, 3);
    const creates = sb.creates.length;
    const r = await runCli(['run', board, ...sandboxArgs(sb, join(dir, 'data')), '--dry-run']);
    expect(r.code, r.stderr).toBe(0);
    expect(r.stderr).toMatch(/shot-01\s+kling-2\.5-turbo 720p \S+ 5 s x3\s+4\.5 units/);
    expect(r.stderr).toMatch(/Total: 9 units/);
    expect(sb.creates.length).toBe(creates);
  }, 60_000);

  it('bad usage exits 2', async () => {
    expect((await runCli(['run'])).code).toBe(2);
    expect((await runCli(['run', 'examples/demo.json', '--concurrency', 'many'])).code).toBe(2);
    expect((await runCli(['run', 'examples/demo.json', '--provider', 'openai'])).code).toBe(2);
  }, 60_000);

  it('stops submitting at the budget cap; the blocked takes run after a rerun with a higher cap', async () => {
    const dir = tmp('budget');
    const board = writeBoard(dir, 'budget', 2, 2);
    const dataDir = join(dir, 'data');
    const r = await runCli(['run', board, ...sandboxArgs(sb, dataDir), '--budget', '3', '--json']);
    expect(r.code).toBe(1);
    const res = parse(r.stdout);
    expect(res.jobs.filter((j) => j.status === 'done')).toHaveLength(2);
    const blocked = res.jobs.filter((j) => j.status !== 'done');
    expect(blocked).toHaveLength(2);
    expect(blocked.every((j) => j.status === 'blocked' && /budget/i.test(j.error ?? ''))).toBe(true);
    expect(res.units).toBe(3);
    expect(res.jobs.filter((j) => j.status === 'blocked').every((j) => j.billedUnits === null)).toBe(true);
    const again = await runCli(['run', board, ...sandboxArgs(sb, dataDir), '--budget', '10', '--json']);
    expect(again.code, again.stderr).toBe(0);
    expect(parse(again.stdout).jobs.every((j) => j.status === 'done')).toBe(true);
    expect([...createsPerExternalId(sb).values()].every((n) => n === 1)).toBe(true);
  }, 120_000);

  it('a model the credential cannot reach (3.0 Turbo with AK/SK) waits as blocked with the fix, nothing sent; an API key then runs it', async () => {
    const dir = tmp('turbo');
    const board = writeBoard(dir, 'turbo', 1, 1, { model: 'kling-3.0-turbo', duration: 3 });
    const dataDir = join(dir, 'data');
    const creates = sb.creates.length;
    const r = await runCli(['run', board, ...sandboxArgs(sb, dataDir), '--json'], credentialEnv(sb, 'legacy'));
    expect(r.code).toBe(1);
    const j = parse(r.stdout).jobs[0];
    expect(j).toMatchObject({ status: 'blocked', taskId: null, billedUnits: null });
    expect(j?.error).toMatch(/kling-3\.0-turbo is only offered on Kling's new API, which takes an API key/);
    expect(sb.creates.length).toBe(creates);
    const again = await runCli(['run', board, ...sandboxArgs(sb, dataDir), '--json'], credentialEnv(sb, 'new'));
    expect(again.code, again.stderr).toBe(0);
    // A sandbox at a --base-url gets the public test credentials of the environment's kind, never the environment's key (issue 16.1).
    expect(again.stderr).toMatch(
      /using built-in test credentials \(API key: the new standard\); no key from the keychain or environment is sent/,
    );
    expect(parse(again.stdout).jobs[0]).toMatchObject({ status: 'done', billedUnits: 2.4, estimatedUnits: 2.4 });
    expect(sb.creates.slice(creates).map((c) => `${c.standard} ${c.path} ${c.code}`)).toEqual([
      'new /text-to-video/kling-3.0-turbo 0',
    ]);
  }, 120_000);

  it('asks Kling again for a fresh link when a result URL answers 403, and fails clearly when the result is really gone', async () => {
    const dir = tmp('expired');
    const board = writeBoard(dir, 'expired', 2, 1);
    sb.inject({ route: 'download', action: { type: 'error', code: 1203, httpStatus: 403 }, times: 2 });
    const r = await runCli(['run', board, ...sandboxArgs(sb, join(dir, 'data')), '--json']);
    expect(r.code, r.stderr).toBe(0);
    expect(parse(r.stdout).jobs.every((j) => j.status === 'done')).toBe(true);

    // Links that died for good (the sandbox's 30-day expiry, shortened): failed, not retried forever.
    sb.setOptions({ urlTtlMs: 1 });
    try {
      const gone = await runCli([
        'run',
        writeBoard(dir, 'gone', 1, 1),
        ...sandboxArgs(sb, join(dir, 'data2')),
        '--json',
      ]);
      expect(gone.code).toBe(1);
      const j = parse(gone.stdout).jobs[0];
      expect(j?.status).toBe('failed');
      expect(j?.error).toMatch(/expired|gone|30 days|403/i);
    } finally {
      sb.setOptions({ urlTtlMs: 30 * 86_400_000 });
    }
  }, 120_000);

  it('resumes truncated downloads with Range and keeps only verified clips', async () => {
    const dir = tmp('trunc');
    const board = writeBoard(dir, 'trunc', 3, 1);
    const dataDir = join(dir, 'data');
    sb.inject({ route: 'download', action: { type: 'truncate' }, times: 4 });
    const before = downloads();
    const r = await runCli(['run', board, ...sandboxArgs(sb, dataDir), '--json']);
    expect(r.code, r.stderr).toBe(0);
    const res = parse(r.stdout);
    expect(res.jobs.every((j) => j.status === 'done')).toBe(true);
    expect(downloads() - before).toBeGreaterThanOrEqual(3 + 4);
    expect(walk(dataDir).filter((f) => f.endsWith('.part'))).toEqual([]);
  }, 120_000);
});

describe('the data dir', () => {
  it('a corrupt database file: clear error, the file is left untouched', async () => {
    const dir = tmp('corrupt');
    const dataDir = join(dir, 'data');
    const board = writeBoard(dir, 'corrupt', 1, 1);
    const { mkdirSync } = await import('node:fs');
    mkdirSync(dataDir);
    const db = join(dataDir, 'shotline.db');
    writeFileSync(db, 'this is not a database, it is a shopping list\n'.repeat(100));
    const hash = createHash('sha256').update(readFileSync(db)).digest('hex');
    const r = await runCli(['run', board, ...sandboxArgs(sb, dataDir)]);
    expect(r.code).not.toBe(0);
    expect(r.stderr).toMatch(/not a Shotline database/);
    expect(r.stderr).not.toMatch(/at .*\.ts:\d+/); // a message, not a stack
    expect(createHash('sha256').update(readFileSync(db)).digest('hex')).toBe(hash);
  }, 60_000);

  it('a database locked by another program: clear error, nothing overwritten', async () => {
    const dir = tmp('locked');
    const dataDir = join(dir, 'data');
    const board = writeBoard(dir, 'locked', 1, 1);
    const first = await runCli(['run', board, ...sandboxArgs(sb, dataDir), '--json']);
    expect(first.code, first.stderr).toBe(0);
    const holder = new Database(join(dataDir, 'shotline.db'));
    holder.pragma('locking_mode = EXCLUSIVE');
    holder.exec('BEGIN EXCLUSIVE');
    try {
      const r = await runCli(['run', board, ...sandboxArgs(sb, dataDir), '--json']);
      expect(r.code).not.toBe(0);
      expect(r.stderr).toMatch(/locked|busy/i);
    } finally {
      holder.exec('COMMIT');
      holder.close();
    }
    const again = await runCli(['status', '--data-dir', dataDir, '--json']);
    expect(again.code, again.stderr).toBe(0);
    expect(parse(again.stdout).jobs).toEqual(parse(first.stdout).jobs);
  }, 90_000);

  it('only one CLI works a data dir at a time', async () => {
    const dir = tmp('twice');
    const dataDir = join(dir, 'data');
    const board = writeBoard(dir, 'twice', 6, 1);
    sb.setOptions({ timing: { submittedMs: 1500, processingMs: 1500 } });
    try {
      const a = startCli(['run', board, ...sandboxArgs(sb, dataDir), '--json']);
      await a.waitFor(/take\(s\)/);
      const b = await runCli(['run', board, ...sandboxArgs(sb, dataDir), '--json']);
      expect(b.code).not.toBe(0);
      expect(b.stderr).toMatch(/another Shotline|pid \d+/i);
      expect(await a.exit).toBe(0);
    } finally {
      sb.setOptions({ timing: { submittedMs: 100, processingMs: 500 } });
    }
  }, 90_000);
});
