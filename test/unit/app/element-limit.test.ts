/**
 * The elements picker's limit per model and frames (renderer/src/lib/element-limit.ts, from
 * kling-api.md §3, §5.4, §5.5 and shared/kling/capabilities.ts `elementsMax`).
 */
import { describe, expect, it } from 'vitest';

import { LIVE_MODELS } from '../../../shared/kling';
import { elementLimit, sceneElements } from '../../../renderer/src/lib/element-limit';

const frame = 'images/a.png';

describe('elementLimit', () => {
  it('kling-3.0 needs a start frame (elements ride with image to video), then takes 3; 1 with a motion reference', () => {
    const none = elementLimit({ model: 'kling-3.0' });
    expect(none.max).toBe(0);
    expect(none.why).toMatch(/add a start frame, or use kling-3.0-omni/);
    expect(elementLimit({ model: 'kling-3.0', startImage: frame })).toMatchObject({
      max: 3,
      why: null,
      label: 'Kling 3.0 with a start frame',
    });
    expect(elementLimit({ model: 'kling-3.0', startImage: frame, endImage: frame }).max).toBe(3);
    expect(elementLimit({ model: 'kling-3.0', motionReference: 'https://x/v.mp4' }).max).toBe(1);
  });

  it('kling-3.0-omni takes 7, and 3 with a start frame', () => {
    expect(elementLimit({ model: 'kling-3.0-omni' })).toMatchObject({ max: 7, why: null });
    expect(elementLimit({ model: 'kling-3.0-omni', startImage: frame })).toMatchObject({ max: 3, why: null });
  });

  it('kling-o1 takes none with a start and an end frame', () => {
    expect(elementLimit({ model: 'kling-o1' }).max).toBe(7);
    expect(elementLimit({ model: 'kling-o1', startImage: frame, endImage: frame }).why).toMatch(/remove the end frame/);
  });

  it('models without elements are disabled with the reason naming the models that take them', () => {
    for (const model of ['kling-3.0-turbo', 'kling-2.6', 'kling-2.5-turbo']) {
      const l = elementLimit({ model, startImage: frame });
      expect(l.max).toBe(0);
      expect(l.why).toMatch(/takes no elements: use kling-3.0 \(with a start frame\) or kling-3.0-omni/);
    }
    expect(elementLimit({ model: 'kling-v1' }).why).toMatch(/kling-v1 takes no elements/);
  });

  it('every live model has an answer and legacy aliases read as their live model', () => {
    for (const model of LIVE_MODELS) expect(elementLimit({ model, startImage: frame }).max).toBeGreaterThanOrEqual(0);
    expect(elementLimit({ model: 'kling-v3-omni' }).max).toBe(7);
  });
});

describe('sceneElements', () => {
  const shots = [
    { id: 'a', model: 'kling-3.0', scene: 'dock', startImage: frame, elements: ['mara'] },
    { id: 'b', model: 'kling-3.0', scene: 'dock', elements: ['mara', 'boat'] },
    { id: 'c', model: 'kling-3.0', scene: 'dock' },
    { id: 'd', model: 'kling-3.0' },
    { id: 'e', model: 'kling-3.0', scene: 'pier' },
    { id: 'f', model: 'kling-3.0', scene: 'pier' },
  ];

  it("a shot of a scene gets the scene's limit (first shot's start frame) and the other shots' elements, counted once", () => {
    const c = sceneElements(shots, 2);
    expect(c).toMatchObject({ name: 'dock', firstShot: 'a', others: ['mara', 'boat'] });
    expect(c?.limit).toMatchObject({ max: 3, why: null, label: 'scene dock together, Kling 3.0 with a start frame' });
    expect(sceneElements(shots, 1)?.others).toEqual(['mara']);
  });

  it('a kling-3.0 scene without a start frame on its first shot says where to add it', () => {
    const c = sceneElements(shots, 5);
    expect(c?.limit.max).toBe(0);
    expect(c?.limit.why).toMatch(/scene pier needs a start frame on its first shot \(e\)/);
  });

  it('a shot alone, or a scene of one shot, has no scene rules', () => {
    expect(sceneElements(shots, 3)).toBeNull();
    expect(sceneElements([{ id: 'x', model: 'kling-3.0', scene: 'solo' }], 0)).toBeNull();
  });
});
