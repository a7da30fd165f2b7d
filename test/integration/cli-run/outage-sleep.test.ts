/**
 * Issue 14 item 4: time asleep does not count. The CLI is stopped (SIGSTOP) for 25 s in the
 * middle of an outage, with a 12 s transient budget: its monotonic clock runs on while it is
 * stopped (as on a platform whose monotonic clock counts sleep), so only the sleep detection
 * keeps those 25 s out of the budget. After SIGCONT it notices the gap, probes once, keeps
 * waiting, and finishes every take when Kling is back; nothing is blocked.
 */
import { afterAll, beforeAll, expect, it } from 'vitest';

import type { Sandbox } from '../../../electron/core/sandbox';
import { RunResult } from '../../../shared/queue';
import { createsPerExternalId, fastSandbox, sandboxArgs, startCli, tmp, writeBoard } from './helpers';

let sb: Sandbox;
beforeAll(async () => {
  sb = await fastSandbox({ timing: { submittedMs: 100, processingMs: 1000 } });
});
afterAll(async () => {
  sb.outage.end();
  await sb.close();
});

const wait = (ms: number): Promise<void> => new Promise((r) => setTimeout(r, ms));

it('keeps 25 s stopped out of a 12 s transient budget, probes after the wake and finishes', async () => {
  const dir = tmp('outage-sleep');
  const board = writeBoard(dir, 'sleep-through', 3, 2);
  const run = startCli([
    'run',
    board,
    ...sandboxArgs(sb, `${dir}/data`),
    '--concurrency',
    '3',
    '--transient-budget',
    '12s',
    '--json',
  ]);
  const end = Date.now() + 60_000;
  while (sb.tasks().length < 2 && Date.now() < end) await wait(50);
  sb.outage.start({ type: 'error', code: 5001 });
  await run.waitFor(/Kling sandbox unavailable \(server errors\) since/);
  await wait(1000);
  run.child.kill('SIGSTOP');
  await wait(25_000);
  run.child.kill('SIGCONT');
  // Still down after the wake: the engine probes, fails, and judges budgets with the sleep taken out.
  await run.waitFor(/awake again after \d+ s asleep/);
  await wait(3000);
  sb.outage.end();
  const code = await run.exit;
  expect(code, run.stderr().slice(-3000)).toBe(0);
  const res = RunResult.parse(JSON.parse(run.stdout()));
  expect(res.jobs).toHaveLength(6);
  expect(res.jobs.every((j) => j.status === 'done')).toBe(true);
  expect([...createsPerExternalId(sb).values()].every((n) => n === 1)).toBe(true);
  expect(sb.tasks()).toHaveLength(6);
}, 150_000);
