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

test('a new user builds a three-shot storyboard on live models: camera words, a start frame with native audio, a chained shot', async ({
  app,
  dataDir,
}) => {
  await expect(app.getByText('No shots yet.').first()).toBeVisible();
  const editor = app.locator('.shot-editor');

  // Shot 1: text to video on the default model, with a camera preset that becomes words in the prompt.
  await app.getByRole('button', { name: 'Add shot' }).click();
  await editor.getByLabel('Prompt', { exact: true }).fill('A red kite over a grey sea, wide shot');
  await expect(editor.getByLabel('Model')).toHaveValue('kling-2.5-turbo');
  await editor.getByLabel('Camera preset').selectOption('zoom_in');
  await expect(editor.getByTestId('sent-prompt')).toContainText(
    'A red kite over a grey sea, wide shot. The camera slowly zooms in.',
  );
  await expect(editor.getByTestId('shot-problems')).toHaveText('Ready for Kling.');

  // Shot 2: image to video from a picked frame on Kling 3.0 with its own soundtrack; the brush says why it is gone.
  await app.getByRole('button', { name: 'Add shot' }).click();
  await editor.getByLabel('Prompt', { exact: true }).fill('The kite climbs into the wind');
  await editor.getByLabel('Start frame file').setInputFiles(makeFrame(dataDir));
  await editor.getByLabel('Model').selectOption('kling-3.0');
  await editor.getByLabel('Audio').selectOption('native');
  await expect(editor.getByTestId('brush-why')).toContainText('no live Kling model takes a motion brush');
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

  // Undo and redo the last edit.
  await app.getByTestId('shot-card').nth(2).click();
  await app.getByRole('button', { name: 'Undo' }).click();
  await expect(app.locator('.shot-editor').getByLabel("Chain from the previous shot's last frame")).not.toBeChecked();
  await app.getByRole('button', { name: 'Redo' }).click();
  await expect(app.locator('.shot-editor').getByLabel("Chain from the previous shot's last frame")).toBeChecked();

  // Export: the storyboard file's live fields.
  const [download] = await Promise.all([
    app.waitForEvent('download'),
    app.getByRole('button', { name: 'Export JSON' }).click(),
  ]);
  const doc = JSON.parse(readFileSync(await download.path(), 'utf8')) as {
    shots: Array<{
      model: string;
      resolution: string;
      audio?: string;
      camera?: string;
      startImage?: string;
      mode?: string;
    }>;
  };
  expect(doc.shots).toHaveLength(3);
  expect(doc.shots[0]).toMatchObject({ model: 'kling-2.5-turbo', resolution: '720p', camera: 'zoom_in' });
  expect(doc.shots[1]).toMatchObject({ model: 'kling-3.0', audio: 'native' });
  expect(doc.shots[2]?.startImage).toBe('@previous');
  expect(doc.shots.some((s) => s.mode !== undefined)).toBe(false);

  // The batch page prices it per second: 2.5 Turbo 720p 5 s = 1.5 u; 3.0 720p with audio 5 s = 4.5 u (shot 3 copies shot 2).
  await app.getByRole('button', { name: 'Batch' }).click();
  await expect(app.getByTestId('batch-total')).toHaveText('10.5 u (~USD 1.47)');
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
  await editor.getByLabel('Prompt', { exact: true }).fill('A red kite over the sea');
  // Only live models are offered.
  const models = await editor
    .getByLabel('Model')
    .locator('option')
    .evaluateAll((os) => os.map((o) => (o as HTMLOptionElement).value));
  expect(models).toEqual([
    'kling-3.0',
    'kling-3.0-turbo',
    'kling-3.0-omni',
    'kling-o1',
    'kling-2.6',
    'kling-2.5-turbo',
  ]);
  // Default kling-2.5-turbo: silent, no 4K, 5 or 10 s.
  await expect(editor.getByLabel('Audio')).toBeDisabled();
  await expect(editor.getByTestId('audio-why')).toContainText('kling-2.5-turbo makes silent clips');
  await expect(editor.getByLabel('Resolution').locator('option')).toHaveText(['720p', '1080p']);
  // Kling 3.0: 3-15 s and 4K, no negative prompt.
  await editor.getByLabel('Model').selectOption('kling-3.0');
  await expect(editor.getByLabel('Duration').locator('option[value="3"]')).toBeEnabled();
  await editor.getByLabel('Duration').selectOption('15');
  await expect(editor.getByLabel('Resolution').locator('option[value="4k"]')).toBeEnabled();
  await expect(editor.getByLabel('Negative prompt')).toBeDisabled();
  // Switching to a model without 15 s shows the value it holds as not offered, and the problem with its fix.
  await editor.getByLabel('Model').selectOption('kling-2.6');
  await expect(editor.getByLabel('Duration')).toHaveValue('15');
  await expect(editor.getByLabel('Duration').locator('option[value="15"]')).toContainText('not offered by Kling 2.6');
  await expect(editor.getByTestId('shot-problems')).toContainText('15 s is not offered by kling-2.6; use 5, 10 s');
  await editor.getByLabel('Duration').selectOption('5');
  // 2.6 makes native audio only at 1080p.
  await editor.getByLabel('Audio').selectOption('native');
  await expect(editor.getByTestId('shot-problems')).toContainText('native audio only at 1080p');
  await editor.getByLabel('Resolution').selectOption('1080p');
  await expect(editor.getByTestId('shot-problems')).toHaveText('Ready for Kling.');
  // 3.0 Turbo always has sound and takes no end frame.
  await editor.getByLabel('Model').selectOption('kling-3.0-turbo');
  await expect(editor.getByLabel('Audio')).toBeDisabled();
  await expect(editor.getByTestId('audio-why')).toContainText('always makes sound');
  // The prompt limit and the PII preview.
  await editor.getByLabel('Model').selectOption('kling-2.5-turbo');
  const prompt = editor.getByLabel('Prompt', { exact: true });
  await prompt.fill('x'.repeat(2501));
  await expect(editor.getByTestId('prompt-count')).toHaveText('2501 / 2500');
  await expect(editor.getByTestId('shot-problems')).toContainText('takes at most 2500');
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

test('settings show tools, privacy, audit, erase and compliance; takes and edit say what to do next', async ({
  app,
  dataDir,
}) => {
  await app.getByRole('button', { name: 'Settings' }).click();
  // A PathLabel (issue 17 item 4): the full path on hover and in data-path.
  await expect(app.getByTestId('settings-data-dir')).toHaveAttribute('data-path', dataDir);
  await expect(app.getByTestId('settings-data-dir').locator('.path-text')).toHaveAttribute('title', dataDir);
  await app.getByRole('button', { name: 'Run compliance checks' }).click();
  await expect(app.getByTestId('compliance').locator('li').first()).toBeVisible();
  await app.getByLabel('Subject tag').fill('acme');
  await app.getByRole('button', { name: 'Preview', exact: true }).click();
  await expect(app.getByTestId('erase-report')).toContainText('Would delete');
  await snap(app, 'settings');
  await app.getByRole('button', { name: 'Takes' }).click();
  await expect(
    app.getByText('No storyboard is open: queue one on the Batch page or open one from Projects.'),
  ).toBeVisible();
  await app.getByRole('button', { name: 'Edit' }).click();
  await expect(app.getByText('This storyboard has not been queued yet')).toBeVisible();
});

test('CSV import fills the storyboard; a 2025 file is upgraded with its changes listed; a bad row is refused with its row and field', async ({
  app,
  dataDir,
}) => {
  const good = join(dataDir, 'board.csv');
  writeFileSync(
    good,
    'id,prompt,model,resolution,duration,aspectRatio,camera,takes\na,"A kite, red",kling-2.5-turbo,720p,5,16:9,zoom_in,2\nb,The sea,kling-2.6,1080p,10,9:16,,1\n',
  );
  await app.getByLabel('Storyboard file to import').setInputFiles(good);
  await expect(app.getByTestId('shot-card')).toHaveCount(2);
  await expect(app.getByTestId('shot-card').first()).toContainText('A kite, red');
  await expect(app.getByTestId('storyboard-total')).toContainText('2 shots');
  await expect(app.getByTestId('upgrade-banner')).toHaveCount(0);
  // A file written for Kling 1.0 (retired): upgraded on the way in, with every change listed and Undo offered.
  const old = join(dataDir, 'old.csv');
  writeFileSync(
    old,
    'id,prompt,model,mode,duration,camera,cfgScale\nx,"A harbour at dawn",kling-v1,pro,5,pan_right,0.5\n',
  );
  await app.getByLabel('Storyboard file to import').setInputFiles(old);
  await expect(app.getByTestId('upgrade-banner')).toContainText('retired');
  await expect(app.getByTestId('shot-card')).toHaveCount(1);
  await expect(app.getByTestId('shot-card').first()).toContainText('kling-2.5-turbo · 1080p');
  await app.getByText('Show the changes').click();
  await expect(app.getByTestId('upgrade-banner')).toContainText('model kling-v1 -> kling-2.5-turbo');
  await expect(app.getByTestId('upgrade-banner')).toContainText('cfgScale 0.5 -> (none)');
  await app.getByRole('button', { name: 'Undo the import' }).click();
  await expect(app.getByTestId('shot-card')).toHaveCount(2);
  const bad = join(dataDir, 'bad.csv');
  writeFileSync(bad, 'id,prompt,model,colour\na,x,kling-v9,red\n');
  await app.getByLabel('Storyboard file to import').setInputFiles(bad);
  await expect(app.getByTestId('import-report')).toContainText('problems in bad.csv');
  await expect(app.getByTestId('import-problem').filter({ hasText: 'colour' })).toContainText(
    'unknown column "colour"',
  );
  await expect(app.getByTestId('import-problem').filter({ hasText: 'kling-v9' })).toHaveCount(1);
  await expect(app.getByTestId('shot-card')).toHaveCount(2);
});

test('the edit: picked clips in storyboard order, trims, crossfade, verdict, export, NLE timeline; ffprobe reads the file', async ({
  app,
  core,
  dataDir,
  dialogs,
  shownInFolder,
}) => {
  const clip = (name: string, color: string): string => {
    const file = join(dataDir, `${name}.mp4`);
    execFileSync('ffmpeg', [
      '-v',
      'error',
      '-y',
      '-f',
      'lavfi',
      '-i',
      `color=c=${color}:s=320x180:r=24:d=2`,
      '-c:v',
      'libx264',
      '-preset',
      'ultrafast',
      '-pix_fmt',
      'yuv420p',
      file,
    ]);
    return file;
  };
  // The picks are takes of a stored storyboard (the Edit page takes no typed paths): stored
  // in the core's edit, then the storyboard is opened from the project list.
  const board = join(dataDir, 'edit.csv');
  writeFileSync(board, `id,prompt,model\na,one,${MODEL}\nb,two,${MODEL}\nc,three,${MODEL}\n`);
  const imported = await core.call('storyboard.import', { path: board });
  if (!imported.ok) throw new Error(imported.error.message);
  const picks = Object.fromEntries(
    (['a', 'b', 'c'] as const).map((id, i) => [id, clip(id, ['red', 'green', 'blue'][i] ?? 'red')]),
  );
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
  // The written file as a path label (renderer/src/components/PathLabel.tsx): elided to fit, whole on hover.
  await expect(app.getByTestId('export-done').locator('[data-path]')).toHaveAttribute('data-path', out, {
    timeout: 60_000,
  });
  await expect(app.getByTestId('export-done').locator('.path-text')).toHaveAttribute('title', out);
  const probe = JSON.parse(
    execFileSync('ffprobe', ['-v', 'error', '-show_entries', 'format=duration', '-of', 'json', out]).toString(),
  ) as { format: { duration: string } };
  expect(Math.abs(Number(probe.format.duration) - 5)).toBeLessThan(0.2);
  // Open the output folder: the core hands the exported file to the desktop shell.
  await app.getByRole('button', { name: 'Show edit.mp4 in its folder' }).click();
  await expect(app.getByText('Shown in the file manager: edit.mp4')).toBeVisible();
  expect(shownInFolder).toEqual([out]);
  await snap(app, 'edit');
  await app.getByLabel('NLE timeline').selectOption('fcpxml');
  dialogs.answerSave(join(dataDir, 'edit.fcpxml'));
  await app.getByRole('button', { name: 'Export timeline…' }).click();
  await expect(app.getByTestId('export-done')).toContainText('edit.fcpxml');
  expect(readFileSync(join(dataDir, 'edit.fcpxml'), 'utf8')).toContain('<fcpxml');
});

test('takes: posters through the media route, pick the best take, it lands on the edit timeline', async ({
  app,
  core,
  dataDir,
  bridge,
  request,
  shownInFolder,
}) => {
  mkdirSync(join(dataDir, 'takes'), { recursive: true });
  const files = [1, 2].map((n) => {
    const file = join(dataDir, 'takes', `a-${n}.mp4`);
    execFileSync('ffmpeg', [
      '-v',
      'error',
      '-y',
      '-f',
      'lavfi',
      '-i',
      `testsrc=s=320x180:r=24:d=2`,
      '-c:v',
      'libx264',
      '-preset',
      'ultrafast',
      '-pix_fmt',
      'yuv420p',
      file,
    ]);
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
        files.map((file, i) => ({
          id: `j${i}`,
          batchId: 'b',
          storyboardId,
          storyboard: 'takes',
          shotId: 'a',
          take: i + 1,
          state: 'done',
          attempts: 1,
          stateSince: new Date().toISOString(),
          priority: 0,
          units: 1,
          error: null,
          fix: null,
          file,
          expiresAt,
        })),
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
  const ranged = await request.get(`${bridge.origin}${rel}?token=${bridge.token}`, {
    headers: { range: 'bytes=0-99' },
  });
  expect(ranged.status()).toBe(206);
  expect((await ranged.body()).length).toBe(100);
  expect((await request.get(`${bridge.origin}/media/clip/..%2F..%2Fetc%2Fpasswd?token=${bridge.token}`)).status()).toBe(
    404,
  );
});
