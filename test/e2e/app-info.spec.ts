import { execFileSync } from 'node:child_process';

import { expect, test } from './fixtures';

// The app opens on the Storyboard page; app info lives on About.
test.beforeEach(async ({ app }) => {
  await app.getByRole('button', { name: 'About' }).click();
});

test('the renderer calls app.info through the bridge and shows the answer', async ({ app, dataDir, shownInFolder }) => {
  const ffmpegVersion = /version\s+(\S+)/.exec(execFileSync('ffmpeg', ['-version']).toString())?.[1];
  await expect(app.getByTestId('app-version')).toHaveText(/^\d+\.\d+\.\d+/);
  // A PathLabel (issue 17 item 4): the full path on hover and in data-path, Show in folder opens it.
  const dir = app.getByTestId('app-data-dir');
  await expect(dir).toHaveAttribute('data-path', dataDir);
  await expect(dir.locator('.path-text')).toHaveAttribute('title', dataDir);
  await dir.getByRole('button', { name: /^Show .* in its folder$/ }).click();
  await expect(dir.getByRole('status')).toHaveText(/^Shown in the file manager: /);
  expect(shownInFolder).toEqual([dataDir]);
  await expect(app.getByTestId('ffmpeg-version')).toHaveText(ffmpegVersion ?? 'missing');
});

test('diagnostics arrive as app.notice events', async ({ app }) => {
  await app.getByRole('button', { name: 'Run checks' }).click();
  const checks = app.getByTestId('checks').locator('li');
  await expect(checks).toHaveCount(3);
  await expect(app.getByTestId('checks')).toContainText('ffprobe');
  await expect(checks.filter({ hasText: 'FAIL' })).toHaveCount(0);
});

test('the bridge refuses calls without its token', async ({ bridge, request }) => {
  const res = await request.post(`${bridge.origin}/rpc/app.info`, { data: {} });
  expect(res.status()).toBe(403);
});
