/**
 * The live roster (shared/kling/capabilities.ts, prices.ts): ids, aliases, retired models with
 * their replacement, which standard reaches which model, output formats and per-second prices.
 */
import { describe, expect, it } from 'vitest';

import {
  CAPABILITIES,
  defaultAudio,
  discontinuedMessage,
  hasAudio,
  LIVE_MODELS,
  lookupModel,
  outputFormat,
  PROVIDERS,
  standardFor,
  standardsOf,
  unitsPerClip,
} from '../../../shared/kling';

describe('roster', () => {
  it('offers the six live models by their new-standard ids', () => {
    expect([...LIVE_MODELS]).toEqual([
      'kling-3.0',
      'kling-3.0-turbo',
      'kling-3.0-omni',
      'kling-o1',
      'kling-2.6',
      'kling-2.5-turbo',
    ]);
  });

  it('reads legacy model_name spellings as aliases', () => {
    expect(lookupModel('kling-v3')).toEqual({ ok: true, model: 'kling-3.0', alias: 'kling-v3' });
    expect(lookupModel('kling-v3-omni')).toMatchObject({ model: 'kling-3.0-omni' });
    expect(lookupModel('kling-video-o1')).toMatchObject({ model: 'kling-o1' });
    expect(lookupModel('kling-v2-6')).toMatchObject({ model: 'kling-2.6' });
    expect(lookupModel('kling-v2-5-turbo')).toMatchObject({ model: 'kling-2.5-turbo' });
  });

  it('refuses every retired model with a live replacement (kling-v2-master treated as retired)', () => {
    for (const m of ['kling-v1', 'kling-v1-5', 'kling-v1-6', 'kling-v2-1', 'kling-v2-1-master', 'kling-v2-master']) {
      const r = lookupModel(m);
      expect(r.ok).toBe(false);
      if (r.ok) continue;
      expect(LIVE_MODELS).toContain(r.retired?.replacement);
    }
    expect(lookupModel('kling-v9')).toEqual({ ok: false, retired: null });
    expect(discontinuedMessage('kling-v1')).toBe(
      "The model 'kling-v1' has been discontinued and is no longer available.",
    );
  });

  it('3.0 Turbo has no legacy endpoint; the others have both', () => {
    expect(standardsOf('kling-3.0-turbo')).toEqual(['new']);
    for (const m of LIVE_MODELS.filter((x) => x !== 'kling-3.0-turbo'))
      expect(standardsOf(m)).toEqual(['new', 'legacy']);
  });

  it('the credential decides the standard; CometAPI speaks legacy only', () => {
    expect(standardFor(PROVIDERS.kling, 'bearer')).toBe('new');
    expect(standardFor(PROVIDERS.kling, 'aksk')).toBe('legacy');
    expect(standardFor(PROVIDERS.sandbox, 'bearer')).toBe('new');
    expect(standardFor(PROVIDERS.cometapi, 'bearer')).toBe('legacy');
  });

  it('audio defaults to off where the model can be silent; 3.0 Turbo always, 2.5 Turbo never', () => {
    expect(defaultAudio('kling-3.0')).toBe('off');
    expect(defaultAudio('kling-3.0-turbo')).toBe('native');
    expect(hasAudio('kling-3.0-turbo', undefined)).toBe(true);
    expect(hasAudio('kling-2.5-turbo', 'native')).toBe(false);
    expect(hasAudio('kling-2.6', 'native')).toBe(true);
  });

  it('outputs 24 fps at 1280x720, 1920x1080 or 3840x2160, swapped for 9:16, square for 1:1', () => {
    expect(outputFormat('kling-3.0', '4k')).toEqual({ width: 3840, height: 2160, fps: 24 });
    expect(outputFormat('kling-2.6', '1080p', '9:16')).toEqual({ width: 1080, height: 1920, fps: 24 });
    expect(outputFormat('kling-2.5-turbo', '720p', '1:1')).toEqual({ width: 720, height: 720, fps: 24 });
    for (const m of LIVE_MODELS) expect(CAPABILITIES[m].fps).toBe(24);
  });
});

describe('prices (kling-api.md §12.1, units per second x requested seconds)', () => {
  it.each([
    ['kling-3.0-turbo', '720p', 3, undefined, 2.4],
    ['kling-3.0', '720p', 3, 'off', 1.8],
    ['kling-3.0', '1080p', 10, 'native', 12],
    ['kling-3.0', '4k', 5, 'native', 15],
    ['kling-3.0-omni', '1080p', 5, 'native', 5],
    ['kling-o1', '1080p', 10, undefined, 8],
    ['kling-2.6', '720p', 5, 'off', 1.5],
    ['kling-2.6', '1080p', 10, 'native', 10],
    ['kling-2.5-turbo', '1080p', 5, undefined, 2.5],
  ] as const)('%s %s %d s audio %s = %d u', (model, resolution, duration, audio, units) => {
    expect(unitsPerClip({ model, resolution, duration, audio })).toBe(units);
  });
});
