import { describe, expect, it } from 'vitest';

import {
  allCombos,
  CAPABILITIES,
  checkImage,
  describeKlingCode,
  describeSupport,
  formatCost,
  imageInfo,
  isRawBase64,
  KLING_CODES,
  klingCodeInfo,
  MODELS,
  modelsSupporting,
  outputFormat,
  PRICES,
  PROVIDERS,
  supports,
  unitsPerClip,
  unitsToCurrency,
} from '../../../shared/kling';
import { jpegHeader, png } from './png';

describe('capability matrix (kling-api.md §3.6)', () => {
  it('knows which models do text2video and image2video', () => {
    expect(supports('kling-v1-5', 'pro', 5, 'text2video')).toBe(false);
    expect(supports('kling-v2-1', 'std', 5, 'text2video')).toBe(false);
    expect(supports('kling-v1-5', 'pro', 5, 'image2video')).toBe(true);
    expect(MODELS.filter((m) => CAPABILITIES[m].kinds.text2video.length === 0)).toEqual(['kling-v1-5', 'kling-v2-1']);
  });

  it('durations: 5/10 before v3, 3-15 on v3', () => {
    expect(supports('kling-v1', 'std', 7, 'text2video')).toBe(false);
    expect(supports('kling-v3', 'std', 7, 'text2video')).toBe(true);
    expect(supports('kling-v3', 'pro', 16, 'text2video')).toBe(false);
  });

  it('camera control: T2V only kling-v1 std 5 s, I2V only kling-v1-5 pro 5 s (simple)', () => {
    const t2v = allCombos().filter((c) => supports(c.model, c.mode, c.duration, 'cameraControlText2Video'));
    expect(t2v).toEqual([{ model: 'kling-v1', mode: 'std', duration: 5 }]);
    const i2v = allCombos().filter((c) => supports(c.model, c.mode, c.duration, 'cameraControlImage2Video'));
    expect(i2v).toEqual([{ model: 'kling-v1-5', mode: 'pro', duration: 5 }]);
    expect(CAPABILITIES['kling-v1-5'].cameraTypesImage2Video).toEqual(['simple']);
  });

  it('motion brush: kling-v1 std/pro 5 s and kling-v1-5 pro 5 s', () => {
    const mb = allCombos().filter((c) => supports(c.model, c.mode, c.duration, 'motionBrush'));
    expect(mb).toEqual([
      { model: 'kling-v1', mode: 'std', duration: 5 },
      { model: 'kling-v1', mode: 'pro', duration: 5 },
      { model: 'kling-v1-5', mode: 'pro', duration: 5 },
    ]);
  });

  it('start+end frame and end-frame-only combos', () => {
    expect(describeSupport('kling-v1', 'endFrame')).toBe('std 5 s; pro 5 s');
    expect(describeSupport('kling-v2-5-turbo', 'endFrame')).toBe('pro 5 s, 10 s');
    expect(supports('kling-v2-master', 'pro', 5, 'endFrame')).toBe(false);
    expect(modelsSupporting('endFrameOnly')).toEqual(['kling-v1-5', 'kling-v1-6']);
    expect(modelsSupporting('extend')).toEqual(['kling-v1', 'kling-v1-5', 'kling-v1-6']);
    expect(modelsSupporting('cfgScale')).toEqual(['kling-v1', 'kling-v1-5', 'kling-v1-6']);
  });

  it('output resolution and fps per model and mode', () => {
    expect(outputFormat('kling-v1', 'pro', 'text2video')).toEqual({ width: 1280, height: 720, fps: 30 });
    expect(outputFormat('kling-v1-6', 'pro', 'text2video', '9:16')).toEqual({ width: 1080, height: 1920, fps: 24 });
    expect(outputFormat('kling-v1-6', 'pro', 'image2video', '1:1')).toEqual({ width: 1080, height: 1080, fps: 30 });
    expect(outputFormat('kling-v2-1-master', 'std', 'text2video')).toEqual({ width: 1920, height: 1080, fps: 24 });
  });
});

