/**
 * The storyboard being edited, as UI state only (issue 18 item 4): the draft shots in the
 * storyboard file's shape (README.md, "Storyboards") and a reducer with undo/redo history. Reading and
 * writing the file text is storyboard-file.ts, every check storyboard-check.ts; both go through
 * the one storyboard model in shared/storyboard.
 */
import {
  DEFAULT_MODEL,
  type AspectRatio,
  type AudioSetting,
  type KlingModel,
  type Resolution,
} from '../../../shared/kling';
import {
  BUILTIN_DEFAULTS,
  DEFAULT_RESOLUTION,
  type CharacterOrientation,
  type ElementSpec,
} from '../../../shared/storyboard/schema';

export { draftFromSave, fromText, ImportProblems, readDraft, toCsv, toJson } from './storyboard-file';
export { cameraSentence, checkDraft, draftUnits, sentPrompt, shotUnits } from './storyboard-check';
import { applyBulk, type BulkPatch } from './storyboard-bulk';
import { sceneGroups } from './storyboard-check';

export interface Shot {
  id: string;
  prompt: string;
  /** Only kling-2.6 and kling-2.5-turbo take one. */
  negativePrompt?: string;
  model: KlingModel;
  resolution: Resolution;
  /** Absent: the model's default (off where it can be silent). */
  audio?: AudioSetting;
  duration: number;
  aspectRatio: AspectRatio;
  /** A camera preset name or the move in words: appended to the prompt as camera language. */
  camera?: string;
  /** A path/URL, a data: URL picked in the studio, or "@previous" (chain from the previous shot). */
  startImage?: string;
  endImage?: string;
  takes: number;
  subject?: string;
  /** Consecutive shots with the same scene are one multi-shot generation (kling-3.0 family). */
  scene?: string;
  /** Ids of the storyboard's top-level elements the shot sends (the prompt names them as @id). */
  elements?: string[];
  /** Motion control: an https URL of the reference video, and the orientation the output follows. */
  motionReference?: string;
  characterOrientation?: CharacterOrientation;
}

export interface Storyboard {
  name: string;
  shots: Shot[];
  /** The file's top-level elements (same character or product across shots), kept as written. */
  elements?: ElementSpec[];
}

export interface History {
  past: Storyboard[];
  present: Storyboard;
  future: Storyboard[];
  selected: number;
}

export type Action =
  | { type: 'rename'; name: string }
  | { type: 'add'; after?: number }
  | { type: 'duplicate'; index: number }
  | { type: 'remove'; index: number }
  | { type: 'move'; from: number; to: number }
  /** `elements`: top-level entries the shot's new element ids need (a library element the file does not list yet). */
  | { type: 'update'; index: number; patch: Partial<Shot>; coalesce?: string; elements?: ElementSpec[] }
  | { type: 'replace'; storyboard: Storyboard }
  /** One value set on many shots (the table view; checked first by storyboard-bulk.ts bulkEdit): one undo step. */
  | { type: 'bulk'; indices: number[]; patch: BulkPatch }
  /** The saved draft at start: replaces the storyboard without an undo step. */
  | { type: 'load'; storyboard: Storyboard }
  | { type: 'select'; index: number }
  | { type: 'undo' }
  | { type: 'redo' };

const HISTORY_MAX = 200;

/**
 * Fields every shot of a scene shares: the scene is one generation (the validator refuses a
 * scene that mixes them; shared/storyboard/scenes.ts).
 */
export const SCENE_WIDE = ['model', 'resolution', 'aspectRatio', 'audio', 'takes'] as const;

/**
 * After shot `index` changed: a scene-wide field set on a shot of a scene is set on all its
 * shots; a shot that just joined a scene takes the scene's values.
 */
function sceneWide(shots: Shot[], index: number, patch: Partial<Shot>): Shot[] {
  const group = sceneGroups(shots).find((g) => g.indices.includes(index));
  if (!group || group.indices.length < 2) return shots;
  const changed = SCENE_WIDE.filter((f) => Object.hasOwn(patch, f));
  const from: Partial<Shot> = {};
  if (changed.length) for (const f of changed) Object.assign(from, { [f]: patch[f] });
  else if (Object.hasOwn(patch, 'scene')) {
    const other = shots[group.indices.find((i) => i !== index) ?? index] as Shot;
    for (const f of SCENE_WIDE) Object.assign(from, { [f]: other[f] });
  } else return shots;
  const targets = changed.length ? group.indices : [index];
  return shots.map((s, i) => (targets.includes(i) ? { ...s, ...from } : s));
}

