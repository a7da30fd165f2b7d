/**
 * Issue 17 item 6: the Storyboard page shows pictures. A picked start frame is a thumbnail on
 * its card (from the data dir through the media URL, named on hover, no path); after a sandbox
 * batch and a pick on the Takes page, the picked take's poster is on its card; the table view
 * selects with Shift+click, Ctrl/Cmd+click and Ctrl/Cmd+A, a bulk edit is stored in the core's
 * draft and undone in one step, a value a selected shot cannot take is refused naming the shots,
 * and 200 shots stay a short DOM. Real core, the built-in sandbox, Chromium over the bridge.
 */
import { execFileSync } from 'node:child_process';
import { createHash } from 'node:crypto';
import { readFileSync, writeFileSync } from 'node:fs';
import { join, relative, sep } from 'node:path';

import type { Page } from '@playwright/test';

import type { Core } from '../../electron/core';
import type { TakeInfo } from '../../shared/contract';
import { expect, test } from './fixtures';
import { allDone, buildStoryboard, nav, queue } from './project-helpers';

test.use({ viewport: { width: 1440, height: 900 } });

function makeFrame(file: string): string {
  execFileSync('ffmpeg', [
    '-v',
    'error',
    '-y',
    '-f',
    'lavfi',
    '-i',
    'testsrc=size=640x360:rate=1',
    '-frames:v',
    '1',
    file,
  ]);
  return file;
}

/** The shots of the draft the core keeps (storyboard.draft.get), as [id, duration, takes]. */
async function stored(core: Core): Promise<Array<[string, number, number]>> {
  const r = await core.call('storyboard.draft.get', {});
  if (!r.ok || !r.value.content) return [];
  const sb = JSON.parse(r.value.content) as { shots: Array<{ id: string; duration: number; takes: number }> };
  return sb.shots.map((s) => [s.id, s.duration, s.takes]);
}

async function importCsv(app: Page, dataDir: string, rows: string[]): Promise<void> {
  const file = join(dataDir, 'board.csv');
  writeFileSync(file, `id,prompt,model,duration\n${rows.join('\n')}\n`);
  await app.getByLabel('Storyboard file to import').setInputFiles(file);
}

test('a picked start frame is a thumbnail on its card, named on hover, with no path shown', async ({
  app,
  dataDir,
}) => {
  const frame = makeFrame(join(dataDir, 'kite-start.png'));
  await app.getByRole('button', { name: 'Add shot' }).click();
  const card = app.getByTestId('shot-card').first();
  await expect(card.getByTestId('thumb-start')).toHaveCount(0);
  await app.locator('.shot-editor').getByLabel('Start frame file').setInputFiles(frame);

  const sha = createHash('sha256').update(readFileSync(frame)).digest('hex');
  const thumb = card.getByTestId('thumb-start');
  await expect(thumb).toHaveAttribute('src', new RegExp(`/media/clip/images/${sha}\\.png`));
  await expect(thumb).toHaveAttribute('loading', 'lazy');
  await expect.poll(() => thumb.evaluate((img: HTMLImageElement) => img.naturalWidth)).toBe(640);
  await expect(thumb).toHaveAttribute('title', `Start frame: ${sha}.png`);
  await expect(card.getByTestId('thumb-end')).toHaveCount(0);
  expect(await card.innerHTML()).not.toContain(dataDir);

  // Cleared in the editor: the thumbnail goes.
  await app.locator('.shot-editor').locator('fieldset.frame').first().getByRole('button', { name: 'Clear' }).click();
  await expect(thumb).toHaveCount(0);
});

