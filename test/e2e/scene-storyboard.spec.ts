/**
 * Issue 13 item 5: scenes on the Storyboard page. A user builds a three-shot scene in the editor
 * (scene names typed and picked, durations), sees the framed group and its duration bar, goes over
 * 15 s and sees the refusal with the fix, fixes it, and queues it: the core (through the bridge)
 * holds one scene take of three jobs. A CSV with scenes imports into groups and exports the same
 * rows. Real core, the built-in sandbox, Chromium over the test bridge.
 */
import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';

import { formatCost, unitsPerClip } from '../../shared/kling';
import { parseCsv } from '../../shared/storyboard/csv';
import { expect, test } from './fixtures';
import { jobs, nav, queue } from './project-helpers';

const DOCS = join(import.meta.dirname, '..', '..', 'docs', 'screenshots');

test.use({ viewport: { width: 1440, height: 900 } });

test('a three-shot scene: the group and its bar, 16 s refused with the fix, 15 s queued as one scene take', async ({
  app,
  core,
}) => {
  const editor = app.locator('.shot-editor');
  await app.getByLabel('Storyboard name').fill('Kitchen');

  // Shot 1: Kling 3.0, the scene typed.
  await app.getByRole('button', { name: 'Add shot' }).click();
  await editor.getByLabel('Prompt', { exact: true }).fill('She walks into the kitchen, morning light');
  await editor.getByLabel('Model').selectOption('kling-3.0');
  await editor.getByLabel('Scene', { exact: true }).fill('kitchen');
  await editor.getByLabel('Duration').selectOption('5');
  // In a scene the counter is against 512 characters (the prompt as sent).
  await expect(editor.getByTestId('prompt-count')).toHaveText('41 / 512 (in a scene)');

  // Shots 2 and 3: the neighbour's scene is one click away; a 2 s shot is allowed in a scene.
  await app.getByRole('button', { name: 'Add shot' }).click();
  await editor.getByLabel('Prompt', { exact: true }).fill('She opens the fridge');
  await editor.getByRole('button', { name: 'kitchen', exact: true }).click();
  await expect(editor.getByLabel('Model')).toHaveValue('kling-3.0');
  await editor.getByLabel('Duration').selectOption('2');
  await app.getByRole('button', { name: 'Add shot' }).click();
  await editor.getByLabel('Prompt', { exact: true }).fill('She laughs at the empty shelf');
  await editor.getByLabel('Scene', { exact: true }).fill('kitchen');
  await editor.getByLabel('Duration').selectOption('9');

  // One framed group of three cards, a bar with three segments, 16 s: refused with the fix.
  const group = app.getByTestId('scene-group');
  await expect(group).toHaveCount(1);
  await expect(group).toContainText('Scene kitchen');
  await expect(group.getByTestId('shot-card')).toHaveCount(3);
  await expect(group.getByTestId('scene-segment')).toHaveText(['5 s', '2 s', '9 s']);
  const bar = group.getByTestId('scene-bar');
  await expect(bar).toHaveAttribute('aria-invalid', 'true');
  await expect(group.getByTestId('scene-total')).toHaveText('16 s of 3-15 s');
  await expect(group.getByTestId('scene-faults')).toHaveText(
    '16 s is too long: a scene on Kling 3.0 is at most 15 s together. Shorten its shots by 1 s in all, or start a new scene.',
  );
  // Segments are proportional: the 9 s one is 4.5 times as wide as the 2 s one.
  const widths = await group
    .getByTestId('scene-segment')
    .evaluateAll((els) => els.map((e) => e.getBoundingClientRect().width));
  expect((widths[2] ?? 0) / (widths[1] ?? 1)).toBeCloseTo(4.5, 1);
  await app.screenshot({ path: join(DOCS, 'storyboard-scene-refused.png') });

  // The fix: 8 s. The bar is whole, and the estimate is one charge of 15 s of Kling 3.0 at 720p.
  await editor.getByLabel('Duration').selectOption('8');
  await expect(group.getByTestId('scene-total')).toHaveText('15 s of 3-15 s');
  await expect(bar).toHaveAttribute('aria-invalid', 'false');
  await expect(group.getByTestId('scene-faults')).toHaveCount(0);
  const oneCharge = formatCost(unitsPerClip({ model: 'kling-3.0', resolution: '720p', duration: 15, audio: 'off' }));
  await expect(app.getByTestId('storyboard-total')).toHaveText(`3 shots · ${oneCharge}`);
  await expect(group).toContainText(`${oneCharge} a take (one charge)`);
  await expect(editor.getByTestId('shot-problems')).toHaveText('Ready for Kling.');
  await expect(editor.getByTestId('scene-sent')).toContainText(
    'shot 1, 5, She walks into the kitchen, morning light; shot 2, 2, She opens the fridge; shot 3, 8, She laughs at the empty shelf;',
  );
  await app.screenshot({ path: join(DOCS, 'storyboard-scene.png') });

  // Frames in a scene: the start frame is the first shot's, the end frame the last shot's.
  await group.getByTestId('shot-card').nth(1).click();
  await expect(editor).toContainText('In a scene the start frame belongs to its first shot (shot-1): set it there.');
  await expect(editor).toContainText('In a scene the end frame belongs to its last shot (shot-3): set it there.');
  await expect(editor.getByLabel('Start frame file')).toBeDisabled();

  // Queued: three jobs in the core, one scene take (one group, one lead).
  await queue(app, 3);
  const queued = await jobs(core);
  expect(queued).toHaveLength(3);
  const scenes = queued.map((j) => j.scene);
  expect(scenes.every((s) => s?.id === 'kitchen')).toBe(true);
  expect(new Set(scenes.map((s) => s?.group)).size).toBe(1);
  expect(scenes.filter((s) => s?.role === 'lead')).toHaveLength(1);
  expect(scenes[0]?.shotIds).toEqual(
    queued
      .map((j) => j.shotId)
      .sort((a, b) => (scenes[0]?.shotIds ?? []).indexOf(a) - (scenes[0]?.shotIds ?? []).indexOf(b)),
  );
  await nav(app, 'Storyboard');
});

