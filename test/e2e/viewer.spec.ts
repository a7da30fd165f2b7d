/**
 * Issue 17 item 1: the player (renderer/src/components/viewer/Player.tsx) where the editor meets
 * it, on the Takes page, with real sandbox clips (24 fps, H.264; AAC where the shot asks for
 * native audio) made by the real core and streamed over the bridge's media route.
 * Everything is driven by keys and buttons, and read from what the player shows.
 */
import { execFileSync } from 'node:child_process';

import type { Locator, Page } from '@playwright/test';

import type { Core } from '../../electron/core';
import { expect, test } from './fixtures';
import { allDone, nav } from './project-helpers';

test.use({ viewport: { width: 1440, height: 900 } });

const FPS = 24;

const STORYBOARD = {
  name: 'Kite beach',
  defaults: { model: 'kling-3.0', resolution: '720p', aspectRatio: '16:9', takes: 1 },
  shots: [
    { id: 'kite', duration: 4, audio: 'native', prompt: 'A red kite climbs over the dunes, wind in the grass' },
    { id: 'quiet', duration: 3, audio: 'off', prompt: 'The empty beach at dusk' },
  ],
};

/** Frames in the video stream of a clip, as ffprobe counts them. */
function framesOf(file: string): number {
  const out = execFileSync('ffprobe', [
    '-v',
    'error',
    '-select_streams',
    'v:0',
    '-show_entries',
    'stream=nb_frames',
    '-of',
    'csv=p=0',
    file,
  ]);
  return Number(out.toString().trim());
}

/** The sandbox makes every take; the Takes page of the project is open. Frames per shot's clip. */
async function takesPage(core: Core, app: Page): Promise<Record<string, number>> {
  await core.services.sandbox.ensure({ timing: { submittedMs: 50, processingMs: 200 } });
  const imported = await core.call('storyboard.import', { content: JSON.stringify(STORYBOARD), format: 'json' });
  if (!imported.ok) throw new Error(imported.error.message);
  const enq = await core.call('queue.enqueue', { storyboardId: imported.value.storyboardId, provider: 'sandbox' });
  if (!enq.ok) throw new Error(enq.error.message);
  const done = await allDone(core, 2);
  await app.evaluate((id) => localStorage.setItem('shotline.project.v1', id), imported.value.storyboardId);
  await app.reload();
  await nav(app, 'Takes');
  return Object.fromEntries(done.map((j) => [j.shotId, framesOf(j.file ?? '')]));
}

async function open(app: Page, shot: string): Promise<Locator> {
  await app.getByRole('button', { name: `Play take 1 of ${shot}` }).click();
  const player = app.getByTestId('player');
  await expect(player).toBeFocused();
  // Loaded: the frame count comes from the clip's duration.
  await expect(player.getByTestId('frame')).toHaveText(/^frame 0 of \d+$/);
  return player;
}

const currentTime = (player: Locator): Promise<number> =>
  player.locator('video').evaluate((v: HTMLVideoElement) => v.currentTime);

test('the player steps frames and seconds, marks in/out on frame edges, and loops inside the marks', async ({
  app,
  core,
}) => {
  const frames = await takesPage(core, app);
  // Like Kling's, the sandbox's 4 s clips run 4.04 s: 97 frames.
  const count = frames.kite ?? 0;
  expect(count).toBeGreaterThanOrEqual(4 * FPS);
  const player = await open(app, 'kite');
  const tc = player.getByTestId('timecode');
  await expect(tc).toHaveText('00:00:00:00');
  await expect(player.getByTestId('frame')).toHaveText(`frame 0 of ${count}`);

  // → one frame, Shift+→ one second, ← one frame back: the timecode and the picture agree.
  await app.keyboard.press('ArrowRight');
  await expect(tc).toHaveText('00:00:00:01');
  expect(Math.floor((await currentTime(player)) * FPS)).toBe(1);
  await app.keyboard.press('Shift+ArrowRight');
  await expect(tc).toHaveText('00:00:01:01');
  await app.keyboard.press('ArrowLeft');
  await expect(tc).toHaveText('00:00:01:00');
  await expect(player.getByTestId('frame')).toHaveText(`frame ${FPS} of ${count}`);

  // I here (the out-point goes to the last frame), O twelve frames on: the marked range holds
  // 13 frames, the out frame included.
  await app.keyboard.press('i');
  const last = count - 1;
  const lastTc = `00:00:${String(Math.floor(last / FPS)).padStart(2, '0')}:${String(last % FPS).padStart(2, '0')}`;
  await expect(player.getByTestId('marks')).toHaveText(`In 00:00:01:00 · Out ${lastTc} · ${count - FPS} frames`);
  for (let i = 0; i < 12; i++) await app.keyboard.press('ArrowRight');
  await expect(tc).toHaveText('00:00:01:12');
  await app.keyboard.press('o');
  await expect(player.getByTestId('marks')).toHaveText('In 00:00:01:00 · Out 00:00:01:12 · 13 frames');
  await expect(player.getByTestId('marked-range')).toBeVisible();

  // Loop on (Ctrl+L), play: every sampled time stays inside [in, out] (plus one frame of
  // sampling slack) and playback wraps back to the in-point at least once.
  await app.keyboard.press('Control+l');
  await expect(player.getByRole('button', { name: 'Loop the marked range (Ctrl+L)' })).toHaveAttribute(
    'aria-pressed',
    'true',
  );
  await app.keyboard.press('Space');
  await expect(player.getByTestId('rate')).toHaveText('▶ 1x');
  const samples = await player.locator('video').evaluate(async (v: HTMLVideoElement) => {
    const out: number[] = [];
    const end = performance.now() + 2000;
    while (performance.now() < end) {
      out.push(v.currentTime);
      await new Promise((r) => requestAnimationFrame(r));
    }
    return out;
  });
  await app.keyboard.press('k');
  await expect(player.getByTestId('rate')).toHaveText('paused');
  const inS = 1;
  const outS = 1 + 13 / FPS;
  expect(samples.length).toBeGreaterThan(20);
  for (const t of samples) {
    expect(t).toBeGreaterThanOrEqual(inS);
    expect(t).toBeLessThanOrEqual(outS + 1 / FPS);
  }
  const wraps = samples.filter((t, i) => i > 0 && t < (samples[i - 1] ?? 0) - 0.1).length;
  expect(wraps).toBeGreaterThan(0);

  // Clear marks with the button (mouse users); the range is gone.
  await player.getByRole('button', { name: 'Clear marks' }).click();
  await expect(player.getByTestId('marks')).toHaveText('No marks (I / O)');
});

