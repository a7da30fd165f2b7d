/**
 * Multi-shot scenes (README.md, "Storyboards", kling-api.md §10): consecutive shots with the same `scene`
 * are one Kling generation. The rules a scene must keep, each refused on the shot and field
 * that break it with the fix: its shots together (a name used again later is refused), 1-6
 * shots of whole seconds (at least 1; a scene shot's duration is free of the model's list),
 * 3-15 s together, at most 512 characters a shot, one model of the 3.0 family, one resolution,
 * aspect ratio, audio and takes, a start frame only on its first shot, an end frame only on its
 * last, no motion control. The request the scene becomes is checked like any other
 * (scene-request.ts, checkVideoRequest) for what remains: elements, frames, audio per model.
 */
import { CAPABILITIES, LIMITS, modelsWith } from '../kling/capabilities';
import { unitsPerClip } from '../kling/prices';
import type { ResolvedScene, ResolvedShot } from './schema';

export interface SceneEntry {
  /** The shot as resolved, or null when it had problems of its own (it still holds its place). */
  shot: ResolvedShot | null;
  scene: string | undefined;
  /** The shot's label in problems (its id, or `shots[3]`). */
  label: string;
}

export type SceneProblem = (entry: SceneEntry, field: string, value: unknown, message: string) => void;

/** Runs of consecutive entries with the same scene name. */
export function sceneRuns<T>(items: readonly T[], sceneOf: (t: T) => string | undefined): T[][] {
  const runs: T[][] = [];
  let prev: string | undefined;
  for (const it of items) {
    const s = sceneOf(it);
    if (s === undefined) prev = undefined;
    else if (s === prev) runs[runs.length - 1]?.push(it);
    else runs.push([it]);
    prev = s;
  }
  return runs;
}

const SHARED = ['model', 'resolution', 'aspectRatio', 'audio', 'takes'] as const;
const round = (n: number): number => Math.round(n * 1000) / 1000;

/**
 * Checks every scene and returns them (only the scenes whose shots all resolved and kept the
 * rules). Each shot of a good scene gets its share of the scene's charge by duration (the last
 * shot takes what rounding leaves), so the estimate's per-shot rows add up to one charge a take.
 */
export function checkScenes(entries: readonly SceneEntry[], problem: SceneProblem): ResolvedScene[] {
  const scenes: ResolvedScene[] = [];
  const used = new Map<string, string>();
  const multi = modelsWith((c) => c.multiShot).join(', ');
  for (const run of sceneRuns(entries, (e) => e.scene)) {
    const name = run[0]?.scene as string;
    const firstLabel = run[0]?.label ?? '';
    const earlier = used.get(name);
    if (earlier !== undefined) {
      problem(
        run[0] as SceneEntry,
        'scene',
        name,
        `scene ${name} already ended (its shots start at ${earlier}) and another shot came between; put its shots together, one after another, or give these shots another scene name`,
      );
      continue;
    }
    used.set(name, firstLabel);
    let ok = run.every((e) => e.shot !== null);
    const bad = (e: SceneEntry, field: string, value: unknown, message: string): void => {
      ok = false;
      problem(e, field, value, message);
    };
    if (run.length > LIMITS.multiShotMax) {
      bad(
        run[LIMITS.multiShotMax] as SceneEntry,
        'scene',
        name,
        `scene ${name} has ${run.length} shots; a scene has 1-${LIMITS.multiShotMax}: split it (give the shots from here on another scene name)`,
      );
    }
    const shots = run.map((e) => e.shot);
    const first = shots[0];
    if (!first) continue;
    if (!CAPABILITIES[first.model].multiShot) {
      bad(
        run[0] as SceneEntry,
        'model',
        first.model,
        `${first.model} makes one shot per generation; a scene (several shots in one generation) needs ${multi}, or remove "scene" from these shots`,
      );
    }
    run.forEach((e, i) => {
      const s = e.shot;
      if (!s) return;
      if (!Number.isInteger(s.duration) || s.duration < 1)
        bad(e, 'duration', s.duration, `${s.duration} s; a shot of a scene lasts whole seconds, at least 1`);
      if (s.prompt.trim() === '')
        bad(
          e,
          'prompt',
          '',
          `each shot of scene ${name} needs a prompt: Kling reads the scene as "shot n, seconds, words;"`,
        );
      if (s.prompt.length > LIMITS.multiShotPromptMax) {
        bad(
          e,
          'prompt',
          `${s.prompt.length} characters`,
          `a shot of a scene takes at most ${LIMITS.multiShotPromptMax} characters${s.camera ? ' (the camera words included)' : ''}; shorten it`,
        );
      }
      if (s.motionReference !== undefined)
        bad(
          e,
          'motionReference',
          s.motionReference,
          'motion control makes one shot of its own; take this shot out of the scene (remove "scene") or remove the motion reference',
        );
      if (i > 0) {
        for (const f of SHARED) {
          if (s[f] !== first[f]) {
            bad(
              e,
              f,
              s[f],
              `scene ${name} is one generation: ${String(s[f])} here but ${String(first[f])} on shot ${first.id}; set ${f} on every shot of scene ${name}, or put it in defaults`,
            );
          }
        }
        if (s.startImage !== undefined)
          bad(
            e,
            'startImage',
            s.startImage,
            `a start frame belongs to the first shot of scene ${name} (${first.id}); move it there, or take this shot out of the scene`,
          );
      }
      if (i < run.length - 1 && s.endImage !== undefined) {
        bad(
          e,
          'endImage',
          s.endImage,
          `an end frame belongs to the last shot of scene ${name} (${run[run.length - 1]?.shot?.id ?? run[run.length - 1]?.label}); move it there, or take this shot out of the scene`,
        );
      }
    });
    if (!ok) continue;
    const good = shots as ResolvedShot[];
    const durations = good.map((s) => s.duration);
    const duration = durations.reduce((a, b) => a + b, 0);
    if (duration < 3 || duration > 15) {
      const parts = good.map((s) => `${s.id} ${s.duration}`).join(' + ');
      bad(
        run[run.length - 1] as SceneEntry,
        'duration',
        duration,
        `scene ${name} lasts ${duration} s together (${parts}); a scene lasts 3-15 s: ${duration > 15 ? 'shorten its shots or split it into two scenes' : 'lengthen its shots'}`,
      );
      continue;
    }
    const unitsPerTake = unitsPerClip({
      model: first.model,
      resolution: first.resolution,
      audio: first.audio,
      duration,
    });
    let left = unitsPerTake;
    good.forEach((s, i) => {
      const share = i === good.length - 1 ? round(left) : round((unitsPerTake * s.duration) / duration);
      left -= share;
      s.unitsPerTake = share;
    });
    scenes.push({ id: name, shotIds: good.map((s) => s.id), durations, duration, takes: first.takes, unitsPerTake });
  }
  return scenes;
}