test('a CSV with scenes imports into framed groups and exports the same rows', async ({ app, dataDir }) => {
  const rows = [
    'id,prompt,model,resolution,duration,aspectRatio,takes,scene',
    'enter,She walks in,kling-3.0,1080p,4,16:9,2,kitchen',
    'fridge,She opens the fridge,kling-3.0,1080p,3,16:9,2,kitchen',
    'laugh,She laughs,kling-3.0,1080p,5,16:9,2,kitchen',
    'street,The street outside,kling-2.5-turbo,720p,5,16:9,1,',
    'bus,A bus arrives,kling-3.0,720p,2,9:16,1,stop',
    'board,She boards the bus,kling-3.0,720p,3,9:16,1,stop',
  ];
  const file = join(dataDir, 'scenes.csv');
  writeFileSync(file, `${rows.join('\n')}\n`);
  await app.getByLabel('Storyboard file to import').setInputFiles(file);
  await expect(app.getByTestId('import-report')).toHaveCount(0);
  await expect(app.getByTestId('shot-card')).toHaveCount(6);
  const groups = app.getByTestId('scene-group');
  await expect(groups).toHaveCount(2);
  await expect(groups.nth(0).getByTestId('shot-card')).toHaveCount(3);
  await expect(groups.nth(0).getByTestId('scene-total')).toHaveText('12 s of 3-15 s');
  await expect(groups.nth(1).getByTestId('scene-total')).toHaveText('5 s of 3-15 s');

  const [download] = await Promise.all([
    app.waitForEvent('download'),
    app.getByRole('button', { name: 'Export CSV' }).click(),
  ]);
  // Every column of the file comes back with the same value in every row (the export may add none that hold a value).
  const table = (text: string): Array<Record<string, string>> => {
    const [head, ...body] = parseCsv(text).records.map((r) => r.cells);
    return body.map((row) => Object.fromEntries((head ?? []).map((h, i) => [h, row[i] ?? ''])));
  };
  const exported = table(readFileSync(await download.path(), 'utf8'));
  const original = table(`${rows.join('\n')}\n`);
  const columns = Object.keys(original[0] ?? {});
  expect(exported.map((r) => Object.fromEntries(columns.map((c) => [c, r[c] ?? ''])))).toEqual(original);
  expect(Object.keys(exported[0] ?? {}).filter((c) => !columns.includes(c))).toEqual([]);
});

