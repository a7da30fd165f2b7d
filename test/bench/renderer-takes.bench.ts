/**
 * Takes page with 200 shots x 3 takes (issue 17 item 2: first screen < 300 ms, visible posters
 * < 1 s). A real core: a 200-shot storyboard imported, its 600 jobs taken to done through the
 * queue's own API (claim, transitions) with three real ffmpeg clips, their posters made and
 * stored the way the engine does when it verifies a take; Debian's Chromium drives the built renderer
 * over the test bridge (run `npm run build` first). Measured from the click on "Takes" to the
 * first painted row, and to every poster on screen decoded. Run twice: the second is warm.
 */
import { execFileSync } from 'node:child_process';
import { existsSync, mkdirSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

import { chromium } from '@playwright/test';

import { createCore, type Core } from '../../electron/core';
import { startTestBridge } from '../../electron/core/bridge/test-bridge';
import { openDatabase } from '../../electron/core/db/open';
import { makeStills } from '../../electron/core/reviews/stills';
import { ReviewStore } from '../../electron/core/reviews/store';
import type { CustomBench } from './harness';

const RENDERER = join(import.meta.dirname, '..', '..', 'out', 'renderer');
const SHOTS = 200;
const TAKES = 3;

function clip(file: string, hue: number): void {
  execFileSync('ffmpeg', [
    ...['-v', 'error', '-y', '-f', 'lavfi', '-i', `testsrc2=s=1280x720:r=24:d=3,hue=h=${hue}`],
    ...['-c:v', 'libx264', '-preset', 'ultrafast', '-pix_fmt', 'yuv420p', file],
  ]);
}

/** 200 shots x 3 done takes in the core's database, through the queue store's own API. */
async function fill(core: Core, dataDir: string): Promise<string> {
  const shots = Array.from({ length: SHOTS }, (_, i) => ({ id: `shot-${i + 1}`, prompt: `Shot ${i + 1}: a harbour` }));
  const board = { name: 'Bench', defaults: { model: 'kling-2.5-turbo', duration: 5, takes: TAKES }, shots };
  const imported = await core.call('storyboard.import', { content: JSON.stringify(board), format: 'json' });
  if (!imported.ok) throw new Error(imported.error.message);
  const id = imported.value.storyboardId;
  mkdirSync(join(dataDir, 'takes'), { recursive: true });
  const clips = [0, 120, 240].map((h) => {
    const f = join(dataDir, 'takes', `clip-${h}.mp4`);
    clip(f, h);
    return f;
  });
  const queue = core.services.queue;
  queue.enqueue(id);
  const expires = new Date(Date.now() + 29 * 86_400_000).toISOString();
  const listed = await core.call('queue.list', { limit: 10_000 });
  if (!listed.ok) throw new Error(listed.error.message);
  listed.value.jobs.forEach((j, i) => {
    const row = queue.claim(j.id, 'bench');
    const token = row?.claim_token;
    if (!token) throw new Error(`bench: could not claim ${j.id}`);
    queue.transition(j.id, token, 'queued', 'submitting', { external_task_id: `bench-${i}` });
    queue.transition(j.id, token, 'submitting', 'running', { task_id: `task-${i}` });
    queue.transition(j.id, token, 'running', 'downloading', {});
    const file = clips[i % clips.length] ?? '';
    queue.transition(j.id, token, 'downloading', 'done', { file, expires_at: expires }, { release: true });
  });
  // Stills as the engine records them when it verifies a take (electron/core/reviews/stills.ts):
  // made once per distinct clip, stored for every take through the review store's own API.
  const stills = new Map<string, Awaited<ReturnType<typeof makeStills>>>();
  for (const f of clips) stills.set(f, await makeStills(f, dataDir));
  const db = openDatabase(join(dataDir, 'shotline.db'));
  try {
    const reviews = new ReviewStore(db);
    listed.value.jobs.forEach((j, i) => {
      const file = clips[i % clips.length] ?? '';
      const s = stills.get(file);
      if (s) reviews.putStills({ jobId: j.id, storyboardId: id, subject: null }, file, s.media, s);
    });
  } finally {
    db.close();
  }
  return id;
}

const bench: CustomBench = {
  name: `renderer: Takes page ${SHOTS} shots x ${TAKES} takes (Chromium over the test bridge)`,
  async measure() {
    if (!existsSync(join(RENDERER, 'index.html'))) return ['skipped: out/renderer missing (run npm run build)'];
    const dataDir = mkdtempSync(join(tmpdir(), 'shotline-bench-takes-'));
    const core = createCore({ dataDir });
    const bridge = await startTestBridge(core, RENDERER);
    const browser = await chromium.launch({
      executablePath: process.env.SHOTLINE_CHROMIUM ?? '/usr/bin/chromium',
      args: ['--no-sandbox', '--disable-gpu'],
    });
    const lines: string[] = [];
    try {
      const storyboardId = await fill(core, dataDir);
      const page = await browser.newPage({ viewport: { width: 1440, height: 900 } });
      await page.goto(bridge.url);
      await page.evaluate((sb) => localStorage.setItem('shotline.project.v1', sb), storyboardId);
      for (const run of ['cold', 'warm']) {
        await page.reload();
        // The live job list is loaded before the click (the Queue page shows it; not what is measured).
        await page.getByRole('navigation').getByRole('button', { name: 'Queue', exact: true }).click();
        await page.waitForFunction(
          (n) => document.querySelector('[data-testid="queue-count"]')?.textContent?.startsWith(`${n} `),
          SHOTS * TAKES,
        );
        await page.getByRole('navigation').getByRole('button', { name: 'Storyboard', exact: true }).click();
        const figures = await page.evaluate(async () => {
          // No named helper functions in here: tsx would wrap them in a __name() the page lacks.
          const takes = [...document.querySelectorAll<HTMLButtonElement>('nav button')].find(
            (b) => b.textContent === 'Takes',
          );
          if (!takes) throw new Error('no Takes button');
          const t0 = performance.now();
          takes.click();
          let first = -1;
          for (let i = 0; i < 2000; i++) {
            await new Promise((r) => requestAnimationFrame(r));
            const rows = document.querySelectorAll('[data-testid="sheet-row"]');
            if (first < 0 && rows.length > 0) first = performance.now() - t0;
            const imgs = [...document.querySelectorAll<HTMLImageElement>('[data-testid="sheet-row"] .poster img')];
            const cells = document.querySelectorAll('[data-testid="sheet-row"] [data-testid="take"]').length;
            if (cells > 0 && imgs.length === cells && imgs.every((im) => im.complete && im.naturalWidth > 0))
              return { first, posters: performance.now() - t0, rows: rows.length, imgs: imgs.length };
          }
          return { first, posters: -1, rows: -1, imgs: -1 };
        });
        lines.push(
          `${run}: first screen ${figures.first.toFixed(0)} ms (goal < 300), visible posters ${figures.posters.toFixed(0)} ms (goal < 1000); ${figures.rows} rows and ${figures.imgs} posters in the DOM`,
        );
      }
    } finally {
      await browser.close();
      await bridge.close();
      await core.close();
      rmSync(dataDir, { recursive: true, force: true });
    }
    return lines;
  },
};

export default bench;
