/**
 * Storyboard import at scale: a 10,000-shot JSON storyboard parsed, validated (zod + the
 * Kling capability rules), stored and enqueued (goal: under 1 s), and the resident memory
 * of the CLI while it holds 10,000 queued jobs (goal: under 150 MB).
 */
import { spawn } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { performance } from 'node:perf_hooks';

import { openDatabase } from '../../electron/core/db/open';
import { QueueStore } from '../../electron/core/queue/store';
import { startSandbox } from '../../electron/core/sandbox';
import { importStoryboard, loadStoryboard } from '../../electron/core/storyboard';
import type { CustomBench } from './harness';

const SHOTS = 10_000;
const ROOT = resolve(import.meta.dirname, '../..');

function bigBoard(dir: string, n = SHOTS): string {
  const file = join(dir, 'big.json');
  const cams = ['zoom_in', 'pan_left', 'forward_up', undefined];
  writeFileSync(
    file,
    JSON.stringify({
      name: 'ten thousand',
      defaults: { model: 'kling-2.5-turbo', resolution: '720p', duration: 5, aspectRatio: '16:9' },
      shots: Array.from({ length: n }, (_, i) => ({
        id: `shot-${i}`,
        prompt: `shot ${i}: a red kite over the sea, seen from the cliff, late afternoon light, gulls in the wind`,
        ...(cams[i % 4] ? { camera: cams[i % 4] } : {}),
        ...(i % 10 === 0 ? { negativePrompt: 'text, watermark' } : {}),
      })),
    }),
  );
  return file;
}

const importBench: CustomBench = {
  name: `import: ${SHOTS.toLocaleString('en')}-shot storyboard (parse + validate + store + enqueue; goal < 1 s)`,
  measure() {
    const dir = mkdtempSync(join(tmpdir(), 'bench-import-'));
    const file = bigBoard(dir);
    const times: Record<string, number[]> = { parse: [], store: [], enqueue: [], total: [] };
    for (let round = 0; round < 5; round++) {
      const db = openDatabase(join(dir, `r${round}.db`));
      const store = new QueueStore(db);
      const t0 = performance.now();
      const loaded = loadStoryboard({ path: file });
      const t1 = performance.now();
      const { storyboardId } = importStoryboard(store, db, loaded);
      const t2 = performance.now();
      const r = store.enqueue(storyboardId);
      const t3 = performance.now();
      if (r.created !== SHOTS) throw new Error(`expected ${SHOTS} jobs, got ${r.created}`);
      db.close();
      if (round === 0) continue; // warm-up
      times.parse?.push(t1 - t0);
      times.store?.push(t2 - t1);
      times.enqueue?.push(t3 - t2);
      times.total?.push(t3 - t0);
    }
    rmSync(dir, { recursive: true, force: true });
    const median = (xs: number[]): number => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)] ?? NaN;
    const total = median(times.total ?? []);
    return Promise.resolve([
      `read + parse + validate  ${median(times.parse ?? [])
        .toFixed(0)
        .padStart(5)} ms`,
      `store shots              ${median(times.store ?? [])
        .toFixed(0)
        .padStart(5)} ms`,
      `enqueue ${SHOTS} jobs       ${median(times.enqueue ?? [])
        .toFixed(0)
        .padStart(5)} ms`,
      `total                    ${total.toFixed(0).padStart(5)} ms  (${(total / 1000).toFixed(2)} x the 1 s goal; median of 4 after a warm-up)`,
    ]);
  },
};

function rssKb(pid: number): { rss: number; hwm: number } | null {
  try {
    const s = readFileSync(`/proc/${pid}/status`, 'utf8');
    const get = (k: string): number => Number(new RegExp(`${k}:\\s+(\\d+)`).exec(s)?.[1] ?? NaN);
    return { rss: get('VmRSS'), hwm: get('VmHWM') };
  } catch {
    return null;
  }
}

const rssBench: CustomBench = {
  name: `memory: RSS of \`shotline run\` holding ${SHOTS.toLocaleString('en')} queued jobs (goal < 150 MB)`,
  async measure() {
    if (process.platform !== 'linux') return ['skipped: reads /proc (Linux only)'];
    const dir = mkdtempSync(join(tmpdir(), 'bench-rss-'));
    const file = bigBoard(dir);
    // A slow sandbox: the first 5 tasks run for minutes, the other 9,995 jobs stay queued.
    const sb = await startSandbox({
      timing: { submittedMs: 600_000, processingMs: 600_000 },
      recordImages: false,
      concurrency: 5,
    });
    const child = spawn(
      process.execPath,
      [
        '--import',
        'tsx',
        join(ROOT, 'electron/cli/index.ts'),
        'run',
        file,
        '--provider',
        'sandbox',
        '--base-url',
        sb.url,
        '--data-dir',
        join(dir, 'data'),
        '--concurrency',
        '5',
      ],
      {
        cwd: ROOT,
        stdio: ['ignore', 'ignore', 'pipe'],
      },
    );
    let err = '';
    child.stderr?.on('data', (d: Buffer) => (err += d.toString()));
    const pid = child.pid ?? 0;
    // Wait until the jobs are queued and five are at the sandbox, then sample for 5 s.
    const started = Date.now();
    while (sb.creates.length < 5 && Date.now() - started < 60_000) await new Promise((r) => setTimeout(r, 200));
    const samples: number[] = [];
    for (let i = 0; i < 10; i++) {
      await new Promise((r) => setTimeout(r, 500));
      const m = rssKb(pid);
      if (m) samples.push(m.rss);
    }
    const hwm = rssKb(pid)?.hwm ?? NaN;
    child.kill('SIGINT');
    await new Promise((r) => child.on('exit', r));
    await sb.close();
    rmSync(dir, { recursive: true, force: true });
    if (samples.length === 0) return [`the CLI did not start: ${err.slice(-500)}`];
    const mb = (kb: number): string => (kb / 1024).toFixed(1);
    const steady = samples.reduce((a, b) => a + b, 0) / samples.length;
    return [
      `jobs at the sandbox ${sb.creates.length}, queued ${SHOTS - sb.creates.length}`,
      `RSS while waiting  ${mb(steady)} MB (mean of ${samples.length} samples)   peak ${mb(hwm)} MB   -> ${(hwm / 1024 / 150).toFixed(2)} x the 150 MB goal`,
    ];
  },
};

export default [importBench, rssBench];
