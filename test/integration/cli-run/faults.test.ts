/**
 * A hostile provider: ~20% of requests answer 5000/5001/5002 or drop the connection (some
 * after the create was made, so only the answer is lost), and the account runs 3 tasks at
 * once while the CLI starts at 6. The batch completes, nothing is created twice, and once
 * the limit is learned 1303 answers are under 10% of creates. On the new standard with an API
 * key, and on the legacy `/v1` one with AK/SK.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';

import type { Sandbox } from '../../../electron/core/sandbox';
import { RunResult } from '../../../shared/queue';
import {
  createsPerExternalId,
  credentialEnv,
  fastSandbox,
  mark,
  runCli,
  sandboxArgs,
  standardsSeen,
  tmp,
  walk,
  writeBoard,
  type Standard,
} from './helpers';

describe.each<Standard>(['new', 'legacy'])('%s standard', (standard) => {
  let sb: Sandbox;
  beforeAll(async () => {
    sb = await fastSandbox({ concurrency: 3, seed: 7, timing: { submittedMs: 100, processingMs: 600 } });
  });
  afterAll(async () => {
    await sb.close();
  });

  it('completes a 30-take batch through 20% server errors and dropped connections with a parallel limit of 3', async () => {
    sb.setFaults([
      { route: 'any', action: { type: 'error', code: 5000 }, rate: 0.07, times: Infinity },
      { route: 'any', action: { type: 'error', code: 5001 }, rate: 0.04, times: Infinity },
      { route: 'any', action: { type: 'error', code: 5002 }, rate: 0.03, times: Infinity },
      { route: 'any', action: { type: 'drop' }, rate: 0.03, times: Infinity },
      { route: 'create', action: { type: 'drop', after: true }, rate: 0.05, times: Infinity },
    ]);
    const from = mark(sb);
    const dir = tmp(`faults-${standard}`);
    const dataDir = `${dir}/data`;
    const board = writeBoard(dir, 'faults', 15, 2);
    const r = await runCli(
      ['run', board, ...sandboxArgs(sb, dataDir), '--concurrency', '6', '--json'],
      credentialEnv(sb, standard),
    );
    sb.clearFaults();
    expect(r.code, r.stderr.slice(-3000)).toBe(0);
    const res = RunResult.parse(JSON.parse(r.stdout));
    expect(res.jobs.filter((j) => j.status === 'done')).toHaveLength(30);

    // Never paid twice: one task per take even when the answer to a create was lost.
    const perExt = createsPerExternalId(sb);
    expect([...perExt.values()].every((n) => n === 1)).toBe(true);
    expect(sb.tasks()).toHaveLength(30);
    expect(sb.peakRunning()).toBeLessThanOrEqual(3);
    expect(standardsSeen(sb, from)).toEqual({
      creates: [standard],
      auth: [standard === 'new' ? 'apiKey' : 'jwt'],
      requests: [standard],
    });
    expect(res.units).toBe(45);

    // Learning: after the first 1303s, they are rare.
    const creates = sb.creates;
    const first1303 = creates.findIndex((c) => c.code === 1303);
    const after = creates.slice(first1303 + 6);
    const throttled = after.filter((c) => c.code === 1303).length;
    const faulted = sb.requests.filter((q) => q.code !== null && q.code >= 5000).length;
    console.log(
      `faults (${standard}): ${creates.length} creates, ${creates.filter((c) => c.code === 1303).length} x 1303 in all, ${throttled}/${after.length} after learning, ${faulted} 5xx answers`,
    );
    expect(throttled / Math.max(1, after.length)).toBeLessThan(0.1);
    expect(walk(dataDir).filter((f) => f.endsWith('.part'))).toEqual([]);
  }, 300_000);
});
