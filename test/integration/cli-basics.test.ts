import { execFile } from 'node:child_process';
import { promisify } from 'node:util';

import { describe, expect, it } from 'vitest';

import pkg from '../../package.json' with { type: 'json' };

const run = promisify(execFile);

describe('shotline CLI (real process)', () => {
  it('prints its version', async () => {
    const { stdout } = await run('npm', ['run', '-s', 'cli', '--', '--version']);
    expect(stdout.trim()).toBe(pkg.version);
  });

  it('exits 2 on an unknown command', async () => {
    const err = await run('npm', ['run', '-s', 'cli', '--', 'frobnicate']).catch(
      (e: { code: number; stderr: string }) => e,
    );
    expect((err as { code: number }).code).toBe(2);
    expect((err as { stderr: string }).stderr).toMatch(/unknown command "frobnicate"/);
  });
});
