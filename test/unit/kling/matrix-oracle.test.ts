/**
 * The capability table checked cell by cell against an independent transcription of
 * kling-api.md §3.6 (written by hand here, not derived from shared/kling).
 */
import { describe, expect, it } from 'vitest';

import { allCombos, MODELS, supports, type Feature, type KlingModel } from '../../../shared/kling';

const ALL = 'std5 std10 pro5 pro10';
const V3 = Array.from({ length: 13 }, (_, i) => `std${i + 3} pro${i + 3}`).join(' ');
const table = (rows: Partial<Record<KlingModel, string>>): Record<KlingModel, string> =>
  Object.fromEntries(MODELS.map((m) => [m, rows[m] ?? ''])) as Record<KlingModel, string>;

const ORACLE: Partial<Record<Feature, Record<KlingModel, string>>> = {
  text2video: table({
    'kling-v1': ALL,
    'kling-v1-6': ALL,
    'kling-v2-master': ALL,
    'kling-v2-1-master': ALL,
    'kling-v2-5-turbo': ALL,
    'kling-v2-6': ALL,
    'kling-v3': V3,
  }),
  image2video: table({
    'kling-v1': ALL,
    'kling-v1-5': ALL,
    'kling-v1-6': ALL,
    'kling-v2-master': ALL,
    'kling-v2-1': ALL,
    'kling-v2-1-master': ALL,
    'kling-v2-5-turbo': ALL,
    'kling-v2-6': ALL,
    'kling-v3': V3,
  }),
  endFrame: table({
    'kling-v1': 'std5 pro5',
    'kling-v1-5': 'pro5 pro10',
    'kling-v1-6': 'pro5 pro10',
    'kling-v2-1': 'pro5 pro10',
    'kling-v2-5-turbo': 'pro5 pro10',
    'kling-v2-6': 'pro5 pro10',
    'kling-v3': V3,
  }),
  endFrameOnly: table({ 'kling-v1-5': 'pro5 pro10', 'kling-v1-6': 'pro5 pro10' }),
  motionBrush: table({ 'kling-v1': 'std5 pro5', 'kling-v1-5': 'pro5' }),
  cameraControlText2Video: table({ 'kling-v1': 'std5' }),
  cameraControlImage2Video: table({ 'kling-v1-5': 'pro5' }),
  extend: table({ 'kling-v1': ALL, 'kling-v1-5': ALL, 'kling-v1-6': ALL }),
};

describe('capability table vs kling-api.md §3.6', () => {
  for (const [feature, rows] of Object.entries(ORACLE) as Array<[Feature, Record<KlingModel, string>]>) {
    it(feature, () => {
      for (const { model, mode, duration } of allCombos()) {
        const expected = rows[model].split(' ').includes(`${mode}${duration}`);
        expect(supports(model, mode, duration, feature), `${feature} ${model} ${mode} ${duration}`).toBe(expected);
      }
    });
  }
});
