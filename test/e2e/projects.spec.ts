/**
 * Issue 11 item 4: takes and edits belong to a storyboard (its stored id), not to the name in
 * the editor. Another storyboard in the editor shows its own takes; a storyboard file with a
 * known name opens with its takes; the project list opens an earlier storyboard with its
 * batches, takes and edit. Real core, the built-in sandbox, Chromium over the test bridge.
 */
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

import { newShot } from '../../renderer/src/state/storyboard';
import { expect, test } from './fixtures';
import { allDone, buildStoryboard, nav, queue } from './project-helpers';

test.use({ viewport: { width: 1440, height: 900 } });

const SHOTS = join(import.meta.dirname, '..', '..', 'docs', 'screenshots');

test('another storyboard shows its own takes; a known file and the project list open the first with its takes and edit', async ({
  app,
  core,
  dialogs,
}) => {
  await core.services.sandbox.ensure({ timing: { submittedMs: 100, processingMs: 500 } });
  await buildStoryboard(app, 'Harbour', ['Boats leave the harbour at dawn']);
  await queue(app, 1);
  const [take] = await allDone(core, 1);
  await nav(app, 'Takes');
  await expect(app.getByRole('heading', { name: 'Takes of Harbour' })).toBeVisible();
  await app.getByTestId('take').first().getByRole('button', { name: 'Pick' }).click();
  await expect(app.getByTestId('take').first().getByRole('button', { name: 'Picked' })).toBeVisible();

  // A second storyboard in the editor: its own takes, not the first one's.
  await buildStoryboard(app, 'Lighthouse', ['The lamp turns', 'Waves on the rocks']);
  await queue(app, 3);
  await allDone(core, 4);
  await nav(app, 'Takes');
  await expect(app.getByRole('heading', { name: 'Takes of Lighthouse' })).toBeVisible();
  await expect(app.getByTestId('take')).toHaveCount(3);
  await expect(app.getByTestId('take').getByRole('button', { name: 'Picked' })).toHaveCount(0);

  // The first storyboard's file, opened again: its takes and pick are there.
  const folder = mkdtempSync(join(tmpdir(), 'shotline-projects-'));
  try {
    const file = join(folder, 'harbour.json');
    writeFileSync(
      file,
      JSON.stringify({
        name: 'Harbour',
        defaults: { model: newShot([]).model },
        shots: [{ id: 'shot-1', prompt: 'Boats leave the harbour at dawn' }],
      }),
    );
    dialogs.answerOpen(file);
    await nav(app, 'Storyboard');
    await app.getByRole('button', { name: 'Open storyboard file…' }).click();
    await expect(app.getByTestId('shot-card')).toHaveCount(1);
    await nav(app, 'Takes');
    await expect(app.getByRole('heading', { name: 'Takes of Harbour' })).toBeVisible();
    await expect(app.getByTestId('take')).toHaveCount(1);
    await expect(app.getByTestId('take').getByRole('button', { name: 'Picked' })).toBeVisible();
  } finally {
    rmSync(folder, { recursive: true, force: true });
  }

  // The project list: both storyboards, with their batches, takes and edits; Open brings one back.
  await nav(app, 'Storyboard');
  await app.getByLabel('Storyboard name').fill('Something else');
  await nav(app, 'Projects');
  const rows = app.getByTestId('project-row');
  await expect(rows).toHaveCount(2);
  const harbour = rows.filter({ hasText: 'Harbour' });
  await expect(harbour.locator('td').nth(2)).toHaveText('1');
  await expect(harbour.locator('td').nth(3)).toHaveText('1');
  await expect(harbour.locator('td').nth(4)).toHaveText('1 clip(s)');
  await app.getByRole('button', { name: 'Open Lighthouse' }).click();
  await expect(app.getByRole('status').filter({ hasText: 'Opened Lighthouse' })).toBeVisible();
  await app.screenshot({ path: join(SHOTS, 'projects.png') });
  await app.getByRole('button', { name: 'Open Harbour' }).click();
  await expect(app.getByRole('status').filter({ hasText: 'Opened Harbour' })).toBeVisible();
  await nav(app, 'Storyboard');
  await expect(app.getByLabel('Storyboard name')).toHaveValue('Harbour');
  await expect(app.getByTestId('shot-card')).toHaveCount(1);
  await nav(app, 'Takes');
  await expect(app.getByRole('heading', { name: 'Takes of Harbour' })).toBeVisible();
  await expect(app.getByTestId('take').getByRole('button', { name: 'Picked' })).toBeVisible();
  await app.screenshot({ path: join(SHOTS, 'takes.png') });
  await nav(app, 'Edit');
  await expect(app.getByRole('heading', { name: 'Edit of Harbour' })).toBeVisible();
  await expect(app.getByLabel('Clip file for shot-1')).toHaveText((take?.file ?? '').split('/').pop() ?? '');
});
