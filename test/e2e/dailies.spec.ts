/**
 * Issue 17 item 2: the Takes page as dailies. A real sandbox batch (4 shots x 2 takes), reviewed
 * from the keyboard on the contact sheet: arrows, P pick, X reject, 2 rate, N note, Enter opens the
 * take in the docked viewer with its details; what the keys did is read back from the core
 * (review.takes, edit.get). Then the filters, "pick take 1 wherever nothing is picked", a re-roll
 * that says its cost before it pays, and a comparison of two takes. A second test checks that a
 * 200-shot sheet keeps only the rows on screen in the DOM and scrolls the cursor into view.
 * Real core, the built-in sandbox, Chromium over the test bridge.
 */
import { execFileSync } from 'node:child_process';
import { join } from 'node:path';

import type { Page } from '@playwright/test';

import type { Core } from '../../electron/core';
import { expect, test } from './fixtures';
import { allDone, jobs, nav } from './project-helpers';

test.use({ viewport: { width: 1440, height: 900 } });
// A sandbox batch, a re-roll and its take: minutes on a loaded machine.
test.setTimeout(240_000);

const STORYBOARD = {
  name: 'Dailies',
  defaults: { model: 'kling-2.5-turbo', resolution: '720p', aspectRatio: '16:9', duration: 5, takes: 2 },
  shots: [
    { id: 'kite', prompt: 'A red kite over the sea' },
    { id: 'beach', prompt: 'Waves on an empty beach' },
    { id: 'gull', prompt: 'A gull lands on a post' },
    { id: 'dusk', prompt: 'The pier at dusk' },
  ],
};

async function takesOf(core: Core, storyboardId: string) {
  const r = await core.call('review.takes', { storyboardId });
  if (!r.ok) throw new Error(r.error.message);
  return new Map(r.value.takes.map((x) => [`${x.shotId}#${x.take}`, x]));
}

async function picksOf(core: Core, storyboardId: string): Promise<Record<string, string>> {
  const r = await core.call('edit.get', { storyboardId });
  if (!r.ok) throw new Error(r.error.message);
  return r.value.picks;
}

const cursor = (app: Page) => app.locator('.take[aria-current="true"]');

