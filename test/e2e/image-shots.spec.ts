/**
 * Issue 11 item 1: image shots queue from the app. A picked frame becomes a content-addressed
 * file in the data dir (its thumbnail shows, the motion brush opens on it), the Batch page's
 * check is the import's validator, and a storyboard file opened through the main process's
 * dialog (the test bridge's fake, electron/core/bridge/test-bridge.ts) resolves its relative
 * images against its own folder. Real core, the built-in sandbox, Chromium over the bridge.
 */
import { execFileSync } from 'node:child_process';
import { createHash } from 'node:crypto';
import { mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

import type { Page } from '@playwright/test';

import type { Core } from '../../electron/core';
import { newShot } from '../../renderer/src/state/storyboard';
import { expect, test } from './fixtures';

test.use({ viewport: { width: 1440, height: 900 } });

/** The model a new shot gets in the editor. */
const MODEL = newShot([]).model;

function makeFrame(file: string, size = '640x360'): string {
  execFileSync('ffmpeg', [
    '-v',
    'error',
    '-y',
    '-f',
    'lavfi',
    '-i',
    `testsrc=size=${size}:rate=1`,
    '-frames:v',
    '1',
    file,
  ]);
  return file;
}

async function jobs(
  core: Core,
): Promise<Array<{ state: string; storyboardId: string; batchId: string; file: string | null }>> {
  const r = await core.call('queue.list', {});
  if (!r.ok) throw new Error(r.error.message);
  return r.value.jobs;
}

async function queueOnBatchPage(app: Page): Promise<void> {
  await app.getByRole('navigation').getByRole('button', { name: 'Batch' }).click();
  const batch = app.locator('.page.batch');
  await expect(app.getByTestId('batch-costs').locator('tbody td').last()).toHaveText('ok');
  await batch.getByRole('button', { name: 'Queue', exact: true }).click();
  await expect(batch.getByRole('status').filter({ hasText: 'Queued 1 new take(s)' })).toBeVisible();
}

test('a picked start frame becomes a data-dir file: thumbnail, Batch check ok, and it queues and finishes', async ({
  app,
  core,
  dataDir,
}) => {
  await core.services.sandbox.ensure({ timing: { submittedMs: 100, processingMs: 400 } });
  const frame = makeFrame(join(dataDir, 'picked.png'));
  const editor = app.locator('.shot-editor');
  await app.getByRole('button', { name: 'Add shot' }).click();
  await editor.getByLabel('Prompt', { exact: true }).fill('The kite climbs into the wind');
  await editor.getByLabel('Start frame file').setInputFiles(frame);

  // The image is kept once, by content, in the data dir; the editor shows it from there.
  const sha = createHash('sha256').update(readFileSync(frame)).digest('hex');
  const thumb = editor.getByTestId('frame-thumbnail').first();
  await expect(thumb).toHaveAttribute('src', new RegExp(`/media/clip/images/${sha}\\.png`));
  await expect.poll(() => thumb.evaluate((img: HTMLImageElement) => img.naturalWidth)).toBe(640);
  expect(readdirSync(join(dataDir, 'images'))).toEqual([`${sha}.png`]);

  // No live model takes a motion brush: the editor says so instead of offering one.
  await expect(editor.getByTestId('brush-why')).toContainText('no live Kling model takes a motion brush');
  await app.screenshot({
    path: join(import.meta.dirname, '..', '..', 'docs', 'screenshots', 'storyboard-image-shot.png'),
  });

  // "ok" on the Batch page means it queues: the take runs as image to video and finishes.
  await queueOnBatchPage(app);
  await expect.poll(async () => (await jobs(core)).map((j) => j.state), { timeout: 60_000 }).toEqual(['done']);
  const shots = core.ctx.db().prepare('SELECT spec FROM shots').all() as Array<{ spec: string }>;
  const spec = JSON.parse(shots[0]?.spec ?? '{}') as { kind: string; startImage: string };
  expect(spec.kind).toBe('image2video');
  expect(spec.startImage).toBe(join(dataDir, 'images', `${sha}.png`));
  expect(readdirSync(join(dataDir, 'images'))).toHaveLength(1);
  // Registered for erasure and retention, in the storyboard's project.
  const reg = core.ctx.db().prepare('SELECT kind, project FROM subject_files WHERE path = ?').get(spec.startImage) as
    { kind: string; project: string } | undefined;
  expect(reg).toEqual({ kind: 'image', project: 'Untitled' });
});

test('an inline image left in an older draft is checked and queued as a file, not as a wall of base64', async ({
  app,
  core,
  dataDir,
  page,
}) => {
  await core.services.sandbox.ensure({ timing: { submittedMs: 100, processingMs: 400 } });
  const png = readFileSync(makeFrame(join(dataDir, 'old.png')));
  const draft = {
    name: 'Old draft',
    shots: [
      {
        id: 'a',
        prompt: 'A lighthouse at dusk',
        model: MODEL,
        mode: 'std',
        duration: 5,
        aspectRatio: '16:9',
        takes: 1,
        startImage: `data:image/png;base64,${png.toString('base64')}`,
      },
    ],
  };
  await page.evaluate((d) => localStorage.setItem('shotline.storyboard.v1', JSON.stringify(d)), draft);
  await app.reload();
  await expect(app.getByTestId('shot-card')).toHaveCount(1);
  await queueOnBatchPage(app);
  await expect.poll(async () => (await jobs(core)).map((j) => j.state), { timeout: 60_000 }).toEqual(['done']);
  expect(readdirSync(join(dataDir, 'images'))).toHaveLength(1);
});

test('a storyboard file opened in the app resolves its images against its own folder; a file with problems lists them all', async ({
  app,
  dialogs,
  dataDir,
}) => {
  const folder = mkdtempSync(join(tmpdir(), 'shotline-board-'));
  try {
    mkdirSync(join(folder, 'frames'));
    const frame = makeFrame(join(folder, 'frames', 'harbour.png'));
    const board = join(folder, 'harbour.json');
    writeFileSync(
      board,
      JSON.stringify({
        name: 'Harbour',
        defaults: { model: MODEL },
        shots: [
          { id: 'dawn', prompt: 'Boats leave the harbour at dawn', startImage: 'frames/harbour.png' },
          { id: 'noon', prompt: 'The harbour at noon' },
        ],
      }),
    );
    dialogs.answerOpen(board);
    await app.getByRole('button', { name: 'Open storyboard file…' }).click();
    await expect(app.getByTestId('open-file-note')).toContainText('Opened harbour.json');
    await expect(app.getByTestId('shot-card')).toHaveCount(2);
    expect(dialogs.shown.map((d) => d.kind)).toEqual(['open']);
    // The frame came from the file's folder (not the data dir) and is now kept in the data dir.
    const sha = createHash('sha256').update(readFileSync(frame)).digest('hex');
    await app.getByTestId('shot-card').first().click();
    const thumb = app.locator('.shot-editor').getByTestId('frame-thumbnail').first();
    await expect(thumb).toHaveAttribute('src', new RegExp(`/media/clip/images/${sha}\\.png`));
    await app.getByRole('navigation').getByRole('button', { name: 'Batch' }).click();
    await expect(app.getByTestId('batch-costs').locator('tbody tr').first().locator('td').last()).toHaveText('ok');
    await expect(app.locator('.page.batch').getByRole('button', { name: 'Queue', exact: true })).toBeEnabled();

    // A file whose images are missing is not opened; every problem is named.
    await app.getByRole('navigation').getByRole('button', { name: 'Storyboard' }).click();
    const broken = join(folder, 'broken.json');
    writeFileSync(
      broken,
      JSON.stringify({
        name: 'Broken',
        defaults: { model: MODEL },
        shots: [
          { id: 'a', prompt: 'x', startImage: 'frames/nope.png' },
          { id: 'b', prompt: 'y', startImage: 'frames/gone.jpg' },
        ],
      }),
    );
    dialogs.answerOpen(broken);
    await app.getByRole('button', { name: 'Open storyboard file…' }).click();
    const note = app.getByTestId('open-file-note');
    await expect(note).toContainText('broken.json was not opened');
    await expect(note.getByRole('listitem')).toHaveCount(2);
    await expect(note).toContainText('nope.png');
    await expect(note).toContainText('gone.jpg');
    await expect(app.getByTestId('shot-card')).toHaveCount(2);
    // Closing the dialog changes nothing.
    dialogs.answerOpen(null);
    await app.getByRole('button', { name: 'Open storyboard file…' }).click();
    await expect(app.getByTestId('shot-card')).toHaveCount(2);
    expect(dataDir).toBeTruthy();
  } finally {
    rmSync(folder, { recursive: true, force: true });
  }
});
