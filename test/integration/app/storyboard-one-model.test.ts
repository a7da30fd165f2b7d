/**
 * Issue 18 item 4: one storyboard model. The same files go through both fronts: the app's
 * (renderer/src/state: the file read into the editor's draft, then the editor's check) and the
 * core's import check (`storyboard.validate` over the real core, the path the CLI and Queue
 * take). They must report the same problems, shot by shot, field by field, message by message.
 * Before the renderer used shared/storyboard, an end-frame-only shot got two problems in the
 * editor that the importer did not report the same way.
 */
import { execFileSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

import { afterAll, beforeAll, describe, expect, it } from 'vitest';

import { createCore, type Core } from '../../../electron/core';
import { checkDraft, fromText, ImportProblems, readDraft, toCsv, toJson } from '../../../renderer/src/state/storyboard';
import type { StoryboardProblem } from '../../../shared/storyboard/schema';

let dir: string;
let core: Core;

beforeAll(() => {
  dir = mkdtempSync(join(tmpdir(), 'shotline-one-model-'));
  mkdirSync(join(dir, 'files', 'frames'), { recursive: true });
  // A real PNG frame (ffmpeg), so the core's file checks pass and only the rules speak.
  execFileSync('ffmpeg', [
    '-v',
    'error',
    '-f',
    'lavfi',
    '-i',
    'color=c=red:s=640x360',
    '-frames:v',
    '1',
    '-y',
    join(dir, 'files', 'frames', 'end.png'),
  ]);
  core = createCore({ dataDir: join(dir, 'data') });
}, 60_000);

afterAll(async () => {
  await core.close();
  rmSync(dir, { recursive: true, force: true });
});

type Key = string;
const key = (p: StoryboardProblem): Key => JSON.stringify([p.shot, p.field, p.value, p.message]);

/** The core's import check over the file on disk. */
async function coreProblems(file: string): Promise<Key[]> {
  const r = await core.call('storyboard.validate', { path: join(dir, 'files', file) });
  if (!r.ok) throw new Error(`${r.error.code}: ${r.error.message}`);
  return r.value.problems.map(key).sort();
}

/**
 * The app's: the file read into the editor's draft as written, then the editor's own check.
 * (Opening a file in the app also offers shared/storyboard/upgrade.ts's rewrite, with Undo:
 * the same rewrite the CLI offers as `shotline storyboard upgrade`.)
 */
function appProblems(file: string): Key[] {
  const text = readFileSync(join(dir, 'files', file), 'utf8');
  try {
    const c = checkDraft(readDraft(text, file));
    // Two shots with one id both show the problems named by that id; each problem counts once.
    return [...new Set([...c.general, ...c.perShot.flat()])].map(key).sort();
  } catch (e) {
    if (e instanceof ImportProblems) return e.problems.map(key).sort();
    throw e;
  }
}

const long = 'a slow pan over a harbour at dawn, '.repeat(80);
const FILES: Record<string, string> = {
  // The known disagreement: an end frame without a start frame.
  'end-only.json': JSON.stringify({
    name: 'end-only',
    shots: [{ id: 'a', prompt: 'a door closes', model: 'kling-2.5-turbo', endImage: 'frames/end.png' }],
  }),
  'rules.json': JSON.stringify({
    name: 'rules',
    defaults: { model: 'kling-2.6' },
    shots: [
      { id: 'first', prompt: 'chained from nothing', startImage: '@previous' },
      { id: 'seven', prompt: 'seven seconds', duration: 7 },
      { id: 'loud', prompt: 'a turbo with sound', model: 'kling-2.5-turbo', audio: 'native' },
      { id: 'neg', prompt: 'a kite', model: 'kling-3.0', negativePrompt: 'no text' },
      { id: 'long', prompt: long, model: 'kling-2.5-turbo' },
      { id: 'hd', prompt: 'native at 720p', audio: 'native', resolution: '720p' },
      { id: 'seven', prompt: 'same id again' },
      { id: 'empty', model: 'kling-2.5-turbo' },
    ],
  }),
  'rules.csv': [
    'id,prompt,model,duration,audio,resolution,takes',
    'seven,seven seconds,kling-2.6,7,,,1',
    'loud,a turbo with sound,kling-2.5-turbo,5,native,,1',
    `long,"${long}",kling-2.5-turbo,5,,,1`,
    'hd,native at 720p,kling-2.6,5,native,720p,1',
    'ok,fine,kling-2.5-turbo,10,,,2',
    '',
  ].join('\n'),
  'scene.json': JSON.stringify({
    name: 'scene',
    shots: [
      { id: 's1', prompt: 'she enters the kitchen', model: 'kling-3.0', scene: 'kitchen', duration: 5 },
      { id: 's2', prompt: 'she opens the fridge', model: 'kling-3.0', scene: 'kitchen', duration: 5 },
      { id: 's3', prompt: 'she laughs', model: 'kling-3.0', scene: 'kitchen', duration: 6 },
    ],
  }),
  // Every kind of bad scene (issue 13's list): 7 shots, 16 s, a 0.5 s shot, a 600-character shot prompt, mixed models, elements over the limit, audio on 2.5 Turbo.
  'bad-scenes.json': JSON.stringify({
    name: 'bad-scenes',
    elements: ['a', 'b', 'c', 'd'].map((id) => ({ id, klingId: `10${id.charCodeAt(0)}` })),
    shots: [
      ...Array.from({ length: 7 }, (_, i) => ({
        id: `seven-${i}`,
        prompt: `shot ${i}`,
        model: 'kling-3.0',
        scene: 'seven',
        duration: 2,
      })),
      { id: 'long-1', prompt: 'a', model: 'kling-3.0', scene: 'long', duration: 10 },
      { id: 'long-2', prompt: 'b', model: 'kling-3.0', scene: 'long', duration: 6 },
      { id: 'half', prompt: 'c', model: 'kling-3.0', scene: 'half', duration: 0.5 },
      { id: 'half-2', prompt: 'd', model: 'kling-3.0', scene: 'half', duration: 4 },
      { id: 'wordy', prompt: 'w'.repeat(600), model: 'kling-3.0', scene: 'wordy', duration: 5 },
      { id: 'mixed-1', prompt: 'e', model: 'kling-3.0', scene: 'mixed', duration: 5 },
      { id: 'mixed-2', prompt: 'f', model: 'kling-3.0-omni', scene: 'mixed', duration: 5 },
      {
        id: 'many',
        prompt: 'g @a @b @c @d',
        model: 'kling-3.0',
        startImage: 'frames/end.png',
        elements: ['a', 'b', 'c', 'd'],
      },
      { id: 'turbo', prompt: 'h', model: 'kling-2.5-turbo', scene: 'turbo', audio: 'native' },
    ],
  }),
  'clean.json': JSON.stringify({
    name: 'clean',
    shots: [
      {
        id: 'a',
        prompt: 'a red kite over the sea',
        model: 'kling-2.5-turbo',
        duration: 5,
        aspectRatio: '16:9',
        takes: 1,
      },
    ],
  }),
  'bad-fields.csv': 'id,prompt,model,takes,colour\na,x,kling-v9,1,red\nb,y,kling-2.5-turbo,0,\n',
};

describe('one storyboard model: the editor and the importer report the same problems (issue 18 item 4)', () => {
  beforeAll(() => {
    for (const [name, text] of Object.entries(FILES)) writeFileSync(join(dir, 'files', name), text);
  });

  for (const file of Object.keys(FILES)) {
    it(`${file}: same problems in the app and in the core`, async () => {
      const fromCore = await coreProblems(file);
      expect(appProblems(file)).toEqual(fromCore);
      if (file.startsWith('clean')) expect(fromCore).toEqual([]);
      else expect(fromCore.length).toBeGreaterThan(0);
    });
  }

  it('the end-frame-only shot: both fronts name the missing start frame, and nothing else the other lacks', async () => {
    const got = await coreProblems('end-only.json');
    expect(got.some((k) => k.includes('startImage') && k.includes('needs a start frame'))).toBe(true);
    expect(appProblems('end-only.json')).toEqual(got);
  });

  it('the editor writes back files the core reads the same way (JSON and CSV, scenes, elements, motion)', async () => {
    const sb = fromText(FILES['scene.json'] as string, 'scene.json');
    sb.shots[0] = {
      ...(sb.shots[0] as (typeof sb.shots)[number]),
      elements: ['mara'],
      motionReference: 'https://example.com/ref.mp4',
      characterOrientation: 'video',
    };
    sb.elements = [{ id: 'mara', klingId: '321922438904313' }];
    for (const [name, text] of [
      ['round.json', toJson(sb)],
      ['round.csv', toCsv(sb)],
    ] as const) {
      writeFileSync(join(dir, 'files', name), text);
      const back = readDraft(text, name);
      expect(
        back.shots.map((s) => [s.id, s.scene, s.duration, s.elements, s.motionReference, s.characterOrientation]),
      ).toEqual(
        sb.shots.map((s) => [s.id, s.scene, s.duration, s.elements, s.motionReference, s.characterOrientation]),
      );
      if (name.endsWith('.json')) expect(appProblems(name)).toEqual(await coreProblems(name));
      else {
        // CSV has no top-level elements, so the core's message for the shot's "mara" says to use the
        // library or a JSON file; the editor queues JSON (the Batch page), so its message says to
        // declare it. Same shot, field and value.
        const where = (keys: Key[]): string[] =>
          keys.map((k) => JSON.stringify((JSON.parse(k) as unknown[]).slice(0, 3)));
        expect(where(appProblems(name))).toEqual(where(await coreProblems(name)));
        expect(await coreProblems(name)).toEqual([
          expect.stringContaining('a CSV storyboard has no top-level elements'),
        ]);
      }
    }
  });
});
