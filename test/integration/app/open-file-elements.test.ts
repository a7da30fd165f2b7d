/**
 * storyboard.openFile with elements (electron/core/app/element-files.ts): the elements' images,
 * like the shots' frames, are kept in the data dir by content and the returned text names the
 * copies, so the text the renderer sends back imports and queues (examples/scene.json). A file
 * without element images comes back as written. Real core, the test bridge's fake dialog.
 */
import { createHash } from 'node:crypto';
import { existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

import { afterAll, beforeAll, describe, expect, it } from 'vitest';

import { createFakeDialogs, type FakeDialogs } from '../../../electron/core/bridge/test-bridge';
import { createCore, type Core } from '../../../electron/core';

const EXAMPLES = join(import.meta.dirname, '..', '..', '..', 'examples');
const sha = (f: string): string => createHash('sha256').update(readFileSync(f)).digest('hex');

let dir: string;
let core: Core;
let dialogs: FakeDialogs;

beforeAll(() => {
  dir = mkdtempSync(join(tmpdir(), 'shotline-open-elements-'));
  dialogs = createFakeDialogs();
  core = createCore({ dataDir: join(dir, 'data'), dialogs });
});

afterAll(async () => {
  await core.close();
  rmSync(dir, { recursive: true, force: true });
});

describe('storyboard.openFile keeps element images (issue 13 item 5)', () => {
  it('examples/scene.json: the text names the kept copies, which exist, and the text imports', async () => {
    dialogs.answerOpen(join(EXAMPLES, 'scene.json'));
    const r = await core.call('storyboard.openFile', {});
    if (!r.ok) throw new Error(r.error.message);
    expect(r.value.messages).toEqual([]);
    const doc = JSON.parse(r.value.content ?? '') as {
      elements: Array<{ id: string; frontalImage: string; referenceImages: string[] }>;
    };
    const mara = doc.elements[0];
    expect(mara?.id).toBe('mara');
    expect(mara?.frontalImage).toBe(`images/${sha(join(EXAMPLES, 'elements', 'mara-front.png'))}.png`);
    expect(mara?.referenceImages).toEqual([
      `images/${sha(join(EXAMPLES, 'elements', 'mara-side.png'))}.png`,
      `images/${sha(join(EXAMPLES, 'elements', 'mara-back.png'))}.png`,
    ]);
    for (const p of [mara?.frontalImage ?? '', ...(mara?.referenceImages ?? [])])
      expect(existsSync(join(dir, 'data', p))).toBe(true);
    // The renderer puts the kept frames in the shots (OpenStoryboardButton.tsx, withImages); the elements are the text's.
    const sent = JSON.parse(r.value.content ?? '') as { shots: Array<Record<string, unknown>> };
    sent.shots.forEach((shot, i) => Object.assign(shot, r.value.images[i]));
    const imported = await core.call('storyboard.import', { content: JSON.stringify(sent), format: 'json' });
    expect(imported.ok ? 'ok' : imported.error.message).toBe('ok');
  });

  it('a file without element images comes back as written', async () => {
    const file = join(dir, 'plain.json');
    const text = '{"name":"Plain","shots":[{"id":"a","prompt":"gulls over the waves","model":"kling-2.5-turbo"}]}';
    writeFileSync(file, text);
    dialogs.answerOpen(file);
    const r = await core.call('storyboard.openFile', {});
    if (!r.ok) throw new Error(r.error.message);
    expect(r.value.content).toBe(text);
  });
});
