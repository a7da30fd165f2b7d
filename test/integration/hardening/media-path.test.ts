/**
 * Issue 16.4 (the media:// part): media://clip/<path> in the app and the test bridge's
 * /media/clip/ serve media files whose real path is inside the data dir, nothing else.
 * Attacks reproduced over real HTTP against the bridge (which used to serve them): the
 * SQLite database and its WAL/SHM, the sandbox's state file, a folder, a symlink out of the
 * data dir, and encoded traversal.
 */
import { mkdirSync, mkdtempSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

import { afterAll, beforeAll, describe, expect, it } from 'vitest';

import { createCore, type Core } from '../../../electron/core';
import { resolveMediaPath } from '../../../electron/core/app/media-path';
import { startTestBridge, type TestBridge } from '../../../electron/core/bridge/test-bridge';

let dir: string;
let data: string;
let core: Core;
let bridge: TestBridge;

beforeAll(async () => {
  dir = mkdtempSync(join(tmpdir(), 'shotline-media-'));
  data = join(dir, 'data');
  core = createCore({ dataDir: data });
  core.ctx.db(); // creates shotline.db (and its WAL)
  mkdirSync(join(data, 'clips', 'sb', 'folder.mp4'), { recursive: true });
  mkdirSync(join(data, 'sandbox'), { recursive: true });
  writeFileSync(join(data, 'clips', 'sb', 'a.mp4'), 'mp4 bytes');
  writeFileSync(join(data, 'sandbox', 'state.json'), '{"secret":1}');
  writeFileSync(join(dir, 'outside.mp4'), 'private video');
  symlinkSync(join(dir, 'outside.mp4'), join(data, 'clips', 'sb', 'link.mp4'));
  symlinkSync(join(data, 'shotline.db'), join(data, 'clips', 'sb', 'db.mp4'));
  bridge = await startTestBridge(core, dir);
});
afterAll(async () => {
  await bridge.close();
  await core.close();
  rmSync(dir, { recursive: true, force: true });
});

describe('media:// serves media files inside the data dir only (issue 16.4)', () => {
  it.each([
    ['/shotline.db', 'not a media file type'],
    ['/shotline.db-wal', 'not a media file type'],
    ['/shotline.db-shm', 'not a media file type'],
    ['/sandbox/state.json', 'not a media file type'],
    ['/clips/sb/', 'not a media file type'],
    ['/clips/sb/folder.mp4', 'not a regular file'],
    ['/clips/sb/link.mp4', 'a link out of the data dir'],
    ['/clips/sb/db.mp4', 'a link to a non-media file'],
    ['/clips/%2e%2e/%2e%2e/outside.mp4', 'outside the data dir'],
    ['/clips/sb/a.mp4%00.png', 'NUL in path'],
  ])('%s is refused (%s)', (path, reason) => {
    expect(resolveMediaPath(data, path)).toEqual({ ok: false, reason });
  });

  it('a clip in the data dir is served with its type', () => {
    expect(resolveMediaPath(data, '/clips/sb/a.mp4')).toMatchObject({ ok: true, type: 'video/mp4', size: 9 });
  });

  it('over HTTP: the bridge answers 404 for the database, state and links, 200 for a clip', async () => {
    const get = async (p: string): Promise<number> =>
      (await fetch(`${bridge.origin}/media/clip${p}?token=${bridge.token}`)).status;
    for (const p of [
      '/shotline.db',
      '/shotline.db-wal',
      '/sandbox/state.json',
      '/clips/sb/link.mp4',
      '/clips/sb/db.mp4',
      '/clips/sb/folder.mp4',
    ])
      expect(await get(p), p).toBe(404);
    expect(await get('/clips/sb/a.mp4')).toBe(200);
  });
});
