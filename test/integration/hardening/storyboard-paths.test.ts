/**
 * Issue 16.3, "a storyboard reads only its own folder", with the real loader (fs, realpath)
 * and the real CLI. Attacks reproduced: image paths that are absolute, climb out with "..",
 * point at a network share (UNC: on Windows the existence check alone sends credentials), or
 * go through a symlink placed in the folder; and a private file validated as a storyboard,
 * whose first line the error used to show.
 */
import { mkdirSync, mkdtempSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

import { afterAll, beforeAll, describe, expect, it } from 'vitest';

import { runCli } from '../../../electron/cli/main';
import { loadStoryboard } from '../../../electron/core/storyboard';
import { formatProblem } from '../../../shared/storyboard/schema';
import { parseStoryboard } from '../../../shared/storyboard/validate';

let dir: string;
let board: string;
const SECRET = 'hunter2-api-token-0123456789';

const shot = (extra: Record<string, unknown>): Record<string, unknown> => ({
  id: 'a',
  prompt: 'a kite',
  model: 'kling-2.5-turbo',
  resolution: '720p',
  duration: 5,
  aspectRatio: '16:9',
  takes: 1,
  ...extra,
});
function write(name: string, startImage: string): string {
  const f = join(board, name);
  writeFileSync(f, JSON.stringify({ name: 'b', shots: [shot({ startImage })] }));
  return f;
}
function messages(path: string, allowOutsidePaths = false): string[] {
  const l = loadStoryboard({ path, ...(allowOutsidePaths ? { allowOutsidePaths } : {}) });
  return l.result.ok ? [] : l.result.problems.map(formatProblem);
}

beforeAll(() => {
  dir = mkdtempSync(join(tmpdir(), 'shotline-sbpaths-'));
  board = join(dir, 'board');
  mkdirSync(join(board, 'frames'), { recursive: true });
  writeFileSync(join(board, 'frames', 'in.png'), 'png');
  writeFileSync(join(dir, 'private.png'), 'png');
  symlinkSync(join(dir, 'private.png'), join(board, 'frames', 'link.png'));
  writeFileSync(join(dir, 'secrets.txt'), `${SECRET}:x:0:0:root:/root:/bin/bash\nline two ${SECRET}\n`);
});
afterAll(() => rmSync(dir, { recursive: true, force: true }));

describe('a storyboard reads only its own folder (issue 16.3)', () => {
  it("a relative image inside the folder, or an absolute path inside it (the app's own images), is fine", () => {
    expect(messages(write('ok.json', 'frames/in.png'))).toEqual([]);
    expect(messages(write('abs-in.json', join(board, 'frames', 'in.png')))).toEqual([]);
  });

  it.each([
    ['absolute outside', () => join(dir, 'private.png'), /outside the storyboard's folder/],
    ['.. escape', () => '../private.png', /"\.\." would leave the storyboard's folder/],
    ['symlink out of the folder', () => 'frames/link.png', /outside the storyboard's folder \(links followed\)/],
    ['UNC share', () => '\\\\attacker.example\\share\\x.png', /network \(UNC\) path is not allowed/],
    ['UNC with slashes', () => '//attacker.example/share/x.png', /network \(UNC\) path is not allowed/],
  ])('%s is refused with the fix, and allowed only with consent', (_name, path, why) => {
    const f = write('bad.json', path());
    const m = messages(f);
    expect(m).toHaveLength(1);
    expect(m[0]).toMatch(why);
    expect(m[0]).toMatch(/copy the image into the storyboard's folder.*--allow-outside-paths/);
    if (!/UNC/.test(String(why))) expect(messages(f, true)).toEqual([]);
  });

  it('a UNC path is refused before anything looks it up', () => {
    const touched: string[] = [];
    const r = parseStoryboard(
      JSON.stringify({ name: 'b', shots: [shot({ startImage: '\\\\attacker.example\\share\\x.png' })] }),
      {
        file: 'b.json',
        resolvePath: (p) => (touched.push(p), p),
        fileExists: (p) => (touched.push(p), true),
        confine: (p) => (touched.push(p), null),
      },
    );
    expect(r.ok).toBe(false);
    expect(touched).toEqual([]);
  });

  it('CLI: run refuses an outside path (exit 2, the fix), and --allow-outside-paths lets it through', async () => {
    const f = write('cli.json', '../private.png');
    const call = async (args: string[]): Promise<{ code: number; err: string }> => {
      let err = '';
      const code = await runCli(args, {
        stdout: () => undefined,
        stderr: (t) => void (err += t),
        readStdin: () => Promise.resolve(''),
        env: process.env,
        cwd: dir,
      });
      return { code, err };
    };
    const refused = await call(['run', f, '--dry-run']);
    expect(refused.code).toBe(2);
    expect(refused.err).toMatch(/startImage.*"\.\." would leave the storyboard's folder/);
    const allowed = await call(['run', f, '--dry-run', '--allow-outside-paths']);
    expect(allowed.code, allowed.err).toBe(0);
  });

  it('a private file validated as a storyboard (CSV or JSON) is never echoed in the errors', () => {
    for (const format of ['csv', 'json'] as const) {
      const l = loadStoryboard({ path: join(dir, 'secrets.txt'), format });
      expect(l.result.ok).toBe(false);
      const text = JSON.stringify(l.result.problems);
      expect(text).not.toContain(SECRET);
      expect(text).not.toContain('root');
      expect(text).not.toContain('/bin/bash');
    }
  });
});
