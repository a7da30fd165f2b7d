/**
 * Issue 13 items 2 and 5 in the studio: the Elements page creates an element from images at
 * the sandbox through the real core (electron/core/elements, a durable job of its own), shows
 * it ready with its Kling id, the shot editor's elements picker lists it with the model's limit,
 * and Delete (after a confirmation that says it deletes at Kling) removes it at the sandbox.
 * Bad input is refused in place. Chromium over the test bridge, real core, the built-in sandbox.
 */
import { execFileSync } from 'node:child_process';
import { join } from 'node:path';

import type { Page } from '@playwright/test';

import { expect, test } from './fixtures';

test.use({ viewport: { width: 1440, height: 900 } });

/** A PNG made by ffmpeg (testsrc2 at a given hue), so each image has its own bytes. */
function makeImage(file: string, size: string, hue = 0): string {
  execFileSync('ffmpeg', [
    '-v',
    'error',
    '-y',
    '-f',
    'lavfi',
    '-i',
    `testsrc2=size=${size}:rate=1`,
    '-vf',
    `hue=h=${hue}`,
    '-frames:v',
    '1',
    file,
  ]);
  return file;
}

async function openElements(app: Page): Promise<void> {
  await app.getByRole('navigation').getByRole('button', { name: 'Elements' }).click();
  await expect(app.getByRole('heading', { name: 'Elements', level: 1 })).toBeVisible();
}

test('an element made from images in the panel becomes ready at the sandbox with a Kling id; the picker lists it; Delete removes it at Kling', async ({
  app,
  core,
  dataDir,
}) => {
  const { sandbox } = await core.services.sandbox.ensure({ timing: { submittedMs: 100, processingMs: 400 } });
  await openElements(app);
  await expect(app.locator('.page.elements .empty')).toContainText('No elements yet');

  const form = app.getByRole('form', { name: 'New element' });
  await form.getByLabel('Alias (@id)').fill('mara');
  await form.getByLabel('Name').fill('Mara');
  await form.getByLabel('Description').fill('Red coat, short black hair');
  await form.getByLabel('Frontal image file').setInputFiles(makeImage(join(dataDir, 'front.png'), '640x800', 0));
  await form.getByLabel('Reference image 1 file').setInputFiles(makeImage(join(dataDir, 'side.png'), '640x800', 90));
  await expect(form.getByTestId('frame-thumbnail')).toHaveCount(2);
  await form.getByRole('button', { name: 'Create at Kling' }).click();
  await expect(form.getByRole('status')).toContainText('@mara is queued for creation at Kling');

  // The card follows elements.changed to "ready" and shows the id the sandbox gave.
  const card = app.getByTestId('element-card').filter({ hasText: '@mara' });
  await expect(card.getByTestId('element-state')).toHaveText('ready', { timeout: 60_000 });
  const klingId = (await card.getByTestId('element-kling-id').textContent()) ?? '';
  expect(klingId).toMatch(/^\d+$/);
  const atSandbox = sandbox.elements().filter((e) => e.deletedAt === null);
  expect(atSandbox.map((e) => [e.elementId, e.name, e.referenceType])).toEqual([[klingId, 'Mara', 'image_refer']]);
  await expect(card.getByTestId('element-thumbnail')).toBeVisible();
  await expect
    .poll(() => card.getByTestId('element-thumbnail').evaluate((img: HTMLImageElement) => img.naturalWidth))
    .toBeGreaterThan(0);
  await expect(card).toContainText('Mara');
  await app.screenshot({ path: join(import.meta.dirname, '..', '..', 'docs', 'screenshots', 'elements.png') });

  // The shot editor's picker lists it, with kling-3.0's rule: elements need a start frame, then 3.
  await app.getByRole('navigation').getByRole('button', { name: 'Storyboard' }).click();
  await app.getByRole('button', { name: 'Add shot' }).click();
  const editor = app.locator('.shot-editor');
  await editor.getByLabel('Model').selectOption('kling-3.0');
  const picker = editor.getByTestId('elements-picker');
  await expect(picker.getByTestId('elements-why')).toContainText('add a start frame');
  await expect(picker.getByRole('button', { name: 'Add @mara to this shot' })).toBeDisabled();
  await editor.getByLabel('Start frame file').setInputFiles(makeImage(join(dataDir, 'start.png'), '1280x720', 30));
  await expect(picker.getByTestId('elements-limit')).toHaveText('0 of at most 3 · Kling 3.0 with a start frame');
  await picker.getByRole('button', { name: 'Add @mara to this shot' }).click();
  await expect(picker.getByRole('button', { name: 'Remove @mara from this shot' })).toHaveAttribute(
    'aria-pressed',
    'true',
  );
  await expect(picker.getByTestId('elements-limit')).toContainText('1 of at most 3');
  await expect(picker.getByTestId('element-thumbnail')).toBeVisible();
  // The limit follows the model: 3 on 3.0 Omni with a start frame; none on 2.5 Turbo, said with the fix.
  await editor.getByLabel('Model').selectOption('kling-3.0-omni');
  await expect(picker.getByTestId('elements-limit')).toHaveText('1 of at most 3 · Kling 3.0 Omni with a start frame');
  await editor.getByLabel('Model').selectOption('kling-2.5-turbo');
  await expect(picker.getByTestId('elements-why')).toContainText('Kling 2.5 Turbo takes no elements: use kling-3.0');
  await expect(picker.getByRole('alert')).toContainText('Kling 2.5 Turbo takes no elements');
  await editor.getByLabel('Model').selectOption('kling-3.0');
  await expect(picker.getByTestId('elements-limit')).toHaveText('1 of at most 3 · Kling 3.0 with a start frame');

  // Delete asks first and says it deletes at Kling; then it is gone at the sandbox.
  await openElements(app);
  await card.getByRole('button', { name: 'Delete @mara at Kling' }).click();
  const confirm = card.getByTestId('confirm-delete-element');
  await expect(confirm).toContainText('This deletes the element in the Kling account');
  // The safe choice has the focus, and Escape takes it.
  await expect(confirm.getByRole('button', { name: 'Keep it' })).toBeFocused();
  await app.keyboard.press('Escape');
  await expect(confirm).toHaveCount(0);
  await card.getByRole('button', { name: 'Delete @mara at Kling' }).click();
  expect(sandbox.elements().filter((e) => e.deletedAt === null)).toHaveLength(1);
  await confirm.getByRole('button', { name: 'Delete at Kling' }).click();
  await expect(card.getByTestId('element-state')).toHaveText('deleted', { timeout: 30_000 });
  await expect.poll(() => sandbox.elements().filter((e) => e.deletedAt === null).length).toBe(0);
  expect(sandbox.elements().map((e) => e.elementId)).toEqual([klingId]);

  // The shot that still names it is told so, with the fix, and can drop it.
  await app.getByRole('navigation').getByRole('button', { name: 'Storyboard' }).click();
  await expect(picker.getByRole('alert')).toContainText(
    '@mara was deleted at Kling: create it again on the Elements page',
  );
  await picker.getByRole('alert').getByRole('button', { name: 'Remove @mara from this shot' }).click();
  await expect(picker.getByRole('alert')).toHaveCount(0);
  await expect(picker.getByRole('button', { name: 'Add @mara to this shot' })).toBeDisabled();
});

