/**
 * Issue 17's main test, the editor's morning: a 10-shot, 3-take batch made by the sandbox
 * through the real core, a take picked per shot on the Takes page from the keyboard, the cut
 * shaped on the Edit page's timeline (a clip moved with Alt+→), exported through the save
 * dialog (the test bridge's fake), and the file's ffprobe
 * length equal to the length the timeline shows, within a frame.
 *
 * The review is keyboard only on the contact sheet (issue 17 item 2): ←/→, ↑/↓ move, P picks,
 * 1-5 rates the pick, X rejects another take, and on the first shot Enter opens a take in the
 * docked player where → / Shift+→ step, I and O mark in and out, Esc returns to the sheet. The
 * marks go on a take that is not picked, so the cut stays a stream copy (a trim's re-encode of
 * 50 s of 720p is timeline.spec.ts's and dailies.spec.ts's to check). Notes: dailies.spec.ts.
 */
import { execFileSync } from 'node:child_process';
import { join } from 'node:path';

import type { StoredEdit } from '../../shared/contract';
import { expect, test } from './fixtures';
import { allDone, nav } from './project-helpers';

test.use({ viewport: { width: 1440, height: 900 } });
test.setTimeout(240_000);

const SHOTS = 10;
const STORYBOARD = {
  name: 'Morning',
  defaults: { model: 'kling-2.5-turbo', resolution: '720p', aspectRatio: '16:9', audio: 'off', takes: 3 },
  shots: Array.from({ length: SHOTS }, (_, i) => ({
    id: `shot-${String(i + 1).padStart(2, '0')}`,
    duration: 5,
    prompt: `Kite ${i + 1} over the grey sea, wide shot`,
  })),
};

/** The rating given to the pick of shot i, and the take rejected beside it. */
const rating = (i: number): number => (i % 5) + 1;
const rejected = (i: number): number => (i % 3 === 2 ? 2 : (i % 3) + 2);

const probe = (file: string): { duration: number; fps: number } => {
  const out = JSON.parse(
    execFileSync('ffprobe', [
      ...['-v', 'error', '-select_streams', 'v:0', '-show_entries', 'format=duration:stream=avg_frame_rate'],
      ...['-of', 'json', file],
    ]).toString(),
  ) as { format: { duration: string }; streams: Array<{ avg_frame_rate: string }> };
  const [n, d] = (out.streams[0]?.avg_frame_rate ?? '24/1').split('/').map(Number);
  return { duration: Number(out.format.duration), fps: (n ?? 24) / (d || 1) };
};

