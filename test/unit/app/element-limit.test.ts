/**
 * The elements picker's limit per model and frames (renderer/src/lib/element-limit.ts, from
 * kling-api.md §3, §5.4, §5.5 and shared/kling/capabilities.ts `elementsMax`).
 */
import { describe, expect, it } from 'vitest';

import { LIVE_MODELS } from '../../../shared/kling';
import { elementLimit } from '../../../renderer/src/lib/element-limit';

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
