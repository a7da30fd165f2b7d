/**
 * The project surface through the real core (shared/contract/project.ts; issue 11 items 1, 3-5,
 * issue 16 item 4): outputs only where the save dialog said, images as content-addressed files,
 * the edit per storyboard with trims checked against ffprobe, no empty batch on a repeat
 * enqueue, a re-roll into its take's batch. The dialog is the test bridge's fake.
 */
import { execFileSync } from 'node:child_process';
import { createHash } from 'node:crypto';
import { existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

import { afterAll, beforeAll, describe, expect, it } from 'vitest';

import { createFakeDialogs, type FakeDialogs } from '../../../electron/core/bridge/test-bridge';
import { createCore, type Core } from '../../../electron/core';
import { newShot } from '../../../renderer/src/state/storyboard';
import { makeClip } from '../media/clips';

let dir: string;
let core: Core;
let dialogs: FakeDialogs;
let clip: string;
const MODEL = newShot([]).model;

async function ok<T>(
  p: Promise<{ ok: true; value: T } | { ok: false; error: { code: string; message: string } }>,
): Promise<T> {
  const r = await p;
  if (!r.ok) throw new Error(`${r.error.code}: ${r.error.message}`);
  return r.value;
}

beforeAll(() => {
  dir = mkdtempSync(join(tmpdir(), 'shotline-project-'));
  // A take the core keeps: in its data dir (media inputs are confined there, issue 16 item 4).
  mkdirSync(join(dir, 'data', 'clips'), { recursive: true });
  clip = makeClip(join(dir, 'data', 'clips', 'take.mp4'), { d: 2 });
  dialogs = createFakeDialogs();
  core = createCore({ dataDir: join(dir, 'data'), dialogs });
}, 60_000);

afterAll(async () => {
  await core.close();
  rmSync(dir, { recursive: true, force: true });
});

async function importBoard(name: string, shots: Array<Record<string, unknown>>): Promise<string> {
  const r = await ok(
    core.call('storyboard.import', {
      format: 'json',
      content: JSON.stringify({ name, defaults: { model: MODEL }, shots }),
    }),
  );
  return r.storyboardId;
}

describe('outputs go only where the user chose (issue 16 item 4)', () => {
  it('refuses a caller-chosen output, writes a chosen one, asks before replacing, says when the folder is gone', async () => {
    const id = await importBoard('Outputs', [{ id: 'a', prompt: 'x' }]);
    const edit = { clips: [{ file: clip }] };
    const free = join(dir, 'free.mp4');
    const refused = await core.call('media.exportEdit', { edit, output: free });
    expect(refused.ok ? null : refused.error).toMatchObject({ code: 'forbidden' });
    expect(existsSync(free)).toBe(false);

    dialogs.answerSave(free);
    const chosen = await ok(core.call('dialog.saveOutput', { storyboardId: id, kind: 'mp4' }));
    expect(chosen).toEqual({ chosen: true, path: free, exists: false, overwriteConfirmed: false });
    expect(dialogs.shown.at(-1)?.defaultPath).toBe(join(dir, 'data', 'edits', id, 'Outputs.mp4'));
    await ok(core.call('media.exportEdit', { edit, output: free }));
    expect(existsSync(free)).toBe(true);
    // Now it exists: not replaced unless the user agreed.
    const again = await core.call('media.exportEdit', { edit, output: free });
    expect(again.ok ? null : again.error).toMatchObject({
      code: 'exists',
      message: `${free} already exists: confirm that it may be replaced, or choose another name.`,
    });
    await ok(core.call('media.exportEdit', { edit, output: free, overwrite: true }));
    // The next dialog starts at the last output of this storyboard.
    dialogs.answerSave(null);
    expect(await ok(core.call('dialog.saveOutput', { storyboardId: id, kind: 'mp4' }))).toMatchObject({
      chosen: false,
      path: null,
    });
    expect(dialogs.shown.at(-1)?.defaultPath).toBe(free);
    // A system dialog that already asked "replace?" counts as the user's yes.
    dialogs.answerSave(free, { overwriteConfirmed: true });
    await ok(core.call('dialog.saveOutput', { storyboardId: id, kind: 'mp4' }));
    await ok(core.call('media.exportEdit', { edit, output: free }));

    const gone = join(dir, 'gone', 'x.edl');
    dialogs.answerSave(gone);
    await ok(core.call('dialog.saveOutput', { storyboardId: id, kind: 'edl' }));
    const tl = await core.call('media.timeline', { edit, format: 'edl', output: gone });
    expect(tl.ok ? null : tl.error.message).toBe(
      `The folder ${join(dir, 'gone')} is no longer there: choose another place with "Choose where…".`,
    );
    // Stills stay in the data dir.
    const th = await core.call('media.thumbnails', { file: clip, outDir: join(dir, 'thumbs') });
    expect(th.ok ? null : th.error.code).toBe('forbidden');
  }, 60_000);

  it('a core without dialogs (the CLI) writes where its caller says', async () => {
    const cli = createCore({ dataDir: join(dir, 'cli-data') });
    try {
      const out = join(dir, 'cli.mp4');
      await ok(cli.call('media.exportEdit', { edit: { clips: [{ file: clip }] }, output: out }));
      expect(existsSync(out)).toBe(true);
      const open = await cli.call('storyboard.openFile', {});
      expect(open.ok ? null : open.error.code).toBe('unsupported');
    } finally {
      await cli.close();
    }
  }, 60_000);
});

describe('images and storyboards (issue 11 item 1)', () => {
  it('keeps a picked image once by content, registered for erasure and retention; refuses one Kling would refuse', async () => {
    const png = join(dir, 'frame.png');
    execFileSync('ffmpeg', [
      '-v',
      'error',
      '-y',
      '-f',
      'lavfi',
      '-i',
      'testsrc=size=640x360:rate=1',
      '-frames:v',
      '1',
      png,
    ]);
    const bytes = readFileSync(png);
    const sha = createHash('sha256').update(bytes).digest('hex');
    const a = await ok(core.call('storyboard.addImage', { name: 'frame.png', base64: bytes.toString('base64') }));
    const b = await ok(
      core.call('storyboard.addImage', {
        name: 'again.png',
        base64: `data:image/png;base64,${bytes.toString('base64')}`,
      }),
    );
    expect(a).toEqual({ path: `images/${sha}.png`, width: 640, height: 360 });
    expect(b.path).toBe(a.path);
    const reg = core.ctx
      .db()
      .prepare('SELECT kind FROM subject_files WHERE path = ?')
      .get(join(dir, 'data', a.path)) as { kind: string } | undefined;
    expect(reg?.kind).toBe('image');
    const tiny = await core.call('storyboard.addImage', {
      name: 'tiny.png',
      base64: readFileSync(makeTiny()).toString('base64'),
    });
    expect(tiny.ok ? null : tiny.error.message).toMatch(
      /tiny\.png: 64x64 px is too small; both sides must be at least 300 px/,
    );

    // A storyboard using it by its data-dir path imports, owns the image, and comes back as it was.
    const id = await importBoard('Images', [{ id: 'a', prompt: 'a kite', startImage: a.path, subject: 'acme' }]);
    const owner = core.ctx
      .db()
      .prepare('SELECT project, subject FROM subject_files WHERE path = ?')
      .get(join(dir, 'data', a.path));
    expect(owner).toEqual({ project: 'Images', subject: 'acme' });
    const back = await ok(core.call('storyboard.get', { storyboardId: id }));
    expect((JSON.parse(back.content) as { shots: Array<{ startImage: string }> }).shots[0]?.startImage).toBe(a.path);
  });

  it('opens a storyboard file with images relative to its own folder, copied into the data dir', async () => {
    const folder = join(dir, 'boards');
    mkdirSync(join(folder, 'frames'), { recursive: true });
    execFileSync('ffmpeg', [
      '-v',
      'error',
      '-y',
      '-f',
      'lavfi',
      '-i',
      'testsrc2=size=512x512:rate=1',
      '-frames:v',
      '1',
      join(folder, 'frames', 'sq.png'),
    ]);
    const file = join(folder, 'b.json');
    writeFileSync(
      file,
      JSON.stringify({
        name: 'Opened',
        defaults: { model: MODEL },
        shots: [
          { id: 's', prompt: 'p', startImage: 'frames/sq.png' },
          { id: 't', prompt: 'q' },
        ],
      }),
    );
    dialogs.answerOpen(file);
    const r = await ok(core.call('storyboard.openFile', {}));
    const sha = createHash('sha256')
      .update(readFileSync(join(folder, 'frames', 'sq.png')))
      .digest('hex');
    expect(r).toMatchObject({
      opened: true,
      fileName: 'b.json',
      format: 'json',
      storyboardId: null,
      messages: [],
      images: [{ startImage: `images/${sha}.png` }, {}],
    });
    dialogs.answerOpen(null);
    expect(await ok(core.call('storyboard.openFile', {}))).toMatchObject({ opened: false, content: null });
  });
});

function makeTiny(): string {
  const f = join(dir, 'tiny.png');
  execFileSync('ffmpeg', ['-v', 'error', '-y', '-f', 'lavfi', '-i', 'color=c=red:s=64x64', '-frames:v', '1', f]);
  return f;
}

describe('the edit per storyboard (issue 11 item 5)', () => {
  it('stores picks, order and trims; a trim past the clip is refused with its length and nothing is stored', async () => {
    const id = await importBoard('Edits', [
      { id: 'a', prompt: 'x' },
      { id: 'b', prompt: 'y' },
    ]);
    const e0 = await ok(core.call('edit.get', { storyboardId: id }));
    expect(e0).toMatchObject({
      storyboard: 'Edits',
      shots: [{ id: 'a' }, { id: 'b' }],
      picks: {},
      trims: {},
      order: [],
      output: null,
    });
    await ok(
      core.call('edit.save', {
        storyboardId: id,
        picks: { a: clip, b: clip },
        order: ['b', 'a'],
        trims: { a: { inS: 0.5, outS: 1.5 } },
      }),
    );
    const bad = await core.call('edit.save', { storyboardId: id, trims: { b: { outS: 9 } } });
    expect(bad.ok ? null : bad.error.message).toBe(
      'b: out point 9 s is past the end of its take, which is 2 s long; use at most 2 s.',
    );
    const e1 = await ok(core.call('edit.get', { storyboardId: id }));
    expect(e1).toMatchObject({ order: ['b', 'a'], picks: { a: clip, b: clip }, trims: { a: { inS: 0.5, outS: 1.5 } } });
    expect(e1.trims.b).toBeUndefined();
    await ok(core.call('edit.save', { storyboardId: id, picks: { b: null }, trims: { a: null } }));
    expect(await ok(core.call('edit.get', { storyboardId: id }))).toMatchObject({ picks: { a: clip }, trims: {} });
    const none = await core.call('edit.get', { storyboardId: 'nope' });
    expect(none.ok ? null : none.error.code).toBe('not_found');
  }, 60_000);
});

describe('one batch per storyboard state (issue 11 item 3)', () => {
  it('a repeat enqueue of an unchanged storyboard makes no batch and names the one that holds its takes; a re-roll joins the batch it is given', async () => {
    const id = await importBoard('Batches', [{ id: 'a', prompt: 'x', takes: 2 }]);
    const first = await ok(core.call('queue.enqueue', { storyboardId: id, provider: 'sandbox', start: false }));
    expect(first).toMatchObject({ jobs: 2, existing: 0 });
    expect(first.alreadyQueued).toBeUndefined();
    const again = await ok(core.call('queue.enqueue', { storyboardId: id, provider: 'sandbox', start: false }));
    expect(again).toMatchObject({ batchId: first.batchId, jobs: 0, existing: 2, alreadyQueued: true });
    const batches = (await ok(core.call('queue.batches', {}))).batches.filter((b) => b.storyboardId === id);
    expect(batches).toHaveLength(1);
    // A changed storyboard makes a new batch; a re-roll given the first batch goes there.
    await importBoard('Batches', [{ id: 'a', prompt: 'x', takes: 3 }]);
    const second = await ok(core.call('queue.enqueue', { storyboardId: id, provider: 'sandbox', start: false }));
    expect(second).toMatchObject({ jobs: 1, existing: 2 });
    const rr = await ok(core.call('queue.reroll', { shotId: 'a', storyboardId: id, batchId: first.batchId }));
    const job = await ok(core.call('queue.job', { jobId: rr.jobId }));
    expect(job.job.batchId).toBe(first.batchId);
    const wrong = await core.call('queue.reroll', { shotId: 'a', storyboardId: id, batchId: 'b-nope' });
    expect(wrong.ok ? null : wrong.error.code).toBe('not_found');
  });
});