test('an element picked in the shot editor goes with the shot: queued, sent to Kling by its id, listed under Used by', async ({
  app,
  core,
  dataDir,
}) => {
  const { sandbox } = await core.services.sandbox.ensure({ timing: { submittedMs: 100, processingMs: 400 } });
  await openElements(app);
  const form = app.getByRole('form', { name: 'New element' });
  await form.getByLabel('Alias (@id)').fill('mara');
  await form.getByLabel('Frontal image file').setInputFiles(makeImage(join(dataDir, 'front.png'), '640x800', 0));
  await form.getByLabel('Reference image 1 file').setInputFiles(makeImage(join(dataDir, 'side.png'), '640x800', 90));
  await form.getByRole('button', { name: 'Create at Kling' }).click();
  const card = app.getByTestId('element-card').filter({ hasText: '@mara' });
  await expect(card.getByTestId('element-state')).toHaveText('ready', { timeout: 60_000 });
  const klingId = (await card.getByTestId('element-kling-id').textContent()) ?? '';
  await expect(card.getByTestId('element-used-by')).toHaveText('no shot names it');

  await app.getByRole('navigation').getByRole('button', { name: 'Storyboard' }).click();
  await app.getByLabel('Storyboard name').fill('Mara on the pier');
  await app.getByRole('button', { name: 'Add shot' }).click();
  const editor = app.locator('.shot-editor');
  await editor.getByLabel('Prompt', { exact: true }).fill('@mara walks along the pier at dusk');
  await editor.getByLabel('Model').selectOption('kling-3.0');
  await editor.getByLabel('Start frame file').setInputFiles(makeImage(join(dataDir, 'pier.png'), '1280x720', 60));
  await editor.getByTestId('elements-picker').getByRole('button', { name: 'Add @mara to this shot' }).click();

  await app.getByRole('navigation').getByRole('button', { name: 'Batch' }).click();
  const batch = app.locator('.page.batch');
  await expect(app.getByTestId('batch-costs').locator('tbody td').last()).toHaveText('ok');
  await batch.getByRole('button', { name: 'Queue', exact: true }).click();
  await expect(batch.getByRole('status').filter({ hasText: 'Queued 1 new take(s)' })).toBeVisible();
  await expect
    .poll(
      async () => {
        const r = await core.call('queue.list', {});
        return r.ok ? r.value.jobs.map((j) => j.state) : [r.error.message];
      },
      { timeout: 60_000 },
    )
    .toEqual(['done']);

  // Kling got the element by the id the library stored (no second element was created).
  const video = sandbox.creates.filter((c) => c.code === 0 && !/element/.test(c.path));
  expect(JSON.stringify(video.map((c) => c.body))).toContain(klingId);
  expect(sandbox.elements()).toHaveLength(1);
  // The library lists @mara once, used by shot-1: the storyboard names the library's element as
  // {id, klingId}, which electron/core/elements/library.ts ensureElement resolves to the held row.
  await openElements(app);
  await expect(card).toHaveCount(1);
  await expect(card.getByTestId('element-used-by').filter({ hasText: 'shot-1' })).toHaveCount(1);
});

