/** Retention rules on a real data dir: dry run previews, a run deletes exactly that, edits stay. */
import { mkdirSync, mkdtempSync, rmSync, utimesSync, writeFileSync, existsSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

import { afterEach, beforeEach, describe, expect, it } from 'vitest';

import { createCore, type Core } from '../../../electron/core';
import { registerFile } from '../../../electron/core/privacy';
import { walkFiles } from '../../../electron/core/privacy/files';

const DAY = 86_400_000;
let dir: string;
let core: Core;

function file(rel: string, ageDays: number): string {
  const abs = join(dir, rel);
  mkdirSync(join(abs, '..'), { recursive: true });
  writeFileSync(abs, Buffer.alloc(1000, 1));
  const t = new Date(Date.now() - ageDays * DAY);
  utimesSync(abs, t, t);
  return abs;
}

beforeEach(() => {
  dir = mkdtempSync(join(tmpdir(), 'shotline-retention-'));
  core = createCore({ dataDir: dir });
  // Project "spring": edit exported 40 days ago; "autumn": edit exported 5 days ago; "draft": no edit.
  file('clips/spring/take-1.mp4', 60);
  file('clips/spring/take-2.mp4', 45);
  file('thumbs/spring/take-1.jpg', 60);
  file('edits/spring/spring-final.mp4', 40);
  file('clips/autumn/take-1.mp4', 20);
  file('edits/autumn/autumn-final.mp4', 5);
  file('clips/draft/take-1.mp4', 200);
  file('images/ref-old.png', 100);
  // A file the queue registered instead of placing by convention.
  const reg = file('downloads-x/spring-extra.mp4', 50);
  registerFile(core.ctx.db(), { path: reg, kind: 'take', project: 'spring' }, new Date(Date.now() - 50 * DAY));
});
afterEach(async () => {
  await core.close();
  rmSync(dir, { recursive: true, force: true });
});

describe('retention', () => {
  it('without rules does nothing', async () => {
    const r = await core.call('privacy.retention.run', { dryRun: false });
    expect(r.ok && r.value.files).toEqual([]);
  });

  it('previews, then deletes raw takes 30 days after export, keeps edits and other projects', async () => {
    const set = await core.call('privacy.retention.setRule', {
      rule: { project: '*', rawTakesDaysAfterExport: 30, imagesDays: 90 },
    });
    expect(set.ok && set.value.rules).toHaveLength(1);
    await core.call('privacy.retention.setRule', {
      rule: { project: 'draft', rawTakesDaysAfterExport: 30, rawTakesMaxDays: 365 },
    });
    const before = walkFiles(dir).length;
    const preview = await core.call('privacy.retention.run', { dryRun: true });
    if (!preview.ok) throw new Error(preview.error.message);
    const expected = [
      'clips/spring/take-1.mp4',
      'clips/spring/take-2.mp4',
      'downloads-x/spring-extra.mp4',
      'images/ref-old.png',
      'thumbs/spring/take-1.jpg',
    ];
    expect(preview.value.files.map((f) => f.path)).toEqual(expected);
    expect(preview.value.files[0]?.reason).toMatch(/edit of "spring" was exported .* 40 days ago/);
    expect(walkFiles(dir).length).toBe(before);

    const run = await core.call('privacy.retention.run', { dryRun: false });
    if (!run.ok) throw new Error(run.error.message);
    expect(run.value.files.map((f) => f.path)).toEqual(expected);
    expect(run.value.bytes).toBe(5000);
    for (const p of expected) expect(existsSync(join(dir, p)), p).toBe(false);
    for (const p of [
      'edits/spring/spring-final.mp4',
      'clips/autumn/take-1.mp4',
      'edits/autumn/autumn-final.mp4',
      'clips/draft/take-1.mp4',
    ]) {
      expect(existsSync(join(dir, p)), p).toBe(true);
    }
    expect(core.ctx.db().prepare('SELECT count(*) AS n FROM subject_files').get()).toEqual({ n: 0 });
    const again = await core.call('privacy.retention.run', { dryRun: true });
    expect(again.ok && again.value.files).toEqual([]);
  });
});
