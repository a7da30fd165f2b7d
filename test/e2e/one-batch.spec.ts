/**
 * Issue 11 item 3: one click, one batch. Queue is busy while it works (a double click makes one
 * batch), a click on an unchanged storyboard says it is already queued and offers the Queue
 * page, a re-roll joins its take's batch (not the newest one), and the morning report is kept
 * per batch. Real core, the built-in sandbox, Chromium over the test bridge.
 */
import { join } from 'node:path';

import type { Core } from '../../electron/core';
import { expect, test } from './fixtures';
import { allDone, buildStoryboard, jobs, nav } from './project-helpers';

test.use({ viewport: { width: 1440, height: 900 } });

async function batchIds(core: Core): Promise<string[]> {
  const r = await core.call('queue.batches', {});
  if (!r.ok) throw new Error(r.error.message);
  return r.value.batches.map((b) => b.id);
}

test('one click, one batch; already queued says so; a re-roll joins its take’s batch; the report is kept per batch', async ({
  app,
  core,
}) => {
  await core.services.sandbox.ensure({ timing: { submittedMs: 100, processingMs: 500 } });
  await buildStoryboard(app, 'Kite', ['A red kite over the sea', 'The kite climbs']);
  await nav(app, 'Batch');
  const page = app.locator('.page.batch');
  const button = page.getByRole('button', { name: 'Queue', exact: true });
  await expect(button).toBeEnabled();

  // A double click queues once.
  await button.dblclick();
  await expect(page.getByRole('status').filter({ hasText: 'Queued 2 new take(s)' })).toBeVisible();
  expect(await batchIds(core)).toHaveLength(1);
  const first = (await batchIds(core))[0] ?? '';
  await allDone(core, 2);

  // Again, unchanged: no empty batch, and the way to the Queue page.
  await button.click();
  await expect(page.getByTestId('already-queued')).toContainText(
    `Already queued: all 2 take(s) of this storyboard are in batch ${first}`,
  );
  expect(await batchIds(core)).toEqual([first]);
  await page.getByRole('button', { name: 'Open the Queue page' }).click();
  await expect(app.getByRole('heading', { name: 'Queue', level: 1 })).toBeVisible();

  // One more take of the second shot: a new batch with just that take.
  await nav(app, 'Storyboard');
  await app.getByTestId('shot-card').nth(1).click();
  await app.locator('.shot-editor').getByLabel('Takes', { exact: true }).fill('2');
  await nav(app, 'Batch');
  await button.click();
  await expect(page.getByRole('status').filter({ hasText: 'Queued 1 new take(s)' })).toBeVisible();
  const ids = await batchIds(core);
  expect(ids).toHaveLength(2);
  const second = ids.find((id) => id !== first) as string;
  await allDone(core, 3);

  // A re-roll of the first shot joins the first shot's batch, not the newest one.
  await nav(app, 'Takes');
  await app.getByRole('region', { name: 'Takes of shot-1' }).getByRole('button', { name: 'Re-roll' }).click();
  // Every re-roll asks first, with its cost (renderer/src/pages/takes/RerollConfirm.tsx).
  await app
    .getByTestId('confirm-reroll')
    .getByRole('button', { name: /^Re-roll \(/ })
    .click();
  await expect.poll(async () => (await jobs(core)).length).toBe(4);
  const all = await allDone(core, 4);
  expect(all.filter((j) => j.shotId === 'shot-1').map((j) => j.batchId)).toEqual([first, first]);
  expect(await batchIds(core)).toHaveLength(2);

  // The morning report: any past batch, each with its own counts.
  await nav(app, 'Batch');
  const report = page.getByTestId('morning-report');
  const picker = report.getByLabel('Batch');
  await expect(picker.locator('option')).toHaveCount(2);
  await expect(report).toContainText(`Batch ${second}`);
  await expect(report).toContainText('1 done');
  await picker.selectOption(first);
  await expect(report).toContainText(`Batch ${first}`);
  await expect(report).toContainText('3 done');
  await app.screenshot({ path: join(import.meta.dirname, '..', '..', 'docs', 'screenshots', 'batch.png') });
});
