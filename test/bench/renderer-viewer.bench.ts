/**
 * The viewer (issue 17 items 1-2) in Debian's Chromium over the test bridge, on real sandbox
 * clips (720p, 24 fps) made by the core (run `npm run build` first):
 * - open to first frame: from the click on a take to the first frame the <video> presents
 *   (requestVideoFrameCallback), goal < 200 ms;
 * - four takes in CompareView playing synced for 5 s: dropped frames per take
 *   (getVideoPlaybackQuality) and the spread between the takes (median, 95th percentile, max).
 */
import { existsSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

import { chromium, type Page } from '@playwright/test';

import { createCore, type Core } from '../../electron/core';
import { startTestBridge } from '../../electron/core/bridge/test-bridge';
import type { CustomBench } from './harness';

const RENDERER = join(import.meta.dirname, '..', '..', 'out', 'renderer');
const FPS = 24;

const STORYBOARD = {
  name: 'Viewer bench',
  defaults: { model: 'kling-3.0', resolution: '720p', aspectRatio: '16:9', audio: 'off', takes: 4 },
  shots: [{ id: 'kite', duration: 10, prompt: 'A red kite climbs over the dunes' }],
};

async function makeTakes(core: Core): Promise<string> {
  await core.services.sandbox.ensure({ timing: { submittedMs: 50, processingMs: 200 } });
  const imported = await core.call('storyboard.import', { content: JSON.stringify(STORYBOARD), format: 'json' });
  if (!imported.ok) throw new Error(imported.error.message);
  const enq = await core.call('queue.enqueue', { storyboardId: imported.value.storyboardId, provider: 'sandbox' });
  if (!enq.ok) throw new Error(enq.error.message);
  for (let i = 0; i < 600; i++) {
    const r = await core.call('queue.list', {});
    if (r.ok && r.value.jobs.length === 4 && r.value.jobs.every((j) => j.state === 'done')) break;
    await new Promise((ok) => setTimeout(ok, 200));
  }
  return imported.value.storyboardId;
}

/** ms from the click on Play to the first presented frame, `n` times (closing the player between). */
async function openTimes(page: Page, n: number): Promise<number[]> {
  const out: number[] = [];
  for (let i = 0; i < n; i++) {
    const ms = await page.evaluate(
      async (take) => {
        const button = document.querySelector<HTMLButtonElement>(`button[aria-label="Play take ${take} of kite"]`);
        if (!button) throw new Error('no Play button on the Takes page');
        const t0 = performance.now();
        button.click();
        for (;;) {
          const v = document.querySelector<HTMLVideoElement>('[data-testid="player"] video');
          if (v) {
            await new Promise<void>((ok) => {
              v.requestVideoFrameCallback(() => ok());
            });
            return performance.now() - t0;
          }
          await new Promise((r) => requestAnimationFrame(r));
        }
      },
      (i % 4) + 1,
    );
    out.push(ms);
    await page.getByRole('button', { name: 'Close the player (Esc)' }).click();
  }
  return out;
}

async function syncedPlayback(page: Page): Promise<string[]> {
  await page.getByRole('button', { name: 'Compare the takes of kite' }).click();
  const view = page.getByTestId('compare-view');
  await view
    .getByTestId('frame')
    .filter({ hasText: /^frame 0 of \d+$/ })
    .waitFor();
  await view.getByRole('button', { name: 'Play (Space)' }).click();
  const r = await view.evaluate(async (el) => {
    const vs = Array.from(el.querySelectorAll('video'));
    const before = vs.map((v) => v.getVideoPlaybackQuality());
    const spreads: number[] = [];
    const t0 = performance.now();
    while (performance.now() - t0 < 5000) {
      const ts = vs.map((v) => v.currentTime);
      if (vs.every((v) => !v.paused)) spreads.push(Math.max(...ts) - Math.min(...ts));
      await new Promise((ok) => requestAnimationFrame(ok));
    }
    const q = vs.map((v, i) => ({
      dropped: v.getVideoPlaybackQuality().droppedVideoFrames - (before[i]?.droppedVideoFrames ?? 0),
      total: v.getVideoPlaybackQuality().totalVideoFrames - (before[i]?.totalVideoFrames ?? 0),
    }));
    return { spreads, q, played: vs[0]?.currentTime ?? 0 };
  });
  await view.getByRole('button', { name: 'Pause (Space)' }).click();
  const s = [...r.spreads].sort((a, b) => a - b);
  const at = (p: number): string => ((s[Math.min(s.length - 1, Math.floor(s.length * p))] ?? 0) * FPS).toFixed(2);
  return [
    `four takes synced for 5 s (lead reached ${r.played.toFixed(2)} s, ${s.length} samples): spread median ${at(0.5)} frames, p95 ${at(0.95)}, max ${at(1)}`,
    `dropped frames per take: ${r.q.map((x) => `${x.dropped}/${x.total}`).join(', ')}`,
  ];
}

const bench: CustomBench = {
  name: 'renderer: viewer open-to-first-frame and four synced takes (Chromium over the test bridge)',
  async measure() {
    if (!existsSync(join(RENDERER, 'index.html'))) return ['skipped: out/renderer missing (run npm run build)'];
    const dataDir = mkdtempSync(join(tmpdir(), 'shotline-bench-viewer-'));
    const core = createCore({ dataDir });
    const bridge = await startTestBridge(core, RENDERER);
    const browser = await chromium.launch({
      executablePath: process.env.SHOTLINE_CHROMIUM ?? '/usr/bin/chromium',
      args: ['--no-sandbox', '--disable-gpu', '--autoplay-policy=no-user-gesture-required'],
    });
    const lines: string[] = [];
    try {
      const storyboardId = await makeTakes(core);
      const page = await browser.newPage({ viewport: { width: 1440, height: 900 } });
      await page.goto(bridge.url);
      await page.evaluate((id) => localStorage.setItem('shotline.project.v1', id), storyboardId);
      await page.goto(`${bridge.url}#Takes`);
      await page.reload(); // the project is read from localStorage at start
      await page.getByRole('button', { name: 'Play take 1 of kite' }).waitFor();
      const opens = (await openTimes(page, 9)).slice(1); // the first one warms the decoder
      const sorted = [...opens].sort((a, b) => a - b);
      lines.push(
        `open to first frame (720p, goal < 200 ms): median ${sorted[Math.floor(sorted.length / 2)]?.toFixed(0)} ms, max ${sorted[sorted.length - 1]?.toFixed(0)} ms over ${opens.length}`,
      );
      lines.push(...(await syncedPlayback(page)));
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
