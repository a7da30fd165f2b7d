/**
 * How many elements a shot may send, or why it may send none (kling-api.md §3, §5.4, §5.5, §7;
 * the per-model maximum is `elementsMax` in shared/kling/capabilities.ts). The elements picker
 * (renderer/src/components/ElementsPicker.tsx) shows the limit and disables itself with the reason.
 *
 * - kling-3.0: elements ride with image to video (§5.4), so a start frame is needed; then at
 *   most 3, and at most 1 with a motion reference (§3, "motion ≤1").
 * - kling-3.0-omni: at most 3 with a start frame (or start + end), otherwise 7 (§5.5 count matrix).
 * - kling-o1: multi-image elements, at most 7; none with a start and an end frame (§5.5).
 * - every other model: none.
 */
import { CAPABILITIES, lookupModel, type KlingModel } from '../../../shared/kling';
import { el } from '../i18n/elements';

export interface ElementLimitInput {
  model: string;
  startImage?: string | undefined;
  endImage?: string | undefined;
  motionReference?: string | undefined;
}

export type ElementLimit =
  /** Elements allowed: at most `max`; `label` says under which condition (for the counter). */
  | { max: number; label: string; why: null }
  /** None allowed here, and why (with the fix). */
  | { max: 0; label: string; why: string };

export function elementLimit(shot: ElementLimitInput): ElementLimit {
  const found = lookupModel(shot.model);
  const model: KlingModel | null = found.ok ? found.model : null;
  if (!model) return { max: 0, label: shot.model, why: el.limit.none(shot.model) };
  const caps = CAPABILITIES[model];
  const start = Boolean(shot.startImage);
  const end = Boolean(shot.endImage);
  if (caps.elementsMax === 0) return { max: 0, label: caps.label, why: el.limit.none(caps.label) };
  if (model === 'kling-3.0') {
    if (shot.motionReference) return { max: 1, label: el.limit.withMotion(caps.label), why: null };
    if (!start) return { max: 0, label: caps.label, why: el.limit.needStart };
    return { max: Math.min(3, caps.elementsMax), label: el.limit.withStart(caps.label), why: null };
  }
  if (model === 'kling-3.0-omni') {
    return start
      ? { max: 3, label: el.limit.withStart(caps.label), why: null }
      : { max: caps.elementsMax, label: el.limit.plain(caps.label), why: null };
  }
  if (model === 'kling-o1' && start && end) return { max: 0, label: caps.label, why: el.limit.o1EndFrame };
  return { max: caps.elementsMax, label: el.limit.plain(caps.label), why: null };
}

/** A shot as the storyboard editor holds it, for the scene rules below. */
export interface SceneShotInput extends ElementLimitInput {
  id: string;
  scene?: string | undefined;
  elements?: readonly string[] | undefined;
}

export interface SceneElements {
  /** The scene's name. */
  name: string;
  /** Its first shot (whose start frame the scene's one request carries). */
  firstShot: string;
  /** The scene's limit: its model with the first shot's start frame and the last shot's end frame. */
  limit: ElementLimit;
  /** Element ids the scene's other shots send (a scene sends the union: shared/storyboard/scene-request.ts). */
  others: string[];
}

/**
 * For a shot of a multi-shot scene (consecutive shots with the same `scene`), the scene's element
 * rules: one request carries every element of every shot of the scene, with the first shot's
 * start frame and the last shot's end frame (shared/storyboard/validate.ts checks the same); null
 * for a shot generated alone.
 */
export function sceneElements(shots: readonly SceneShotInput[], index: number): SceneElements | null {
  const shot = shots[index];
  const name = shot?.scene;
  if (!shot || !name) return null;
  let from = index;
  while (from > 0 && shots[from - 1]?.scene === name) from -= 1;
  let to = index;
  while (to < shots.length - 1 && shots[to + 1]?.scene === name) to += 1;
  if (from === to) return null;
  const first = shots[from] ?? shot;
  const last = shots[to] ?? shot;
  const base = elementLimit({ model: shot.model, startImage: first.startImage, endImage: last.endImage });
  const limit: ElementLimit =
    base.why === null
      ? { ...base, label: el.limit.inScene(name, base.label) }
      : { ...base, why: base.why === el.limit.needStart ? el.limit.needSceneStart(name, first.id) : base.why };
  const others = new Set<string>();
  for (let i = from; i <= to; i++) if (i !== index) for (const id of shots[i]?.elements ?? []) others.add(id);
  return { name, firstShot: first.id, limit, others: [...others] };
}
