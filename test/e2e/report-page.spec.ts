/**
 * Issue 17 item 5: the morning report is a page. A batch made by the real core on the built-in
 * sandbox (one shot refused by Kling's content check); the Report page shows a poster per shot
 * with its status, the takes with the refusal's fix, time and cost; Export HTML and Export PDF go
 * through the fake save dialog to files that hold every shot; a shot opens its takes.
 */
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';

import { expect, test } from './fixtures';
import { jobs, nav } from './project-helpers';

test.use({ viewport: { width: 1440, height: 900 } });

const STORYBOARD = {
  name: 'Kite morning',
  defaults: { model: 'kling-2.5-turbo', duration: 5, takes: 1 },
  shots: [
    { id: 'kite-wide', prompt: 'A red kite over a beach', takes: 2 },
    { id: 'kite-close', prompt: 'The kite string in a hand' },
    // The sandbox refuses "rejectedword" at create (Kling 1301): the take is blocked with a fix.
    { id: 'kite-refused', prompt: 'A kite rejectedword' },
  ],
};
const LIVE = new Set(['queued', 'submitting', 'running', 'downloading']);

test('the Report page shows each shot with its poster and status, exports HTML and PDF with every shot, and opens a shot’s takes', async ({
  app,
  core,
  page,
  dialogs,
  dataDir,
}) => {
  await core.services.sandbox.ensure({ timing: { submittedMs: 100, processingMs: 300 } });
  const imported = await core.call('storyboard.import', { content: JSON.stringify(STORYBOARD), format: 'json' });
  if (!imported.ok) throw new Error(imported.error.message);
  const storyboardId = imported.value.storyboardId;
  const enq = await core.call('queue.enqueue', { storyboardId, provider: 'sandbox', piiMode: 'allow' });
  if (!enq.ok) throw new Error(enq.error.message);
  await expect
    .poll(async () => (await jobs(core)).filter((j) => !LIVE.has(j.state)).length, { timeout: 90_000 })
    .toBe(4);

  // The editor's review of take 2 (R's review.set): shown on the page and in the exports.
  const t2 = (await jobs(core)).find((j) => j.shotId === 'kite-wide' && j.take === 2);
  const reviewed = await core.call('review.set', {
    jobId: t2?.id ?? '',
    rating: 4,
    note: 'lovely light',
    picked: true,
  });
  if (!reviewed.ok) throw new Error(reviewed.error.message);

  await page.evaluate((id) => localStorage.setItem('shotline.project.v1', id), storyboardId);
  await app.reload();
  // From the Batch page's summary to the full report.
  await nav(app, 'Batch');
  await app.getByRole('button', { name: 'Open the full report' }).click();
  await expect(app.getByRole('heading', { name: 'Morning report: Kite morning' })).toBeVisible();

  const cards = app.getByTestId('report-shot');
  await expect(cards).toHaveCount(3);
  await expect(app.getByTestId('report-summary')).toContainText('3 done');
  await expect(app.getByTestId('report-summary')).toContainText('1 blocked');
  await expect(app.getByTestId('report-billed')).toContainText('billed');
  const wide = cards.filter({ has: app.getByRole('heading', { name: /kite-wide/ }) });
  await expect(wide.getByText('2/2 take(s) done')).toBeVisible();
  // The poster is a real JPEG the core made, loaded over the media route.
  const poster = wide.getByRole('img', { name: 'Poster of kite-wide' });
  await expect(poster).toBeVisible();
  await expect.poll(() => poster.evaluate((img: HTMLImageElement) => img.naturalWidth)).toBe(160);
  await expect(wide.locator('li[data-state="done"]').nth(1)).toContainText('picked★★★★☆lovely light');
  const refused = cards.filter({ has: app.getByRole('heading', { name: /kite-refused/ }) });
  await expect(refused.getByText('No take done')).toBeVisible();
  await expect(refused.locator('.badge')).toHaveText('blocked');
  await expect(refused.getByText(/Fix:/)).toBeVisible();

  await app.screenshot({ path: join(import.meta.dirname, '..', '..', 'docs', 'screenshots', 'report.png') });

  // Export HTML: the save dialog, then the file with every shot.
  const html = join(dataDir, 'Kite morning report.html');
  dialogs.answerSave(html);
  await app.getByRole('button', { name: 'Export HTML…' }).click();
  await expect(app.getByTestId('report-written')).toContainText(
    'Report written: Kite morning report.html (3 shot(s)).',
  );
  expect(dialogs.shown.at(-1)).toMatchObject({ kind: 'save', title: 'Export the report of Kite morning' });
  const text = readFileSync(html, 'utf8');
  for (const id of ['kite-wide', 'kite-close', 'kite-refused']) expect(text).toContain(`data-shot="${id}"`);
  expect(text.match(/<img src="data:image\/jpeg;base64,/g)).toHaveLength(2);
  expect(text).not.toContain('<script');
  expect(text).toContain('Note: &quot;lovely light&quot;');

  // Export PDF.
  const pdf = join(dataDir, 'Kite morning report.pdf');
  dialogs.answerSave(pdf);
  await app.getByRole('button', { name: 'Export PDF…' }).click();
  await expect(app.getByTestId('report-written')).toContainText('Kite morning report.pdf (3 shot(s))');
  expect(existsSync(pdf)).toBe(true);
  const bytes = readFileSync(pdf).toString('latin1');
  expect(bytes.startsWith('%PDF-1.4')).toBe(true);
  for (const id of ['kite-wide', 'kite-close', 'kite-refused']) expect(bytes).toContain(`(${id}: `);
  expect(bytes.match(/\/Filter \/DCTDecode/g)).toHaveLength(2);

  // A shot opens its takes on the Takes page.
  await wide.getByRole('button', { name: 'Takes of kite-wide' }).click();
  await expect(app.getByRole('navigation').getByRole('button', { name: 'Takes', exact: true })).toHaveAttribute(
    'aria-current',
    'page',
  );
  await expect.poll(() => page.evaluate(() => window.location.hash)).toBe('#Takes?shot=kite-wide');
});
