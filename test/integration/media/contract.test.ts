/** media.* through the core (what the Studio calls): plan verdict, export with progress events, cancel, errors as data. */
import { existsSync, mkdtempSync, readdirSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

import { afterAll, beforeAll, describe, expect, it } from 'vitest';

import { createCore, type Core } from '../../../electron/core';
import { makeClip } from './clips';

let dir: string;
let core: Core;
let a: string;
let b: string;

beforeAll(() => {
  dir = mkdtempSync(join(tmpdir(), 'shotline-media-contract-'));
  a = makeClip(join(dir, 'a.mp4'));
  b = makeClip(join(dir, 'b.mp4'), { w: 256, h: 144, fps: 24, audio: false });
  core = createCore({ dataDir: join(dir, 'data') });
}, 60_000);

afterAll(async () => {
  await core.close();
  rmSync(dir, { recursive: true, force: true });
});

describe('media contract', () => {
  it('plans, exports with media.progress events, and makes thumbnails in the data dir', async () => {
    const plan = await core.call('media.planEdit', { edit: { clips: [{ file: a }, { file: b }] } });
    expect(plan.ok && plan.value.mode).toBe('reencode');
    const events: number[] = [];
    const off = core.subscribe((event, payload) => {
      if (event === 'media.progress') events.push((payload as { percent: number }).percent);
    });
    const out = join(dir, 'out.mp4');
    const res = await core.call('media.exportEdit', {
      edit: { clips: [{ file: a }, { file: b }] },
      output: out,
      exportId: 'x1',
      timelines: ['otio'],
    });
    off();
    expect(res).toMatchObject({
      ok: true,
      value: { exportId: 'x1', mode: 'reencode', timelines: [join(dir, 'out.otio')] },
    });
    expect(events.at(-1)).toBe(100);
    // Registered for retention ("N days after the edit is exported") and erasure.
    expect(core.ctx.db().prepare('SELECT kind FROM subject_files WHERE path = ?').pluck().get(out)).toBe('edit');
    const th = await core.call('media.thumbnails', { file: a, count: 3 });
    expect(th.ok && th.value.filmstrip.length).toBe(3);
    expect(th.ok && th.value.poster.startsWith(join(dir, 'data', 'thumbnails'))).toBe(true);
  }, 60_000);

  it('media.cancel stops a running export and leaves no file', async () => {
    const out = join(dir, 'cancel.mov');
    const off = core.subscribe((event) => {
      if (event === 'media.progress') void core.call('media.cancel', { exportId: 'c1' });
    });
    const res = await core.call('media.exportEdit', {
      edit: { clips: [{ file: a }, { file: b }, { file: a }], preset: 'prores' },
      output: out,
      exportId: 'c1',
    });
    off();
    expect(res).toMatchObject({ ok: false, error: { code: 'cancelled' } });
    expect(existsSync(out)).toBe(false);
    expect(readdirSync(dir).filter((f) => f.includes('.partial'))).toEqual([]);
  }, 60_000);

  it('a missing clip comes back as an error naming the file', async () => {
    const res = await core.call('media.probe', { file: join(dir, 'gone.mp4') });
    expect(res).toMatchObject({ ok: false, error: { code: 'media_missing', where: join(dir, 'gone.mp4') } });
  });
});