test('the morning: 10 shots x 3 takes picked from the keyboard, cut on the timeline, exported; ffprobe length = timeline length', async ({
  app,
  core,
  page,
  dialogs,
  dataDir,
}) => {
  await core.services.sandbox.ensure({ timing: { submittedMs: 50, processingMs: 200 } });
  const imported = await core.call('storyboard.import', { content: JSON.stringify(STORYBOARD), format: 'json' });
  if (!imported.ok) throw new Error(imported.error.message);
  const storyboardId = imported.value.storyboardId;
  const enq = await core.call('queue.enqueue', { storyboardId, provider: 'sandbox' });
  if (!enq.ok) throw new Error(enq.error.message);
  const done = await allDone(core, SHOTS * 3);

  await page.evaluate((id) => localStorage.setItem('shotline.project.v1', id), storyboardId);
  await app.reload();
  await nav(app, 'Takes');
  // A take per shot, from the keyboard on the contact sheet (renderer/src/pages/takes/): take 1,
  // 2, 3, 1, ... with ←/→, P picks, ↓ to the next shot (the sheet keeps only the rows on screen).
  const sheet = app.getByTestId('contact-sheet');
  await sheet.focus();
  const cursor = app.locator('.take[aria-current="true"]');
  for (const [i, shot] of STORYBOARD.shots.entries()) {
    await app.keyboard.press('ArrowLeft');
    await app.keyboard.press('ArrowLeft');
    for (let k = 0; k < i % 3; k++) await app.keyboard.press('ArrowRight');
    await expect(cursor).toHaveAttribute('data-take', `${shot.id}#${(i % 3) + 1}`);
    await app.keyboard.press('p');
    await expect(cursor.getByRole('button', { name: 'Picked' })).toBeVisible({ timeout: 60_000 });
    await app.keyboard.press(String(rating(i)));
    // Another take of the shot: rejected.
    await app.keyboard.press(i % 3 === 2 ? 'ArrowLeft' : 'ArrowRight');
    await expect(cursor).toHaveAttribute('data-take', `${shot.id}#${rejected(i)}`);
    await app.keyboard.press('x');
    if (i === 0) {
      // Marks in the docked player on that take: in at 1 s, out 12 frames later.
      await app.keyboard.press('Enter');
      const player = app.getByTestId('player');
      await expect(player).toBeFocused();
      await app.keyboard.press('Shift+ArrowRight');
      await app.keyboard.press('i');
      for (let f = 0; f < 12; f++) await app.keyboard.press('ArrowRight');
      await app.keyboard.press('o');
      await expect(player.getByTestId('marks')).toContainText('In 00:00:01:00');
      await app.keyboard.press('Escape');
      await expect(player).toHaveCount(0);
      await expect(sheet).toBeFocused();
    }
    await app.keyboard.press('ArrowDown');
  }
  const edit = async (): Promise<StoredEdit> => {
    const r = await core.call('edit.get', { storyboardId });
    if (!r.ok) throw new Error(r.error.message);
    return r.value;
  };
  const picked = (await edit()).picks;
  for (const [i, shot] of STORYBOARD.shots.entries()) {
    const job = done.find((j) => j.shotId === shot.id && j.take === (i % 3) + 1);
    expect(picked[shot.id]).toBe(job?.file);
  }
  // The review as the core keeps it (review.takes): every rating, reject and the marks.
  const review = async (): Promise<Map<string, { rejected: boolean; rating: number | null; marks: unknown }>> => {
    const r = await core.call('review.takes', { storyboardId });
    if (!r.ok) throw new Error(r.error.message);
    return new Map(r.value.takes.map((t) => [`${t.shotId}#${t.take}`, t.review]));
  };
  await expect
    .poll(async () => {
      const got = await review();
      return STORYBOARD.shots.map((shot, i) => [
        got.get(`${shot.id}#${(i % 3) + 1}`)?.rating,
        got.get(`${shot.id}#${rejected(i)}`)?.rejected,
      ]);
    })
    .toEqual(STORYBOARD.shots.map((_, i) => [rating(i), true]));
  expect((await review()).get(`shot-01#${rejected(0)}`)?.marks).toEqual({ inS: 1, outS: 37 / 24 });
  expect((await edit()).trims['shot-01']).toBeUndefined();

  // The cut: shot-01 one place later (keyboard); trims and their re-encode are timeline.spec.ts's.
  await nav(app, 'Edit');
  const clips = app.getByTestId('tl-clip');
  await expect(clips).toHaveCount(SHOTS);
  await expect(app.getByTestId('verdict')).toBeVisible();
  await clips.first().click();
  await app.keyboard.press('Alt+ArrowRight');
  await expect.poll(async () => (await edit()).order.slice(0, 2)).toEqual(['shot-02', 'shot-01']);
  // The shown length is the probed clips' once the planner has answered (a stream copy: no trims).
  const shown = app.getByTestId('tl-duration');
  await expect(app.getByTestId('verdict')).toContainText('Stream copy');
  const seconds = Number(await shown.getAttribute('data-seconds'));

  const out = join(dataDir, 'morning.mp4');
  dialogs.answerSave(out);
  await app.getByRole('button', { name: 'Export edit…' }).click();
  await expect(app.getByTestId('export-done')).toContainText('morning.mp4', { timeout: 180_000 });
  const file = probe(out);
  expect(Math.abs(file.duration - seconds)).toBeLessThanOrEqual(1 / file.fps + 0.001);
});
