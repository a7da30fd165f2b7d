/**
 * The frame arithmetic of the scene split (split.ts), kept pure so it is tested without ffmpeg.
 * Shot k covers source frames [round(C(k-1) x fps), round(C(k) x fps)), C being the cumulative
 * declared durations; the last shot runs to the end of the file, so it takes the remainder
 * Kling adds (its files are ~0.041 s longer than the declared sum, kling-api.md §11). A shot is
 * stream-copied when its first frame is a keyframe and its end is a keyframe or the end of the
 * file; anything else is re-encoded (why not a partial re-encode: docs/readme/media.md, "Scene
 * split").
 */
import type { SplitMethod } from '../../../shared/media';
import { ShotlineError } from '../../../shared/result';

export interface SourceFrames {
  /** Video frames in presentation order (packets sorted by pts). */
  total: number;
  /** Frame indices (presentation order) that are keyframes. */
  keyframes: ReadonlySet<number>;
}

export interface ShotCut {
  index: number;
  declaredS: number;
  /** First source frame and one past the last. */
  start: number;
  end: number;
  method: SplitMethod;
}

/** Largest remainder the last shot may take beyond its declared length (Kling adds ~1 frame). */
export const MAX_REMAINDER_S = 0.5;

/** Frames per second of an ffprobe fraction ("24/1", "30000/1001"). */
export function fpsOf(fraction: string): { num: number; den: number } {
  const [n, d] = fraction.split('/').map(Number);
  const num = n ?? 0;
  const den = d ?? 1;
  if (!(num > 0 && den > 0))
    throw new ShotlineError({
      code: 'media_invalid',
      message: `frame rate "${fraction}" is not usable; re-download the scene clip`,
    });
  return { num, den };
}

/** Frame index of a time in seconds at num/den fps, rounded to the nearest frame. */
export function frameAt(seconds: number, fps: { num: number; den: number }): number {
  return Math.round((seconds * fps.num) / fps.den);
}

/** Checks the declared durations: 1 or more, each a finite number above 0. */
export function checkShots(file: string, shots: readonly number[]): void {
  const bad = (message: string): ShotlineError =>
    new ShotlineError({ code: 'bad_input', where: `${file}: shots`, message: `${file}: ${message}` });
  if (shots.length === 0) throw bad("no shot durations given; pass each shot's declared seconds, e.g. [4, 3, 2]");
  shots.forEach((d, i) => {
    if (!Number.isFinite(d) || d <= 0)
      throw bad(`shot ${i + 1} has duration ${String(d)}; every shot needs a declared length above 0 s`);
  });
}

/** Cuts the scene into shots; refuses a file whose length does not match the declared shots. */
export function planCuts(
  file: string,
  shots: readonly number[],
  fps: { num: number; den: number },
  src: SourceFrames,
): ShotCut[] {
  checkShots(file, shots);
  const starts: number[] = [];
  let sum = 0;
  for (const d of shots) {
    starts.push(frameAt(sum, fps));
    sum += d;
  }
  const declaredFrames = frameAt(sum, fps);
  const rate = fps.num / fps.den;
  const secs = (f: number): string => `${(f / rate).toFixed(3)} s`;
  if (src.total < declaredFrames - 1) {
    throw new ShotlineError({
      code: 'media_invalid',
      where: file,
      message: `${file}: ${src.total} frames (${secs(src.total)}), but the shots declare ${sum} s (${declaredFrames} frames); it is not this scene's whole clip, or it is truncated: download it again`,
    });
  }
  if (src.total > declaredFrames + Math.round(MAX_REMAINDER_S * rate)) {
    throw new ShotlineError({
      code: 'media_invalid',
      where: file,
      message: `${file}: ${src.total} frames (${secs(src.total)}), ${secs(src.total - declaredFrames)} more than the ${sum} s the shots declare (Kling adds about 0.04 s); check the shot durations against the scene that was generated`,
    });
  }
  return shots.map((declaredS, index) => {
    const start = starts[index] ?? 0;
    const end = starts[index + 1] ?? src.total;
    if (end <= start) {
      throw new ShotlineError({
        code: 'bad_input',
        where: `${file}: shots[${index}]`,
        message: `${file}: shot ${index + 1} (${declaredS} s) is shorter than one frame at ${rate.toFixed(3)} fps; declare at least one frame`,
      });
    }
    const endsClean = end === src.total || src.keyframes.has(end);
    const method: SplitMethod = src.keyframes.has(start) && endsClean ? 'copy' : 'reencode';
    return { index, declaredS, start, end, method };
  });
}
