/**
 * review.* through the core (issue 17 item 2) on sandbox-made clips: the list of takes with
 * what was stored at verify time, review.set and its rules with the edit's pick, pickFirst,
 * and the errors a bad input gets.
 */
import { existsSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';

import Database from 'better-sqlite3';
import { XMLValidator } from 'fast-xml-parser';

import { afterAll, beforeAll, describe, expect, it } from 'vitest';

import type { TakeInfo } from '../../../shared/contract/review';
import type { JobView } from '../../../shared/queue';
import { createCore } from '../../../electron/core';

const dataDir = mkdtempSync(join(tmpdir(), 'shotline-review-'));
const core = createCore({ dataDir });
afterAll(() => core.close());

const jobs = new Map<string, JobView>();
const changed: Array<{ storyboardId: string; jobId: string | null }> = [];
core.subscribe((event, payload) => {
  if (event === 'job.changed') {
    const { job } = payload as { job: JobView };
    jobs.set(job.id, job);
  }
  if (event === 'review.changed') changed.push(payload as { storyboardId: string; jobId: string | null });
});

async function ok<T>(p: Promise<{ ok: true; value: T } | { ok: false; error: { message: string } }>): Promise<T> {
  const r = await p;
  if (!r.ok) throw new Error(r.error.message);
  return r.value;
}

async function fails(p: Promise<{ ok: boolean; error?: { message: string; where?: string } }>): Promise<string> {
  const r = await p;
  if (r.ok || !r.error) throw new Error('expected an error');
  return `${r.error.where ?? ''}: ${r.error.message}`;
}

async function until(what: string, cond: () => boolean, ms = 45_000): Promise<void> {
  const end = Date.now() + ms;
  while (!cond()) {
    if (Date.now() > end) throw new Error(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 50));
  }
}

let storyboardId = '';
let takes: TakeInfo[] = [];
const take = (shot: string, n: number): TakeInfo => {
  const t = takes.find((x) => x.shotId === shot && x.take === n);
  if (!t) throw new Error(`no take ${n} of ${shot}`);
  return t;
};
const refresh = async (): Promise<TakeInfo[]> =>
  (takes = (await ok(core.call('review.takes', { storyboardId }))).takes);

beforeAll(async () => {
  await core.services.sandbox.ensure({ timing: { submittedMs: 50, processingMs: 150 } });
  const imported = await ok(
    core.call('storyboard.import', {
      content: JSON.stringify({
        name: 'review',
        defaults: { model: 'kling-2.5-turbo', resolution: '720p', duration: 5, aspectRatio: '16:9' },
        shots: [
          { id: 'kite', prompt: 'a red kite over the dunes, mail jo@example.com', takes: 2 },
          { id: 'sea', prompt: 'the sea at dawn', takes: 2 },
        ],
      }),
      format: 'json',
    }),
  );
  storyboardId = imported.storyboardId;
  const enq = await ok(core.call('queue.enqueue', { storyboardId, provider: 'sandbox', piiMode: 'mask' }));
  await until(
    'four done takes',
    () => [...jobs.values()].filter((j) => j.batchId === enq.batchId && j.state === 'done').length === 4,
  );
}, 90_000);

