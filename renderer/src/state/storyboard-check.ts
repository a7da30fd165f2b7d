/**
 * What the editor says about the draft, all of it from the one storyboard model (issue 18
 * item 4): the problems are shared/storyboard/validate.ts's `parseStoryboard` over the draft's
 * file text (so the editor and `storyboard.import` can never disagree), the prompt as sent is
 * shared/kling/camera.ts's, the cost shared/kling/prices.ts's (a scene take is one charge).
 */
import { cameraWords, CAPABILITIES, LIMITS, promptWithCamera, unitsPerClip } from '../../../shared/kling';
import type { StoryboardProblem } from '../../../shared/storyboard/schema';
import { parseStoryboard, type ParsedStoryboard } from '../../../shared/storyboard/validate';
import type { Shot, Storyboard } from './storyboard';
import { toJson } from './storyboard-file';

/** The camera sentence the shot's camera stands for, or the reason it cannot be used. */
export function cameraSentence(camera: string | undefined): { words: string | null; error: string | null } {
  if (camera === undefined || camera.trim() === '') return { words: null, error: null };
  const c = cameraWords(camera);
  return c.ok ? { words: c.words, error: null } : { words: null, error: c.message };
}

/** The prompt exactly as it will be sent (camera words appended), before the PII filter. */
export function sentPrompt(shot: Shot): string {
  return promptWithCamera(shot.prompt, cameraSentence(shot.camera).words ?? undefined);
}

export interface DraftCheck {
  /** Problems per shot index (the validator names shots by id, or `shots[i]`). */
  perShot: StoryboardProblem[][];
  /** Problems of no one shot (the name, top-level elements). */
  general: StoryboardProblem[];
  /** The validator's result when the draft is clean (its scenes and estimate). */
  parsed: ParsedStoryboard | null;
}

/**
 * A picked image held inline (data: URL, from drafts of older versions) is a data-dir file by
 * the time anything is queued (lib/frames.ts materialise); the check sees a .png in its place.
 * The core confines paths by the real file system; the editor has none, so absolute data-dir
 * paths are not judged here (the Batch page's check is the core's).
 */
function checkable(sb: Storyboard): Storyboard {
  const img = (v: string | undefined, id: string, which: string): string | undefined =>
    v?.startsWith('data:') ? `inline-${id}-${which}.png` : v;
  return {
    ...sb,
    shots: sb.shots.map((s) => ({
      ...s,
      startImage: img(s.startImage, s.id, 'start'),
      endImage: img(s.endImage, s.id, 'end'),
    })),
  };
}

/** Every problem the core's import would report for this draft, sorted to shots. */
export function checkDraft(sb: Storyboard): DraftCheck {
  const perShot: StoryboardProblem[][] = sb.shots.map(() => []);
  const general: StoryboardProblem[] = [];
  if (!sb.shots.length) return { perShot, general, parsed: null };
  const r = parseStoryboard(toJson(checkable(sb)), {
    file: sb.name || 'storyboard',
    format: 'json',
    confine: () => null,
  });
  if (r.ok) return { perShot, general, parsed: r.storyboard };
  for (const p of r.problems) {
    const at =
      p.shot === null
        ? []
        : sb.shots.flatMap((s, i) => (JSON.stringify(s.id) === p.shot || p.shot === `shots[${i}]` ? [i] : []));
    if (at.length) for (const i of at) perShot[i]?.push(p);
    else general.push(p);
  }
  return { perShot, general, parsed: null };
}

/** Consecutive shots with the same `scene` (README.md, "Storyboards"): the groups the list frames. */
export interface SceneGroup {
  scene: string;
  /** Indices into the storyboard's shots, in order. */
  indices: number[];
}

export function sceneGroups(shots: readonly Shot[]): SceneGroup[] {
  const out: SceneGroup[] = [];
  shots.forEach((s, i) => {
    if (!s.scene) return;
    const last = out[out.length - 1];
    if (last && last.scene === s.scene && last.indices[last.indices.length - 1] === i - 1) last.indices.push(i);
    else out.push({ scene: s.scene, indices: [i] });
  });
  return out;
}

/** The scene a shot index belongs to, or null. */
export function groupOf(groups: readonly SceneGroup[], index: number): SceneGroup | null {
  return groups.find((g) => g.indices.includes(index)) ?? null;
}

/** The limits of a scene (kling-api.md §10; shared/kling/capabilities.ts LIMITS and the model's durations). */
export const SCENE_LIMITS = {
  shotsMax: LIMITS.multiShotMax,
  shotMin: 1,
  promptMax: LIMITS.multiShotPromptMax,
} as const;

export function sceneRange(shot: Shot): { min: number; max: number } {
  const ds = CAPABILITIES[shot.model].durations;
  return { min: Math.min(...ds), max: Math.max(...ds) };
}

/** Kling units of one take of a scene: one task, one charge on the summed duration. */
export function sceneUnits(shots: readonly Shot[]): number {
  const first = shots[0];
  if (!first) return 0;
  const duration = shots.reduce((a, s) => a + s.duration, 0);
  return unitsPerClip({ model: first.model, resolution: first.resolution, duration, audio: first.audio });
}

export const shotUnits = (shot: Shot): number =>
  unitsPerClip({ model: shot.model, resolution: shot.resolution, duration: shot.duration, audio: shot.audio }) *
  shot.takes;

/** The storyboard's estimate as the user types: shots alone per take, each scene once per take. */
export function draftUnits(sb: Storyboard): number {
  const groups = sceneGroups(sb.shots);
  const inScene = new Set(groups.flatMap((g) => g.indices));
  let total = sb.shots.reduce((n, s, i) => (inScene.has(i) ? n : n + shotUnits(s)), 0);
  for (const g of groups) {
    const shots = g.indices.map((i) => sb.shots[i] as Shot);
    total += sceneUnits(shots) * (shots[0]?.takes ?? 1);
  }
  return Math.round(total * 1000) / 1000;
}
