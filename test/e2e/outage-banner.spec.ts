/**
 * Issue 14 item 3 in the app: while Kling (here the built-in sandbox) answers every call with
 * 5001, the Queue page says so with the next try counting down, and the takes wait (nothing
 * fails); when it answers again the banner goes and every take finishes; the Batch page's
 * morning report lists the outage. Real core, the sandbox over HTTP, Chromium over the bridge.
 */
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';

import { expect, test } from './fixtures';

test.use({ viewport: { width: 1440, height: 900 } });

/** Quick probes for this test only (the engine reads them when the batch starts it). */
const PROBES = { SHOTLINE_OUTAGE_PROBE_MS: '1500', SHOTLINE_OUTAGE_PROBE_MAX_MS: '3000' };

test('the Queue page says Kling is down and when it tries next; the morning report lists the outage', async ({
  app,
  core,
  dataDir,
}) => {
  const saved = Object.fromEntries(Object.keys(PROBES).map((k) => [k, process.env[k]]));
  Object.assign(process.env, PROBES);
  try {
    const { sandbox } = await core.services.sandbox.ensure({ timing: { submittedMs: 300, processingMs: 2500 } });
    const file = join(dataDir, 'night.csv');
    writeFileSync(
      file,
      'id,prompt,model,takes\na,a red kite over the sea,kling-2.5-turbo,2\nb,a boat at dawn,kling-2.5-turbo,2\n',
    );
    await app.getByLabel('Storyboard file to import').setInputFiles(file);
    await expect(app.getByTestId('shot-card')).toHaveCount(2);
    await app.getByRole('navigation').getByRole('button', { name: 'Batch' }).click();
    await app.locator('.page.batch').getByRole('button', { name: 'Queue', exact: true }).click();
    await expect(app.locator('.page.batch').getByRole('status').filter({ hasText: 'Queued' })).toBeVisible();
    sandbox.outage.start({ type: 'error', code: 5001 });
    await app.getByRole('navigation').getByRole('button', { name: 'Queue' }).click();

    const banner = app.getByTestId('outage-banner');
    await expect(banner).toContainText(
      /Kling sandbox unavailable \(server errors\) since \d\d:\d\d; (next try in \d+ s|trying now)/,
    );
    await expect(banner).toContainText('nothing fails');
    // Takes wait through it: none failed or blocked.
    await expect(
      app.locator('[data-testid="job-row"][data-state="failed"], [data-testid="job-row"][data-state="blocked"]'),
    ).toHaveCount(0);

    sandbox.outage.end();
    await expect(banner).toHaveCount(0, { timeout: 30_000 });
    await expect(app.locator('[data-testid="job-row"][data-state="done"]')).toHaveCount(4, { timeout: 60_000 });

    await app.getByRole('navigation').getByRole('button', { name: 'Batch' }).click();
    const line = app.getByTestId('outage-line');
    await expect(line).toHaveCount(1);
    await expect(line).toContainText(
      /\d\d:\d\d–\d\d:\d\d \(\d+ s\): Kling sandbox unavailable \(server errors\); 4 takes waited/,
    );
  } finally {
    for (const [k, v] of Object.entries(saved)) {
      if (v === undefined) delete process.env[k];
      else process.env[k] = v;
    }
  }
});

test('Settings sets how long takes wait out outages (kept in the core for the next engine start)', async ({
  app,
  core,
}) => {
  await app.getByRole('navigation').getByRole('button', { name: 'Settings' }).click();
  const field = app.getByLabel('Wait at most (hours)');
  await expect(field).toHaveValue('12');
  await field.fill('0');
  await app.locator('section[aria-labelledby="outages-title"]').getByRole('button', { name: 'Save' }).click();
  await expect(app.getByTestId('outage-settings-note')).toContainText('give hours from 0.01 to 720');
  await field.fill('6');
  await app.locator('section[aria-labelledby="outages-title"]').getByRole('button', { name: 'Save' }).click();
  await expect(app.getByTestId('outage-settings-note')).toContainText('up to 6 h');
  expect(await core.call('engine.settings.get', {})).toEqual({ ok: true, value: { transientBudgetHours: 6 } });
});