test('after a batch, the picked take’s poster is on its card, and only on its card', async ({ app, core, dataDir }) => {
  await core.services.sandbox.ensure({ timing: { submittedMs: 100, processingMs: 400 } });
  await buildStoryboard(app, 'Posters', ['A red kite over the dunes', 'A gull on the pier']);
  await queue(app, 2);
  const done = await allDone(core, 2);
  await nav(app, 'Takes');
  await app.getByTestId('take').nth(1).getByRole('button', { name: 'Pick' }).click();
  await expect(app.getByRole('button', { name: 'Picked' })).toHaveCount(1);

  const storyboardId = done[0]?.storyboardId ?? '';
  const edit = await core.call('edit.get', { storyboardId });
  const picks = edit.ok ? edit.value.picks : {};
  expect(Object.keys(picks)).toEqual(['shot-2']);
  const clip = picks['shot-2'] ?? '';
  // The poster the engine made when it verified the take (review.takes), not one made for the page.
  const pickedTake = async (): Promise<TakeInfo | undefined> => {
    const r = await core.call('review.takes', { storyboardId });
    return r.ok ? r.value.takes.find((t) => t.file === clip) : undefined;
  };
  await expect.poll(async () => (await pickedTake())?.poster ?? null).not.toBeNull();
  const take = await pickedTake();
  const rel = relative(dataDir, take?.poster ?? '')
    .split(sep)
    .map(encodeURIComponent)
    .join('/');

  await nav(app, 'Storyboard');
  const cards = app.getByTestId('shot-card');
  const poster = cards.nth(1).getByTestId('thumb-pick');
  await expect(poster).toHaveAttribute('title', `Picked take: T${take?.take ?? 0} · ${take?.fileName ?? ''}`);
  const img = poster.locator('img');
  const src = new RegExp(`/media/clip/${rel.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')}\\?`);
  await expect(img).toHaveAttribute('src', src);
  await expect.poll(() => img.evaluate((el: HTMLImageElement) => el.naturalWidth)).toBeGreaterThan(0);
  await expect(cards.nth(0).getByTestId('thumb-pick')).toHaveCount(0);
  expect(await cards.nth(1).innerHTML()).not.toContain(clip);
  await app.screenshot({ path: join(import.meta.dirname, '..', '..', 'docs', 'screenshots', 'storyboard-poster.png') });

  // The table view shows the same poster in the shot's row.
  await app.getByRole('button', { name: 'Table', exact: true }).click();
  const row = app.getByRole('row', { name: 'Shot 2: shot-2' });
  await expect(row.getByTestId('thumb-pick').locator('img')).toHaveAttribute('src', src);
  await expect(app.getByRole('row', { name: 'Shot 1: shot-1' }).getByTestId('thumb-pick')).toHaveCount(0);
});

