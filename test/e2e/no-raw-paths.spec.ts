/**
 * Issue 17 item 4: no page shows a raw path. The data dir is a deep folder (about 240
 * characters), a batch is made on the sandbox so every page has clips, posters and exports to
 * show, and on every page (and after the start-up checks, and a written report) no text shows
 * the data dir unelided outside a PathLabel, and no path text is wider than its box.
 */
import { mkdirSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

import type { Page } from '@playwright/test';

import { expect, test as base } from './fixtures';
import { jobs, nav } from './project-helpers';

const test = base.extend<{ dataDir: string }>({
  // eslint-disable-next-line no-empty-pattern
  dataDir: async ({}, use) => {
    const root = mkdtempSync(join(tmpdir(), 'shotline-deep-'));
    const deep = join(
      root,
      'Productions and their many long-named folders',
      'Client - A very long campaign name for the spring season',
      'Shotline data folder kept by the producer for this campaign',
      'nested once more so that no box can hold this path',
    );
    mkdirSync(deep, { recursive: true });
    await use(deep);
    rmSync(root, { recursive: true, force: true });
  },
});

test.use({ viewport: { width: 1280, height: 800 } });

const PAGES = ['Storyboard', 'Batch', 'Queue', 'Takes', 'Edit', 'Projects', 'Elements', 'Settings', 'About', 'Report'];

interface Offence {
  text: string;
  why: string;
}

/** Every text on the page that shows the data dir raw, or a path wider than its box. */
function offences(app: Page, dataDir: string): Promise<Offence[]> {
  return app.evaluate((dir) => {
    const out: Array<{ text: string; why: string }> = [];
    const root = document.querySelector('main.content') ?? document.body;
    const walker = document.createTreeWalker(root, NodeFilter.SHOW_TEXT);
    const looksLikePath = /(?:[/\\][^\s/\\]+){3,}/;
    for (let n = walker.nextNode(); n; n = walker.nextNode()) {
      const text = n.textContent ?? '';
      const el = n.parentElement;
      if (!el || !el.getClientRects().length) continue; // not shown
      if (el.closest('.path-text')) {
        const box = el.closest('.path-text') as HTMLElement;
        if (box.scrollWidth > box.clientWidth + 1)
          out.push({ text, why: `path label wider than its box (${box.scrollWidth} > ${box.clientWidth})` });
        continue;
      }
      if (text.includes(dir)) out.push({ text, why: 'the data dir shown raw' });
      else if (looksLikePath.test(text) && el.scrollWidth > el.clientWidth + 1)
        out.push({ text, why: `path text wider than its box (${el.scrollWidth} > ${el.clientWidth})` });
    }
    return out;
  }, dataDir);
}

test('no page shows a raw path or a path wider than its box', async ({ app, core, page, dataDir, dialogs }) => {
  expect(dataDir.length).toBeGreaterThan(220);
  await core.services.sandbox.ensure({ timing: { submittedMs: 100, processingMs: 300 } });
  const board = {
    name: 'Deep paths',
    defaults: { model: 'kling-2.5-turbo', duration: 5, takes: 2 },
    shots: [
      { id: 'kite-wide-establishing-shot-over-the-long-beach', prompt: 'A red kite over a beach' },
      { id: 'kite-close', prompt: 'The kite string in a hand' },
    ],
  };
  const imported = await core.call('storyboard.import', { content: JSON.stringify(board), format: 'json' });
  if (!imported.ok) throw new Error(imported.error.message);
  const storyboardId = imported.value.storyboardId;
  const enq = await core.call('queue.enqueue', { storyboardId, provider: 'sandbox' });
  if (!enq.ok) throw new Error(enq.error.message);
  await expect
    .poll(async () => (await jobs(core)).filter((j) => j.state === 'done').length, { timeout: 90_000 })
    .toBe(4);
  const picked = await core.call('review.pickFirst', { storyboardId });
  if (!picked.ok) throw new Error(picked.error.message);

  await page.evaluate((id) => localStorage.setItem('shotline.project.v1', id), storyboardId);
  await app.reload();

  const seen: Record<string, Offence[]> = {};
  for (const name of PAGES) {
    await nav(app, name);
    await expect(app.getByRole('navigation').getByRole('button', { name, exact: true })).toHaveAttribute(
      'aria-current',
      'page',
    );
    if (name === 'About') {
      await app.getByRole('button', { name: 'Run checks' }).click();
      await expect(app.getByTestId('checks').locator('li')).toHaveCount(3);
      await expect(app.getByTestId('app-data-dir')).toHaveAttribute('data-path', dataDir);
    }
    if (name === 'Settings') await expect(app.getByTestId('settings-data-dir')).toHaveAttribute('data-path', dataDir);
    if (name === 'Report') {
      await expect(app.getByTestId('report-shot')).toHaveCount(2);
      // A report written inside the deep folder: what was written is a PathLabel.
      dialogs.answerSave(join(dataDir, 'a report whose name is long enough to matter as well.html'));
      await app.getByRole('button', { name: 'Export HTML…' }).click();
      await expect(app.getByTestId('report-written')).toBeVisible();
    }
    // Let the page's own loads settle before reading it.
    await app.waitForLoadState('networkidle');
    seen[name] = await offences(app, dataDir);
  }
  expect(seen).toEqual(Object.fromEntries(PAGES.map((p) => [p, []])));
});
