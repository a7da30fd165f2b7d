/**
 * The CLI's start (issue 18 item 10), side by side in one run: `shotline --version` and
 * `shotline status` over a data dir holding 10,000 queued jobs, each as a fresh process, through
 * tsx (how `npm run cli` ran before: TypeScript compiled at every start) and through the bundle
 * (out/cli/shotline.cjs, scripts/build-cli.mjs). Wall time from spawn to exit and the peak
 * resident memory (the child's own getrusage maxRSS, written at exit by a one-line preload),
 * medians of interleaved rounds; a bare `node -e 0` is the floor. Goals: --version < 0.3 s,
 * RSS < 150 MB.
 */
import { execFileSync, spawn } from 'node:child_process';
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { performance } from 'node:perf_hooks';

import { openDatabase } from '../../electron/core/db/open';
import { QueueStore } from '../../electron/core/queue/store';
import { importStoryboard, loadStoryboard } from '../../electron/core/storyboard';
import type { CustomBench } from './harness';

const JOBS = 10_000;
const ROUNDS = 7;
const ROOT = resolve(import.meta.dirname, '../..');
const BUNDLE = join(ROOT, 'out/cli/shotline.cjs');

/** A data dir whose database holds JOBS queued jobs (one storyboard, one take a shot). */
function queuedDataDir(dir: string): string {
  const file = join(dir, 'board.json');
  const shots = Array.from({ length: JOBS }, (_, i) => ({
    id: `shot-${i}`,
    prompt: `shot ${i}: a red kite over the sea, late afternoon light`,
  }));
  writeFileSync(
    file,
    JSON.stringify({
      name: 'ten thousand',
      defaults: { model: 'kling-2.5-turbo', resolution: '720p', duration: 5, aspectRatio: '16:9', takes: 1 },
      shots,
    }),
  );
  const dataDir = join(dir, 'data');
  mkdirSync(dataDir);
  const db = openDatabase(join(dataDir, 'shotline.db'));
  try {
    const store = new QueueStore(db);
    const { storyboardId } = importStoryboard(store, db, loadStoryboard({ path: file }));
    const { created } = store.enqueue(storyboardId);
    if (created !== JOBS) throw new Error(`expected ${JOBS} queued jobs, got ${created}`);
  } finally {
    db.close();
  }
  return dataDir;
}

interface Sample {
  seconds: number;
  rssMb: number;
}

/** Runs `node <args>` to its end; the preload prints the child's peak RSS (KiB on Linux) to stderr at exit. */
function sample(preload: string, args: string[]): Promise<Sample> {
  return new Promise((res, rej) => {
    const t0 = performance.now();
    const child = spawn(process.execPath, ['--require', preload, ...args], {
      cwd: ROOT,
      stdio: ['ignore', 'ignore', 'pipe'],
      env: { ...process.env, SHOTLINE_API_KEY: '' },
    });
    let err = '';
    child.stderr.on('data', (d: Buffer) => (err += d.toString()));
    child.on('error', rej);
    child.on('exit', (code) => {
      const seconds = (performance.now() - t0) / 1000;
      const m = /@@maxrss (\d+)/.exec(err);
      if (!m || (code !== 0 && code !== 1)) return rej(new Error(`node ${args.join(' ')} exited ${code}:\n${err}`));
      res({ seconds, rssMb: Number(m[1]) / 1024 });
    });
  });
}

const median = (xs: number[]): number => {
  const s = [...xs].sort((a, b) => a - b);
  return s[Math.floor(s.length / 2)] ?? NaN;
};

const cliBench: CustomBench = {
  name: `cli start: tsx (before) vs the bundle (after), --version and status with ${JOBS.toLocaleString('en')} queued jobs (goals: --version < 0.3 s, RSS < 150 MB)`,
  async measure() {
    execFileSync(process.execPath, [join(ROOT, 'scripts/build-cli.mjs'), '--if-stale'], { stdio: 'inherit' });
    const dir = mkdtempSync(join(tmpdir(), 'bench-cli-'));
    try {
      const dataDir = queuedDataDir(dir);
      const preload = join(dir, 'maxrss.cjs');
      writeFileSync(
        preload,
        "process.on('exit', () => require('fs').writeSync(2, '\\n@@maxrss ' + process.resourceUsage().maxRSS + '\\n'));\n",
      );
      const fronts = { tsx: ['--import', 'tsx', join(ROOT, 'electron/cli/index.ts')], bundle: [BUNDLE] };
      const commands = { '--version': ['--version'], status: ['status', '--data-dir', dataDir] };
      const cells: Record<string, Sample[]> = {};
      for (let round = 0; round <= ROUNDS; round++) {
        // Interleaved, so a busy moment of the machine hits every variant alike; round 0 warms the disk cache.
        for (const [cmd, cmdArgs] of Object.entries(commands)) {
          for (const [front, frontArgs] of Object.entries(fronts)) {
            const s = await sample(preload, [...frontArgs, ...cmdArgs]);
            if (round > 0) (cells[`${cmd}|${front}`] ??= []).push(s);
          }
        }
        const floor = await sample(preload, ['-e', '0']);
        if (round > 0) (cells.floor ??= []).push(floor);
      }
      const t = (k: string): number => median((cells[k] ?? []).map((s) => s.seconds));
      const m = (k: string): number => median((cells[k] ?? []).map((s) => s.rssMb));
      const row = (label: string, before: number, after: number, unit: 's' | 'MB'): string =>
        `${label.padEnd(34)} ${`${before.toFixed(unit === 's' ? 2 : 0)} ${unit}`.padStart(10)} ${`${after.toFixed(unit === 's' ? 2 : 0)} ${unit}`.padStart(12)}   x${(after / before).toFixed(2)}`;
      const lines = [
        `${'median of '.concat(String(ROUNDS), ' rounds').padEnd(34)} ${'tsx'.padStart(10)} ${'bundle'.padStart(12)}   after/before`,
        row('--version: start to exit', t('--version|tsx'), t('--version|bundle'), 's'),
        row('--version: peak RSS', m('--version|tsx'), m('--version|bundle'), 'MB'),
        row(`status, ${JOBS.toLocaleString('en')} queued: start to exit`, t('status|tsx'), t('status|bundle'), 's'),
        row(`status, ${JOBS.toLocaleString('en')} queued: peak RSS`, m('status|tsx'), m('status|bundle'), 'MB'),
        `floor (node -e 0): ${t('floor').toFixed(2)} s, ${m('floor').toFixed(0)} MB; --version above the floor: tsx ${(t('--version|tsx') - t('floor')).toFixed(2)} s, bundle ${(t('--version|bundle') - t('floor')).toFixed(2)} s`,
        `goals (bundle): --version ${t('--version|bundle').toFixed(2)} s ${t('--version|bundle') < 0.3 ? 'meets' : 'misses'} < 0.3 s; ` +
          `status RSS ${m('status|bundle').toFixed(0)} MB ${m('status|bundle') < 150 ? 'meets' : 'misses'} < 150 MB`,
      ];
      return lines;
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  },
};

export default cliBench;
