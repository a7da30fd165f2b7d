/**
 * The whole studio flow on the real engine: a sandbox key profile in Settings, three shots,
 * Queue on the Batch page, the jobs finish live on the Queue page, takes picked, edit exported.
 */
import { execFileSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import { join } from 'node:path';

import { startSandbox } from '../../electron/core/sandbox';
import { expect, test } from './fixtures';

test('a new user builds three shots, queues them on the sandbox, picks takes and exports an edit', async ({
  app,
  dataDir,
  dialogs,
}) => {
  const sandbox = await startSandbox({ timing: { submittedMs: 200, processingMs: 800 }, recordImages: false });
  // The OS keychain is real here: a name of its own, deleted at the end.
  const profile = `sim-${Date.now()}`;
  try {
    // A sandbox profile (SIMULATOR) through Settings.
    await app.getByRole('button', { name: 'Settings' }).click();
    const form = app.getByRole('form', { name: 'Add profile' });
    await form.getByLabel('Name', { exact: true }).fill(profile);
    await form.getByLabel('Provider').selectOption('sandbox');
    await form.getByLabel('Base URL (sandbox or proxy)').fill(sandbox.url);
    // An API key (the default key type): the batch speaks Kling's new API, as a new user's would.
    await expect(form.getByLabel('Key type')).toHaveValue('bearer');
    await form.getByLabel('API key', { exact: true }).fill(sandbox.credentials.apiKey ?? '');
    await form.getByRole('button', { name: 'Save', exact: true }).click();
    await expect(app.getByTestId('profiles')).toContainText('SIMULATOR');
    await expect(app.getByTestId('profile-kind').first()).toHaveText('API key (bearer)');

    // Three shots, one with a camera move.
    await app.getByRole('button', { name: 'Storyboard' }).click();
    const editor = app.locator('.shot-editor');
    for (const prompt of ['A red kite over the sea', 'The kite climbs', 'The string snaps']) {
      await app.getByRole('button', { name: 'Add shot' }).click();
      await editor.getByLabel('Prompt', { exact: true }).fill(prompt);
      await expect(editor.getByLabel('Model')).toHaveValue('kling-2.5-turbo');
    }
    await app.getByTestId('shot-card').first().click();
    await editor.getByLabel('Camera preset').selectOption('forward_up');

    // Queue, watch it finish.
    await app.getByRole('navigation').getByRole('button', { name: 'Batch' }).click();
    await app.getByRole('combobox', { name: 'Key profile' }).selectOption(profile);
    await app.locator('.page.batch').getByRole('button', { name: 'Queue', exact: true }).click();
    await expect(
      app.locator('.page.batch').getByRole('status').filter({ hasText: 'Queued 3 new take(s)' }),
    ).toBeVisible();
    await app.getByRole('navigation').getByRole('button', { name: 'Queue' }).click();
    await expect(app.getByTestId('job-row').filter({ hasText: 'done' })).toHaveCount(3, { timeout: 90_000 });

    // Pick the takes, export the edit.
    await app.getByRole('navigation').getByRole('button', { name: 'Takes' }).click();
    for (let i = 0; i < 3; i++) await app.getByTestId('take').nth(i).getByRole('button', { name: 'Pick' }).click();
    await app.getByRole('navigation').getByRole('button', { name: 'Edit' }).click();
    const out = join(dataDir, 'edit.mp4');
    // The output comes from the save dialog (the test bridge's fake over the same contract).
    dialogs.answerSave(out);
    await app.getByRole('button', { name: 'Export edit…' }).click();
    await expect(app.getByTestId('export-done')).toContainText(out, { timeout: 60_000 });
    expect(existsSync(out)).toBe(true);
    const probe = JSON.parse(
      execFileSync('ffprobe', ['-v', 'error', '-show_entries', 'format=duration', '-of', 'json', out]).toString(),
    ) as { format: { duration: string } };
    expect(Number(probe.format.duration)).toBeGreaterThan(1);
    expect(sandbox.creates).toHaveLength(3);
    expect(sandbox.creates.every((c) => c.standard === 'new' && c.auth.via === 'apiKey')).toBe(true);
  } finally {
    await app
      .getByRole('navigation')
      .getByRole('button', { name: 'Settings' })
      .click({ timeout: 5000 })
      .catch(() => undefined);
    await app
      .getByRole('button', { name: `Delete ${profile}` })
      .click({ timeout: 5000 })
      .catch(() => undefined);
    await sandbox.close();
  }
});
