/**
 * Issue 11 item 2 and 9: the Queue page shows the whole batch the moment it is queued, the
 * bars count blocked jobs as needing attention, pause is one toggle, errors expand, unclaimed
 * jobs can be cancelled or raised; a content-policy refusal asks for a changed prompt before
 * anything is sent again. Real core, the built-in sandbox (its options set before the first
 * batch starts it), the renderer in Chromium over the test bridge.
 */
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';

import type { Page } from '@playwright/test';

import { expect, test } from './fixtures';

test.use({ viewport: { width: 1440, height: 900 } });

/** Imports a CSV storyboard on the Storyboard page and queues it on the Batch page. */
async function importAndQueue(app: Page, file: string, shots: number, budget?: string): Promise<void> {
  await app.getByLabel('Storyboard file to import').setInputFiles(file);
  await expect(app.getByTestId('shot-card')).toHaveCount(shots);
  await app.getByRole('navigation').getByRole('button', { name: 'Batch' }).click();
  if (budget) await app.getByLabel('Budget cap (units)').fill(budget);
  await app.locator('.page.batch').getByRole('button', { name: 'Queue', exact: true }).click();
  await expect(app.locator('.page.batch').getByRole('status').filter({ hasText: 'Queued' })).toBeVisible();
  await app.getByRole('navigation').getByRole('button', { name: 'Queue' }).click();
}

test('150 takes: every job is listed at once, unclaimed ones can be cancelled and raised, pause is one toggle', async ({
  app,
  core,
  dataDir,
}) => {
  // Slow tasks: the engine holds a handful, the rest wait unclaimed for the whole test.
  await core.services.sandbox.ensure({ timing: { submittedMs: 500, processingMs: 60_000 } });
  const file = join(dataDir, 'night.csv');
  const rows = Array.from({ length: 50 }, (_, i) => `s${i + 1},shot ${i + 1} of the night,kling-2.5-turbo,3`);
  writeFileSync(file, `id,prompt,model,takes\n${rows.join('\n')}\n`);
  await importAndQueue(app, file, 50);

  // The whole batch, not only what the engine claimed.
  await expect(app.getByTestId('queue-count')).toHaveText('150 of 150 jobs');
  const bar = app.getByTestId('batch-bar');
  await expect(bar).toHaveCount(1);
  await expect(bar.getByTestId('batch-count')).toContainText('of 150 settled');

  // An unclaimed job: cancel it; raise another.
  await app.getByLabel('State').selectOption('queued');
  const last = app.getByTestId('job-row').filter({ hasText: 'night/s50#3' });
  await app.getByTestId('job-scroll').evaluate((el) => (el.scrollTop = el.scrollHeight));
  await expect(last).toHaveAttribute('data-state', 'queued');
  await last.getByRole('button', { name: 'Cancel: s50#3' }).click();
  await app.getByLabel('State').selectOption('canceled');
  await expect(app.getByTestId('job-row')).toHaveCount(1);
  await expect(app.getByTestId('job-row')).toContainText('night/s50#3');
  await app.getByLabel('State').selectOption('queued');
  await app.getByTestId('job-scroll').evaluate((el) => (el.scrollTop = el.scrollHeight));
  const raise = app.getByTestId('job-row').filter({ hasText: 'night/s50#2' });
  await raise.getByRole('button', { name: 'Raise priority: s50#2' }).click();
  await expect(raise.locator('.state')).toHaveText('queued ↑1');
  await app.getByLabel('State').selectOption('');
  await expect(app.getByTestId('queue-count')).toHaveText('150 of 150 jobs');

  // Pause and resume: one button, and the paused state is shown.
  const toggle = bar.getByRole('button', { name: 'Pause night' });
  await expect(toggle).toHaveAttribute('aria-pressed', 'false');
  await toggle.click();
  const resume = bar.getByRole('button', { name: 'Resume night' });
  await expect(resume).toHaveAttribute('aria-pressed', 'true');
  await expect(bar.getByTestId('batch-paused')).toContainText('Paused');
  await expect(bar).toHaveAttribute('data-paused', 'true');
  await expect(bar.getByRole('button')).toHaveCount(1);
  await app.screenshot({ path: join(import.meta.dirname, 'screenshots', 'queue-batch.png') });
  await resume.click();
  await expect(bar.getByRole('button', { name: 'Pause night' })).toHaveAttribute('aria-pressed', 'false');
  await expect(bar.getByTestId('batch-paused')).toHaveCount(0);
});

