/**
 * Issue 11 item 8: words for the app, in the app. Fixes say where to act in the app (not a CLI
 * flag); compliance on a fresh install (simulator only) warns about the missing key instead of
 * failing; retention rules are added and edited in Settings; the audit log is paged; the
 * Add-profile form fits at 1440 px and below; the Batch page keeps the budget cap and PII
 * choice per storyboard, explains "u" and marks simulator costs. Real core, the built-in
 * sandbox, the renderer in Chromium over the test bridge (run under scripts/with-keyring.sh).
 */
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';

import { recordAudit } from '../../electron/core/privacy/audit';
import { expect, test } from './fixtures';

test.use({ viewport: { width: 1440, height: 900 } });

test('Settings: compliance warns (not fails) with no key on the simulator; retention rules added and edited; audit log paged; Add-profile form fits', async ({
  app,
  core,
}) => {
  // 120 requests in the record (the core's own writer, as the engine uses it).
  const db = core.ctx.db();
  for (let i = 0; i < 120; i++) {
    recordAudit(db, {
      time: new Date(Date.UTC(2026, 0, 1, 0, i)).toISOString(),
      purpose: 'video generation',
      legalBasis: 'contract',
      dataCategories: ['prompt'],
      recipient: { provider: 'sandbox', host: '127.0.0.1' },
      method: 'POST',
      path: `/v1/videos/text2video#${i}`,
      bodySha256: null,
    });
  }
  await app.getByRole('navigation').getByRole('button', { name: 'Settings' }).click();

  // Compliance: no key profile while on the simulator is a warning with the app's words.
  await app.getByRole('button', { name: 'Run compliance checks' }).click();
  const keys = app.getByTestId('compliance').locator('li').filter({ hasText: 'Keys' }).first();
  await expect(keys).toHaveAttribute('data-status', 'warn');
  await expect(keys).toContainText('simulator');
  await expect(keys).toContainText('Settings > Key profiles > Add profile');
  await expect(app.getByTestId('compliance').locator('li[data-status="fail"]')).toHaveCount(0);

  // Retention: add a rule for every project, then edit it.
  const rules = app.getByTestId('retention-rules');
  const fresh = rules.getByTestId('rule-new');
  await expect(fresh.getByLabel('Project')).toHaveValue('*');
  await fresh.getByLabel('Input images, days (new rule)').fill('14');
  await fresh.getByRole('button', { name: 'Add rule' }).click();
  await expect(app.getByText('Rule for every project saved.')).toBeVisible();
  const row = rules.getByTestId('rule');
  await expect(row).toHaveCount(1);
  await expect(row.getByLabel('Input images, days (*)')).toHaveValue('14');
  await expect(row.getByLabel('Raw takes, days after the edit export (*)')).toHaveValue('30');
  await row.getByLabel('Raw takes, days after the edit export (*)').fill('7');
  await row.getByLabel('Exported edits, days (*)').fill('-3');
  await row.getByRole('button', { name: 'Save *' }).click();
  await expect(app.getByRole('alert').filter({ hasText: 'Exported edits, days' })).toBeVisible();
  await row.getByLabel('Exported edits, days (*)').fill('');
  await row.getByRole('button', { name: 'Save *' }).click();
  await expect(app.getByText('Rule for every project saved.')).toBeVisible();
  const stored = await core.call('privacy.retention.rules', {});
  expect(stored.ok && stored.value.rules).toEqual([
    { project: '*', rawTakesDaysAfterExport: 7, rawTakesMaxDays: null, imagesDays: 14, editsDays: null },
  ]);

  // Audit log: 50 a page, newest first.
  const page = app.getByTestId('audit-page');
  await expect(page).toHaveText('1-50 of 120 (page 1 of 3)');
  await expect(app.getByTestId('audit-row')).toHaveCount(50);
  await expect(app.getByTestId('audit-row').first()).toContainText('#119');
  await app.getByRole('button', { name: 'Older →' }).click();
  await expect(page).toHaveText('51-100 of 120 (page 2 of 3)');
  await expect(app.getByTestId('audit-row').first()).toContainText('#69');
  await app.getByRole('button', { name: 'Oldest' }).click();
  await expect(page).toHaveText('101-120 of 120 (page 3 of 3)');
  await expect(app.getByTestId('audit-row')).toHaveCount(20);
  await expect(app.getByTestId('audit-row').last()).toContainText('#0');

  // The Add-profile form fits the window at 1440 px and narrower: nothing beyond the right edge.
  const form = app.getByRole('form', { name: 'Add profile' });
  for (const width of [1440, 1280, 1024]) {
    await app.setViewportSize({ width, height: 900 });
    const overflow = await form.evaluate((f) => {
      const right = Math.max(
        ...[...f.querySelectorAll('input, select, button')].map((el) => el.getBoundingClientRect().right),
      );
      const content = document.querySelector('.content');
      return { right, width: window.innerWidth, scrolls: content ? content.scrollWidth > content.clientWidth : false };
    });
    expect(overflow.right, `form at ${width} px`).toBeLessThanOrEqual(overflow.width);
    expect(overflow.scrolls, `no horizontal scroll at ${width} px`).toBe(false);
  }
  await app.setViewportSize({ width: 1440, height: 900 });
  await app.getByRole('heading', { name: 'Key profiles' }).scrollIntoViewIfNeeded();
  await app.screenshot({ path: join(import.meta.dirname, 'screenshots', 'settings-app.png') });
});

