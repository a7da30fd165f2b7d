import { describe, expect, it } from 'vitest';

import { checkVideoRequest } from '../../../shared/kling/request';
import type { ResolvedScene, ResolvedShot } from '../../../shared/storyboard/schema';
import { sceneRequest } from '../../../shared/storyboard/scene-request';

function shot(id: string, index: number, extra: Partial<ResolvedShot> = {}): ResolvedShot {
  return {
    id,
    index,
    row: null,
    kind: 'text2video',
    prompt: `words of ${id}`,
    model: 'kling-3.0',
    resolution: '1080p',
    audio: 'native',
    duration: 3,
    aspectRatio: '16:9',
    takes: 1,
    unitsPerTake: 3.6,
    scene: 'hall',
    ...extra,
  };
}
const scene: ResolvedScene = {
  id: 'hall',
  shotIds: ['a', 'b', 'c'],
  durations: [4, 3, 2],
  duration: 9,
  takes: 1,
  unitsPerTake: 10.8,
};

describe('sceneRequest', () => {
  const shots = [
    shot('x', 0, { scene: undefined }),
    shot('a', 1, { duration: 4, startImage: '/f/start.png', elements: ['mara'] }),
    shot('b', 2, { elements: ['mara', 'cup'] }),
    shot('c', 3, { duration: 2, endImage: '/f/end.png' }),
  ];

  it('makes one request: shots in order, duration the sum, first start frame, last end frame, the union of elements', () => {
    const req = sceneRequest(scene, shots, 'ext-9', {
      elements: { mara: '321922438904313', cup: '77' },
      prompts: { b: 'masked b' },
    });
    expect(req).toEqual({
      kind: 'image2video',
      model: 'kling-3.0',
      resolution: '1080p',
      duration: 9,
      audio: 'native',
      externalTaskId: 'ext-9',
      shots: [
        { prompt: 'words of a', duration: 4 },
        { prompt: 'masked b', duration: 3 },
        { prompt: 'words of c', duration: 2 },
      ],
      startImage: '/f/start.png',
      endImage: '/f/end.png',
      elements: [
        { elementId: '321922438904313', alias: 'mara' },
        { elementId: '77', alias: 'cup' },
      ],
    });
    expect(checkVideoRequest(req)).toEqual([]);
  });

  it('a text-only scene is text to video with the aspect ratio; "@previous" takes the override', () => {
    const plain = [shot('a', 0, { duration: 4 }), shot('b', 1), shot('c', 2, { duration: 2 })];
    expect(sceneRequest(scene, plain, 'e')).toMatchObject({ kind: 'text2video', aspectRatio: '16:9', duration: 9 });
    const chained = [
      shot('a', 0, { duration: 4, startImage: '@previous' }),
      shot('b', 1),
      shot('c', 2, { duration: 2 }),
    ];
    expect(sceneRequest(scene, chained, 'e', { startImage: '/d/frames/last.png' })).toMatchObject({
      kind: 'image2video',
      startImage: '/d/frames/last.png',
    });
  });

  it('refuses an element without a Kling id and a missing shot, naming the scene', () => {
    expect(() => sceneRequest(scene, shots, 'e', { elements: { mara: '1' } })).toThrow(
      /element "cup" has no Kling id yet; create it first/,
    );
    expect(() => sceneRequest(scene, shots.slice(0, 2), 'e')).toThrow(/shot "b" of scene hall was not given/);
  });
});