test('J/K/L shuttle: L plays, L again doubles, K stops, J runs backwards; Escape closes', async ({ app, core }) => {
  const frames = await takesPage(core, app);
  const count = frames.quiet ?? 0;
  const player = await open(app, 'quiet');
  const rate = player.getByTestId('rate');

  await app.keyboard.press('l');
  await expect(rate).toHaveText('▶ 1x');
  await app.keyboard.press('l');
  await expect(rate).toHaveText('▶ 2x');
  expect(await player.locator('video').evaluate((v: HTMLVideoElement) => v.playbackRate)).toBe(2);
  await expect.poll(() => currentTime(player)).toBeGreaterThan(1);
  await app.keyboard.press('k');
  await expect(rate).toHaveText('paused');
  const stopped = await currentTime(player);
  // Paused on a whole frame: the timecode names the frame the video shows.
  const frame = Math.floor(stopped * FPS);
  await expect(player.getByTestId('frame')).toHaveText(`frame ${frame} of ${count}`);

  await app.keyboard.press('j');
  await expect(rate).toHaveText('◀ 1x');
  await expect.poll(() => currentTime(player)).toBeLessThan(stopped - 0.3);
  await app.keyboard.press('j');
  await expect(rate).toHaveText('◀ 2x');
  await app.keyboard.press('k');
  await expect(rate).toHaveText('paused');

  // Home and End: the first and the last frame.
  await app.keyboard.press('End');
  await expect(player.getByTestId('frame')).toHaveText(`frame ${count - 1} of ${count}`);
  await app.keyboard.press('Home');
  await expect(player.getByTestId('timecode')).toHaveText('00:00:00:00');

  // A clip without sound shows no meter.
  await app.keyboard.press('Space');
  await expect.poll(() => currentTime(player)).toBeGreaterThan(0.5);
  await expect(player.getByTestId('audio-meter')).toHaveCount(0);
  await app.keyboard.press('Escape');
  await expect(app.getByTestId('player')).toHaveCount(0);
});

test('the audio meter moves while a clip with sound plays; buttons do what the keys do; full screen', async ({
  app,
  core,
}) => {
  await takesPage(core, app);
  const player = await open(app, 'kite');
  const meter = player.getByRole('meter', { name: 'Audio level' });

  await player.getByRole('button', { name: 'Play (Space)' }).click();
  await expect(meter).toBeVisible();
  await expect.poll(async () => Number(await meter.getAttribute('aria-valuenow'))).toBeGreaterThan(20);
  await player.getByRole('button', { name: 'Pause (Space)' }).click();
  await expect(meter).toHaveAttribute('aria-valuenow', '0');

  // The buttons (mouse users) do what the keys do.
  await player.focus();
  await app.keyboard.press('Home');
  await expect(player.getByTestId('timecode')).toHaveText('00:00:00:00');
  await player.getByRole('button', { name: 'One second forward (Shift+→)' }).click();
  await expect(player.getByTestId('timecode')).toHaveText('00:00:01:00');
  await player.getByRole('button', { name: 'One frame forward (→)' }).click();
  await expect(player.getByTestId('timecode')).toHaveText('00:00:01:01');
  await player.getByRole('button', { name: 'Mark in (I)' }).click();
  await player.getByRole('button', { name: 'One frame forward (→)' }).click();
  await player.getByRole('button', { name: 'Mark out (O)' }).click();
  await expect(player.getByTestId('marks')).toHaveText('In 00:00:01:01 · Out 00:00:01:02 · 2 frames');

  // F: the player fills the screen; F again leaves it.
  await player.focus();
  await app.keyboard.press('f');
  await expect(player.getByRole('button', { name: 'Full screen (F)' })).toHaveAttribute('aria-pressed', 'true');
  expect(await app.evaluate(() => document.fullscreenElement?.getAttribute('data-testid'))).toBe('player');
  await app.keyboard.press('f');
  await expect(player.getByRole('button', { name: 'Full screen (F)' })).toHaveAttribute('aria-pressed', 'false');
});