test('Batch: budget cap and PII kept per storyboard, "u" explained, simulator costs marked; a budget block says where to raise the cap', async ({
  app,
  core,
  dataDir,
}) => {
  await core.services.sandbox.ensure({ timing: { submittedMs: 100, processingMs: 300 } });
  const a = join(dataDir, 'alpha.csv');
  const b = join(dataDir, 'beta.csv');
  writeFileSync(a, 'id,prompt,model,takes\na1,a kite over the sea,kling-2.5-turbo,3\n');
  writeFileSync(b, 'id,prompt,model\nb1,a boat,kling-2.5-turbo\n');
  const nav = app.getByRole('navigation');
  const batch = app.locator('.page.batch');

  await app.getByLabel('Storyboard file to import').setInputFiles(a);
  await expect(app.getByTestId('shot-card')).toHaveCount(1);
  await nav.getByRole('button', { name: 'Batch' }).click();
  await expect(batch.getByTestId('units-note')).toContainText('u = Kling units');
  await expect(batch.getByTestId('batch-simulated')).toContainText('SIMULATED');
  await batch.getByLabel('Budget cap (units)').fill('1.5');
  await batch.getByLabel('Block the shot').check();

  // Another storyboard: its own (empty) choices.
  await nav.getByRole('button', { name: 'Storyboard' }).click();
  await app.getByLabel('Storyboard file to import').setInputFiles(b);
  await expect(app.getByTestId('shot-card').first()).toContainText('b1');
  await nav.getByRole('button', { name: 'Batch' }).click();
  await expect(batch.getByLabel('Budget cap (units)')).toHaveValue('');
  await expect(batch.getByLabel('Mask it')).toBeChecked();

  // Back to the first: its cap and PII choice again, then queue it.
  await nav.getByRole('button', { name: 'Storyboard' }).click();
  await app.getByLabel('Storyboard file to import').setInputFiles(a);
  await expect(app.getByTestId('shot-card').first()).toContainText('a1');
  await nav.getByRole('button', { name: 'Batch' }).click();
  await expect(batch.getByLabel('Budget cap (units)')).toHaveValue('1.5');
  await expect(batch.getByLabel('Block the shot')).toBeChecked();
  await batch.getByRole('button', { name: 'Queue', exact: true }).click();
  await expect(batch.getByRole('status').filter({ hasText: 'Queued' })).toBeVisible();

  // Two takes pass the cap: their fix names the Batch page, not a CLI flag.
  await nav.getByRole('button', { name: 'Queue' }).click();
  const blocked = app.locator('[data-testid="job-row"][data-state="blocked"]');
  await expect(blocked).toHaveCount(2, { timeout: 60_000 });
  const fix = blocked.first().locator('.err-fix');
  await expect(fix).toContainText('raise the Budget cap on the Batch page and press Queue again');
  await expect(fix).not.toContainText('raise --budget');
});
