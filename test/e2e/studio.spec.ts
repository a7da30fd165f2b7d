/**
 * The studio over the test bridge against the real core: storyboard editing (mouse and
 * keyboard), the capability rules in the form, the 10,000-job queue's DOM bound, settings.
 * Each test saves screenshots under test/e2e/screenshots/ for review.
 */
import { execFileSync } from 'node:child_process';
import { mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';

import type { Page } from '@playwright/test';

import { newShot } from '../../renderer/src/state/storyboard';
import { expect, test } from './fixtures';

const SHOTS = join(import.meta.dirname, 'screenshots');

test.use({ viewport: { width: 1280, height: 800 } });

/** The model a new shot gets in the editor (valid whatever the capability table says today). */
const MODEL = newShot([]).model;

async function snap(app: Page, name: string): Promise<void> {
  await app.screenshot({ path: join(SHOTS, `${name}.png`) });
}

function makeFrame(dir: string): string {
  const file = join(dir, 'frame.png');
  execFileSync('ffmpeg', ['-v', 'error', '-y', '-f', 'lavfi', '-i', 'testsrc=size=640x360:rate=1', '-frames:v', '1', file]);
  return file;
}

test('a new user builds a three-shot storyboard with a camera move and a motion brush', async ({ app, dataDir }) => {
  await expect(app.getByText('No shots yet.').first()).toBeVisible();
  const editor = app.locator('.shot-editor');

  // Shot 1: text to video with a simple zoom.
  await app.getByRole('button', { name: 'Add shot' }).click();
  await editor.getByLabel('Prompt', { exact: true }).fill('A red kite over a grey sea, wide shot');
  await editor.getByLabel('Model').selectOption('kling-v1');
  await editor.getByLabel('Camera type').selectOption('simple');
  const zoom = editor.getByLabel('Camera zoom');
  await expect(zoom).toHaveValue('-5');
  await zoom.focus();
  await app.keyboard.press('ArrowLeft');
  await expect(zoom).toHaveValue('-6');
  await expect(editor.getByTestId('shot-problems')).toHaveText('Ready for Kling.');

  // Shot 2: image to video from a picked frame, one painted area with a 3-point path.
  await app.getByRole('button', { name: 'Add shot' }).click();
  await editor.getByLabel('Prompt', { exact: true }).fill('The kite climbs into the wind');
  await editor.getByLabel('Start frame file').setInputFiles(makeFrame(dataDir));
  const canvas = editor.getByTestId('brush-canvas');
  await expect(canvas).toHaveAttribute('data-ready', 'true');
  await canvas.scrollIntoViewIfNeeded();
  const box = await canvas.boundingBox();
  if (!box) throw new Error('no canvas box');
  await app.mouse.move(box.x + box.width * 0.4, box.y + box.height * 0.5);
  await app.mouse.down();
  await app.mouse.move(box.x + box.width * 0.5, box.y + box.height * 0.55, { steps: 5 });
  await app.mouse.up();
  await editor.getByLabel('Draw path').check();
  for (const fx of [0.45, 0.6, 0.75]) await canvas.click({ position: { x: box.width * fx, y: box.height * 0.4 } });
  await expect(editor.getByTestId('brush-points')).toHaveText('3 points');
  await expect(editor.getByTestId('shot-problems')).toHaveText('Ready for Kling.');

  // Shot 3: chained from the previous take's last frame.
  await app.getByRole('button', { name: 'Add shot' }).click();
  await editor.getByLabel('Prompt', { exact: true }).fill('The kite string snaps');
  await editor.getByLabel("Chain from the previous shot's last frame").check();
  await expect(editor.getByTestId('shot-problems')).toHaveText('Ready for Kling.');
  await expect(app.getByTestId('shot-card')).toHaveCount(3);
  await expect(app.getByTestId('storyboard-total')).toContainText('3 shots');
  await app.getByTestId('shot-card').nth(1).click();
  await snap(app, 'storyboard');
  await canvas.scrollIntoViewIfNeeded();
  await snap(app, 'motion-brush');

  // Undo and redo the last edit.
  await app.getByTestId('shot-card').nth(2).click();
  await app.getByRole('button', { name: 'Undo' }).click();
  await expect(app.locator('.shot-editor').getByLabel("Chain from the previous shot's last frame")).not.toBeChecked();
  await app.getByRole('button', { name: 'Redo' }).click();
  await expect(app.locator('.shot-editor').getByLabel("Chain from the previous shot's last frame")).toBeChecked();

  // Export: Kling's masks (PNG base64) and bottom-left trajectory points.
  const [download] = await Promise.all([app.waitForEvent('download'), app.getByRole('button', { name: 'Export JSON' }).click()]);
  const doc = JSON.parse(readFileSync(await download.path(), 'utf8')) as {
    shots: Array<{ camera?: { type: string; config: Record<string, number> }; startImage?: string; motionBrush?: { dynamicMasks: Array<{ mask: string; trajectories: Array<{ x: number; y: number }> }> } }>;
  };
  expect(doc.shots).toHaveLength(3);
  expect(doc.shots[0]?.camera).toEqual({ type: 'simple', config: { zoom: -6 } });
  const area = doc.shots[1]?.motionBrush?.dynamicMasks[0];
  expect(area?.mask.startsWith('iVBORw0KGgo')).toBe(true);
  expect(area?.trajectories).toHaveLength(3);
  // Clicked at 40 % from the top of a 360 px frame: 60 % from the bottom.
  expect(Math.abs((area?.trajectories[0]?.y ?? 0) - 216)).toBeLessThanOrEqual(2);
  expect(doc.shots[2]?.startImage).toBe('@previous');

  // The batch page prices the storyboard (kling-v1 std 5 s = 1 u a clip).
  await app.getByRole('button', { name: 'Batch' }).click();
  await expect(app.getByTestId('batch-total')).toHaveText('3 u (~USD 0.42)');
  await snap(app, 'batch');
});

test('keyboard only: add, type, reorder, undo, duplicate, help sheet', async ({ app }) => {
  await app.locator('body').press('Alt+n');
  await app.keyboard.type('one');
  await app.keyboard.press('Alt+n');
  await app.keyboard.type('two');
  await app.keyboard.press('Alt+n');
  await app.keyboard.type('three');
  const prompts = app.getByTestId('shot-card').locator('.card-prompt');
  await expect(prompts).toHaveText(['one', 'two', 'three']);

  await app.keyboard.press('Alt+ArrowUp');
  await expect(prompts).toHaveText(['one', 'three', 'two']);
  await app.keyboard.press('Control+z');
  await expect(prompts).toHaveText(['one', 'two', 'three']);
  await app.keyboard.press('Control+Shift+z');
  await expect(prompts).toHaveText(['one', 'three', 'two']);
  await app.keyboard.press('Control+d');
  await expect(prompts).toHaveText(['one', 'three', 'three', 'two']);
  await app.keyboard.press('Alt+Delete');
  await expect(prompts).toHaveText(['one', 'three', 'two']);

  // Arrow keys walk the shot list once a card has focus.
  await app.getByTestId('shot-card').first().focus();
  await app.keyboard.press('ArrowDown');
  await expect(app.getByTestId('shot-card').nth(1)).toBeFocused();
  await expect(app.getByTestId('shot-card').nth(1)).toHaveAttribute('aria-current', 'true');

  await app.keyboard.press('?');
  await expect(app.getByRole('dialog', { name: 'Keyboard shortcuts' })).toBeVisible();
  await snap(app, 'help');
  await app.keyboard.press('Escape');
  await expect(app.getByRole('dialog')).toHaveCount(0);

  await app.keyboard.press('Alt+2');
  await expect(app.getByRole('heading', { level: 1 })).toContainText('Batch');
  await app.keyboard.press('Alt+3');
  await expect(app.getByRole('heading', { level: 1 })).toHaveText('Queue');
});

test('the form disables and explains what the capability table forbids', async ({ app }) => {
  await app.getByRole('button', { name: 'Add shot' }).click();
  const editor = app.locator('.shot-editor');
  // Default kling-v2-5-turbo: no camera control.
  await expect(editor.getByLabel('Camera type')).toBeDisabled();
  await expect(editor.locator('.camera .why')).toContainText('camera control (text to video) is not available');
  // No start frame: models without text to video are not offered.
  await expect(editor.getByLabel('Model').locator('option[value="kling-v1-5"]')).toBeDisabled();
  await expect(editor.getByLabel('Model').locator('option[value="kling-v2-1"]')).toBeDisabled();
  // kling-v1 has camera control at std 5 s only.
  await editor.getByLabel('Model').selectOption('kling-v1');
  await expect(editor.getByLabel('Camera type')).toBeEnabled();
  await editor.getByLabel('Duration').selectOption('10');
  await expect(editor.getByLabel('Camera type')).toBeDisabled();
  await expect(editor.locator('.camera .why')).toContainText('kling-v1: std 5 s');
  // Master models take no mode.
  await editor.getByLabel('Model').selectOption('kling-v2-master');
  await expect(editor.getByLabel('Mode', { exact: true })).toBeDisabled();
  // kling-v3 offers 3-15 s.
  await editor.getByLabel('Model').selectOption('kling-v3');
  await expect(editor.getByLabel('Duration').locator('option[value="3"]')).toBeEnabled();
  // The prompt limit and the PII preview.
  const prompt = editor.getByLabel('Prompt', { exact: true });
  await prompt.fill('x'.repeat(2501));
  await expect(editor.getByTestId('prompt-count')).toHaveText('2501 / 2500');
  await expect(editor.getByTestId('shot-problems')).toContainText('Kling takes at most 2500');
  await prompt.fill('Ask jane.doe@example.com for the storyboard');
  await expect(editor.getByTestId('pii-preview')).toContainText('email');
  await expect(editor.getByTestId('shot-problems')).toHaveText('Ready for Kling.');
});

test('a 10,000-job queue renders with fewer than 200 rows in the DOM', async ({ app }) => {
  await app.getByRole('button', { name: 'Queue' }).click();
  await expect(app.getByText('No jobs.')).toBeVisible();
  await app.evaluate(() => window.__shotlineTest?.loadJobs(10_000));
  await expect(app.getByTestId('queue-count')).toHaveText('10000 of 10000 jobs');
  const rows = app.getByTestId('job-row');
  await expect(rows.first()).toBeVisible();
  expect(await rows.count()).toBeLessThan(200);
  await snap(app, 'queue');
  await app.getByTestId('job-scroll').evaluate((el) => (el.scrollTop = el.scrollHeight));
  await expect(rows.last()).toContainText('storyboard-9/shot-99');
  expect(await rows.count()).toBeLessThan(200);
  await app.getByLabel('State').selectOption('failed');
  await expect(app.getByTestId('queue-count')).toHaveText('1250 of 10000 jobs');
  await expect(rows.first()).toContainText('→ Rephrase the prompt and retry.');
});

test('settings show tools, privacy, audit, erase and compliance; takes and edit say what to do next', async ({ app, dataDir }) => {
  await app.getByRole('button', { name: 'Settings' }).click();
  await expect(app.getByTestId('settings-data-dir')).toHaveText(dataDir);
  await app.getByRole('button', { name: 'Run compliance checks' }).click();
  await expect(app.getByTestId('compliance').locator('li').first()).toBeVisible();
  await app.getByLabel('Subject tag').fill('acme');
  await app.getByRole('button', { name: 'Preview', exact: true }).click();
  await expect(app.getByTestId('erase-report')).toContainText('Would delete');
  await snap(app, 'settings');
  await app.getByRole('button', { name: 'Takes' }).click();
  await expect(app.getByText('No storyboard is open: queue one on the Batch page or open one from Projects.')).toBeVisible();
  await app.getByRole('button', { name: 'Edit' }).click();
  await expect(app.getByText('This storyboard has not been queued yet')).toBeVisible();
});

test('CSV import fills the storyboard; a bad row is refused with its row and field', async ({ app, dataDir }) => {
  const good = join(dataDir, 'board.csv');
  writeFileSync(good, 'id,prompt,model,mode,duration,aspectRatio,camera,takes\na,"A kite, red",kling-v1,std,5,16:9,zoom_in,2\nb,The sea,kling-v2-6,pro,10,9:16,,1\n');
  await app.getByLabel('Storyboard file to import').setInputFiles(good);
  await expect(app.getByTestId('shot-card')).toHaveCount(2);
  await expect(app.getByTestId('shot-card').first()).toContainText('A kite, red');
  await expect(app.getByTestId('storyboard-total')).toContainText('2 shots');
  const bad = join(dataDir, 'bad.csv');
  writeFileSync(bad, 'id,prompt,model,colour\na,x,kling-v9,red\n');
  await app.getByLabel('Storyboard file to import').setInputFiles(bad);
  await expect(app.getByTestId('import-report')).toContainText('problems in bad.csv');
  await expect(app.getByTestId('import-problem').filter({ hasText: 'colour' })).toContainText('unknown column "colour"');
  await expect(app.getByTestId('import-problem').filter({ hasText: 'kling-v9' })).toHaveCount(1);
  await expect(app.getByTestId('shot-card')).toHaveCount(2);
});

test('the edit: picked clips in storyboard order, trims, crossfade, verdict, export, NLE timeline; ffprobe reads the file', async ({ app, core, dataDir, dialogs, shownInFolder }) => {
  const clip = (name: string, color: string): string => {
    const file = join(dataDir, `${name}.mp4`);
    execFileSync('ffmpeg', ['-v', 'error', '-y', '-f', 'lavfi', '-i', `color=c=${color}:s=320x180:r=24:d=2`, '-c:v', 'libx264', '-preset', 'ultrafast', '-pix_fmt', 'yuv420p', file]);
    return file;
  };
  // The picks are takes of a stored storyboard (the Edit page takes no typed paths): stored
  // in the core's edit, then the storyboard is opened from the project list.
  const board = join(dataDir, 'edit.csv');
  writeFileSync(board, `id,prompt,model\na,one,${MODEL}\nb,two,${MODEL}\nc,three,${MODEL}\n`);
  const imported = await core.call('storyboard.import', { path: board });
  if (!imported.ok) throw new Error(imported.error.message);
  const picks = Object.fromEntries((['a', 'b', 'c'] as const).map((id, i) => [id, clip(id, ['red', 'green', 'blue'][i] ?? 'red')]));
  expect((await core.call('edit.save', { storyboardId: imported.value.storyboardId, picks })).ok).toBe(true);
  await app.getByRole('button', { name: 'Projects' }).click();
  await app.getByRole('button', { name: 'Open edit' }).click();
  await expect(app.getByText('Opened edit')).toBeVisible();
  await app.getByRole('navigation').getByRole('button', { name: 'Edit' }).click();
  await expect(app.getByLabel('Clip file for a')).toHaveText('a.mp4');
  await expect(app.getByTestId('verdict')).toContainText('Stream copy');
  await app.getByLabel('Out point of b').fill('1.5');
  await app.getByLabel('Crossfade after a').fill('0.5');
  await expect(app.getByTestId('verdict')).toContainText('Re-encode needed');
  await expect(app.getByTestId('verdict')).toContainText('5.00 s');
  const out = join(dataDir, 'edit.mp4');
  dialogs.answerSave(out);
  await app.getByRole('button', { name: 'Export edit…' }).click();
  await expect(app.getByTestId('export-done')).toContainText(out, { timeout: 60_000 });
  const probe = JSON.parse(execFileSync('ffprobe', ['-v', 'error', '-show_entries', 'format=duration', '-of', 'json', out]).toString()) as { format: { duration: string } };
  expect(Math.abs(Number(probe.format.duration) - 5)).toBeLessThan(0.2);
  // Open the output folder: the core hands the exported file to the desktop shell.
  await app.getByRole('button', { name: 'Show in folder' }).click();
  await expect(app.getByText(`Shown in the file manager: ${out}`)).toBeVisible();
  expect(shownInFolder).toEqual([out]);
  await snap(app, 'edit');
  await app.getByLabel('NLE timeline').selectOption('fcpxml');
  dialogs.answerSave(join(dataDir, 'edit.fcpxml'));
  await app.getByRole('button', { name: 'Export timeline…' }).click();
  await expect(app.getByTestId('export-done')).toContainText('edit.fcpxml');
  expect(readFileSync(join(dataDir, 'edit.fcpxml'), 'utf8')).toContain('<fcpxml');
});

test('takes: posters through the media route, pick the best take, it lands on the edit timeline', async ({ app, core, dataDir, bridge, request, shownInFolder }) => {
  mkdirSync(join(dataDir, 'takes'), { recursive: true });
  const files = [1, 2].map((n) => {
    const file = join(dataDir, 'takes', `a-${n}.mp4`);
    execFileSync('ffmpeg', ['-v', 'error', '-y', '-f', 'lavfi', '-i', `testsrc=s=320x180:r=24:d=2`, '-c:v', 'libx264', '-preset', 'ultrafast', '-pix_fmt', 'yuv420p', file]);
    return file;
  });
  const board = join(dataDir, 'takes.csv');
  writeFileSync(board, `id,prompt,model\na,one,${MODEL}\n`);
  const imported = await core.call('storyboard.import', { path: board });
  if (!imported.ok) throw new Error(imported.error.message);
  const storyboardId = imported.value.storyboardId;
  await app.getByRole('button', { name: 'Projects' }).click();
  await app.getByRole('button', { name: 'Open takes' }).click();
  await expect(app.getByText('Opened takes')).toBeVisible();
  // The queue's finished jobs (simulated here: the engine feeds the same store through job.changed).
  const expiresAt = new Date(Date.now() + 29.5 * 86_400_000).toISOString();
  await app.evaluate(
    ({ files, expiresAt, storyboardId }) =>
      window.__shotlineTest?.upsertJobs(
        files.map((file, i) => ({ id: `j${i}`, batchId: 'b', storyboardId, storyboard: 'takes', shotId: 'a', take: i + 1, state: 'done', attempts: 1, stateSince: new Date().toISOString(), priority: 0, units: 1, error: null, fix: null, file, expiresAt })),
      ),
    { files, expiresAt, storyboardId },
  );
  // (The morning report reads the core's batches: see one-batch.spec.ts.)
  await app.getByRole('navigation').getByRole('button', { name: 'Takes' }).click();
  const takes = app.getByTestId('take');
  await expect(takes).toHaveCount(2);
  await expect(takes.first()).toContainText('30 days left on Kling');
  const poster = takes.first().locator('img');
  await expect(poster).toHaveJSProperty('complete', true);
  expect(await poster.evaluate((img: HTMLImageElement) => img.naturalWidth)).toBeGreaterThan(0);
  await takes.nth(1).getByRole('button', { name: 'Pick' }).click();
  await expect(takes.nth(1).getByRole('button', { name: 'Picked' })).toHaveAttribute('aria-pressed', 'true');
  await takes.first().getByRole('button', { name: 'Show take 1 of a in its folder' }).click();
  await expect.poll(() => shownInFolder).toEqual([files[0]]);
  await snap(app, 'takes');
  await app.getByRole('navigation').getByRole('button', { name: 'Edit' }).click();
  await expect(app.getByLabel('Clip file for a')).toHaveText('a-2.mp4');
  await expect(app.getByLabel('Clip file for a')).toHaveAttribute('title', files[1] ?? '');
  // The media route is read-only, needs the token and stays inside the data dir.
  const rel = '/media/clip/takes/a-1.mp4';
  expect((await request.get(`${bridge.origin}${rel}`)).status()).toBe(403);
  const ranged = await request.get(`${bridge.origin}${rel}?token=${bridge.token}`, { headers: { range: 'bytes=0-99' } });
  expect(ranged.status()).toBe(206);
  expect((await ranged.body()).length).toBe(100);
  expect((await request.get(`${bridge.origin}/media/clip/..%2F..%2Fetc%2Fpasswd?token=${bridge.token}`)).status()).toBe(404);
});