describe('prices (kling-api.md §6)', () => {
  it('legacy per-clip units', () => {
    expect(unitsPerClip({ model: 'kling-v1', mode: 'std', duration: 5 })).toBe(1);
    expect(unitsPerClip({ model: 'kling-v1', mode: 'std', duration: 10 })).toBe(2);
    expect(unitsPerClip({ model: 'kling-v2-5-turbo', mode: 'pro', duration: 5 })).toBe(2.5);
    expect(unitsPerClip({ model: 'kling-v2-master', mode: 'pro', duration: 10 })).toBe(20);
    expect(unitsPerClip({ model: 'kling-v3', mode: 'std', duration: 3 })).toBe(1.8);
    expect(unitsPerClip({ model: 'kling-v3', mode: 'pro', duration: 15 })).toBe(12);
    expect(unitsPerClip({ kind: 'video-extend', model: 'kling-v1-6', mode: 'std', duration: 5 })).toBe(2);
    expect(PRICES['kling-v1'].uncertain).toMatch(/unconfirmed/);
  });

  it('currency view', () => {
    expect(unitsToCurrency(2.5)).toBe(0.35);
    expect(formatCost(10, { currency: 'EUR', perUnit: 0.13 })).toBe('10 u (~EUR 1.30)');
  });
});

describe('error table (kling-api.md §5.1)', () => {
  const table: Array<[number, number, boolean]> = [
    [1000, 401, false], [1001, 401, false], [1002, 401, false], [1003, 401, true], [1004, 401, true],
    [1100, 429, false], [1101, 429, false], [1102, 429, false], [1103, 403, false],
    [1200, 400, false], [1201, 400, false], [1202, 404, false], [1203, 404, false],
    [1300, 400, false], [1301, 400, false], [1302, 429, true], [1303, 429, true], [1304, 429, false],
    [5000, 500, true], [5001, 503, true], [5002, 504, true],
  ];
  it.each(table)('code %i -> HTTP %i, retryable %s', (code, http, retryable) => {
    const info = KLING_CODES[code];
    expect(info?.httpStatus).toBe(http);
    expect(info?.retryable).toBe(retryable);
    expect(info?.needsUser).toBe(!retryable);
  });
  it('unknown codes are classified by block and messages say what to do', () => {
    expect(klingCodeInfo(5099).retryable).toBe(true);
    expect(klingCodeInfo(1150).category).toBe('account');
    expect(describeKlingCode(1102, 'Account balance not enough')).toMatch(/1102.*Account balance not enough.*buy or renew/);
    expect(Object.keys(KLING_CODES)).toHaveLength(21);
  });
});

describe('images (kling-api.md §3.8)', () => {
  it('reads PNG and JPEG sizes', () => {
    expect(imageInfo(png(320, 400))).toEqual({ format: 'png', width: 320, height: 400 });
    expect(imageInfo(jpegHeader(1280, 720))).toEqual({ format: 'jpeg', width: 1280, height: 720 });
    expect(imageInfo(Buffer.from('GIF89a'))).toBeNull();
  });
  it('checks size, minimum side and aspect ratio', () => {
    expect(checkImage('startImage', 1000, { format: 'png', width: 300, height: 300 })).toEqual([]);
    expect(checkImage('startImage', 1000, { format: 'png', width: 299, height: 300 })[0]).toMatch(/startImage: 299x300 px is too small/);
    expect(checkImage('startImage', 1000, { format: 'png', width: 2000, height: 700 })[0]).toMatch(/aspect ratio/);
    expect(checkImage('endImage', 1000, { format: 'png', width: 2000, height: 700 }, { checkAspect: false })).toEqual([]);
    expect(checkImage('startImage', 11 * 1048576, { format: 'png', width: 500, height: 500 })[0]).toMatch(/10 MB/);
    expect(checkImage('x', 10, null)[0]).toMatch(/not a PNG or JPEG/);
  });
  it('raw base64 only', () => {
    expect(isRawBase64('aGVsbG8=')).toBe(true);
    expect(isRawBase64('data:image/png;base64,aGVsbG8=')).toBe(false);
  });
});

describe('providers', () => {
  it('are data with https hosts (sandbox gets its URL at start)', () => {
    expect(PROVIDERS.kling.regions.map((r) => r.baseUrl)).toEqual([
      'https://api-singapore.klingai.com',
      'https://api-beijing.klingai.com',
      'https://api.klingai.com',
    ]);
    expect(PROVIDERS.cometapi.pathPrefix).toBe('/kling');
    expect(PROVIDERS.sandbox.simulator).toBe(true);
  });
});
