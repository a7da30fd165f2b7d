/**
 * Issue 16.7 (non-PII parts): the data dir is 0700 and the database, its WAL/SHM and the
 * downloaded clips 0600 whatever the umask; the sandbox's clips live in the data dir, and a
 * clip cache that is a link or writable by others is refused. Attacks reproduced: another
 * local user reading prompts from a 0755 data dir and a 0644 database, and pre-creating the
 * predictable shared-temp clip cache to serve their own "clips".
 */
import { chmodSync, mkdirSync, mkdtempSync, readdirSync, rmSync, statSync, symlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

import { afterAll, beforeAll, describe, expect, it } from 'vitest';

import { runCli } from '../../../electron/cli/main';
import { createCore } from '../../../electron/core';
import { cacheDirProblem, DEFAULT_CLIP_CACHE } from '../../../electron/core/sandbox/clips';

let dir: string;
let oldUmask: number;
const mode = (p: string): number => statSync(p).mode & 0o777;

beforeAll(() => {
  oldUmask = process.umask(0o022); // the usual desktop umask: 0755 folders, 0644 files
  dir = mkdtempSync(join(tmpdir(), 'shotline-private-'));
});
afterAll(() => {
  process.umask(oldUmask);
  rmSync(dir, { recursive: true, force: true });
});

describe.skipIf(process.platform === 'win32')('private data dir (issue 16.7)', () => {
  it('a new data dir is 0700, the database and its WAL/SHM 0600', async () => {
    const data = join(dir, 'new');
    const core = createCore({ dataDir: data });
    try {
      core.ctx.db();
      expect(mode(data)).toBe(0o700);
      for (const f of ['shotline.db', 'shotline.db-wal', 'shotline.db-shm']) expect(mode(join(data, f)), f).toBe(0o600);
    } finally {
      await core.close();
    }
  });

  it('an existing 0755 data dir with a 0644 database is tightened when opened', async () => {
    const data = join(dir, 'old');
    mkdirSync(data, { mode: 0o755 });
    chmodSync(data, 0o755);
    const first = createCore({ dataDir: data });
    first.ctx.db();
    await first.close();
    chmodSync(data, 0o755);
    chmodSync(join(data, 'shotline.db'), 0o644);
    const again = createCore({ dataDir: data });
    try {
      again.ctx.db();
      expect(mode(data)).toBe(0o700);
      expect(mode(join(data, 'shotline.db'))).toBe(0o600);
    } finally {
      await again.close();
    }
  });

  it('a sandbox run keeps its clips in the data dir, and the downloaded takes are 0600', async () => {
    const data = join(dir, 'run');
    writeFileSync(
      join(dir, 'b.json'),
      JSON.stringify({
        name: 'b',
        shots: [
          {
            id: 'a',
            prompt: 'a kite',
            model: 'kling-2.5-turbo',
            resolution: '720p',
            duration: 5,
            aspectRatio: '16:9',
            takes: 1,
          },
        ],
      }),
    );
    let err = '';
    const code = await runCli(['run', 'b.json', '--provider', 'sandbox', '--data-dir', data], {
      stdout: () => undefined,
      stderr: (t) => void (err += t),
      readStdin: () => Promise.resolve(''),
      env: { PATH: process.env.PATH },
      cwd: dir,
    });
    expect(code, err).toBe(0);
    expect(readdirSync(join(data, 'sandbox', 'clips')).filter((f) => f.endsWith('.mp4')).length).toBeGreaterThan(0);
    const clipsDir = join(data, 'clips');
    const takes = readdirSync(clipsDir, { recursive: true, withFileTypes: true }).filter(
      (e) => e.isFile() && e.name.endsWith('.mp4'),
    );
    expect(takes.length).toBe(1);
    for (const t of takes) expect(mode(join(t.parentPath, t.name))).toBe(0o600);
  }, 60_000);

  it("the default clip cache is the user's own, and a shared or linked cache is refused", () => {
    expect(DEFAULT_CLIP_CACHE.startsWith(tmpdir())).toBe(false);
    const open = join(dir, 'open-cache');
    mkdirSync(open);
    chmodSync(open, 0o777);
    expect(cacheDirProblem(open)).toMatch(/writable by other users/);
    const link = join(dir, 'link-cache');
    symlinkSync(open, link);
    expect(cacheDirProblem(link)).toMatch(/not a folder \(a link or a file\)/);
    chmodSync(open, 0o700);
    expect(cacheDirProblem(open)).toBeNull();
  });
});
