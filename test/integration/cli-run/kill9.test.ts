/**
 * kill -9 of the CLI at random moments of a 30-take batch, ten times, then a final run:
 * every take is done exactly once, the sandbox saw no duplicate create, every clip decodes,
 * and no .part file is left behind. On the new standard with an API key, and on the legacy
 * `/v1` one with AK/SK (the credential decides).
 */
import { existsSync } from 'node:fs';

import { afterAll, beforeAll, describe, expect, it } from 'vitest';

import { verifyClip } from '../../../electron/core/media';
import type { Sandbox } from '../../../electron/core/sandbox';
import { RunResult } from '../../../shared/queue';
import {
  createsPerExternalId,
  credentialEnv,
  fastSandbox,
  mark,
  readDb,
  rng,
  runCli,
  sandboxArgs,
  standardsSeen,
  startCli,
  tmp,
  walk,
  writeBoard,
  type Standard,
} from './helpers';

describe.each<Standard>(['new', 'legacy'])('%s standard', (standard) => {
  let sb: Sandbox;
  beforeAll(async () => {
    sb = await fastSandbox({ timing: { submittedMs: 150, processingMs: 700 } });
  });
  afterAll(async () => {
    await sb.close();
  });

  it('survives ten kill -9 at random moments and finishes every take exactly once', async () => {
    const env = credentialEnv(sb, standard);
    const from = mark(sb);
    const dir = tmp(`kill9-${standard}`);
    const board = writeBoard(dir, 'kill-nine', 15, 2);
    const dataDir = `${dir}/data`;
    const random = rng(20261125);
    const args = ['run', board, ...sandboxArgs(sb, dataDir), '--concurrency', '5', '--json'];
    let killed = 0;
    for (let i = 0; i < 10; i++) {
      const run = startCli(args, env);
      // Wait until it works the queue (import done), then kill it somewhere in the next 0-2.5 s.
      await run.waitFor(/take\(s\)/);
      const at = Math.floor(random() * 2500);
      const done = await Promise.race([
        run.exit.then(() => true),
        new Promise<boolean>((r) => setTimeout(() => r(false), at)),
      ]);
      if (!done) {
        run.child.kill('SIGKILL');
        killed++;
      }
      await run.exit;
    }
    expect(killed).toBeGreaterThanOrEqual(8);

    const final = await runCli(args, env);
    expect(final.code, final.stderr).toBe(0);
    const result = RunResult.parse(JSON.parse(final.stdout));
    expect(result.jobs).toHaveLength(30);
    expect(result.jobs.every((j) => j.status === 'done')).toBe(true);

    // Zero duplicate creates: one successful create per take, one per external id.
    const perExt = createsPerExternalId(sb);
    expect([...perExt.values()].every((n) => n === 1)).toBe(true);
    expect(perExt.size).toBe(30);
    expect(new Set(result.jobs.map((j) => j.taskId)).size).toBe(30);
    // Only the credential's standard was spoken.
    expect(standardsSeen(sb, from)).toEqual({
      creates: [standard],
      auth: [standard === 'new' ? 'apiKey' : 'jwt'],
      requests: [standard],
    });
    // Billed once per take: what Kling billed reaches --json (1.5 u per take, 45 u in all).
    expect(result.jobs.every((j) => j.billedUnits === 1.5 && j.estimatedUnits === 1.5)).toBe(true);
    expect(result.units).toBe(45);

    // Every clip is in place, distinct and decodes; no .part is left.
    const files = result.jobs.map((j) => j.file as string);
    expect(new Set(files).size).toBe(30);
    for (const f of files) {
      expect(existsSync(f)).toBe(true);
      await verifyClip(f, { durationS: 5, toleranceS: 1 });
    }
    expect(walk(dataDir).filter((f) => f.endsWith('.part'))).toEqual([]);

    // Exactly once: each job entered `done` once in the event log.
    const doneEvents = readDb(
      dataDir,
      (db) =>
        db
          .prepare(
            "SELECT job_id, COUNT(*) AS n FROM events WHERE to_state = 'done' AND from_state <> 'done' GROUP BY job_id",
          )
          .all() as Array<{ n: number }>,
    );
    expect(doneEvents).toHaveLength(30);
    expect(doneEvents.every((r) => r.n === 1)).toBe(true);
    const rescued = readDb(
      dataDir,
      (db) => (db.prepare("SELECT COUNT(*) AS n FROM events WHERE type = 'rescued'").get() as { n: number }).n,
    );
    console.log(
      `kill -9 (${standard}): ${killed} kills, ${rescued} claims rescued, ${sb.creates.length} create requests, ${perExt.size} tasks`,
    );
  }, 240_000);
});
