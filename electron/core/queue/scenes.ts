/**
 * Multi-shot scenes in the queue (issue 13 item 1; the design is in docs/readme/engine.md,
 * "Scenes"): which stored shots form a scene, the settings hash a scene take shares, and the
 * ResolvedScene of one scene take rebuilt from its jobs (the lead's request needs it).
 */
import { createHash } from 'node:crypto';

import type { ResolvedScene, ResolvedShot } from '../../../shared/storyboard/schema';

/** Consecutive shots with the same `scene` (README.md, "Storyboards"), in order; a shot alone is a run of its own. */
export function sceneRuns<T>(shots: readonly T[], sceneOf: (s: T) => string | undefined): T[][] {
  const runs: T[][] = [];
  let prev: string | undefined;
  for (const s of shots) {
    const scene = sceneOf(s);
    const last = runs[runs.length - 1];
    if (scene !== undefined && scene === prev && last) last.push(s);
    else runs.push([s]);
    prev = scene;
  }
  return runs;
}

/**
 * The settings hash every shot of a scene shares: a take of a scene is one generation, so a
 * change to any of its shots (prompt, duration, order) makes new takes of all of them.
 */
export function sceneSpecHash(shotHashes: readonly string[], sceneId: string): string {
  return createHash('sha256')
    .update(JSON.stringify(['scene', sceneId, ...shotHashes]))
    .digest('hex')
    .slice(0, 16);
}

/** The scene of one scene take from its jobs' own copies of the shots (lead first, storyboard order). */
export function sceneFromJobs(sceneId: string, specs: readonly ResolvedShot[]): ResolvedScene {
  const durations = specs.map((s) => s.duration);
  return {
    id: sceneId,
    shotIds: specs.map((s) => s.id),
    durations,
    duration: durations.reduce((a, b) => a + b, 0),
    takes: specs[0]?.takes ?? 1,
    unitsPerTake: specs.reduce((a, s) => a + s.unitsPerTake, 0),
  };
}
