/**
 * Renderer with 10,000 jobs: Debian's Chromium drives the built renderer over the test
 * bridge (run `npm run build` first). Side by side: time from loading N jobs to the first
 * painted screen of the Queue (100 vs 10,000), a burst of 10,000 live updates (one frame
 * thanks to batching), and rows in the DOM.
 */
import { existsSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

import { chromium } from '@playwright/test';

import { createCore } from '../../electron/core';
import { startTestBridge } from '../../electron/core/bridge/test-bridge';
import type { CustomBench } from './harness';

const RENDERER = join(import.meta.dirname, '..', '..', 'out', 'renderer');

const bench: CustomBench = {
  name: 'renderer: Queue page with N jobs (Chromium over the test bridge)',
  async measure() {
    if (!existsSync(join(RENDERER, 'index.html'))) return ['skipped: out/renderer missing (run npm run build)'];
    const dataDir = mkdtempSync(join(tmpdir(), 'shotline-bench-renderer-'));
    const core = createCore({ dataDir });
    const bridge = await startTestBridge(core, RENDERER);
    const browser = await chromium.launch({
      executablePath: process.env.SHOTLINE_CHROMIUM ?? '/usr/bin/chromium',
      args: ['--no-sandbox', '--disable-gpu'],
    });
    const lines: string[] = [];
    try {
      const page = await browser.newPage({ viewport: { width: 1280, height: 800 } });
      await page.goto(`${bridge.url}#Queue`);
      await page.getByText('No jobs.').waitFor();
      for (const n of [100, 10_000, 100, 10_000]) {
        // Load, then wait for two frames after the first row exists: the screen is painted.
        const ms = await page.evaluate(async (count) => {
          const t0 = performance.now();
          window.__shotlineTest?.loadJobs(count);
          for (;;) {
            await new Promise((r) => requestAnimationFrame(r));
            if (
              document.querySelector('[data-testid="job-row"]') &&
              document.querySelector('[data-testid="queue-count"]')?.textContent?.startsWith(`${count} `)
            )
              break;
          }
          await new Promise((r) => requestAnimationFrame(r));
          return performance.now() - t0;
        }, n);
        const rows = await page.locator('[data-testid="job-row"]').count();
        lines.push(
          `first screen with ${String(n).padStart(6)} jobs: ${ms.toFixed(0).padStart(5)} ms, ${rows} rows in the DOM`,
        );
      }
      const scroll = await page.evaluate(async () => {
        const el = document.querySelector<HTMLElement>('[data-testid="job-scroll"]');
        if (!el) return -1;
        const t0 = performance.now();
        for (let i = 0; i < 60; i++) {
          el.scrollTop += 400;
          await new Promise((r) => requestAnimationFrame(r));
        }
        return (performance.now() - t0) / 60;
      });
      lines.push(`scrolling 60 steps of 400 px: ${scroll.toFixed(1)} ms per frame (16.7 = 60 fps)`);
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
