/**
 * The Storyboard page at 20 and 200 shots (issue 17 item 6): Debian's Chromium drives the built
 * renderer over the test bridge (run `npm run build` first). Side by side: switching to the
 * table view (virtualised) and back to the list of cards, rows and cards in the DOM, scrolling
 * the table, and a bulk edit of every shot (checked by the one storyboard model, then painted);
 * plus the check alone in Node (state/storyboard-bulk.ts bulkEdit over 200 shots).
 */
import { existsSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { performance } from 'node:perf_hooks';

import { chromium, type Page } from '@playwright/test';

import { createCore } from '../../electron/core';
import { startTestBridge } from '../../electron/core/bridge/test-bridge';
import { newShot, type Storyboard } from '../../renderer/src/state/storyboard';
import { bulkEdit } from '../../renderer/src/state/storyboard-bulk';
import type { CustomBench } from './harness';

const RENDERER = join(import.meta.dirname, '..', '..', 'out', 'renderer');

function board(n: number): Storyboard {
  const shots = Array.from({ length: n }, (_, i) => ({
    ...newShot([]),
    id: `s${i + 1}`,
    prompt: `shot number ${i + 1}: a red kite over the dunes at dawn`,
  }));
  return { name: `Bench ${n}`, shots };
}

/** Clicks a button in the page and waits two frames after `done` holds: the new screen is painted. */
async function paintAfterClick(page: Page, button: string, done: string, count: number): Promise<number> {
  return page.evaluate(
    async ({ button, done, count }) => {
      const b = [...document.querySelectorAll('button')].find((x) => x.textContent === button);
      const t0 = performance.now();
      b?.click();
      for (;;) {
        await new Promise((r) => requestAnimationFrame(r));
        if (document.querySelectorAll(done).length >= count) break;
      }
      await new Promise((r) => requestAnimationFrame(r));
      return performance.now() - t0;
    },
    { button, done, count },
  );
}

async function measurePage(page: Page, n: number, lines: string[]): Promise<void> {
  const toTable: number[] = [];
  const toList: number[] = [];
  for (let r = 0; r < 3; r++) {
    toTable.push(await paintAfterClick(page, 'Table', '[data-testid="shot-row"]', 1));
    toList.push(await paintAfterClick(page, 'List', '[data-testid="shot-card"]', n));
  }
  const cards = await page.locator('[data-testid="shot-card"]').count();
  await paintAfterClick(page, 'Table', '[data-testid="shot-row"]', 1);
  const rows = await page.locator('[data-testid="shot-row"]').count();
  const med = (xs: number[]): string => ([...xs].sort((a, b) => a - b)[1] ?? 0).toFixed(0).padStart(4);
  lines.push(
    `${String(n).padStart(3)} shots: list -> table ${med(toTable)} ms (${rows} rows in the DOM), table -> list ${med(toList)} ms (${cards} cards)`,
  );
  const scroll = await page.evaluate(async () => {
    const el = document.querySelector<HTMLElement>('[data-testid="shot-table"]');
    if (!el) return -1;
    const t0 = performance.now();
    for (let i = 0; i < 60; i++) {
      el.scrollTop = (el.scrollTop + 300) % Math.max(1, el.scrollHeight - el.clientHeight);
      await new Promise((r) => requestAnimationFrame(r));
    }
    return (performance.now() - t0) / 60;
  });
  await page.getByTestId('shot-table').press('Control+a');
  await page.getByLabel('Takes for selected').selectOption('2');
  const bulk = await paintAfterClick(page, `Apply to ${n} shots`, '[data-testid="bulk-done"]', 1);
  lines.push(
    `${String(n).padStart(3)} shots: table scroll ${scroll.toFixed(1)} ms per frame (16.7 = 60 fps), bulk edit of all ${bulk.toFixed(0)} ms to paint`,
  );
}

function measureCheck(lines: string[]): void {
  for (const n of [20, 200]) {
    const sb = board(n);
    const all = sb.shots.map((_, i) => i);
    bulkEdit(sb, all, { takes: 2 });
    const t0 = performance.now();
    for (let i = 0; i < 10; i++) bulkEdit(sb, all, { takes: 2 + (i % 3) });
    lines.push(
      `${String(n).padStart(3)} shots: bulkEdit check in Node ${((performance.now() - t0) / 10).toFixed(1)} ms`,
    );
  }
}

const bench: CustomBench = {
  name: 'renderer: Storyboard page with 20 vs 200 shots, list and table (Chromium over the test bridge)',
  async measure() {
    const lines: string[] = [];
    measureCheck(lines);
    if (!existsSync(join(RENDERER, 'index.html')))
      return [...lines, 'skipped: out/renderer missing (run npm run build)'];
    const browser = await chromium.launch({
      executablePath: process.env.SHOTLINE_CHROMIUM ?? '/usr/bin/chromium',
      args: ['--no-sandbox', '--disable-gpu'],
    });
    try {
      for (const n of [20, 200]) {
        const dataDir = mkdtempSync(join(tmpdir(), 'shotline-bench-storyboard-'));
        const core = createCore({ dataDir });
        const bridge = await startTestBridge(core, RENDERER);
        try {
          const r = await core.call('storyboard.draft.set', { content: JSON.stringify(board(n)) });
          if (!r.ok) throw new Error(r.error.message);
          const page = await browser.newPage({ viewport: { width: 1440, height: 900 } });
          await page.goto(bridge.url);
          await page
            .getByTestId('storyboard-total')
            .filter({ hasText: `${n} shots` })
            .waitFor();
          await measurePage(page, n, lines);
          await page.close();
        } finally {
          await bridge.close();
          await core.close();
          rmSync(dataDir, { recursive: true, force: true });
        }
      }
    } finally {
      await browser.close();
    }
    return lines;
  },
};

export default bench;