test('keyboard review on the contact sheet is stored in the core; filters, pick-first, re-roll with its cost, compare', async ({
  app,
  core,
  page,
}) => {
  await core.services.sandbox.ensure({ timing: { submittedMs: 100, processingMs: 400 } });
  const imported = await core.call('storyboard.import', { content: JSON.stringify(STORYBOARD), format: 'json' });
  if (!imported.ok) throw new Error(imported.error.message);
  const id = imported.value.storyboardId;
  const enq = await core.call('queue.enqueue', { storyboardId: id, provider: 'sandbox' });
  if (!enq.ok) throw new Error(enq.error.message);
  const done = await allDone(core, 8);
  const file = (shot: string, take: number) => done.find((j) => j.shotId === shot && j.take === take)?.file ?? '';

  await page.evaluate((sb) => localStorage.setItem('shotline.project.v1', sb), id);
  await app.reload();
  await nav(app, 'Takes');
  const sheet = app.getByTestId('contact-sheet');
  await expect(sheet.getByTestId('sheet-row')).toHaveCount(4);
  // Posters come from the core (made when a take is verified, or in the background for older takes).
  await expect(sheet.locator('.take .poster img')).toHaveCount(8, { timeout: 60_000 });

  // Keyboard only from here: the sheet is one focus stop, the cursor starts on kite take 1.
  await sheet.focus();
  await expect(cursor(app)).toHaveAttribute('data-take', 'kite#1');
  await app.keyboard.press('ArrowRight');
  await expect(cursor(app)).toHaveAttribute('data-take', 'kite#2');
  await app.keyboard.press('p');
  await expect(cursor(app).getByRole('button', { name: 'Picked' })).toHaveAttribute('aria-pressed', 'true');
  await app.keyboard.press('ArrowDown');
  await expect(cursor(app)).toHaveAttribute('data-take', 'beach#2');
  await app.keyboard.press('x');
  await expect(cursor(app)).toContainText('Rejected');
  await app.keyboard.press('ArrowLeft');
  await expect(cursor(app)).toHaveAttribute('data-take', 'beach#1');
  await app.keyboard.press('2');
  await expect(cursor(app).getByTestId('take-rating')).toHaveText('★★☆☆☆');
  await app.keyboard.press('n');
  const note = app.getByRole('textbox', { name: 'Note on take 1 of beach' });
  await expect(note).toBeFocused();
  await app.keyboard.type('Horizon tilts at the end');
  await app.keyboard.press('Enter');
  await expect(cursor(app).getByTestId('take-note')).toHaveText('Horizon tilts at the end');
  await expect(sheet).toBeFocused();

  // Enter opens the take in the viewer docked beside the sheet, with its details.
  await app.keyboard.press('Enter');
  const dock = app.getByTestId('takes-dock');
  await expect(dock.locator('video').first()).toHaveAttribute('src', /beach/);
  const details = dock.getByTestId('take-details');
  await expect(details.getByRole('heading')).toHaveText('Take 1 of beach');
  await expect(details).toContainText('kling-2.5-turbo');
  await expect(details).toContainText('Waves on an empty beach');
  const beach1 = done.find((j) => j.shotId === 'beach' && j.take === 1);
  await expect(details.getByTestId('detail-task')).toHaveText(beach1?.taskId ?? beach1?.externalTaskId ?? '?');
  await expect(details.getByTestId('detail-units')).toContainText(' u ');
  await expect(details).toContainText('days left on Kling');
  // The clip by shot, take and file name, never the raw path.
  await expect(details.getByTestId('detail-clip')).not.toContainText('/');
  const dockBox = await dock.boundingBox();
  const sheetBox = await sheet.boundingBox();
  expect((dockBox?.x ?? 0) > (sheetBox?.x ?? 0) + (sheetBox?.width ?? 0) - 1).toBe(true);
  expect(Math.abs((dockBox?.y ?? 0) - (sheetBox?.y ?? 0))).toBeLessThan(40);

  // The core has it all.
  const stored = await takesOf(core, id);
  expect(stored.get('beach#2')?.review.rejected).toBe(true);
  expect(stored.get('beach#1')?.review).toMatchObject({ rating: 2, note: 'Horizon tilts at the end', rejected: false });
  expect(stored.get('kite#1')?.review).toMatchObject({ rating: null, rejected: false, note: '' });
  expect(await picksOf(core, id)).toEqual({ kite: file('kite', 2) });

  // Filters: the rejected take alone, then the unrated ones (rated, rejected and picked-but-unrated differ).
  const filter = app.getByRole('combobox', { name: 'Show' });
  await filter.selectOption('rejected');
  await expect(sheet.locator('[data-take]')).toHaveCount(1);
  await expect(sheet.locator('[data-take]')).toHaveAttribute('data-take', 'beach#2');
  await filter.selectOption('picked');
  await expect(sheet.locator('[data-take]')).toHaveAttribute('data-take', 'kite#2');
  await filter.selectOption('unrated');
  await expect(sheet.locator('[data-take]')).toHaveCount(6);
  await filter.selectOption('failed');
  await expect(app.getByText('No take matches this filter.')).toBeVisible();
  await filter.selectOption('all');

  // Take 1 wherever nothing is picked: beach's take 1 (its take 2 is rejected), gull and dusk take 1; kite keeps take 2.
  await app.getByRole('button', { name: 'Pick take 1 for every shot without a pick' }).click();
  await expect(app.getByTestId('takes-note')).toHaveText('Picked the first take of 3 shot(s).');
  expect(await picksOf(core, id)).toEqual({
    kite: file('kite', 2),
    beach: file('beach', 1),
    gull: file('gull', 1),
    dusk: file('dusk', 1),
  });
  await expect(sheet.getByRole('button', { name: 'Picked' })).toHaveCount(4);

  // Marks set in the docked player (I / O) are the take's review and, as beach's pick, its trim.
  await sheet.focus();
  await expect(cursor(app)).toHaveAttribute('data-take', 'beach#1');
  await app.keyboard.press('Enter');
  const player = dock.getByTestId('player');
  await expect(player).toBeFocused();
  await expect(player.getByTestId('frame')).toHaveText(/^frame 0 of \d+$/);
  await app.keyboard.press('Shift+ArrowRight');
  await expect(player.getByTestId('frame')).toHaveText(/^frame 24 of/);
  await app.keyboard.press('i');
  await app.keyboard.press('Shift+ArrowRight');
  await app.keyboard.press('Shift+ArrowRight');
  await expect(player.getByTestId('frame')).toHaveText(/^frame 72 of/);
  await app.keyboard.press('o');
  await expect(player.getByTestId('marks')).toContainText('In 00:00:01:00');
  await expect
    .poll(async () => (await takesOf(core, id)).get('beach#1')?.review.marks)
    .toEqual({ inS: 1, outS: 73 / 24 });
  await expect
    .poll(async () => {
      const r = await core.call('edit.get', { storyboardId: id });
      return r.ok ? r.value.trims.beach : null;
    })
    .toMatchObject({ inS: 1, outS: 73 / 24 });
  await app.keyboard.press('Escape');
  await expect(player).toHaveCount(0);
  await expect(sheet).toBeFocused();

  // Compare: C on two takes of one shot shows them together in the dock.
  await expect(cursor(app)).toHaveAttribute('data-take', 'beach#1');
  await app.keyboard.press('ArrowDown');
  await expect(cursor(app)).toHaveAttribute('data-take', 'gull#1');
  await app.keyboard.press('c');
  await app.keyboard.press('ArrowRight');
  await app.keyboard.press('c');
  await expect(dock.getByTestId('compare')).toBeVisible();
  await expect(sheet.locator('.take.comparing')).toHaveCount(2);
  await app.keyboard.press('Escape');
  await expect(dock.getByTestId('compare')).toHaveCount(0);

  // A re-roll says what it costs before anything is paid; Cancel pays nothing, yes queues one take.
  const units = String(Math.round((done.find((j) => j.shotId === 'dusk')?.units ?? 0) * 100) / 100);
  const dusk = app.getByRole('region', { name: 'Takes of dusk' });
  await dusk.getByRole('button', { name: 'Re-roll', exact: true }).click();
  const confirm = app.getByTestId('confirm-reroll');
  await expect(confirm).toContainText(`${units} u`);
  await confirm.getByRole('button', { name: 'Cancel' }).click();
  expect(await jobs(core)).toHaveLength(8);
  await dusk.getByRole('button', { name: 'Re-roll', exact: true }).click();
  await app
    .getByTestId('confirm-reroll')
    .getByRole('button', { name: `Re-roll (${units} u)` })
    .click();
  await expect(app.getByTestId('takes-note')).toHaveText('dusk: take 3 queued.');
  await allDone(core, 9);
  await expect(dusk.locator('[data-take]')).toHaveCount(3);
  await app.screenshot({ path: join(import.meta.dirname, '..', '..', 'docs', 'screenshots', 'takes-dailies.png') });
});

