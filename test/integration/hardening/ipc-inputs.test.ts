/**
 * Issue 16 item 4: IPC takes no arbitrary path. With the app's dialogs (the renderer's fronts),
 * the media and show-in-folder methods read only media files whose real path is inside the
 * data dir, files the registry knows, or files chosen in a dialog (electron/core/app/dialogs.ts
 * confineInput). The attack: a renderer asking the core to probe, decode, thumbnail, plan or
 * reveal any file on the machine, or a link in the data dir pointing out of it. The CLI (no
 * dialogs) names its own files and is not confined.
 */
import { mkdirSync, mkdtempSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

import { afterAll, beforeAll, describe, expect, it } from 'vitest';

import { createCore, type Core } from '../../../electron/core';
import { createFakeDialogs } from '../../../electron/core/bridge/test-bridge';
import { makeClip } from '../media/clips';

let dir: string;
let dataDir: string;
let core: Core;
let outside: string;
let inside: string;
const shown: string[] = [];

beforeAll(() => {
  dir = mkdtempSync(join(tmpdir(), 'shotline-ipc-inputs-'));
  dataDir = join(dir, 'data');
  mkdirSync(join(dataDir, 'clips'), { recursive: true });
  outside = makeClip(join(dir, 'elsewhere.mp4'), { d: 1 });
  inside = makeClip(join(dataDir, 'clips', 'take.mp4'), { d: 1 });
  symlinkSync(outside, join(dataDir, 'clips', 'link.mp4'));
  writeFileSync(join(dir, 'secret.txt'), 'not for the renderer');
  core = createCore({ dataDir, dialogs: createFakeDialogs(), shell: { showItemInFolder: (p) => void shown.push(p) } });
}, 60_000);

afterAll(async () => {
  await core.close();
  rmSync(dir, { recursive: true, force: true });
});

const code = async (p: Promise<{ ok: boolean; error?: { code: string; message: string } }>): Promise<string> => {
  const r = await p;
  return r.ok ? 'ok' : (r.error?.code ?? '?');
};

describe('media inputs from a front with dialogs', () => {
  it('reads a clip the data dir keeps', async () => {
    expect(await code(core.call('media.probe', { file: inside }))).toBe('ok');
    expect(await code(core.call('media.planEdit', { edit: { clips: [{ file: inside }] } }))).toBe('ok');
  });

  it('refuses a file outside the data dir, a link out of it, the database and a non-media file', async () => {
    expect(await code(core.call('media.probe', { file: outside }))).toBe('forbidden');
    expect(await code(core.call('media.verify', { file: join(dataDir, 'clips', 'link.mp4') }))).toBe('forbidden');
    expect(await code(core.call('media.probe', { file: join(dataDir, 'shotline.db') }))).toBe('forbidden');
    expect(await code(core.call('media.thumbnails', { file: join(dir, 'secret.txt') }))).toBe('forbidden');
    expect(await code(core.call('media.lastFrame', { file: outside }))).toBe('forbidden');
    const r = await core.call('media.planEdit', { edit: { clips: [{ file: inside }, { file: outside }] } });
    expect(r.ok ? null : r.error).toMatchObject({ code: 'forbidden', where: 'clips[1].file' });
    expect(r.ok ? '' : r.error.message).toMatch(/reads only the clips and images it keeps in its data folder/);
  });

  it('show in folder reveals only what the app keeps or the user chose', async () => {
    expect(await code(core.call('app.showInFolder', { path: join(dir, 'secret.txt') }))).toBe('forbidden');
    expect(shown).toEqual([]);
    expect(await code(core.call('app.showInFolder', { path: inside }))).toBe('ok');
    expect(shown).toHaveLength(1);
  });

  it('the CLI (no dialogs) names its own files', async () => {
    const cli = createCore({ dataDir: join(dir, 'cli-data') });
    try {
      expect(await code(cli.call('media.probe', { file: outside }))).toBe('ok');
    } finally {
      await cli.close();
    }
  });
});
