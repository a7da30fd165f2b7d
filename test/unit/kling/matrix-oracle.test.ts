/**
 * The capability table checked cell by cell against an independent hand transcription of
 * kling-api.md §3 and §5.3-§5.5 (written here from the document, not derived from
 * shared/kling): for every live model x kind x resolution x duration x audio x end frame, the
 * check accepts exactly what the document allows.
 */
import { describe, expect, it } from 'vitest';

import { checkVideoRequest, LIVE_MODELS, type KlingModel, type VideoRequest } from '../../../shared/kling';

const R315 = [3, 4, 5, 6, 7, 8, 9, 10, 11, 12, 13, 14, 15];
interface Row {
  durations: number[];
  resolutions: string[];
  /** audio values accepted; 'always' = no choice (off refused), 'never' = silent (native refused). */
  audio: string[] | 'always' | 'never';
  /** resolutions at which native audio is allowed (null = all). */
  audioAt: string[] | null;
  /** resolutions at which a start + end frame is allowed ([] = never). */
  endAt: string[];
  endSilentOnly: boolean;
}
// §3 capability matrix + §5.3/§5.4/§5.5 endpoint tables, by hand.
const ORACLE: Record<KlingModel, Row> = {
  'kling-3.0-turbo': {
    durations: R315,
    resolutions: ['720p', '1080p'],
    audio: 'always',
    audioAt: null,
    endAt: [],
    endSilentOnly: false,
  },
  'kling-3.0': {
    durations: R315,
    resolutions: ['720p', '1080p', '4k'],
    audio: ['native', 'off'],
    audioAt: null,
    endAt: ['720p', '1080p', '4k'],
    endSilentOnly: false,
  },
  'kling-3.0-omni': {
    durations: R315,
    resolutions: ['720p', '1080p', '4k'],
    audio: ['native', 'off'],
    audioAt: null,
    endAt: ['720p', '1080p', '4k'],
    endSilentOnly: false,
  },
  'kling-o1': {
    durations: [5, 10],
    resolutions: ['720p', '1080p'],
    audio: ['off'],
    audioAt: null,
    endAt: ['720p', '1080p'],
    endSilentOnly: false,
  },
  'kling-2.6': {
    durations: [5, 10],
    resolutions: ['720p', '1080p'],
    audio: ['native', 'off'],
    audioAt: ['1080p'],
    endAt: ['1080p'],
    endSilentOnly: true,
  },
  'kling-2.5-turbo': {
    durations: [5, 10],
    resolutions: ['720p', '1080p'],
    audio: 'never',
    audioAt: null,
    endAt: ['1080p'],
    endSilentOnly: false,
  },
};

function allowed(m: KlingModel, r: VideoRequest): boolean {
  const o = ORACLE[m];
  if (!o.durations.includes(r.duration) || !o.resolutions.includes(r.resolution)) return false;
  if (r.audio !== undefined) {
    if (o.audio === 'always' && r.audio === 'off') return false;
    if (o.audio === 'never' && r.audio === 'native') return false;
    if (Array.isArray(o.audio) && !o.audio.includes(r.audio)) return false;
    if (r.audio === 'native' && o.audioAt && !o.audioAt.includes(r.resolution)) return false;
  }
  if (r.endImage !== undefined) {
    if (!o.endAt.includes(r.resolution)) return false;
    if (o.endSilentOnly && r.audio === 'native') return false;
  }
  return true;
}

describe('capability table against kling-api.md §3 by hand', () => {
  it('agrees on every cell', () => {
    let cells = 0;
    const wrong: string[] = [];
    for (const model of LIVE_MODELS) {
      for (const resolution of ['720p', '1080p', '4k'] as const) {
        for (const duration of [2, 3, 4, 5, 7, 10, 12, 15, 16]) {
          for (const audio of [undefined, 'native', 'off'] as const) {
            for (const end of [false, true]) {
              const req: VideoRequest = {
                kind: end ? 'image2video' : 'text2video',
                model,
                resolution,
                duration,
                ...(audio ? { audio } : {}),
                prompt: 'a kite',
                externalTaskId: 'x',
                ...(end ? { startImage: 'https://e.com/a.png', endImage: 'https://e.com/b.png' } : {}),
              };
              const ok = checkVideoRequest(req).length === 0;
              if (ok !== allowed(model, req))
                wrong.push(`${model} ${resolution} ${duration}s audio=${audio} end=${end}: table says ${ok}`);
              cells++;
            }
          }
        }
      }
    }
    expect(wrong).toEqual([]);
    expect(cells).toBe(6 * 3 * 9 * 3 * 2);
  });
});
