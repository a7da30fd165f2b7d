/**
 * The Edit page's timeline in numbers (./Timeline.tsx draws it, ./ProgramMonitor.tsx plays it):
 * where each picked clip sits, how long it lasts once trimmed, what a drag of an edge, a
 * crossfade handle or a whole clip means in seconds snapped to the clip's frames, and which
 * source time the program monitor shows at a point of the cut. Pure functions, no React.
 *
 * The program (the preview and the timeline) plays each clip from its in point to its out
 * point less the crossfade into the next, so its length is the render's: the sum of the
 * trimmed clips minus the overlaps (shared/media/index.ts EditPlan.durationS).
 */
import type { EditClip, EditPlan } from '../../../../shared/media';

/** Frames per second when the clip's own rate is not known yet (before the planner answers). */
export const DEFAULT_FPS = 24;
/** Seconds a clip is assumed to last before it is probed (Kling's shortest take is 5 s). */
export const DEFAULT_LEN_S = 5;
/** The contract's longest crossfade (shared/media/index.ts Transition). */
export const MAX_FADE_S = 10;

export interface TimelineClip {
  /** Shot id. */
  id: string;
  file: string;
  /** The clip's whole length (ffprobe), and its frame rate. */
  lenS: number;
  fps: number;
  inS: number;
  outS: number;
  /** Crossfade into the next clip, seconds (0: a cut). */
  fade: number;
  /** Where the clip starts in the program, seconds. */
  startS: number;
  /** Seconds of the program this clip fills: out - in - fade. */
  spanS: number;
}

export const snap = (s: number, fps: number): number => Math.round(s * fps) / fps;
/** Seconds kept to the millisecond, as the core stores and reports them. */
export const ms = (s: number): number => Math.round(s * 1000) / 1000;

/** The picked clips of the cut laid end to end, lengths and rates from the planner when it has answered. */
export function layout(cutClips: EditClip[], plan: EditPlan | null): TimelineClip[] {
  // The plan may be of the cut as it was a moment ago: its probes are looked up by file.
  const probes = new Map((plan?.probes ?? []).map((p) => [p.file, p]));
  let at = 0;
  return cutClips.map((c, i) => {
    const pr = probes.get(c.file);
    const lenS = pr?.durationS ?? Math.max(DEFAULT_LEN_S, c.outS ?? 0);
    const fps = pr?.video?.fps && pr.video.fps > 0 ? pr.video.fps : DEFAULT_FPS;
    const inS = c.inS ?? 0;
    const outS = Math.min(c.outS ?? lenS, lenS);
    const last = i === cutClips.length - 1;
    const fade = last ? 0 : (c.transition?.seconds ?? 0);
    const spanS = Math.max(0, outS - inS - fade);
    const clip = { id: c.name ?? `clip-${i}`, file: c.file, lenS, fps, inS, outS, fade, startS: at, spanS };
    at += spanS;
    return clip;
  });
}

export const programLength = (clips: TimelineClip[]): number => clips.reduce((s, c) => s + c.spanS, 0);

/** The in or out point after dragging that edge by `deltaS`: snapped to frames, at least one frame long, inside the file. */
export function trimEdge(c: TimelineClip, edge: 'in' | 'out', deltaS: number): { inS: number; outS: number } {
  const frame = 1 / c.fps;
  if (edge === 'in') {
    const inS = Math.min(Math.max(0, snap(c.inS + deltaS, c.fps)), snap(c.outS - frame, c.fps));
    return { inS: ms(Math.max(0, inS)), outS: ms(c.outS) };
  }
  const outS = Math.max(Math.min(c.lenS, snap(c.outS + deltaS, c.fps)), snap(c.inS + frame, c.fps));
  return { inS: ms(c.inS), outS: ms(Math.min(outS, c.lenS)) };
}

/**
 * The crossfade after dragging its handle by `deltaS`: snapped to the outgoing clip's frames,
 * 0 to the contract's 10 s. The core refuses a fade as long as the clip (edits/store.ts), and
 * that refusal is shown, so the drag does not hide the limit by clamping to it.
 */
export function fadeFrom(c: TimelineClip, deltaS: number): number {
  return ms(Math.min(MAX_FADE_S, Math.max(0, snap(c.fade + deltaS, c.fps))));
}

/** Where a clip dragged to program time `atS` lands: its index once the others close the gap it left. */
export function dropIndex(clips: TimelineClip[], from: number, atS: number): number {
  let start = 0;
  let index = 0;
  for (const [i, c] of clips.entries()) {
    if (i === from) continue;
    if (atS < start + c.spanS / 2) return index;
    start += c.spanS;
    index += 1;
  }
  return index;
}

/** Shot ids of the picked clips moved from one place to another. */
export function moveClip(ids: string[], from: number, to: number): string[] {
  const next = [...ids];
  const [id] = next.splice(from, 1);
  if (id === undefined) return ids;
  next.splice(Math.max(0, Math.min(to, next.length)), 0, id);
  return next;
}

/**
 * The whole cut order (every shot, picked or not) with the picked ones in a new sequence: the
 * picked shots take the places picked shots held, so unpicked shots keep theirs.
 */
export function orderWith(order: string[], picked: Set<string>, pickedSeq: string[]): string[] {
  const seq = [...pickedSeq];
  return order.map((id) => (picked.has(id) ? (seq.shift() ?? id) : id));
}

/** The clip playing at program time `t`, and the source time in its file. */
export function sourceAt(clips: TimelineClip[], t: number): { index: number; srcS: number } | null {
  if (!clips.length) return null;
  const end = programLength(clips);
  const at = Math.max(0, Math.min(t, end));
  let index = clips.findIndex((c) => at < c.startS + c.spanS);
  if (index < 0) index = clips.length - 1;
  const c = clips[index];
  if (!c) return null;
  return { index, srcS: c.inS + Math.min(at - c.startS, c.spanS) };
}

/** Program seconds as HH:MM:SS:FF at `fps`. */
export function timecode(s: number, fps: number): string {
  const f = Math.round(Math.max(0, s) * fps);
  const r = Math.round(fps);
  const ff = f % r;
  const total = Math.floor(f / r);
  const pad = (n: number): string => String(n).padStart(2, '0');
  return `${pad(Math.floor(total / 3600))}:${pad(Math.floor(total / 60) % 60)}:${pad(total % 60)}:${pad(ff)}`;
}

/** The clips with new in, out or fade values, laid end to end again. */
export function relayout(clips: TimelineClip[]): TimelineClip[] {
  let at = 0;
  return clips.map((c, i) => {
    const fade = i === clips.length - 1 ? 0 : c.fade;
    const spanS = Math.max(0, c.outS - c.inS - fade);
    const next = { ...c, fade, startS: at, spanS };
    at += spanS;
    return next;
  });
}

/** The clip at `index` changed (a trim or fade being dragged), the rest laid out after it. */
export function withChange(clips: TimelineClip[], index: number, change: Partial<TimelineClip>): TimelineClip[] {
  return relayout(clips.map((c, i) => (i === index ? { ...c, ...change } : c)));
}

/** Pixels per second that show the whole cut in `widthPx` (within the zoom limits). */
export function fitZoom(clips: TimelineClip[], widthPx: number): number {
  const len = programLength(clips);
  return clampZoom(len > 0 ? (widthPx - 16) / len : 40);
}

export const clampZoom = (pxPerS: number): number => Math.min(600, Math.max(2, pxPerS));
