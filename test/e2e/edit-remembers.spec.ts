/**
 * Issue 11 item 5 and issue 16 item 4: the Edit page remembers (order, takes, trims, fades kept
 * in the core per storyboard), a trim past the clip is refused with the clip's length, the
 * output comes from the save dialog (a default folder and name per storyboard), replacing a
 * file asks first, errors are words, the progress bar shows a percentage, and a caller cannot
 * make the core write anywhere the user did not choose. The dialog is the test bridge's fake
 * (electron/core/bridge/test-bridge.ts) over the same contract as Electron's.
 */
import { execFileSync } from 'node:child_process';
import { existsSync, mkdtempSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

import { expect, test } from './fixtures';
import { allDone, buildStoryboard, nav, queue } from './project-helpers';

test.use({ viewport: { width: 1440, height: 900 } });

const duration = (f: string): number =>
  Number(
    (
      JSON.parse(
        execFileSync('ffprobe', ['-v', 'error', '-show_entries', 'format=duration', '-of', 'json', f]).toString(),
      ) as { format: { duration: string } }
    ).format.duration,
  );

test('the edit is kept per storyboard; trims are checked; output from the save dialog, replacing asks first', async ({
  app,
  core,
  dialogs,
  dataDir,
}) => {
  await core.services.sandbox.ensure({ timing: { submittedMs: 100, processingMs: 500 } });
  await buildStoryboard(app, 'Reel', ['A red kite over the sea', 'The kite climbs']);
  await queue(app, 2);
  const takes = await allDone(core, 2);
  await nav(app, 'Takes');
  for (let i = 0; i < 2; i++) await app.getByTestId('take').nth(i).getByRole('button', { name: 'Pick' }).click();
  await expect(app.getByRole('button', { name: 'Picked' })).toHaveCount(2);

  await nav(app, 'Edit');
  await expect(app.getByRole('heading', { name: 'Edit of Reel' })).toBeVisible();
  const len = duration(takes[0]?.file ?? '');
  // Past the end: refused with the clip's length, nothing stored.
  await app.getByLabel('Out point of shot-1').fill('99');
  await expect(app.getByTestId('trim-error')).toContainText(
    `shot-1: out point 99 s is past the end of its take, which is ${Number(len.toFixed(3))} s long`,
  );
  await app.getByLabel('Out point of shot-1').fill('1.5');
  await app.getByLabel('In point of shot-1').fill('0.5');
  await expect(app.getByTestId('trim-error')).toHaveCount(0);
  await expect
    .poll(async () => {
      const r = await core.call('edit.get', { storyboardId: takes[0]?.storyboardId ?? '' });
      return r.ok ? r.value.trims['shot-1'] : null;
    })
    .toEqual({ inS: 0.5, outS: 1.5 });
  await app.getByRole('button', { name: 'Move shot-2 earlier' }).click();
  await expect(app.getByTestId('timeline').locator('tbody tr').first()).toContainText('shot-2');

  // Another page and back: all of it is still there.
  await nav(app, 'Queue');
  await nav(app, 'Edit');
  await expect(app.getByLabel('In point of shot-1')).toHaveValue('0.5');
  await expect(app.getByLabel('Out point of shot-1')).toHaveValue('1.5');
  await expect(app.getByTestId('timeline').locator('tbody tr').first()).toContainText('shot-2');

  const outDir = mkdtempSync(join(tmpdir(), 'shotline-out-'));
  try {
    // The save dialog: a default folder and name for this storyboard; a progress bar with a %.
    const out = join(outDir, 'reel.mp4');
    await app.evaluate(() => {
      const seen: string[] = [];
      (window as unknown as { __progress: string[] }).__progress = seen;
      new MutationObserver(() => {
        const el = document.querySelector('[data-testid="export-progress"]');
        if (el?.textContent) seen.push(el.textContent);
      }).observe(document.body, { subtree: true, childList: true, characterData: true, attributes: true });
    });
    dialogs.answerSave(out);
    await app.getByRole('button', { name: 'Export edit…' }).click();
    await expect(app.getByTestId('export-done')).toContainText(out, { timeout: 60_000 });
    expect(dialogs.shown[0]).toMatchObject({
      kind: 'save',
      defaultPath: join(dataDir, 'edits', takes[0]?.storyboardId ?? '', 'Reel.mp4'),
    });
    expect(
      await app.evaluate(() => (window as unknown as { __progress: string[] }).__progress.some((s) => /\d+ %/.test(s))),
    ).toBe(true);
    expect(duration(out)).toBeGreaterThan(1 + len - 0.5);
    const written = statSync(out).mtimeMs;

    // The same name again: the dialog starts there, and the app asks before replacing.
    dialogs.answerSave(out);
    await app.getByRole('button', { name: 'Export edit…' }).click();
    await expect(app.getByTestId('confirm-replace')).toContainText(`${out} already exists. Replace it?`);
    expect(dialogs.shown[1]?.defaultPath).toBe(out);
    await app.getByRole('button', { name: 'Keep it, choose another name' }).click();
    await expect(app.getByTestId('confirm-replace')).toHaveCount(0);
    expect(statSync(out).mtimeMs).toBe(written);
    dialogs.answerSave(out);
    await app.getByRole('button', { name: 'Export edit…' }).click();
    await app.getByRole('button', { name: 'Replace' }).click();
    await expect(app.getByTestId('export-done')).toContainText(out, { timeout: 60_000 });
    expect(statSync(out).mtimeMs).toBeGreaterThan(written);
    await app.screenshot({ path: join(import.meta.dirname, '..', '..', 'docs', 'screenshots', 'edit.png') });

    // A folder that is gone by the time of writing: said in words, not ENOENT.
    dialogs.answerSave(join(outDir, 'gone', 'reel.mp4'));
    await app.getByRole('button', { name: 'Export edit…' }).click();
    await expect(app.getByRole('alert')).toContainText(
      `The folder ${join(outDir, 'gone')} is no longer there: choose another place`,
    );

    // A timeline goes where its own dialog said.
    await app.getByLabel('NLE timeline').selectOption('edl');
    dialogs.answerSave(join(outDir, 'reel'));
    await app.getByRole('button', { name: 'Export timeline…' }).click();
    await expect(app.getByTestId('export-done')).toContainText(join(outDir, 'reel.edl'));
    expect(existsSync(join(outDir, 'reel.edl'))).toBe(true);
    expect(dialogs.shown.at(-1)?.filters[0]?.extensions).toEqual(['edl']);

    // IPC takes no arbitrary path: a caller naming its own output is refused, nothing is written.
    const evil = join(outDir, 'not-chosen.mp4');
    const r = await core.callUnknown('media.exportEdit', { edit: { clips: [{ file: takes[0]?.file }] }, output: evil });
    expect(r.ok ? null : r.error).toMatchObject({
      code: 'forbidden',
      message: expect.stringContaining('was not chosen in the save dialog') as unknown as string,
    });
    const tl = await core.callUnknown('media.timeline', {
      edit: { clips: [{ file: takes[0]?.file }] },
      format: 'edl',
      output: join(outDir, 'x.edl'),
    });
    expect(tl.ok).toBe(false);
    const th = await core.callUnknown('media.thumbnails', { file: takes[0]?.file, outDir: join(outDir, 'thumbs') });
    expect(th.ok ? null : th.error.code).toBe('forbidden');
    expect(existsSync(evil) || existsSync(join(outDir, 'x.edl')) || existsSync(join(outDir, 'thumbs'))).toBe(false);
  } finally {
    rmSync(outDir, { recursive: true, force: true });
  }
});
