/**
 * Issue 13 items 1 and 5 on the Takes page: the takes of a multi-shot scene's shots show the
 * task they share ("Scene x · one task for N shots", one Kling task id), and Re-roll on a shot of
 * the scene asks first with the whole scene's cost, pays nothing before the yes, and then makes
 * one new scene take in the core (a new scene group: one new job per shot, one task).
 * Real core (electron/core/queue scene jobs), the built-in sandbox, Chromium over the bridge.
 */
import { basename, join } from 'node:path';

import { expect, test } from './fixtures';
import { allDone, jobs, nav } from './project-helpers';

test.use({ viewport: { width: 1440, height: 900 } });

const STORYBOARD = {
  name: 'Harbour scene',
  defaults: { model: 'kling-3.0', resolution: '720p', aspectRatio: '16:9', audio: 'off', takes: 1 },
  shots: [
    { id: 'wide', scene: 'dock', duration: 4, prompt: 'Wide shot of a harbour at dawn, boats leaving' },
    { id: 'deck', scene: 'dock', duration: 3, prompt: 'A sailor coils a rope on the deck' },
    { id: 'gull', scene: 'dock', duration: 3, prompt: 'A gull lands on the mast' },
    { id: 'alone', duration: 5, prompt: 'The lighthouse at noon' },
  ],
};

test('takes of a scene show their shared task; re-rolling one shot asks with the scene cost, then re-rolls the whole scene', async ({
  app,
  core,
  page,
}) => {
  await core.services.sandbox.ensure({ timing: { submittedMs: 100, processingMs: 400 } });
  const imported = await core.call('storyboard.import', { content: JSON.stringify(STORYBOARD), format: 'json' });
  if (!imported.ok) throw new Error(imported.error.message);
  const storyboardId = imported.value.storyboardId;
  const enq = await core.call('queue.enqueue', { storyboardId, provider: 'sandbox' });
  if (!enq.ok) throw new Error(enq.error.message);
  const done = await allDone(core, 4);

  // One scene take: three jobs in one group, the lead carrying the one task.
  const sceneJobs = done.filter((j) => j.scene);
  expect(sceneJobs.map((j) => j.shotId).sort()).toEqual(['deck', 'gull', 'wide']);
  expect(new Set(sceneJobs.map((j) => j.scene?.group)).size).toBe(1);
  const units = sceneJobs[0]?.scene?.units ?? 0;
  expect(units).toBeGreaterThan(0);
  const shown = String(Math.round(units * 100) / 100);

  // The Takes page of this project.
  await page.evaluate((id) => localStorage.setItem('shotline.project.v1', id), storyboardId);
  await app.reload();
  await nav(app, 'Takes');
  for (const id of ['wide', 'deck', 'gull']) {
    const section = app.getByRole('region', { name: `Takes of ${id}` });
    await expect(section.getByTestId('shot-scene')).toHaveText(`Scene dock · one task for 3 shots · ${shown} u`);
    await expect(section.getByTestId('take-scene')).toContainText('Scene dock · one task for 3 shots');
  }
  // The same Kling task on every shot's take.
  const tasks = await app.getByTestId('take-scene').allTextContents();
  const ids = new Set(tasks.map((x) => /Kling task (\S+)/.exec(x)?.[1]));
  expect(tasks).toHaveLength(3);
  expect(ids.size).toBe(1);
  expect([...ids][0]).toBeTruthy();
  // A shot alone keeps the plain re-roll and no scene line.
  const alone = app.getByRole('region', { name: 'Takes of alone' });
  await expect(alone.getByTestId('shot-scene')).toHaveCount(0);
  await expect(alone.getByRole('button', { name: 'Re-roll', exact: true })).toBeVisible();

  // Each scene take is its own clip cut from the scene's one MP4: its poster loads like any take's.
  await expect(app.locator('.take .poster img')).toHaveCount(4);
  for (const img of await app.locator('.take .poster img').all()) {
    await expect.poll(() => img.evaluate((i: HTMLImageElement) => i.naturalWidth)).toBeGreaterThan(0);
  }
  expect(new Set(sceneJobs.map((j) => j.file)).size).toBe(3);

  // The whole scene clip is kept and plays from any of its shots.
  const sceneFile = sceneJobs[0]?.scene?.file ?? '';
  expect(sceneFile).toMatch(/\.mp4$/);
  await app.getByRole('region', { name: 'Takes of gull' }).getByRole('button', { name: 'Play scene dock' }).click();
  await expect(app.locator('.player video')).toHaveAttribute(
    'src',
    new RegExp(`${basename(sceneFile).replace(/[.]/g, '\\.')}`),
  );
  await expect
    .poll(() => app.locator('.player video').evaluate((v: HTMLVideoElement) => v.duration))
    .toBeGreaterThan(9.5);
  await app.locator('.player').getByRole('button', { name: 'Close the player (Esc)' }).click();

  // Re-roll on the middle shot: asked first, with the whole scene's cost; nothing queued yet.
  const deck = app.getByRole('region', { name: 'Takes of deck' });
  await deck.getByRole('button', { name: 'Re-roll scene…' }).click();
  const confirm = deck.getByTestId('confirm-scene-reroll');
  await expect(confirm).toContainText(`This re-rolls the whole scene (3 shots, ${shown} u)`);
  await app.screenshot({ path: join(import.meta.dirname, '..', '..', 'docs', 'screenshots', 'takes-scene.png') });
  expect(await jobs(core)).toHaveLength(4);
  // Cancel (focused when the question opens) pays nothing either.
  await expect(confirm.getByRole('button', { name: 'Cancel' })).toBeFocused();
  await confirm.getByRole('button', { name: 'Cancel' }).click();
  await expect(confirm).toHaveCount(0);
  expect(await jobs(core)).toHaveLength(4);

  await deck.getByRole('button', { name: 'Re-roll scene…' }).click();
  await deck
    .getByTestId('confirm-scene-reroll')
    .getByRole('button', { name: `Re-roll the scene (${shown} u)` })
    .click();
  await expect(app.getByTestId('takes-note')).toHaveText('Scene dock: take 2 queued for all its shots.');

  // The core made one new scene take: a job for each of the three shots in one new group.
  const after = await allDone(core, 7);
  const groups = new Map<string, string[]>();
  for (const j of after.filter((x) => x.scene)) {
    const g = j.scene?.group ?? '';
    groups.set(g, [...(groups.get(g) ?? []), `${j.shotId}#${j.take}`]);
  }
  expect([...groups.values()].map((v) => v.sort())).toEqual(
    expect.arrayContaining([
      ['deck#1', 'gull#1', 'wide#1'],
      ['deck#2', 'gull#2', 'wide#2'],
    ]),
  );
  expect(groups.size).toBe(2);
  expect(after.filter((j) => j.shotId === 'alone')).toHaveLength(1);
  // Every shot of the scene shows its second take, from the new task.
  for (const id of ['wide', 'deck', 'gull']) {
    await expect(app.getByRole('region', { name: `Takes of ${id}` }).getByTestId('take')).toHaveCount(2);
  }
});
