import { chmodSync, existsSync, mkdirSync, mkdtempSync, readFileSync, symlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { delimiter, join } from 'node:path';

import { afterEach, describe, expect, it, vi } from 'vitest';

import { createCore, type Core } from '../../electron/core';
import { openerFor } from '../../electron/core/app/reveal';

let core: Core | undefined;
afterEach(async () => {
  await core?.close();
  core = undefined;
});

function setup(shell?: { showItemInFolder(path: string): void }): { dir: string; file: string; core: Core } {
  const dir = mkdtempSync(join(tmpdir(), 'shotline-reveal-'));
  const file = join(dir, 'edit one.mp4');
  writeFileSync(file, 'x');
  core = createCore({ dataDir: join(dir, 'data'), ...(shell ? { shell } : {}) });
  return { dir, file, core };
}

describe('app.showInFolder', () => {
  it("calls the front's shell with the file and says so", async () => {
    const seen: string[] = [];
    const { file, dir, core } = setup({ showItemInFolder: (p) => seen.push(p) });
    expect(await core.call('app.showInFolder', { path: file })).toEqual({
      ok: true,
      value: { opened: file, via: 'electron' },
    });
    expect(await core.call('app.showInFolder', { path: dir })).toMatchObject({ ok: true, value: { opened: dir } });
    expect(seen).toEqual([file, dir]);
  });

  it('refuses a missing path, a relative path and a non-file, naming the path and why; the shell is not called', async () => {
    const seen: string[] = [];
    const { dir, core } = setup({ showItemInFolder: (p) => seen.push(p) });
    const missing = join(dir, 'gone.mp4');
    const r1 = await core.call('app.showInFolder', { path: missing });
    expect(r1).toMatchObject({ ok: false, error: { code: 'bad_path', where: 'path' } });
    if (!r1.ok)
      expect(r1.error.message).toBe(
        `Cannot show ${JSON.stringify(missing)} in its folder: it does not exist (moved or deleted?).`,
      );
    const r2 = await core.call('app.showInFolder', { path: 'edit.mp4' });
    expect(!r2.ok && r2.error.message).toMatch(/"edit.mp4".*not an absolute path/);
    if (existsSync('/dev/null')) {
      const r3 = await core.call('app.showInFolder', { path: '/dev/null' });
      expect(!r3.ok && r3.error.message).toMatch(/"\/dev\/null".*not a file or a folder/);
    }
    const r4 = await core.call('app.showInFolder', { path: '' });
    expect(r4).toMatchObject({ ok: false, error: { code: 'validation' } });
    expect(seen).toEqual([]);
  });

  it('builds the platform opener with arguments as an array', () => {
    expect(openerFor('darwin', '/a b/c.mp4', false)).toEqual({ cmd: 'open', args: ['-R', '/a b/c.mp4'] });
    expect(openerFor('win32', 'C:\\a b\\c.mp4', false)).toEqual({
      cmd: 'explorer',
      args: ['/select,', 'C:\\a b\\c.mp4'],
    });
    expect(openerFor('linux', '/a b/c.mp4', false)).toEqual({ cmd: 'xdg-open', args: ['/a b'] });
    expect(openerFor('linux', '/a b', true)).toEqual({ cmd: 'xdg-open', args: ['/a b'] });
  });

  it.runIf(process.platform === 'linux')(
    'without a shell, spawns xdg-open on the folder (a recording stand-in on PATH)',
    async () => {
      const { dir, file, core } = setup();
      const bin = join(dir, 'bin');
      mkdirSync(bin);
      const log = join(dir, 'opened.txt');
      const fake = join(dir, 'fake-open.sh');
      writeFileSync(fake, `#!/bin/sh\nprintf '%s\\n' "$@" > ${JSON.stringify(log)}\n`);
      chmodSync(fake, 0o755);
      symlinkSync(fake, join(bin, 'xdg-open'));
      const path = process.env.PATH;
      process.env.PATH = `${bin}${delimiter}${path ?? ''}`;
      try {
        expect(await core.call('app.showInFolder', { path: file })).toEqual({
          ok: true,
          value: { opened: file, via: 'opener' },
        });
      } finally {
        process.env.PATH = path;
      }
      await vi.waitFor(() => expect(readFileSync(log, 'utf8')).toBe(`${dir}\n`), { timeout: 10_000 });
    },
  );
});
