/**
 * Issue 13 items 1 and 5, the app end to end for a scene with an element, from where the user
 * starts: Open storyboard file… (the fake dialog answers examples/scene.json) -> the Storyboard
 * page shows the scene group and the element -> the Batch check is ok and the estimate 10.5 u ->
 * Queue -> the scene's three takes share one task, each its own clip -> the element is ready and
 * used by the scene's shots on the Elements page -> Edit exports the cut through the save dialog,
 * as long as its clips together (ffprobe). Real core, the built-in sandbox, Chromium over the bridge.
 */
import { execFileSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import { join } from 'node:path';

import { formatCost } from '../../shared/kling';
import { expect, test } from './fixtures';
import { allDone, nav } from './project-helpers';

test.use({ viewport: { width: 1440, height: 900 } });

const EXAMPLE = join(import.meta.dirname, '..', '..', 'examples', 'scene.json');
const SCENE = ['beach-wide', 'beach-launch', 'beach-sky'];

const duration = (f: string): number =>
  Number(
    (
      JSON.parse(
        execFileSync('ffprobe', ['-v', 'error', '-show_entries', 'format=duration', '-of', 'json', f]).toString(),
      ) as { format: { duration: string } }
    ).format.duration,
  );

test('examples/scene.json from Open storyboard file… to an exported cut: one scene task, its element, every clip', async ({
  app,
  core,
  dialogs,
  dataDir,
}) => {
  const { sandbox } = await core.services.sandbox.ensure({ timing: { submittedMs: 100, processingMs: 400 } });

  // Open: the file's images come from its folder (examples/elements, examples/frames).
  dialogs.answerOpen(EXAMPLE);
  await app.getByRole('button', { name: 'Open storyboard file…' }).click();
  await expect(app.getByTestId('open-file-note')).toContainText('Opened scene.json');
  await expect(app.getByTestId('shot-card')).toHaveCount(4);
  const group = app.getByTestId('scene-group');
  await expect(group).toHaveCount(1);
  await expect(group).toContainText('Scene beach');
  await expect(group.getByTestId('shot-card')).toHaveCount(3);
  await expect(group.getByTestId('scene-total')).toHaveText('10 s of 3-15 s');
  await expect(group.getByTestId('shot-card').filter({ hasText: '@mara' })).toHaveCount(2);

  // Batch: every shot checks ok; one charge for the scene plus the lone shot: 10.5 u.
  await nav(app, 'Batch');
  const batch = app.locator('.page.batch');
  const checks = app.getByTestId('batch-costs').locator('tbody tr td:last-child');
  await expect(checks).toHaveText(['ok', 'ok', 'ok', 'ok']);
  await expect(app.getByTestId('batch-total')).toHaveText(formatCost(10.5));
  await batch.getByRole('button', { name: 'Queue', exact: true }).click();
  await expect(batch.getByRole('status').filter({ hasText: 'Queued 4 new take(s)' })).toBeVisible();
  const done = await allDone(core, 4);

  // Takes: the scene's three takes share one Kling task, each with its own clip.
  await nav(app, 'Takes');
  for (const id of SCENE) {
    const section = app.getByRole('region', { name: `Takes of ${id}` });
    await expect(section.getByTestId('take')).toHaveCount(1);
    await expect(section.getByTestId('take-scene')).toContainText('Scene beach · one task for 3 shots');
  }
  const tasks = await app.getByTestId('take-scene').allTextContents();
  expect(tasks).toHaveLength(3);
  expect(new Set(tasks.map((x) => /Kling task (\S+)/.exec(x)?.[1])).size).toBe(1);
  const sceneJobs = done.filter((j) => j.scene);
  expect(sceneJobs.map((j) => j.shotId).sort()).toEqual([...SCENE].sort());
  expect(new Set(sceneJobs.map((j) => j.file)).size).toBe(3);
  expect(sandbox.tasks()).toHaveLength(2);

  // Elements: @mara was created once at Kling, is ready, and is used by the shots that name it.
  await nav(app, 'Elements');
  const card = app.getByTestId('element-card').filter({ hasText: '@mara' });
  await expect(card).toHaveCount(1);
  await expect(card.getByTestId('element-state')).toHaveText('ready');
  const usedBy = card.getByTestId('element-used-by');
  await expect(usedBy).toContainText('beach-wide');
  await expect(usedBy).toContainText('beach-launch');
  await expect(usedBy).not.toContainText('beach-sky');
  expect(sandbox.elements()).toHaveLength(1);

  // Edit: pick every take, export through the save dialog; the cut is as long as its clips.
  await nav(app, 'Takes');
  for (let i = 0; i < 4; i++) await app.getByTestId('take').nth(i).getByRole('button', { name: 'Pick' }).click();
  await expect(app.getByRole('button', { name: 'Picked' })).toHaveCount(4);
  await nav(app, 'Edit');
  const out = join(dataDir, 'beach.mp4');
  dialogs.answerSave(out);
  await app.getByRole('button', { name: 'Export edit…' }).click();
  await expect(app.getByTestId('export-done')).toContainText(out, { timeout: 60_000 });
  expect(existsSync(out)).toBe(true);
  const clips = done.map((j) => duration(j.file ?? ''));
  const sum = clips.reduce((a, b) => a + b, 0);
  expect(sum).toBeGreaterThan(14);
  expect(Math.abs(duration(out) - sum)).toBeLessThan(0.25);
});
