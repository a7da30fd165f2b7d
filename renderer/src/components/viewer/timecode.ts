/**
 * Frame and timecode math of the viewer (issue 17 item 1), pure so test/unit/viewer tests it.
 * A frame n covers [n/fps, (n+1)/fps). The player seeks to the middle of a frame, so every
 * decoder shows that frame and reading currentTime back gives the same n. Marks are frame
 * edges: `inS` is the start of the in-frame, `outS` the end of the out-frame (exclusive), so
 * outS - inS is the marked length (what the timeline trims to).
 */

/** Kling's output frame rate (shared/kling/capabilities.ts `fps: 24`), when a caller gives none. */
export const DEFAULT_FPS = 24;

/** Shuttle speeds for repeated L (and J backwards). */
export const SHUTTLE_RATES = [1, 2, 4, 8] as const;

export interface Marks {
  inS: number;
  outS: number;
}

// Media times come back rounded (microseconds in Chromium; a frame's pts in its time base): a
// thousandth of a frame of slack, far from the middles the player seeks to.
const EPS = 1e-3;

export function frameAt(t: number, fps: number): number {
  return Math.max(0, Math.floor(t * fps + EPS));
}

/** Frames in a clip of `durationS` (the last one is frameCount - 1). */
export function frameCount(durationS: number, fps: number): number {
  return Number.isFinite(durationS) && durationS > 0 ? Math.max(1, Math.round(durationS * fps)) : 0;
}

/** Where to seek to show frame `n`: its middle, clamped to the clip. */
export function seekTimeOf(n: number, fps: number, durationS: number): number {
  const count = frameCount(durationS, fps);
  const last = count > 0 ? count - 1 : Math.max(0, n);
  const f = Math.min(Math.max(0, Math.round(n)), last);
  return (f + 0.5) / fps;
}

/** HH:MM:SS:FF (non-drop-frame; fps rounded, as NLEs show 23.976 as 24). */
export function timecode(t: number, fps: number): string {
  const base = Math.max(1, Math.round(fps));
  const n = frameAt(t, fps);
  const ff = n % base;
  const secs = Math.floor(n / base);
  const pad = (x: number): string => String(x).padStart(2, '0');
  return `${pad(Math.floor(secs / 3600))}:${pad(Math.floor(secs / 60) % 60)}:${pad(secs % 60)}:${pad(ff)}`;
}

/** I at time t: the in-point at the start of the shown frame; an out-point before it is dropped (clip end). */
export function markIn(t: number, fps: number, durationS: number, marks: Marks | null): Marks {
  const inS = frameAt(t, fps) / fps;
  const end = frameCount(durationS, fps) / fps || inS + 1 / fps;
  const outS = marks && marks.outS > inS ? marks.outS : end;
  return { inS, outS };
}

/** O at time t: the out-point at the end of the shown frame; an in-point after it is dropped (clip start). */
export function markOut(t: number, fps: number, durationS: number, marks: Marks | null): Marks {
  const count = frameCount(durationS, fps);
  const f = count > 0 ? Math.min(frameAt(t, fps), count - 1) : frameAt(t, fps);
  const outS = (f + 1) / fps;
  const inS = marks && marks.inS < outS ? marks.inS : 0;
  return { inS, outS };
}

/**
 * The next shuttle speed, signed (negative = backwards): L speeds up forwards (or starts forwards
 * at 1x from pause or reverse), J the same backwards, K stops.
 */
export function nextShuttle(rate: number, key: 'j' | 'k' | 'l'): number {
  if (key === 'k') return 0;
  const sign = key === 'l' ? 1 : -1;
  if (Math.sign(rate) !== sign) return sign;
  const i = SHUTTLE_RATES.indexOf(Math.abs(rate) as (typeof SHUTTLE_RATES)[number]);
  const next = SHUTTLE_RATES[Math.min(SHUTTLE_RATES.length - 1, i + 1)] ?? 1;
  return sign * next;
}

/** Whether a follower showing `t` must be realigned to `lead` (more than half a frame apart). */
export function drifted(t: number, lead: number, fps: number): boolean {
  return Math.abs(t - lead) > 0.5 / fps;
}
