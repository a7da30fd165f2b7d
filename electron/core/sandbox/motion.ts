/**
 * Motion control's reference video as the sandbox checks it (kling-api.md §5.6, §20): fetched
 * (only from this machine: the sandbox never goes out to the internet) and probed with ffprobe;
 * mp4/mov, at most 100 MB, each side 340-3850 px, at least 3 s, at most 10 s with orientation
 * `image` or 30 s with `video`. The output lasts as long as the reference (Kling: "may be
 * shorter"; the sandbox keeps it whole) and, with audio `original`, carries the reference's
 * own sound (clips.ts `audioFrom`).
 */
import { execFile } from 'node:child_process';

import { MOTION_REFERENCE_LIMITS as L } from '../../../shared/kling/motion-reference';
import { isLoopbackUrl } from '../../../shared/kling/request';
import { childEnv } from '../child-env';
import { findTool } from '../media/locate';

export interface ReferenceVideo {
  durationSec: number;
  width: number;
  height: number;
  hasAudio: boolean;
}

interface Probe {
  format?: { format_name?: string; duration?: string; size?: string };
  streams?: Array<{ codec_type?: string; width?: number; height?: number }>;
}

/** The reference's length, size and sound, or the 1201 message naming what Kling would refuse. */
export async function probeReference(
  url: string,
  orientation: 'image' | 'video',
  field: string,
): Promise<{ ok: true; ref: ReferenceVideo } | { ok: false; message: string }> {
  if (!isLoopbackUrl(url)) {
    return {
      ok: false,
      message: `${field}: the sandbox fetches reference videos only from this machine (http://127.0.0.1/...); it cannot reach ${new URL(url).host}. Serve the video locally for tests`,
    };
  }
  const ffprobe = findTool('ffprobe').path;
  if (!ffprobe)
    return {
      ok: false,
      message: `${field}: the sandbox needs ffprobe to read reference videos: install it or set SHOTLINE_FFPROBE`,
    };
  const out = await new Promise<{ json: Probe | null; err: string }>((resolve) => {
    execFile(
      ffprobe,
      [
        '-v',
        'error',
        '-show_entries',
        'format=format_name,duration,size:stream=codec_type,width,height',
        '-of',
        'json',
        url,
      ],
      { timeout: 30_000, env: childEnv() },
      (err, stdout, stderr) => {
        if (err) return resolve({ json: null, err: (stderr || err.message).trim().split('\n')[0] ?? '' });
        try {
          resolve({ json: JSON.parse(stdout) as Probe, err: '' });
        } catch {
          resolve({ json: null, err: 'ffprobe gave no JSON' });
        }
      },
    );
  });
  if (!out.json)
    return { ok: false, message: `${field}: the reference video could not be read (${out.err}); give an mp4 or mov` };
  const fmt = out.json.format ?? {};
  const video = out.json.streams?.find((s) => s.codec_type === 'video');
  if (!video || !/mov|mp4/.test(fmt.format_name ?? ''))
    return { ok: false, message: `${field}: the reference must be an mp4 or mov video` };
  const durationSec = Math.round(Number(fmt.duration ?? '0') * 1000) / 1000;
  const width = video.width ?? 0;
  const height = video.height ?? 0;
  // The limits are the client's (shared/kling/motion-reference.ts); the words are Kling's wire names.
  const most = L.maxSeconds[orientation];
  if (Number(fmt.size ?? '0') > L.maxBytes)
    return { ok: false, message: `${field}: the reference video is over ${L.maxBytes / 1024 / 1024} MB` };
  if (Math.min(width, height) < L.minSidePx || Math.max(width, height) > L.maxSidePx)
    return {
      ok: false,
      message: `${field}: the reference video is ${width}x${height}; each side must be ${L.minSidePx}-${L.maxSidePx} px`,
    };
  if (durationSec < L.minSeconds)
    return {
      ok: false,
      message: `${field}: the reference video lasts ${durationSec} s; it needs at least ${L.minSeconds} s of motion`,
    };
  if (durationSec > most) {
    return {
      ok: false,
      message: `${field}: the reference video lasts ${durationSec} s; with character_orientation ${orientation} it may last at most ${most} s${orientation === 'image' ? ` (video allows ${L.maxSeconds.video} s)` : ''}`,
    };
  }
  return {
    ok: true,
    ref: { durationSec, width, height, hasAudio: out.json.streams?.some((s) => s.codec_type === 'audio') ?? false },
  };
}