test('blocked jobs need attention and the bar reaches its end; the whole error expands', async ({
  app,
  core,
  dataDir,
}) => {
  await core.services.sandbox.ensure({ timing: { submittedMs: 100, processingMs: 300 } });
  const file = join(dataDir, 'capped.csv');
  writeFileSync(file, 'id,prompt,model,takes\na,a kite over the sea,kling-2.5-turbo,4\n');
  // A cap of one take (2.5 Turbo 720p 5 s = 1.5 u): the other three are blocked by the budget.
  await importAndQueue(app, file, 1, '1.5');
  const bar = app.getByTestId('batch-bar');
  await expect(bar.getByTestId('batch-count')).toHaveText('4 of 4 settled', { timeout: 60_000 });
  await expect(bar.getByTestId('batch-attention')).toHaveText('3 need attention');
  await expect(bar.getByRole('progressbar')).toHaveAttribute('value', '4');
  const blocked = app.locator('[data-testid="job-row"][data-state="blocked"]');
  await expect(blocked).toHaveCount(3);
  const row = blocked.first();
  const err = row.getByRole('button', { expanded: false });
  await expect(err).toContainText('budget cap reached');
  const before = (await row.boundingBox())?.height ?? 0;
  await err.click();
  await expect(row.getByRole('button', { expanded: true })).toBeVisible();
  // The whole text is on screen: the row grew and nothing is cut off.
  await expect.poll(async () => (await row.boundingBox())?.height ?? 0).toBeGreaterThan(before);
  const cut = await row.locator('.err-toggle').evaluate((el) => el.scrollWidth > el.clientWidth + 1);
  expect(cut).toBe(false);
});

test('Retry on a content-policy refusal asks for a changed prompt before anything is sent', async ({
  app,
  core,
  dataDir,
}) => {
  const { sandbox } = await core.services.sandbox.ensure({
    timing: { submittedMs: 100, processingMs: 300 },
    rejectedWords: ['forbidden'],
  });
  const file = join(dataDir, 'refused.csv');
  writeFileSync(file, 'id,prompt,model\na,a forbidden kite,kling-2.5-turbo\n');
  await importAndQueue(app, file, 1);
  const row = app.getByTestId('job-row').filter({ hasText: 'refused/a#1' });
  await expect(row).toHaveAttribute('data-state', 'blocked', { timeout: 60_000 });
  const sent = sandbox.creates.length;
  await row.getByRole('button', { name: 'Retry: a#1' }).click();
  const dialog = app.getByRole('dialog', { name: /Retry with a new prompt/ });
  await expect(dialog).toContainText('Sending the same prompt again is refused again');
  const prompt = dialog.getByLabel('New prompt for this take');
  await expect(prompt).toHaveValue('a forbidden kite');
  await expect(dialog.getByRole('button', { name: 'Retry with this prompt' })).toBeDisabled();
  // Nothing was sent by the click on Retry.
  expect(sandbox.creates.length).toBe(sent);
  await prompt.fill('a red kite');
  await dialog.getByRole('button', { name: 'Retry with this prompt' }).click();
  await expect(dialog).toHaveCount(0);
  await expect(row).toHaveAttribute('data-state', 'done', { timeout: 60_000 });
  const body = sandbox.creates.at(-1)?.body as { prompt?: string };
  expect(body.prompt).toBe('a red kite');
  expect(sandbox.creates.length).toBe(sent + 1);
});