test('table view: Shift+click three shots, set their duration (stored in the core, one undo step); a value some cannot take is refused naming them', async ({
  app,
  core,
  dataDir,
}) => {
  const rows = ['a', 'b', 'c', 'd', 'e'].map((id) => `${id},shot ${id},kling-2.5-turbo,5`);
  await importCsv(app, dataDir, [...rows, 'f,shot f,kling-3.0,5']);
  await expect(app.getByTestId('shot-card')).toHaveCount(6);
  await app.getByRole('button', { name: 'Table', exact: true }).click();
  const row = (n: number, id: string) => app.getByRole('row', { name: `Shot ${n}: ${id}` });
  await expect(app.getByTestId('shot-row')).toHaveCount(6);

  await row(2, 'b').click();
  await row(4, 'd').click({ modifiers: ['Shift'] });
  await expect(app.getByTestId('selection-count')).toHaveText('3 shots selected');
  for (const [n, id, on] of [
    [1, 'a', 'false'],
    [2, 'b', 'true'],
    [3, 'c', 'true'],
    [4, 'd', 'true'],
    [5, 'e', 'false'],
  ] as const)
    await expect(row(n, id)).toHaveAttribute('aria-selected', on);

  await app.getByLabel('Duration for selected').selectOption('10');
  await app.getByRole('button', { name: 'Apply to 3 shots' }).click();
  await expect(app.getByTestId('bulk-done')).toHaveText('Set 10 s on 3 shots (Ctrl+Z undoes it).');
  await expect(row(3, 'c')).toContainText('10 s');
  const after: Array<[string, number, number]> = [
    ['a', 5, 1],
    ['b', 10, 1],
    ['c', 10, 1],
    ['d', 10, 1],
    ['e', 5, 1],
    ['f', 5, 1],
  ];
  await expect.poll(() => stored(core)).toEqual(after);

  // One undo step restores all three, in the page and in the core.
  await app.keyboard.press('Control+z');
  await expect(row(3, 'c')).toContainText('5 s');
  await expect.poll(() => stored(core)).toEqual(after.map(([id, , t]) => [id, 5, t]));
  await app.keyboard.press('Control+Shift+z');
  await expect.poll(() => stored(core)).toEqual(after);

  // Ctrl+A selects all; Ctrl+click takes b out. 15 s: Kling 2.5 Turbo has no 15 s, Kling 3.0 has.
  await app.getByTestId('shot-table').press('Control+a');
  await expect(app.getByTestId('selection-count')).toHaveText('6 shots selected');
  await row(2, 'b').click({ modifiers: ['Control'] });
  await expect(app.getByTestId('selection-count')).toHaveText('5 shots selected');
  await expect(row(2, 'b')).toHaveAttribute('aria-selected', 'false');
  await app.getByLabel('Duration for selected').selectOption('15');
  await app.getByLabel('Takes for selected').selectOption('2');
  await app.getByRole('button', { name: 'Apply to 5 shots' }).click();
  const refused = app.getByTestId('bulk-refused');
  await expect(refused).toContainText('Nothing was changed');
  await expect(refused.getByRole('listitem')).toHaveCount(1);
  await expect(refused.getByRole('listitem')).toContainText('Shots a, c, d, e: duration = 15:');
  await expect(refused.getByRole('listitem')).toContainText('kling-2.5-turbo');
  await expect(refused).not.toContainText('Shots a, b');
  await app.screenshot({ path: join(import.meta.dirname, '..', '..', 'docs', 'screenshots', 'storyboard-table.png') });
  // Nothing half-applied: not f's 15 s, not the takes.
  await expect(row(6, 'f')).toContainText('5 s');
  await expect(row(6, 'f')).toContainText('×1');
  await app.getByLabel('Duration for selected').selectOption('');
  await app.getByRole('button', { name: 'Apply to 5 shots' }).click();
  await expect(refused).toHaveCount(0);
  await expect.poll(() => stored(core)).toEqual(after.map(([id, d]) => [id, d, id === 'b' ? 1 : 2]));
});

test('200 shots: the table keeps a short DOM, scrolls to the last shot, and a bulk edit reaches all 200', async ({
  app,
  core,
  dataDir,
}) => {
  await importCsv(
    app,
    dataDir,
    Array.from({ length: 200 }, (_, i) => `s${i + 1},shot number ${i + 1},kling-2.5-turbo,5`),
  );
  await expect(app.getByTestId('storyboard-total')).toContainText('200 shots');
  await app.getByRole('button', { name: 'Table', exact: true }).click();
  const inDom = await app.getByTestId('shot-row').count();
  expect(inDom).toBeGreaterThan(10);
  expect(inDom).toBeLessThan(60);
  await app.getByTestId('shot-table').evaluate((el) => (el.scrollTop = el.scrollHeight));
  const last = app.getByRole('row', { name: 'Shot 200: s200' });
  await expect(last).toBeInViewport();
  await last.click();
  await expect(app.locator('.shot-editor').getByLabel('Shot id')).toHaveValue('s200');
  await app.getByTestId('shot-table').press('Control+a');
  await expect(app.getByTestId('selection-count')).toHaveText('200 shots selected');
  await app.getByLabel('Takes for selected').selectOption('3');
  await app.getByRole('button', { name: 'Apply to 200 shots' }).click();
  await expect(last).toContainText('×3');
  await expect.poll(async () => (await stored(core)).filter(([, , t]) => t === 3).length).toBe(200);
});