export function newShot(existing: Shot[], base?: Partial<Shot>): Shot {
  let n = existing.length + 1;
  const ids = new Set(existing.map((s) => s.id));
  while (ids.has(`shot-${n}`)) n += 1;
  return {
    prompt: '',
    model: DEFAULT_MODEL,
    resolution: DEFAULT_RESOLUTION,
    duration: BUILTIN_DEFAULTS.duration,
    aspectRatio: BUILTIN_DEFAULTS.aspectRatio,
    takes: BUILTIN_DEFAULTS.takes,
    ...base,
    id: `shot-${n}`,
  };
}

export const emptyStoryboard = (): Storyboard => ({ name: 'Untitled', shots: [] });

export function initHistory(sb: Storyboard): History {
  return { past: [], present: sb, future: [], selected: sb.shots.length ? 0 : -1 };
}

let lastCoalesce: string | null = null;

function commit(h: History, next: Storyboard, selected: number, coalesce?: string): History {
  // Typing into one field is one undo step, not one per key.
  const same = coalesce !== undefined && coalesce === lastCoalesce && h.past.length > 0;
  lastCoalesce = coalesce ?? null;
  const past = same ? h.past : [...h.past, h.present].slice(-HISTORY_MAX);
  return { past, present: next, future: [], selected };
}

export function reducer(h: History, a: Action): History {
  const shots = h.present.shots;
  const clamp = (i: number): number => Math.max(-1, Math.min(i, shots.length - 1));
  switch (a.type) {
    case 'select':
      lastCoalesce = null;
      return { ...h, selected: a.index < 0 || a.index >= shots.length ? h.selected : a.index };
    case 'rename':
      return commit(h, { ...h.present, name: a.name }, h.selected, 'rename');
    case 'add': {
      const at = (a.after ?? shots.length - 1) + 1;
      const prev = shots[at - 1];
      // Inserted between two shots of one scene, the new shot joins it (with the scene's takes).
      const inside =
        prev?.scene !== undefined && shots[at]?.scene === prev.scene ? { scene: prev.scene, takes: prev.takes } : {};
      const shot = newShot(
        shots,
        prev
          ? {
              model: prev.model,
              resolution: prev.resolution,
              duration: prev.duration,
              aspectRatio: prev.aspectRatio,
              ...(prev.audio ? { audio: prev.audio } : {}),
              ...inside,
            }
          : {},
      );
      const next = [...shots.slice(0, at), shot, ...shots.slice(at)];
      return commit(h, { ...h.present, shots: next }, at);
    }
    case 'duplicate': {
      const src = shots[a.index];
      if (!src) return h;
      const copy = { ...structuredClone(src), id: newShot(shots).id };
      const next = [...shots.slice(0, a.index + 1), copy, ...shots.slice(a.index + 1)];
      return commit(h, { ...h.present, shots: next }, a.index + 1);
    }
    case 'remove': {
      if (!shots[a.index]) return h;
      const next = shots.filter((_, i) => i !== a.index);
      return commit(h, { ...h.present, shots: next }, Math.min(a.index, next.length - 1));
    }
    case 'move': {
      if (a.to < 0 || a.to >= shots.length || a.from === a.to || !shots[a.from]) return h;
      const next = [...shots];
      const [s] = next.splice(a.from, 1);
      if (s) next.splice(a.to, 0, s);
      return commit(h, { ...h.present, shots: next }, a.to);
    }
    case 'update': {
      const s = shots[a.index];
      if (!s) return h;
      const next = sceneWide(
        shots.map((x, i) => (i === a.index ? { ...x, ...a.patch } : x)),
        a.index,
        a.patch,
      );
      const known = new Set((h.present.elements ?? []).map((e) => e.id));
      const added = (a.elements ?? []).filter((e) => !known.has(e.id));
      const elements = added.length ? { elements: [...(h.present.elements ?? []), ...added] } : {};
      return commit(
        h,
        { ...h.present, ...elements, shots: next },
        a.index,
        a.coalesce ? `${a.index}:${a.coalesce}` : undefined,
      );
    }
    case 'bulk':
      lastCoalesce = null;
      return commit(h, applyBulk(h.present, a.indices, a.patch), h.selected);
    case 'load':
      lastCoalesce = null;
      return initHistory(a.storyboard);
    case 'replace':
      lastCoalesce = null;
      return commit(h, a.storyboard, a.storyboard.shots.length ? 0 : -1);
    case 'undo': {
      const prev = h.past[h.past.length - 1];
      lastCoalesce = null;
      if (!prev) return h;
      return {
        past: h.past.slice(0, -1),
        present: prev,
        future: [h.present, ...h.future],
        selected: clamp(h.selected),
      };
    }
    case 'redo': {
      const nxt = h.future[0];
      lastCoalesce = null;
      if (!nxt) return h;
      return { past: [...h.past, h.present], present: nxt, future: h.future.slice(1), selected: h.selected };
    }
  }
}
