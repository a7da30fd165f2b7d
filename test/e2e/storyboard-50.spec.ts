/**
 * Issue 11 item 6: the Storyboard page at 50 shots. The shot list scrolls on its own and the
 * editor stays on screen; a duration the model does not offer is shown as such with its fix;
 * capability notes are not painted as warnings and offer to switch model; the empty state is
 * shown once. Real core, renderer in Chromium over the test bridge.
 */
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';

import { expect, test } from './fixtures';

test.use({ viewport: { width: 1440, height: 900 } });

test('50 shots: shot 50 is edited with the editor on screen; a 15 s shot on a model without 15 s shows the value and its fix', async ({
  app,
  dataDir,
}) => {
  // Empty state: once.
  await expect(app.getByText('No shots yet.')).toHaveCount(1);

  const file = join(dataDir, 'fifty.csv');
  const rows = Array.from({ length: 49 }, (_, i) => `s${i + 1},shot number ${i + 1},kling-2.5-turbo,5`);
  writeFileSync(file, `id,prompt,model,duration\n${rows.join('\n')}\ns50,the last shot,kling-3.0,15\n`);
  await app.getByLabel('Storyboard file to import').setInputFiles(file);
  const cards = app.getByTestId('shot-card');
  await expect(cards).toHaveCount(50);

  // Select shot 50 (keyboard from shot 1 down would take long: scroll the list and click).
  await cards.nth(49).click();
  const editor = app.locator('.shot-editor');
  await expect(editor.getByLabel('Shot id')).toHaveValue('s50');
  // The page itself does not scroll: the list did, the editor is on screen.
  expect(await app.evaluate(() => document.scrollingElement?.scrollTop ?? 0)).toBe(0);
  expect(await app.locator('.content').evaluate((el) => el.scrollTop)).toBe(0);
  await expect(editor.getByLabel('Prompt', { exact: true })).toBeInViewport();
  await expect(cards.nth(49)).toBeInViewport();
  await expect(cards.first()).not.toBeInViewport();
  expect(await app.getByTestId('shot-list').evaluate((el) => el.scrollTop)).toBeGreaterThan(0);

  // 15 s on Kling 3.0, then a model without 15 s: the menu shows 15 s, named as not offered.
  const duration = editor.getByRole('combobox', { name: 'Duration' });
  await expect(duration).toHaveValue('15');
  await editor.getByLabel('Model').selectOption('kling-2.5-turbo');
  await expect(duration).toHaveValue('15');
  await expect(duration.locator('option:checked')).toHaveText('15 s (not offered by Kling 2.5 Turbo)');
  await expect(duration).toHaveAttribute('aria-invalid', 'true');
  const bad = editor.getByTestId('duration-invalid');
  await expect(bad).toContainText(
    'The shot is 15 s, which Kling 2.5 Turbo (kling-2.5-turbo) does not offer (it offers 5, 10 s).',
  );
  // Choosing 5 s works (before, 5 s was shown already and choosing it did nothing).
  await duration.selectOption('5');
  await expect(duration).toHaveValue('5');
  await expect(bad).toHaveCount(0);
  await expect(cards.nth(49)).toContainText('5 s');
  // The fix button: back to 15 s on Kling 3.0, to Kling 2.5 Turbo again, then "Use 10 s".
  await editor.getByLabel('Model').selectOption('kling-3.0');
  await duration.selectOption('15');
  await editor.getByLabel('Model').selectOption('kling-2.5-turbo');
  await bad.getByRole('button', { name: 'Use 10 s' }).click();
  await expect(duration).toHaveValue('10');
  await expect(cards.nth(49)).toContainText('10 s');

  // Capability notes are information (muted), not warnings; a feature on another model offers the switch.
  // Kling 2.5 Turbo makes silent clips: the audio menu says why, muted.
  const why = editor.getByTestId('audio-why');
  await expect(why).toContainText('makes silent clips');
  const colors = await app.evaluate(() => {
    const probe = (cls: string): string => {
      const el = document.createElement('span');
      el.className = cls;
      document.body.append(el);
      const c = getComputedStyle(el).color;
      el.remove();
      return c;
    };
    return { warn: probe('warn'), muted: probe('muted') };
  });
  const whyColor = await why.evaluate((el) => getComputedStyle(el).color);
  expect(whyColor).not.toBe(colors.warn);
  expect(whyColor).toBe(colors.muted);
  const notes = editor.getByTestId('feature-notes');
  await expect(notes).toContainText('Native audio is not offered by Kling 2.5 Turbo.');
  await notes.getByRole('button', { name: /^Switch to Kling 3\.0 \(kling-3\.0 720p 10 s\)$/ }).click();
  await expect(editor.getByLabel('Model')).toHaveValue('kling-3.0');
  await expect(duration).toHaveValue('10');
  await expect(editor.getByLabel('Audio')).toHaveValue('native');
  await expect(editor.getByLabel('Audio')).toBeEnabled();
  await expect(notes).toHaveCount(0);
  await app.screenshot({ path: join(import.meta.dirname, 'screenshots', 'storyboard-50.png') });
});
