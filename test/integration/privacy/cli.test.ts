/** The privacy CLI commands in-process (same code path as the real binary): audit, erase, retention. */
import { existsSync, mkdirSync, mkdtempSync, rmSync, utimesSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

import { afterEach, beforeEach, describe, expect, it } from 'vitest';

import { runCli } from '../../../electron/cli/main';
import { createCore } from '../../../electron/core';
import { ALICE, buildDataDir } from './datadir';

let dir: string;
beforeEach(async () => {
  dir = mkdtempSync(join(tmpdir(), 'shotline-privacy-cli-'));
  const core = createCore({ dataDir: dir });
  buildDataDir(core.ctx.db(), dir, { withEdits: false });
  await core.close();
});
afterEach(() => rmSync(dir, { recursive: true, force: true }));

async function cli(...args: string[]): Promise<{ code: number; stdout: string; stderr: string }> {
  let stdout = '';
  let stderr = '';
  const code = await runCli(args, {
    stdout: (t) => void (stdout += t),
    stderr: (t) => void (stderr += t),
    readStdin: () => Promise.resolve(''),
    env: {},
    cwd: dir,
  });
  return { code, stdout, stderr };
}

describe('privacy CLI', () => {
  it('audit: table, CSV, JSON and --out', async () => {
    const table = await cli('audit', '--data-dir', dir, '--limit', '2');
    expect(table.code).toBe(0);
    expect(table.stdout.trim().split('\n')).toHaveLength(2);
    expect(table.stderr).toMatch(/2 of 6 row\(s\)/);
    const csv = await cli('audit', '--data-dir', dir, '--csv');
    expect(csv.stdout.split('\r\n')[0]).toMatch(/^id,time,purpose/);
    expect(csv.stdout.trim().split('\r\n')).toHaveLength(7);
    const json = await cli('audit', '--data-dir', dir, '--json');
    expect(JSON.parse(json.stdout)).toHaveLength(6);
    expect((await cli('audit', '--data-dir', dir, '--out', 'audit.csv')).code).toBe(0);
    expect(existsSync(join(dir, 'audit.csv'))).toBe(true);
    expect((await cli('audit', '--csv', '--json', '--data-dir', dir)).code).toBe(2);
  });

  it('erase: --subject is required; --dry-run --json reports; a real run says what Kling keeps', async () => {
    expect((await cli('erase', '--data-dir', dir)).code).toBe(2);
    const dry = await cli('erase', '--subject', ALICE.tag, '--dry-run', '--json', '--data-dir', dir);
    expect(dry.code).toBe(0);
    expect(JSON.parse(dry.stdout)).toMatchObject({ dryRun: true, auditRowsTombstoned: 4 });
    const real = await cli('erase', '--subject', ALICE.tag, '--data-dir', dir);
    expect(real.code).toBe(0);
    expect(real.stdout).toMatch(/^Removed 5 file\(s\):/);
    expect(real.stdout).toMatch(/Cannot be erased by Shotline:\n {2}- Kling \(official API\)/);
  });

  it('retention: set a rule, list, preview, run', async () => {
    const old = join(dir, 'clips', 'demo', 'old-take.mp4');
    mkdirSync(join(dir, 'edits', 'demo'), { recursive: true });
    writeFileSync(join(dir, 'edits', 'demo', 'final.mp4'), 'edit');
    const t = new Date(Date.now() - 40 * 86_400_000);
    utimesSync(join(dir, 'edits', 'demo', 'final.mp4'), t, t);
    writeFileSync(old, 'take');
    expect((await cli('retention', '--data-dir', dir, '--project', '*', '--raw-after-export', 'x')).code).toBe(2);
    const set = await cli('retention', '--data-dir', dir, '--project', '*', '--raw-after-export', '30');
    expect(set.stdout).toMatch(/^\* \(default\): raw takes 30 days after export/);
    expect((await cli('retention', '--data-dir', dir, '--list')).stdout).toBe(set.stdout);
    const preview = await cli('retention', '--data-dir', dir, '--dry-run');
    expect(preview.stdout).toMatch(/^Would delete 7 file\(s\)/);
    expect(existsSync(old)).toBe(true);
    const run = await cli('retention', '--data-dir', dir, '--json');
    expect((JSON.parse(run.stdout) as { files: unknown[] }).files).toHaveLength(7);
    expect(existsSync(old)).toBe(false);
    expect(existsSync(join(dir, 'edits', 'demo', 'final.mp4'))).toBe(true);
  });

  it('the desktop app applies retention at start by itself', async () => {
    const core0 = createCore({ dataDir: dir });
    await core0.call('privacy.retention.setRule', {
      rule: { project: '*', rawTakesDaysAfterExport: null, rawTakesMaxDays: 0 },
    });
    await core0.close();
    const core = createCore({ dataDir: dir, electronVersion: 'test' });
    try {
      const take = join(dir, 'clips', 'demo', `${ALICE.jobIds[0]}.mp4`);
      for (let i = 0; i < 100 && existsSync(take); i++) await new Promise((r) => setTimeout(r, 20));
      expect(existsSync(take)).toBe(false);
    } finally {
      await core.close();
    }
  });
});
