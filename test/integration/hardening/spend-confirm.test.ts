/**
 * Issue 16.7: a run whose estimate passes a threshold asks before it spends. Attack (a slip,
 * really): a storyboard with 20 takes of 30 long pro shots started from a script. Before the
 * fix it was queued and submitted at once; now, with no terminal, it is refused (exit 2, the
 * fix, nothing queued), and at a terminal a "no" queues nothing either.
 */
import { existsSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

import { afterAll, beforeAll, describe, expect, it } from 'vitest';

import type { CliIO } from '../../../electron/cli/command';
import { confirmThreshold, DEFAULT_CONFIRM_ABOVE_UNITS, needsConfirmation } from '../../../electron/cli/confirm';
import { runCli } from '../../../electron/cli/main';

let dir: string;
let board: string;

beforeAll(() => {
  dir = mkdtempSync(join(tmpdir(), 'shotline-spend-'));
  board = join(dir, 'big.json');
  const shots = Array.from({ length: 30 }, (_, i) => ({
    id: `s${i}`,
    prompt: `shot ${i}`,
    model: 'kling-2.5-turbo',
    resolution: '1080p',
    duration: 10,
    aspectRatio: '16:9',
    takes: 20,
  }));
  writeFileSync(board, JSON.stringify({ name: 'big', shots }));
});
afterAll(() => rmSync(dir, { recursive: true, force: true }));

async function run(args: string[], confirm?: CliIO['confirm']): Promise<{ code: number; err: string }> {
  let err = '';
  const code = await runCli(args, {
    stdout: () => undefined,
    stderr: (t) => void (err += t),
    readStdin: () => Promise.resolve(''),
    env: { PATH: process.env.PATH },
    cwd: dir,
    ...(confirm ? { confirm } : {}),
  });
  return { code, err };
}

describe('a big run asks before it spends (issue 16.7)', () => {
  it('without a terminal and without --yes: refused with exit 2 and the fix, nothing queued', async () => {
    const data = join(dir, 'data-notty');
    const r = await run(['run', board, '--provider', 'kling', '--data-dir', data]);
    expect(r.code).toBe(2);
    expect(r.err).toMatch(
      /estimated at \d+ units .* over the confirmation threshold of 500 units; nothing was queued\. No terminal to ask on: .*--yes.*--budget UNITS.*--confirm-above UNITS/,
    );
    expect(existsSync(join(data, 'shotline.db'))).toBe(false);
  });

  it('at a terminal, "no" queues nothing; the question names the estimate', async () => {
    const data = join(dir, 'data-tty');
    const asked: string[] = [];
    const r = await run(
      ['run', board, '--provider', 'kling', '--data-dir', data],
      (q) => (asked.push(q), Promise.resolve(false)),
    );
    expect(r.code).toBe(2);
    expect(asked).toHaveLength(1);
    expect(asked[0]).toMatch(/estimated at \d+ units .*Go on\? \[y\/N\]/);
    expect(r.err).toMatch(/not confirmed, nothing was queued/);
    expect(existsSync(join(data, 'shotline.db'))).toBe(false);
  });

  it('no question for --yes, a free provider, a budget under the threshold or a small run', () => {
    const base = {
      units: 5000,
      currency: { currency: 'USD', amount: 700 },
      threshold: 500,
      budget: undefined,
      free: false,
      yes: false,
    };
    expect(needsConfirmation(base)).toBe(true);
    expect(needsConfirmation({ ...base, yes: true })).toBe(false);
    expect(needsConfirmation({ ...base, free: true })).toBe(false);
    expect(needsConfirmation({ ...base, budget: 400 })).toBe(false);
    expect(needsConfirmation({ ...base, budget: 600 })).toBe(true);
    expect(needsConfirmation({ ...base, units: 500 })).toBe(false);
  });

  it('the threshold: option, then environment, then the default; bad values are usage errors', () => {
    expect(confirmThreshold(undefined, {})).toBe(DEFAULT_CONFIRM_ABOVE_UNITS);
    expect(confirmThreshold(undefined, { SHOTLINE_CONFIRM_ABOVE_UNITS: '50' })).toBe(50);
    expect(confirmThreshold('2000', { SHOTLINE_CONFIRM_ABOVE_UNITS: '50' })).toBe(2000);
    expect(() => confirmThreshold('lots', {})).toThrow(/--confirm-above "lots": expected a number of units/);
  });
});