test('the New element form refuses bad input in place: alias, name and description limits, images Kling would refuse, missing images', async ({
  app,
  dataDir,
}) => {
  await openElements(app);
  const form = app.getByRole('form', { name: 'New element' });
  await form.getByRole('button', { name: 'Create at Kling' }).click();
  await expect(form.getByRole('alert').filter({ hasText: 'Add a frontal image' })).toBeVisible();
  await expect(form.getByRole('alert').filter({ hasText: 'Add at least one reference image' })).toBeVisible();

  await form.getByLabel('Alias (@id)').fill('9 lives');
  await expect(form.getByRole('alert').filter({ hasText: '"9 lives" cannot be an alias' })).toContainText(
    'starting with a letter',
  );
  await form.getByLabel('Name').fill('A name that is far too long');
  await expect(
    form.getByRole('alert').filter({ hasText: 'Name has 27 characters; Kling takes at most 20' }),
  ).toBeVisible();
  await form.getByLabel('Description').fill('x'.repeat(101));
  await expect(
    form.getByRole('alert').filter({ hasText: 'Description has 101 characters; Kling takes at most 100' }),
  ).toBeVisible();
  await expect(form.getByRole('button', { name: 'Create at Kling' })).toBeDisabled();

  // The same image checks as frames: too small, and too wide, are refused next to the picker.
  await form.getByLabel('Frontal image file').setInputFiles(makeImage(join(dataDir, 'tiny.png'), '200x200'));
  const frontal = form.locator('fieldset.frame').filter({ hasText: 'Frontal image' });
  await expect(frontal.getByRole('alert')).toContainText('300');
  await form.getByLabel('Reference image 1 file').setInputFiles(makeImage(join(dataDir, 'wide.png'), '1600x400'));
  await expect(
    form.locator('fieldset.frame').filter({ hasText: 'Reference image 1' }).getByRole('alert'),
  ).toContainText('2.5');
  await expect(form.getByTestId('frame-thumbnail')).toHaveCount(0);

  await form.getByLabel('Alias (@id)').fill('mara');
  await form.getByLabel('Name').fill('Mara');
  await form.getByLabel('Description').fill('Red coat');
  await expect(form.getByRole('button', { name: 'Create at Kling' })).toBeEnabled();
});

test('an element Kling refuses shows its state, the error and the fix on its card', async ({ app, core, dataDir }) => {
  const { sandbox } = await core.services.sandbox.ensure({ timing: { submittedMs: 100, processingMs: 400 } });
  // The account's resource pack is empty: Kling answers 1102 to the element's create.
  sandbox.inject({ route: 'create', action: { type: 'error', code: 1102 }, times: Infinity });
  await openElements(app);
  const form = app.getByRole('form', { name: 'New element' });
  await form.getByLabel('Alias (@id)').fill('kite');
  await form.getByLabel('Frontal image file').setInputFiles(makeImage(join(dataDir, 'kite.png'), '640x640', 200));
  await form.getByLabel('Reference image 1 file').setInputFiles(makeImage(join(dataDir, 'kite2.png'), '640x640', 250));
  await form.getByRole('button', { name: 'Create at Kling' }).click();
  const card = app.getByTestId('element-card').filter({ hasText: '@kite' });
  await expect(card.getByTestId('element-state')).toHaveText(/^(blocked|failed)$/, { timeout: 60_000 });
  const error = card.getByTestId('element-error');
  await expect(error).toContainText('1102');
  await expect(error.locator('.fix-text')).not.toBeEmpty();
  await expect(card.getByTestId('element-kling-id')).toHaveText('not created yet');
  expect(sandbox.elements()).toHaveLength(0);
});
