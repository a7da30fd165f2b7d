/**
 * The Storyboard page's draft (renderer/src/state): a scene's shared settings follow one shot's
 * change, a shot joining a scene takes them, a scene take is one charge in the estimate, scenes
 * are consecutive shots, and the CSV list cell (`elements`, `;`-separated) round-trips.
 */
import { describe, expect, it } from 'vitest';

import { unitsPerClip } from '../../../shared/kling';
import {
  draftFromSave,
  draftUnits,
  initHistory,
  newShot,
  readDraft,
  reducer,
  toCsv,
  type Shot,
  type Storyboard,
} from '../../../renderer/src/state/storyboard';
import { sceneGroups } from '../../../renderer/src/state/storyboard-check';

function shot(id: string, extra: Partial<Shot> = {}): Shot {
  return { ...newShot([]), id, prompt: id, model: 'kling-3.0', resolution: '720p', duration: 5, ...extra };
}

const board = (shots: Shot[]): Storyboard => ({ name: 'b', shots });

describe('the draft of the Storyboard page', () => {
  it('a scene-wide setting changed on one shot of a scene is set on all its shots, and on no other', () => {
    let h = initHistory(
      board([shot('a', { scene: 'k' }), shot('b', { scene: 'k' }), shot('c', { scene: 'k' }), shot('d')]),
    );
    h = reducer(h, { type: 'update', index: 1, patch: { resolution: '1080p', takes: 3 } });
    expect(h.present.shots.map((s) => [s.resolution, s.takes])).toEqual([
      ['1080p', 3],
      ['1080p', 3],
      ['1080p', 3],
      ['720p', 1],
    ]);
    h = reducer(h, { type: 'update', index: 0, patch: { prompt: 'only here' } });
    expect(h.present.shots.map((s) => s.prompt)).toEqual(['only here', 'b', 'c', 'd']);
  });

  it('a shot that joins a scene takes its model, resolution, audio, aspect ratio and takes', () => {
    let h = initHistory(
      board([
        shot('a', { scene: 'k', resolution: '1080p', audio: 'native', takes: 2 }),
        shot('b', { model: 'kling-2.5-turbo', aspectRatio: '9:16' }),
      ]),
    );
    h = reducer(h, { type: 'update', index: 1, patch: { scene: 'k' } });
    expect(h.present.shots[1]).toMatchObject({
      scene: 'k',
      model: 'kling-3.0',
      resolution: '1080p',
      audio: 'native',
      aspectRatio: '16:9',
      takes: 2,
      prompt: 'b',
    });
  });

  it('a new shot inserted inside a scene joins it; after its last shot it does not', () => {
    let h = initHistory(board([shot('a', { scene: 'k' }), shot('b', { scene: 'k' })]));
    h = reducer(h, { type: 'add', after: 0 });
    expect(h.present.shots.map((s) => s.scene)).toEqual(['k', 'k', 'k']);
    h = reducer(h, { type: 'add', after: 2 });
    expect(h.present.shots[3]?.scene).toBeUndefined();
  });

  it('a library element picked for a shot is added once to the top-level elements', () => {
    let h = initHistory(board([shot('a'), shot('b')]));
    const mara = { id: 'mara', name: 'Mara', klingId: '321922438904313' };
    h = reducer(h, { type: 'update', index: 0, patch: { elements: ['mara'] }, elements: [mara] });
    h = reducer(h, { type: 'update', index: 1, patch: { elements: ['mara'] }, elements: [mara] });
    expect(h.present.elements).toEqual([mara]);
    expect(h.present.shots.map((s) => s.elements)).toEqual([['mara'], ['mara']]);
  });

  it('the estimate counts a scene take once, on the summed duration', () => {
    const sb = board([
      shot('a', { scene: 'k', duration: 4, takes: 2 }),
      shot('b', { scene: 'k', duration: 2, takes: 2 }),
      shot('c', { scene: 'k', duration: 9, takes: 2 }),
      shot('d', { model: 'kling-2.5-turbo' }),
    ]);
    const scene = unitsPerClip({ model: 'kling-3.0', resolution: '720p', duration: 15, audio: undefined }) * 2;
    const alone = unitsPerClip({ model: 'kling-2.5-turbo', resolution: '720p', duration: 5, audio: undefined });
    expect(draftUnits(sb)).toBeCloseTo(scene + alone, 3);
  });

  it('scenes are runs of consecutive shots: the same name after another shot is another run', () => {
    const groups = sceneGroups([
      shot('a', { scene: 'k' }),
      shot('b', { scene: 'k' }),
      shot('c'),
      shot('d', { scene: 'k' }),
      shot('e', { scene: 'x' }),
    ]);
    expect(groups).toEqual([
      { scene: 'k', indices: [0, 1] },
      { scene: 'k', indices: [3] },
      { scene: 'x', indices: [4] },
    ]);
  });

  it('CSV: elements are one ";"-separated cell and come back as a list; scene and motion fields round-trip', () => {
    const sb = board([
      shot('a', { scene: 'k', elements: ['mara', 'kite'] }),
      shot('b', { motionReference: 'https://example.com/m.mp4', characterOrientation: 'image' }),
    ]);
    const csv = toCsv(sb);
    expect(csv.split('\n')[1]).toContain('mara;kite');
    const back = readDraft(csv, 'b.csv');
    expect(back.shots.map((s) => [s.scene, s.elements, s.motionReference, s.characterOrientation])).toEqual([
      ['k', ['mara', 'kite'], undefined, undefined],
      [undefined, undefined, 'https://example.com/m.mp4', 'image'],
    ]);
  });

  it('a saved draft comes back as saved (a value a model refuses too); one saved for retired models is upgraded', () => {
    const mine = JSON.stringify(
      board([shot('a', { model: 'kling-2.6', duration: 7 }), shot('b', { scene: 'k', duration: 2 })]),
    );
    expect(draftFromSave(mine).shots.map((s) => [s.model, s.duration])).toEqual([
      ['kling-2.6', 7],
      ['kling-3.0', 2],
    ]);
    const old = JSON.stringify({
      name: 'old',
      shots: [{ id: 'x', prompt: 'a harbour', model: 'kling-v1', mode: 'pro', duration: 5 }],
    });
    expect(draftFromSave(old).shots[0]).toMatchObject({ model: 'kling-2.5-turbo', resolution: '1080p' });
  });
});
