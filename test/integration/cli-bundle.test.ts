/**
 * The bundled CLI (scripts/build-cli.mjs, issue 18 item 10): one file, nothing but the native
 * modules left outside it, and it runs a storyboard end to end on the sandbox (SQLite, keychain
 * lookup, HTTP, ffmpeg) the way `npm run cli` and the packaged app run it.
 */
import { execFile } from 'node:child_process';
import { builtinModules } from 'node:module';
import { mkdtempSync, readFileSync, readdirSync, rmSync, utimesSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';

import { getConfig } from 'app-builder-lib/out/util/config/config';
import { minimatch } from 'minimatch';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';

import pkg from '../../package.json' with { type: 'json' };
import { buildCli, EXTERNAL, isStale, ROOT } from '../../scripts/build-cli.mjs';
import { FAST_ENV, writeBoard } from './cli-run/helpers';

const run = promisify(execFile);

describe('the bundled CLI', () => {
  // Inside the repo (out/ is ignored), so the externals resolve from its node_modules as they do for out/cli.
  const outDir = mkdtempSync(join(ROOT, 'out', 'cli-test-'));
  const bundle = join(outDir, 'shotline.cjs');
  const work = mkdtempSync(join(tmpdir(), 'shotline-bundle-'));
  let inputs: string[] = [];

  beforeAll(async () => {
    ({ inputs } = await buildCli(bundle));
  });
  afterAll(() => {
    rmSync(outDir, { recursive: true, force: true });
    rmSync(work, { recursive: true, force: true });
  });

  it('is one file that leaves only the native modules outside', () => {
    expect(readdirSync(outDir).sort()).toEqual(['shotline.cjs', 'shotline.meta.json']);
    expect(inputs.some((f) => f.endsWith(join('electron', 'core', 'queue', 'store.ts')))).toBe(true);
    const src = readFileSync(bundle, 'utf8');
    const required = new Set([...src.matchAll(/\b(?:require|import)\("([^"]+)"\)/g)].map((m) => m[1] ?? ''));
    const outside = [...required].filter((r) => !r.startsWith('node:') && !builtinModules.includes(r));
    expect(outside.sort()).toEqual([...EXTERNAL].sort());
    // zod's other locales stay out (the plugin in scripts/build-cli.mjs); English messages stay in.
    expect(
      inputs.filter((f) => f.includes(`${join('zod', 'v4', 'locales')}`)).map((f) => f.split(/[\\/]/).pop()),
    ).toEqual(['en.js']);
  });

  it('prints the version and refuses an unknown command with exit 2', async () => {
    expect((await run(process.execPath, [bundle, '--version'])).stdout).toBe(`${pkg.version}\n`);
    const err = (await run(process.execPath, [bundle, 'frobnicate']).catch((e: unknown) => e)) as {
      code: number;
      stderr: string;
    };
    expect(err.code).toBe(2);
    expect(err.stderr).toMatch(/unknown command "frobnicate"/);
  });

  it('runs a storyboard on the sandbox and reports it with status', async () => {
    const board = writeBoard(work, 'bundle', 2, 1);
    const dataDir = join(work, 'data');
    const env = { ...process.env, ...FAST_ENV, SHOTLINE_ACCESS_KEY: '', SHOTLINE_SECRET_KEY: '', SHOTLINE_API_KEY: '' };
    const r = await run(
      process.execPath,
      [bundle, 'run', board, '--provider', 'sandbox', '--data-dir', dataDir, '--json', '--yes'],
      { cwd: work, env },
    );
    const out = JSON.parse(r.stdout) as { jobs: Array<{ status: string; file: string | null }> };
    expect(out.jobs.map((j) => j.status)).toEqual(['done', 'done']);
    const s = await run(process.execPath, [bundle, 'status', '--data-dir', dataDir, '--json'], { cwd: work, env });
    expect((JSON.parse(s.stdout) as { jobs: Array<{ file: string | null }> }).jobs.map((j) => j.file)).toEqual(
      out.jobs.map((j) => j.file),
    );
  });

  it('a bad storyboard gets the same error, with file, shot and field, as from the sources', async () => {
    const file = join(work, 'bad.json');
    writeFileSync(
      file,
      JSON.stringify({
        name: 'bad',
        shots: [{ id: 'a', prompt: 'p', model: 'kling-2.5-turbo', duration: 'five', aspectRatio: '16:9', takes: 1 }],
      }),
    );
    const err = (await run(process.execPath, [
      bundle,
      'run',
      file,
      '--dry-run',
      '--data-dir',
      join(work, 'bad-data'),
    ]).catch((e: unknown) => e)) as { code: number; stderr: string };
    expect(err.code).toBe(2);
    expect(err.stderr).toContain(`${file}, shot "a": duration = "five": not allowed; use whole seconds`);
  });

  it('counts as stale when an input is newer than the bundle or gone', () => {
    expect(isStale(bundle)).toBe(false);
    const meta = join(outDir, 'shotline.meta.json');
    const saved = readFileSync(meta, 'utf8');
    const input = join(work, 'input.ts');
    writeFileSync(input, 'export {};\n');
    const later = new Date(Date.now() + 60_000);
    utimesSync(input, later, later);
    writeFileSync(meta, JSON.stringify({ inputs: [input] }));
    expect(isStale(bundle)).toBe(true);
    writeFileSync(meta, JSON.stringify({ inputs: [join(work, 'gone.ts')] }));
    expect(isStale(bundle)).toBe(true);
    writeFileSync(meta, saved);
    expect(isStale(bundle)).toBe(false);
  });

  it('is shipped by packaging where a system Node can run it: outside the asar, with every file its externals load', async () => {
    const config = await getConfig(ROOT, null, null);
    // electron-builder normalises `files` to [{ filter: [...] }].
    const files = ((config.files ?? []) as Array<string | { filter?: string | string[] }>).flatMap((e) =>
      typeof e === 'string' ? [e] : [e.filter ?? []].flat(),
    );
    const unpack = (Array.isArray(config.asarUnpack) ? config.asarUnpack : [config.asarUnpack]) as string[];
    const included = (f: string): boolean =>
      files.filter((p) => !p.startsWith('!')).some((p) => minimatch(f, p)) &&
      !files.filter((p) => p.startsWith('!')).some((p) => minimatch(f, p.slice(1)));
    const unpacked = (f: string): boolean => unpack.some((p) => minimatch(f, p));
    expect(included('out/cli/shotline.cjs') && unpacked('out/cli/shotline.cjs')).toBe(true);
    expect(included('out/cli/shotline.meta.json')).toBe(false); // build-machine paths stay home
    const script = `${EXTERNAL.map((m) => `require(${JSON.stringify(m)});`).join('')} new (require('better-sqlite3'))(':memory:'); console.log(JSON.stringify(Object.keys(require.cache)));`;
    const loaded = (JSON.parse((await run(process.execPath, ['-e', script], { cwd: ROOT })).stdout) as string[])
      .map((f) =>
        f
          .slice(ROOT.length + 1)
          .split('\\')
          .join('/'),
      )
      .filter((f) => f.startsWith('node_modules/'));
    expect(loaded.length).toBeGreaterThan(EXTERNAL.length);
    expect(loaded.filter((f) => !unpacked(f))).toEqual([]);
  });
});
