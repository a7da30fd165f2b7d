#!/usr/bin/env node
/**
 * Builds the Electron-ABI copy of better-sqlite3 into native/electron/better_sqlite3.node,
 * leaving node_modules' Node build untouched (tests and the CLI run under plain Node).
 * The app loads this copy through better-sqlite3's `nativeBinding` option.
 *
 * Order: prebuilt binary for Electron (prebuild-install), else compile against Electron's
 * headers (node-gyp). Both need the internet; without it this prints what to do and exits
 * 0, so `npm install` / `npm ci` still succeed and everything but the Electron app works.
 * keytar needs nothing: it is an N-API module, ABI-stable across Node and Electron.
 *
 * Runs as postinstall; `npm run rebuild:electron` runs it again by hand.
 */
import { spawnSync } from 'node:child_process';
import { cpSync, existsSync, mkdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

const root = join(dirname(fileURLToPath(import.meta.url)), '..');
const require = createRequire(join(root, 'package.json'));
const outDir = join(root, 'native', 'electron');
const outFile = join(outDir, 'better_sqlite3.node');
const stampFile = join(outDir, 'stamp.json');
const force = process.argv.includes('--force');

function say(msg) {
  process.stderr.write(`[electron-native] ${msg}\n`);
}

function main() {
  if (process.env.SHOTLINE_SKIP_ELECTRON_NATIVE === '1') {
    say('skipped (SHOTLINE_SKIP_ELECTRON_NATIVE=1).');
    return;
  }
  let electronVersion, sqliteDir;
  try {
    electronVersion = JSON.parse(readFileSync(require.resolve('electron/package.json'), 'utf8')).version;
    sqliteDir = dirname(require.resolve('better-sqlite3/package.json'));
  } catch {
    say('electron or better-sqlite3 is not installed yet; nothing to do.');
    return;
  }
  const sqliteVersion = JSON.parse(readFileSync(join(sqliteDir, 'package.json'), 'utf8')).version;
  const stamp = {
    electron: electronVersion,
    betterSqlite3: sqliteVersion,
    arch: process.arch,
    platform: process.platform,
  };
  if (!force && existsSync(outFile) && existsSync(stampFile)) {
    const old = readFileSync(stampFile, 'utf8');
    if (old === JSON.stringify(stamp)) {
      say(`up to date for Electron ${electronVersion}.`);
      return;
    }
  }

  // Work on a copy so the Node build in node_modules is never replaced.
  const stage = join(root, '.electron-native', 'better-sqlite3');
  rmSync(stage, { recursive: true, force: true });
  mkdirSync(dirname(stage), { recursive: true });
  cpSync(sqliteDir, stage, { recursive: true, filter: (src) => !src.startsWith(join(sqliteDir, 'build')) });

  const bin = (name) => join(root, 'node_modules', '.bin', process.platform === 'win32' ? `${name}.cmd` : name);
  const attempts = [
    [bin('prebuild-install'), ['--runtime', 'electron', '--target', electronVersion, '--arch', process.arch]],
    [
      bin('node-gyp'),
      [
        'rebuild',
        '--release',
        `--target=${electronVersion}`,
        `--arch=${process.arch}`,
        '--dist-url=https://electronjs.org/headers',
      ],
    ],
  ];
  for (const [cmd, args] of attempts) {
    const res = spawnSync(cmd, args, {
      cwd: stage,
      stdio: ['ignore', 'ignore', 'pipe'],
      timeout: 10 * 60_000,
      shell: process.platform === 'win32',
      // node-gyp must not pick up a nodedir meant for the Node build.
      env: { ...process.env, npm_config_nodedir: '', NODEDIR: '' },
    });
    const built = join(stage, 'build', 'Release', 'better_sqlite3.node');
    if (res.status === 0 && existsSync(built)) {
      mkdirSync(outDir, { recursive: true });
      cpSync(built, outFile);
      writeFileSync(stampFile, JSON.stringify(stamp));
      rmSync(join(root, '.electron-native'), { recursive: true, force: true });
      say(`built better-sqlite3 ${sqliteVersion} for Electron ${electronVersion} -> native/electron/.`);
      return;
    }
    const why = (res.stderr?.toString() ?? '').trim().split('\n').slice(-2).join(' | ');
    say(`${args[0] === 'rebuild' ? 'node-gyp' : 'prebuild-install'} did not produce a binary${why ? `: ${why}` : ''}`);
  }
  rmSync(join(root, '.electron-native'), { recursive: true, force: true });
  say(
    `could not build better-sqlite3 for Electron ${electronVersion} (no internet for headers or prebuilt binaries?). ` +
      'Tests and the CLI are unaffected (they use the Node build). To run the desktop app, run ' +
      '`npm run rebuild:electron` on a machine with internet access.',
  );
}

main();