test('motion reference and audio show their rules and are disabled with the reason where the model takes none; a scene shares its settings', async ({
  app,
}) => {
  const editor = app.locator('.shot-editor');
  await app.getByRole('button', { name: 'Add shot' }).click();
  await editor.getByLabel('Prompt', { exact: true }).fill('A dancer spins on a rooftop');

  // Kling 2.5 Turbo (a new shot's model): no motion control, no sound; each says why.
  const motion = editor.getByTestId('motion-fields');
  await expect(editor.getByLabel('Model')).toHaveValue('kling-2.5-turbo');
  await expect(motion.getByLabel('Reference video URL')).toBeDisabled();
  await expect(motion.getByLabel('Character orientation')).toBeDisabled();
  await expect(motion.getByTestId('motion-why')).toHaveText(
    'Not available on kling-2.5-turbo: motion control is offered by kling-3.0, kling-2.6.',
  );
  await expect(editor.getByLabel('Audio')).toBeDisabled();
  await expect(editor.getByTestId('audio-why')).toContainText('kling-2.5-turbo makes silent clips');

  // Kling 3.0: the rules are shown; http and 4K are named as they are typed.
  await editor.getByLabel('Model').selectOption('kling-3.0');
  await expect(motion.getByLabel('Reference video URL')).toBeEnabled();
  await expect(motion).toContainText(
    'With orientation “image” the video is 3-10 s, with “video” 3-30 s; no 4K. Models: kling-3.0, kling-2.6.',
  );
  await motion.getByLabel('Reference video URL').fill('http://example.com/moves.mp4');
  await expect(motion.getByRole('alert')).toHaveText(
    'The reference must be an https URL (http, paths and files are refused).',
  );
  await motion.getByLabel('Reference video URL').fill('https://example.com/moves.mp4');
  await motion.getByLabel('Character orientation').selectOption('video');
  await editor.getByLabel('Resolution').selectOption('4k');
  await expect(motion.getByRole('alert')).toHaveText(
    'Motion control makes no 4K: set the resolution to 720p or 1080p.',
  );
  await expect(editor.getByTestId('shot-problems')).not.toHaveText('Ready for Kling.');
  await editor.getByLabel('Resolution').selectOption('1080p');
  await expect(motion.getByRole('alert')).toHaveCount(0);
  await expect(app.getByTestId('shot-card').first()).toContainText('motion');

  // Two shots of a scene: a setting changed on one is the scene's.
  await app.getByRole('button', { name: 'Add shot' }).click();
  await editor.getByLabel('Prompt', { exact: true }).fill('She lands');
  await editor.getByLabel('Scene', { exact: true }).fill('landing');
  await app.getByRole('button', { name: 'Add shot' }).click();
  await editor.getByLabel('Prompt', { exact: true }).fill('She bows');
  await editor.getByRole('button', { name: 'landing', exact: true }).click();
  await editor.getByLabel('Resolution').selectOption('720p');
  await editor.getByLabel('Takes').fill('2');
  const cards = app.getByTestId('scene-group').getByTestId('shot-card');
  await expect(cards).toHaveCount(2);
  for (const i of [0, 1]) await expect(cards.nth(i)).toContainText('kling-3.0 · 720p · 5 s · 16:9 · ×2');
  // The motion shot alone keeps its own settings.
  await expect(app.getByTestId('shot-card').first()).toContainText('kling-3.0 · 1080p');

  // JSON export carries the new fields.
  const [download] = await Promise.all([
    app.waitForEvent('download'),
    app.getByRole('button', { name: 'Export JSON' }).click(),
  ]);
  const doc = JSON.parse(readFileSync(await download.path(), 'utf8')) as { shots: Array<Record<string, unknown>> };
  expect(doc.shots[0]).toMatchObject({
    model: 'kling-3.0',
    resolution: '1080p',
    motionReference: 'https://example.com/moves.mp4',
    characterOrientation: 'video',
  });
  expect(doc.shots.slice(1).map((s) => [s.scene, s.resolution, s.takes])).toEqual([
    ['landing', '720p', 2],
    ['landing', '720p', 2],
  ]);
});
