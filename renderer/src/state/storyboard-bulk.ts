/**
 * Bulk edits of the Storyboard page's table (issue 17 item 6): one model, resolution, duration
 * or number of takes set on many shots at once. A bulk edit is judged by the same storyboard
 * model as a single edit (storyboard-check.ts: shared/storyboard/validate.ts): if it gives any
 * shot a problem it did not have (a duration its model does not offer, a resolution a scene's
 * model lacks ...), it is refused whole, naming the shots and the reason; nothing is half-applied.
 */
import type { KlingModel, Resolution } from '../../../shared/kling';
import { formatProblem, type StoryboardProblem } from '../../../shared/storyboard/schema';
import type { Shot, Storyboard } from './storyboard';
import { checkDraft, sceneGroups, type DraftCheck } from './storyboard-check';

export interface BulkPatch {
  model?: KlingModel;
  resolution?: Resolution;
  duration?: number;
  takes?: number;
}

/** Fields every shot of a scene shares (storyboard.ts SCENE_WIDE): set on one, set on the scene. */
const SCENE_WIDE_BULK = ['model', 'resolution', 'takes'] as const;

export interface BulkRefusal {
  /** Ids of the shots the reason applies to, in storyboard order. */
  shots: string[];
  /** What the validator says, without the file and shot prefix. */
  reason: string;
}

export type BulkResult = { ok: true; storyboard: Storyboard } | { ok: false; refusals: BulkRefusal[] };

/** The patch applied to `indices` (scene-wide fields also to the rest of their scenes); no check. */
export function applyBulk(sb: Storyboard, indices: readonly number[], patch: BulkPatch): Storyboard {
  const picked = new Set(indices);
  const wide: Partial<Shot> = {};
  for (const f of SCENE_WIDE_BULK) if (patch[f] !== undefined) Object.assign(wide, { [f]: patch[f] });
  const sceneMates = new Set<number>();
  if (Object.keys(wide).length)
    for (const g of sceneGroups(sb.shots))
      if (g.indices.some((i) => picked.has(i))) for (const i of g.indices) sceneMates.add(i);
  const own: Partial<Shot> = { ...wide, ...(patch.duration !== undefined ? { duration: patch.duration } : {}) };
  const shots = sb.shots.map((s, i) => {
    if (picked.has(i)) return { ...s, ...own };
    if (sceneMates.has(i)) return { ...s, ...wide };
    return s;
  });
  return { ...sb, shots };
}

/** "duration = 15: 15 s is not offered ..." (formatProblem without the file and shot). */
function reasonOf(p: StoryboardProblem): string {
  return formatProblem({ ...p, file: '', row: null, shot: null }).replace(/^:\s*/, '');
}

/**
 * The bulk edit checked by the one storyboard model: the new storyboard, or every refusal.
 * `before`: the page's check of `sb` when it has one (a check of 200 shots is not free).
 */
export function bulkEdit(
  sb: Storyboard,
  indices: readonly number[],
  patch: BulkPatch,
  before: DraftCheck = checkDraft(sb),
): BulkResult {
  if (!indices.length || Object.values(patch).every((v) => v === undefined))
    return { ok: false, refusals: [{ shots: [], reason: 'Select shots and a value to set first.' }] };
  const next = applyBulk(sb, indices, patch);
  const after = checkDraft(next);
  const known = (list: StoryboardProblem[] | undefined): Set<string> => new Set((list ?? []).map(reasonOf));
  const byReason = new Map<string, Set<number>>();
  const add = (reason: string, i: number): void => {
    const set = byReason.get(reason) ?? new Set<number>();
    set.add(i);
    byReason.set(reason, set);
  };
  after.perShot.forEach((problems, i) => {
    const had = known(before.perShot[i]);
    for (const p of problems) if (!had.has(reasonOf(p))) add(reasonOf(p), i);
  });
  // A problem of no one shot (a scene's total length ...) is charged to the selected shots.
  const hadGeneral = new Set(before.general.map(formatProblem));
  for (const p of after.general) if (!hadGeneral.has(formatProblem(p))) for (const i of indices) add(reasonOf(p), i);
  if (!byReason.size) return { ok: true, storyboard: next };
  const refusals = [...byReason].map(([reason, at]) => ({
    reason,
    shots: [...at].sort((a, b) => a - b).map((i) => next.shots[i]?.id ?? `shots[${i}]`),
  }));
  return { ok: false, refusals };
}
