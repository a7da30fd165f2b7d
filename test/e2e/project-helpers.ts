/**
 * Steps the project specs share (issue 11 items 3-5): text shots built in the editor, Queue on
 * the Batch page, and waiting on the real core until the sandbox has made every take.
 */
import type { Page } from '@playwright/test';

import type { Core } from '../../electron/core';
import type { JobView } from '../../shared/queue';
import { expect } from './fixtures';

export async function nav(app: Page, page: string): Promise<void> {
  await app.getByRole('navigation').getByRole('button', { name: page, exact: true }).click();
}

/** The editor's storyboard renamed `name`, with one more text shot per prompt (the editor's default model). */
export async function buildStoryboard(app: Page, name: string, prompts: string[]): Promise<void> {
  await nav(app, 'Storyboard');
  await app.getByLabel('Storyboard name').fill(name);
  const editor = app.locator('.shot-editor');
  const before = await app.getByTestId('shot-card').count();
  for (const prompt of prompts) {
    await app.getByRole('button', { name: 'Add shot' }).click();
    await editor.getByLabel('Prompt', { exact: true }).fill(prompt);
  }
  await expect(app.getByTestId('shot-card')).toHaveCount(before + prompts.length);
}

/** Queue on the Batch page; resolves when the page says how many takes were queued. */
export async function queue(app: Page, takes: number): Promise<void> {
  await nav(app, 'Batch');
  const batch = app.locator('.page.batch');
  const button = batch.getByRole('button', { name: 'Queue', exact: true });
  await expect(button).toBeEnabled();
  await button.click();
  await expect(batch.getByRole('status').filter({ hasText: `Queued ${takes} new take(s)` })).toBeVisible();
}

export async function jobs(core: Core): Promise<JobView[]> {
  const r = await core.call('queue.list', {});
  if (!r.ok) throw new Error(r.error.message);
  return r.value.jobs;
}

/** Waits until the core has `n` jobs and all are done. */
export async function allDone(core: Core, n: number): Promise<JobView[]> {
  await expect
    .poll(async () => (await jobs(core)).map((j) => j.state).join(','), { timeout: 90_000 })
    .toBe(Array(n).fill('done').join(','));
  return jobs(core);
}