describe('review.* through the core', () => {
  it('lists every take in storyboard order with its clip, what was asked and sent, and an empty review', async () => {
    await refresh();
    expect(takes.map((t) => `${t.shotId}#${t.take}`)).toEqual(['kite#1', 'kite#2', 'sea#1', 'sea#2']);
    const k1 = take('kite', 1);
    expect(k1).toMatchObject({
      state: 'done',
      asked: { model: 'kling-2.5-turbo', resolution: '720p', aspectRatio: '16:9', durationS: 5 },
      picked: false,
      review: { rejected: false, rating: null, note: '', marks: null, updatedAt: null },
    });
    expect(k1.fileName).toMatch(/^kite_take1_.+\.mp4$/);
    expect(k1.taskId).toBeTruthy();
  });

  it('stores a rating, a note and a rejection, and says so with review.changed', async () => {
    const k2 = take('kite', 2);
    const before = changed.length;
    const r = await ok(core.call('review.set', { jobId: k2.jobId, rating: 4, note: 'the kite dips; Jo prefers it' }));
    expect(r.review).toMatchObject({ rating: 4, note: 'the kite dips; Jo prefers it', rejected: false });
    const r2 = await ok(core.call('review.set', { jobId: k2.jobId, rejected: true }));
    expect(r2.review).toMatchObject({ rating: 4, rejected: true });
    expect(changed.slice(before)).toEqual([
      { storyboardId, jobId: k2.jobId },
      { storyboardId, jobId: k2.jobId },
    ]);
    await refresh();
    expect(take('kite', 2).review).toMatchObject({ rating: 4, rejected: true, note: 'the kite dips; Jo prefers it' });
    const cleared = await ok(core.call('review.set', { jobId: k2.jobId, rating: null }));
    expect(cleared.review.rating).toBeNull();
  });

  it('refuses an unknown take, a rating out of range, marks outside the clip or reversed, with the fix', async () => {
    expect(await fails(core.call('review.set', { jobId: 'j-nope', rating: 3 }))).toMatch(/jobId: No take .*j-nope/);
    expect(await fails(core.call('review.set', { jobId: take('sea', 1).jobId, rating: 6 }))).toMatch(/rating/);
    expect(await fails(core.call('review.set', { jobId: take('sea', 1).jobId, marks: { inS: 1, outS: 9 } }))).toMatch(
      /marks: .*outside the clip, which is 5(\.\d+)? s long/,
    );
    expect(await fails(core.call('review.set', { jobId: take('sea', 1).jobId, marks: { inS: 3, outS: 2 } }))).toMatch(
      /out mark must be after the in mark/,
    );
    expect(await fails(core.call('review.set', { jobId: take('sea', 1).jobId, note: 'x'.repeat(2001) }))).toMatch(
      /note/,
    );
  });

  it('picks take 1 wherever nothing is picked, skipping a rejected take; marks become the trim', async () => {
    // kite#1 rejected, kite#2 un-rejected with marks: pickFirst takes kite#2 and its marks.
    await ok(core.call('review.set', { jobId: take('kite', 1).jobId, rejected: true }));
    await ok(core.call('review.set', { jobId: take('kite', 2).jobId, rejected: false, marks: { inS: 0.5, outS: 4 } }));
    const edit = await ok(core.call('review.pickFirst', { storyboardId }));
    expect(edit.picks).toEqual({ kite: take('kite', 2).file, sea: take('sea', 1).file });
    expect(edit.trims.kite).toEqual({ inS: 0.5, outS: 4 });
    expect(edit.trims.sea).toBeUndefined();
    await refresh();
    expect(takes.filter((t) => t.picked).map((t) => `${t.shotId}#${t.take}`)).toEqual(['kite#2', 'sea#1']);
  });

  it('updates the trim when the picked take gets new marks, and un-picks a picked take that is rejected', async () => {
    const s1 = take('sea', 1);
    await ok(core.call('review.set', { jobId: s1.jobId, marks: { inS: 1, outS: 3.5 } }));
    let edit = await ok(core.call('edit.get', { storyboardId }));
    expect(edit.trims.sea).toEqual({ inS: 1, outS: 3.5 });
    const after = await ok(core.call('review.set', { jobId: s1.jobId, rejected: true }));
    expect(after.picked).toBe(false);
    edit = await ok(core.call('edit.get', { storyboardId }));
    expect(edit.picks.sea).toBeUndefined();
    expect(edit.trims.sea).toBeUndefined();
    // Picking sea#2 (no marks) picks it with no trim; picking sea#1 again takes the rejection back.
    await ok(core.call('review.set', { jobId: take('sea', 2).jobId, picked: true }));
    const back = await ok(core.call('review.set', { jobId: s1.jobId, picked: true }));
    expect(back).toMatchObject({ picked: true, review: { rejected: false, marks: { inS: 1, outS: 3.5 } } });
    edit = await ok(core.call('edit.get', { storyboardId }));
    expect(edit.picks.sea).toBe(s1.file);
    expect(edit.trims.sea).toEqual({ inS: 1, outS: 3.5 });
  });

  it('has the poster, filmstrip and probe figures of each take as soon as it is done (made at verify time)', async () => {
    // No wait: the engine made them before the take became done.
    for (const t of await refresh()) {
      expect(t.media).toMatchObject({ durationS: expect.closeTo(5, 0) as number, width: 1280, height: 720 });
      expect(t.media?.fps).toBeGreaterThan(0);
      expect(existsSync(t.poster as string)).toBe(true);
      expect(t.filmstrip.length).toBe(6);
      expect(t.poster).toMatch(/thumbnails[\\/]/);
    }
    // The same files media.thumbnails makes for the clip (one place, never made twice).
    const k1 = take('kite', 1);
    const again = await ok(core.call('media.thumbnails', { file: k1.file as string }));
    expect(again.poster).toBe(k1.poster);
  });

  it('keeps the prompt as sent to Kling: after the PII filter', () => {
    expect(take('kite', 1).promptSent).toMatch(/^a red kite over the dunes/);
    expect(take('kite', 1).promptSent).not.toContain('jo@example.com');
    expect(take('sea', 2).promptSent).toBe('the sea at dawn');
  });

  it('makes the stills of a take verified before this build in the background, and says when', async () => {
    const s2 = take('sea', 2);
    // A take from an older build: no take_media row, no stills on disk.
    const raw = new Database(join(dataDir, 'shotline.db'));
    raw.prepare('DELETE FROM take_media WHERE job_id = ?').run(s2.jobId);
    raw.close();
    rmSync(dirname(s2.poster as string), { recursive: true, force: true });
    const before = changed.length;
    const first = (await refresh()).find((t) => t.jobId === s2.jobId);
    expect(first).toMatchObject({ poster: null, filmstrip: [], media: null, state: 'done' });
    await until('review.changed for the backfilled take', () =>
      changed.slice(before).some((c) => c.jobId === s2.jobId),
    );
    const later = (await refresh()).find((t) => t.jobId === s2.jobId);
    expect(existsSync(later?.poster as string)).toBe(true);
    expect(later?.media?.width).toBe(1280);
  });

  it('writes the rating, pick and note of each cut take into every NLE timeline', async () => {
    const k2 = take('kite', 2);
    await ok(core.call('review.set', { jobId: k2.jobId, rating: 5, note: 'the kite dips; Jo "prefers" it\nkeep' }));
    const edit = await ok(core.call('edit.get', { storyboardId }));
    const cut = {
      title: 'review cut',
      clips: ['kite', 'sea'].map((shot) => ({ file: edit.picks[shot] as string, ...edit.trims[shot] })),
    };
    const out = mkdtempSync(join(tmpdir(), 'shotline-review-tl-'));
    const text: Record<string, string> = {};
    for (const [format, ext] of [
      ['edl', 'edl'],
      ['fcp7', 'xml'],
      ['fcpxml', 'fcpxml'],
      ['otio', 'otio'],
    ] as const) {
      const { file } = await ok(core.call('media.timeline', { edit: cut, format, output: join(out, `cut.${ext}`) }));
      text[format] = readFileSync(file, 'utf8');
    }
    const note = 'Note: the kite dips; Jo "prefers" it keep';
    expect(text.edl).toContain(`* COMMENT: Picked\n* COMMENT: Rating: 5/5\n* COMMENT: ${note}\n`);
    // sea#1: picked with marks, no rating or note.
    expect(text.edl?.split('\n').filter((l) => l === '* COMMENT: Picked')).toHaveLength(2);

    for (const f of ['fcp7', 'fcpxml'] as const) expect(XMLValidator.validate(text[f] as string)).toBe(true);
    expect(text.fcp7).toContain('<mastercomment3>5/5</mastercomment3>');
    expect(text.fcp7).toContain('<lognote>the kite dips; Jo &quot;prefers&quot; it\nkeep</lognote><good>TRUE</good>');
    expect(text.fcpxml).toMatch(/<keyword start="[^"]+" duration="[^"]+" value="Rating 5\/5"\/>/);
    expect(text.fcpxml).toMatch(
      /<rating name="Picked" start="[^"]+" duration="[^"]+" value="favorite" note="the kite dips/,
    );

    const otio = JSON.parse(text.otio as string) as {
      tracks: { children: Array<{ children: Array<{ metadata?: { shotline?: { review?: unknown } } }> }> };
    };
    const reviews = otio.tracks.children[0]?.children.map((c) => c.metadata?.shotline?.review);
    expect(reviews).toEqual([
      { picked: true, rejected: false, rating: 5, note: 'the kite dips; Jo "prefers" it\nkeep' },
      { picked: true, rejected: false, rating: null, note: '' },
    ]);
  }, 60_000);

  it("a take picked through edit.save (a swap on the Edit page) brings its marks as the shot's trim", async () => {
    const k1 = take('kite', 1);
    await ok(core.call('review.set', { jobId: k1.jobId, marks: { inS: 0.25, outS: 2.5 } }));
    const edit = await ok(core.call('edit.save', { storyboardId, picks: { kite: k1.file } }));
    expect(edit.picks.kite).toBe(k1.file);
    expect(edit.trims.kite).toEqual({ inS: 0.25, outS: 2.5 });
    // A trim sent with the pick wins over the marks.
    const s2 = take('sea', 2);
    await ok(core.call('review.set', { jobId: s2.jobId, marks: { inS: 1, outS: 2 } }));
    const own = await ok(
      core.call('edit.save', { storyboardId, picks: { sea: s2.file }, trims: { sea: { inS: 0.5 } } }),
    );
    expect(own.trims.sea).toEqual({ inS: 0.5 });
  });
});
