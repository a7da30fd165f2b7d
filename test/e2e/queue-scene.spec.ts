/**
 * Issue 13 item 1 on the Queue page: Retry and Cancel on a shot of a scene act on the whole scene
 * take (electron/core/queue/store.ts, jobsFor), so both ask first and name the scene, its shots
 * and, for a retry, the scene's cost (renderer/src/components/SceneQueueConfirm.tsx). The scene
 * take fails at Kling (sandbox fault injection: the create is refused); nothing is queued before
 * the yes; the yes queues every shot of the scene again in the core, and they are made.
 * Real core, the built-in sandbox, Chromium over the bridge.
 */
import { expect, test } from './fixtures';
import { allDone, jobs, nav } from './project-helpers';

test.use({ viewport: { width: 1440, height: 900 } });

const STORYBOARD = {
  name: 'Pier scene',
  defaults: { model: 'kling-3.0', resolution: '720p', aspectRatio: '16:9', audio: 'off', takes: 1 },
  shots: [
    { id: 'wide', scene: 'pier', duration: 4, prompt: 'Wide shot of a wooden pier at dusk' },
    { id: 'rail', scene: 'pier', duration: 3, prompt: 'A hand slides along the wet rail' },
    { id: 'lamp', scene: 'pier', duration: 3, prompt: 'The lamp at the end of the pier flickers on' },
  ],
};

test('Retry and Cancel on a shot of a blocked scene ask first, name the scene and its cost, and the yes retries every shot', async ({
  app,
  core,
}) => {
  const { sandbox } = await core.services.sandbox.ensure({ timing: { submittedMs: 100, processingMs: 400 } });
  // Kling refuses the scene's one create (a parameter error: the engine blocks the take, no retry).
  sandbox.inject({ route: 'create', action: { type: 'error', code: 1201, message: 'prompt: invalid parameter' } });
  const imported = await core.call('storyboard.import', { content: JSON.stringify(STORYBOARD), format: 'json' });
  if (!imported.ok) throw new Error(imported.error.message);
  const enq = await core.call('queue.enqueue', { storyboardId: imported.value.storyboardId, provider: 'sandbox' });
  if (!enq.ok) throw new Error(enq.error.message);
  await expect
    .poll(async () => (await jobs(core)).map((j) => j.state).join(','), { timeout: 60_000 })
    .toBe('blocked,blocked,blocked');
  const blocked = await jobs(core);
  expect(new Set(blocked.map((j) => j.scene?.group)).size).toBe(1);
  const scene = blocked[0]?.scene;
  if (!scene) throw new Error('the blocked jobs carry no scene');
  expect(scene.shotIds).toEqual(['wide', 'rail', 'lamp']);
  const units = String(Math.round(scene.units * 100) / 100);
  expect(sandbox.tasks()).toHaveLength(0);

  await nav(app, 'Queue');
  const rows = app.getByTestId('job-row');
  await expect(rows).toHaveCount(3);
  await expect(rows.filter({ hasText: 'blocked' })).toHaveCount(3);

  // Retry on the middle shot: asked first, with the scene's name, its shots and its cost.
  await app.getByRole('button', { name: 'Retry: rail#1' }).click();
  const retry = app.getByTestId('confirm-scene-retry');
  await expect(retry).toHaveAttribute('aria-label', 'Retry scene pier?');
  await expect(retry).toContainText(`This retries the whole scene (3 shots, ${units} u)`);
  await expect(retry.getByRole('button', { name: `Retry the scene (${units} u)` })).toBeVisible();
  // Cancel (focused when the question opens) queues nothing.
  await expect(retry.getByRole('button', { name: 'Cancel', exact: true })).toBeFocused();
  await retry.getByRole('button', { name: 'Cancel', exact: true }).click();
  await expect(retry).toHaveCount(0);
  expect((await jobs(core)).map((j) => j.state)).toEqual(['blocked', 'blocked', 'blocked']);

  // Cancel on a shot of the scene asks too (the whole scene, its shots); keeping it changes nothing.
  await app.getByRole('button', { name: 'Cancel: lamp#1' }).click();
  const cancel = app.getByTestId('confirm-scene-cancel');
  await expect(cancel).toHaveAttribute('aria-label', 'Cancel scene pier?');
  await expect(cancel).toContainText('This cancels the whole scene (3 shots)');
  await expect(cancel.getByRole('button', { name: 'Cancel the scene (3 shots)' })).toBeVisible();
  await cancel.getByRole('button', { name: 'Keep the scene' }).click();
  await expect(cancel).toHaveCount(0);
  expect((await jobs(core)).map((j) => j.state)).toEqual(['blocked', 'blocked', 'blocked']);
  expect(sandbox.tasks()).toHaveLength(0);

  // Yes: every shot of the scene is queued again and made by one new task.
  await app.getByRole('button', { name: 'Retry: rail#1' }).click();
  await app
    .getByTestId('confirm-scene-retry')
    .getByRole('button', { name: `Retry the scene (${units} u)` })
    .click();
  await expect(app.getByTestId('confirm-scene-retry')).toHaveCount(0);
  const done = await allDone(core, 3);
  expect(done.map((j) => j.shotId).sort()).toEqual(['lamp', 'rail', 'wide']);
  expect(done.every((j) => j.scene?.group === scene.group)).toBe(true);
  expect(sandbox.tasks()).toHaveLength(1);
  await expect(rows.filter({ hasText: 'done' })).toHaveCount(3);
});
