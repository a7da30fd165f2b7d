/**
 * Motion control's reference video, the rules Kling applies (kling-api.md §5.6): mp4/mov, at most
 * 100 MB, each side 340-3850 px (no 4K), at least 3 s, at most 10 s with character orientation
 * `image` or 30 s with `video`. Pure: the engine probes the URL (electron/core/media/remote-probe.ts)
 * and asks this module whether Kling would take it, before anything is sent or paid
 * (electron/core/engine/engine.ts `buildRequest`). The sandbox applies the same limits
 * (electron/core/sandbox/motion.ts).
 */
import { z } from 'zod';

/** What a probe of the reference found; `sizeBytes` null when the server did not say (no Content-Length). */
export const ReferenceFacts = z.strictObject({
  formatName: z.string(),
  hasVideo: z.boolean(),
  width: z.number().int().nonnegative(),
  height: z.number().int().nonnegative(),
  durationS: z.number().nonnegative(),
  sizeBytes: z.number().int().nonnegative().nullable(),
});
export type ReferenceFacts = z.infer<typeof ReferenceFacts>;

export const MOTION_REFERENCE_LIMITS = {
  maxBytes: 100 * 1024 * 1024,
  minSidePx: 340,
  maxSidePx: 3850,
  minSeconds: 3,
  maxSeconds: { image: 10, video: 30 },
} as const;

export interface ReferenceProblem {
  /** The measured value, as the message shows it ("2 s", "3840x2160", "mkv"). */
  measured: string;
  message: string;
  fix: string;
}

const L = MOTION_REFERENCE_LIMITS;

function secs(s: number): string {
  return `${Math.round(s * 100) / 100} s`;
}

/** The first rule of §5.6 the reference breaks (message and fix), or null when Kling would take it. */
export function checkMotionReference(f: ReferenceFacts, orientation: 'image' | 'video'): ReferenceProblem | null {
  if (!f.hasVideo || !/(^|,)(mov|mp4)(,|$)/.test(f.formatName)) {
    const measured = f.hasVideo ? f.formatName : `${f.formatName}, no video stream`;
    return {
      measured,
      message: `the reference video is ${measured}; Kling takes mp4 or mov`,
      fix: 'export the reference as an MP4 (H.264) and give its https URL',
    };
  }
  if (f.sizeBytes !== null && f.sizeBytes > L.maxBytes) {
    const measured = `${Math.round((f.sizeBytes / 1024 / 1024) * 10) / 10} MB`;
    return {
      measured,
      message: `the reference video is ${measured}; Kling takes at most 100 MB`,
      fix: 'shorten it or re-encode it at a lower bitrate (under 100 MB)',
    };
  }
  const lo = Math.min(f.width, f.height);
  const hi = Math.max(f.width, f.height);
  if (lo < L.minSidePx || hi > L.maxSidePx) {
    const measured = `${f.width}x${f.height}`;
    return {
      measured,
      message: `the reference video is ${measured}; each side must be ${L.minSidePx}-${L.maxSidePx} px${hi > L.maxSidePx ? ' (no 4K)' : ''}`,
      fix:
        hi > L.maxSidePx
          ? 'scale it down (1080p is enough: the output is 720p or 1080p)'
          : `scale it up so that each side is at least ${L.minSidePx} px`,
    };
  }
  if (f.durationS < L.minSeconds) {
    const measured = secs(f.durationS);
    return {
      measured,
      message: `the reference video lasts ${measured}; Kling needs at least ${L.minSeconds} s of motion`,
      fix: `give a reference of at least ${L.minSeconds} s`,
    };
  }
  const most = L.maxSeconds[orientation];
  if (f.durationS > most) {
    const measured = secs(f.durationS);
    return {
      measured,
      message: `the reference video lasts ${measured}; with characterOrientation ${orientation} it may last at most ${most} s`,
      fix:
        orientation === 'image'
          ? `trim it to ${most} s or less, or set characterOrientation to video (up to ${L.maxSeconds.video} s)`
          : `trim it to ${most} s or less`,
    };
  }
  return null;
}
