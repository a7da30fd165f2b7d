/**
 * A take's review goes with the take (issue 17 item 1): notes may name people. Privacy erasure
 * (electron/core/privacy/erase.ts) removes a subject's reviews, stills and prompts as sent, and
 * retention, which deletes a take's clip but keeps its job, removes its review too (the
 * trigger of schema step 200). Real core, sandbox clips, real SQLite.
 */
import { existsSync, mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

import Database from 'better-sqlite3';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';

import type { TakeInfo } from '../../../shared/contract/review';
import type { JobView } from '../../../shared/queue';
import { createCore } from '../../../electron/core';

const dataDir = mkdtempSync(join(tmpdir(), 'shotline-review-privacy-'));
const core = createCore({ dataDir });
afterAll(() => core.close());

const jobs = new Map<string, JobView>();
core.subscribe((event, payload) => {
  if (event === 'job.changed') {
    const { job } = payload as { job: JobView };
    jobs.set(job.id, job);
  }
});

async function ok<T>(p: Promise<{ ok: true; value: T } | { ok: false; error: { message: string } }>): Promise<T> {
  const r = await p;
  if (!r.ok) throw new Error(r.error.message);
  return r.value;
}

async function until(what: string, cond: () => boolean, ms = 45_000): Promise<void> {
  const end = Date.now() + ms;
  while (!cond()) {
    if (Date.now() > end) throw new Error(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 50));
  }
}

/** Rows per job id in the review tables, read with a second connection (as a person would check). */
function rowsOf(jobIds: string[]): { reviews: number; media: number } {
  const raw = new Database(join(dataDir, 'shotline.db'), { readonly: true });
  const n = (t: string): number =>
    raw
      .prepare(`SELECT COUNT(*) FROM ${t} WHERE job_id IN (${jobIds.map(() => '?').join(',')})`)
      .pluck()
      .get(...jobIds) as number;
  const r = { reviews: n('take_reviews'), media: n('take_media') };
  raw.close();
  return r;
}

let storyboardId = '';
let takes: TakeInfo[] = [];
const refresh = async (): Promise<TakeInfo[]> =>
  (takes = (await ok(core.call('review.takes', { storyboardId }))).takes);

beforeAll(async () => {
  await core.services.sandbox.ensure({ timing: { submittedMs: 50, processingMs: 150 } });
  const imported = await ok(
    core.call('storyboard.import', {
      content: JSON.stringify({
        name: 'review-privacy',
        defaults: { model: 'kling-2.5-turbo', resolution: '720p', duration: 5 },
        shots: [
          { id: 'client', prompt: 'Dana Whitlock walks into the studio at dusk', subject: 'client-dana' },
          { id: 'plate', prompt: 'an empty studio at dusk, slow push in' },
        ],
      }),
      format: 'json',
    }),
  );
  storyboardId = imported.storyboardId;
  const enq = await ok(core.call('queue.enqueue', { storyboardId, provider: 'sandbox' }));
  await until(
    'two done takes',
    () => [...jobs.values()].filter((j) => j.batchId === enq.batchId && j.state === 'done').length === 2,
  );
  for (const t of await refresh())
    await ok(core.call('review.set', { jobId: t.jobId, rating: 3, note: `Dana liked ${t.shotId}` }));
}, 90_000);

describe("a take's review goes with the take", () => {
  it("erasing a subject removes its takes' reviews, stills and prompt as sent; other takes keep theirs", async () => {
    const client = takes.find((t) => t.shotId === 'client') as TakeInfo;
    const plate = takes.find((t) => t.shotId === 'plate') as TakeInfo;
    expect(rowsOf([client.jobId])).toEqual({ reviews: 1, media: 1 });
    expect(existsSync(client.poster as string)).toBe(true);

    const report = await ok(core.call('privacy.erase', { subject: 'client-dana' }));
    expect(report.rows.take_reviews).toBe(1);
    expect(report.rows.take_media).toBe(1);
    expect(rowsOf([client.jobId])).toEqual({ reviews: 0, media: 0 });
    expect(existsSync(client.poster as string)).toBe(false);
    for (const f of client.filmstrip) expect(existsSync(f)).toBe(false);

    const left = await refresh();
    expect(left.map((t) => t.shotId)).toEqual(['plate']);
    expect(left[0]?.review).toMatchObject({ rating: 3, note: 'Dana liked plate' });
    expect(existsSync(plate.poster as string)).toBe(true);
  }, 60_000);

  it('retention deleting a take clip removes its review; the take stays listed with no clip or poster', async () => {
    const plate = takes[0] as TakeInfo;
    await ok(
      core.call('privacy.retention.setRule', {
        rule: { project: '*', rawTakesDaysAfterExport: null, rawTakesMaxDays: 0, imagesDays: null, editsDays: null },
      }),
    );
    const plan = await ok(core.call('privacy.retention.run', { dryRun: false }));
    expect(plan.files.map((f) => f.kind)).toContain('take');
    expect(existsSync(plate.file as string)).toBe(false);
    expect(rowsOf([plate.jobId]).reviews).toBe(0);
    const [after] = await refresh();
    expect(after).toMatchObject({
      shotId: 'plate',
      state: 'done',
      file: null,
      poster: null,
      filmstrip: [],
      review: { rating: null, note: '', rejected: false, marks: null },
    });
  }, 60_000);
});