test('a 200-shot sheet keeps only the rows on screen in the DOM and keeps the cursor in view', async ({
  app,
  core,
  dataDir,
  page,
}) => {
  const clip = join(dataDir, 'one.mp4');
  execFileSync('ffmpeg', [
    ...['-v', 'error', '-y', '-f', 'lavfi', '-i', 'testsrc=s=320x180:r=24:d=1'],
    ...['-c:v', 'libx264', '-preset', 'ultrafast', '-pix_fmt', 'yuv420p', clip],
  ]);
  const shots = Array.from({ length: 200 }, (_, i) => ({ id: `s${i + 1}`, prompt: `Shot number ${i + 1}` }));
  const board = { name: 'Long', defaults: STORYBOARD.defaults, shots };
  const imported = await core.call('storyboard.import', { content: JSON.stringify(board), format: 'json' });
  if (!imported.ok) throw new Error(imported.error.message);
  const id = imported.value.storyboardId;
  await page.evaluate((sb) => localStorage.setItem('shotline.project.v1', sb), id);
  await app.reload();
  // 600 finished takes as the engine's job.changed events would bring them (the renderer's job store).
  await app.evaluate(
    ({ clip, id }) =>
      window.__shotlineTest?.upsertJobs(
        Array.from({ length: 600 }, (_, i) => ({
          id: `j${i}`,
          batchId: 'b',
          storyboardId: id,
          storyboard: 'Long',
          shotId: `s${Math.floor(i / 3) + 1}`,
          take: (i % 3) + 1,
          state: 'done' as const,
          file: clip,
        })),
      ),
    { clip, id },
  );
  await nav(app, 'Takes');
  const sheet = app.getByTestId('contact-sheet');
  await expect(sheet.getByTestId('sheet-row').first()).toBeVisible();
  const rows = await sheet.getByTestId('sheet-row').count();
  expect(rows).toBeGreaterThan(2);
  expect(rows).toBeLessThan(12);
  // The sheet is as tall as 200 rows, though only a screenful is built.
  expect(await sheet.evaluate((el) => el.scrollHeight)).toBeGreaterThan(200 * 150);
  await sheet.focus();
  for (let i = 0; i < 40; i++) await app.keyboard.press('ArrowDown');
  await app.keyboard.press('ArrowRight');
  await expect(cursor(app)).toHaveAttribute('data-take', 's41#2');
  await expect(cursor(app)).toBeInViewport();
  await expect(sheet.getByRole('region', { name: 'Takes of s1', exact: true })).toHaveCount(0);
  expect(await sheet.getByTestId('sheet-row').count()).toBeLessThan(12);
  await expect(sheet.locator('[data-take]')).toHaveCount((await sheet.getByTestId('sheet-row').count()) * 3);
  // The Report page's "Takes of <shot>" (renderer/src/state/shot-focus.ts) puts the cursor on that row.
  await app.evaluate(() => window.dispatchEvent(new CustomEvent('shotline:focus-shot', { detail: 's150' })));
  await expect(cursor(app)).toHaveAttribute('data-take', 's150#1');
  await expect(cursor(app)).toBeInViewport();
});
