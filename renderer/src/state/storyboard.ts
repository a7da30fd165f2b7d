/**
 * The storyboard being edited: shots in the storyboard file's shape (DESIGN.md §4), a
 * reducer with undo/redo history, and the mapping to a Kling request for the inline checks.
 */
import {
  ASPECT_RATIOS,
  CAPABILITIES,
  CAMERA_PRESETS,
  checkVideoRequest,
  MODELS,
  MODES,
  unitsPerClip,
  type AspectRatio,
  type CameraSpec,
  type KlingMode,
  type KlingModel,
  type Problem,
  type VideoRequest,
} from '../../../shared/kling';
// csvCell guards formula-looking cells (=, +, -, @) like the audit CSV (issue 16.7).
import { csvCell, parseCsv as readCsv } from '../../../shared/storyboard/csv';

export interface Trajectory {
  x: number;
  y: number;
}
export interface DynamicArea {
  /** PNG base64 (no data: prefix): white = the area, as Kling wants. */
  mask: string;
  /** Bottom-left origin, pixels of the start frame. */
  trajectories: Trajectory[];
}
export interface MotionBrush {
  staticMask?: string;
  dynamicMasks: DynamicArea[];
}

export interface Shot {
  id: string;
  prompt: string;
  negativePrompt?: string;
  model: KlingModel;
  mode: KlingMode;
  duration: number;
  aspectRatio: AspectRatio;
  cfgScale?: number;
  /** A preset name or Kling's camera_control object. */
  camera?: string | CameraSpec;
  /** A path/URL, a data: URL picked in the studio, or "@previous" (chain from the previous shot). */
  startImage?: string;
  endImage?: string;
  motionBrush?: MotionBrush;
  takes: number;
  subject?: string;
}

export interface Storyboard {
  name: string;
  shots: Shot[];
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
  | { type: 'update'; index: number; patch: Partial<Shot>; coalesce?: string }
  | { type: 'replace'; storyboard: Storyboard }
  /** The saved draft at start: replaces the storyboard without an undo step. */
  | { type: 'load'; storyboard: Storyboard }
  | { type: 'select'; index: number }
  | { type: 'undo' }
  | { type: 'redo' };

const HISTORY_MAX = 200;

export function newShot(existing: Shot[], base?: Partial<Shot>): Shot {
  let n = existing.length + 1;
  const ids = new Set(existing.map((s) => s.id));
  while (ids.has(`shot-${n}`)) n += 1;
  return {
    prompt: '',
    model: 'kling-v2-5-turbo',
    mode: 'std',
    duration: 5,
    aspectRatio: '16:9',
    takes: 1,
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
      const shot = newShot(shots, prev ? { model: prev.model, mode: prev.mode, duration: prev.duration, aspectRatio: prev.aspectRatio } : {});
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
      const next = shots.map((x, i) => (i === a.index ? { ...x, ...a.patch } : x));
      return commit(h, { ...h.present, shots: next }, a.index, a.coalesce ? `${a.index}:${a.coalesce}` : undefined);
    }
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
      return { past: h.past.slice(0, -1), present: prev, future: [h.present, ...h.future], selected: clamp(h.selected) };
    }
    case 'redo': {
      const nxt = h.future[0];
      lastCoalesce = null;
      if (!nxt) return h;
      return { past: [...h.past, h.present], present: nxt, future: h.future.slice(1), selected: h.selected };
    }
  }
}

export function cameraSpec(camera: Shot['camera']): CameraSpec | undefined {
  if (camera === undefined) return undefined;
  if (typeof camera === 'string') return CAMERA_PRESETS[camera];
  return camera;
}

/** The request Kling would get for this shot (images stand in as placeholders). */
export function toRequest(shot: Shot): VideoRequest {
  const kind = shot.startImage ? 'image2video' : 'text2video';
  const img = (s?: string): string | undefined => (s ? 'https://example.invalid/frame.png' : undefined);
  const brush = shot.motionBrush;
  return {
    kind,
    model: shot.model,
    mode: shot.mode,
    duration: shot.duration,
    aspectRatio: shot.aspectRatio,
    prompt: shot.prompt,
    negativePrompt: shot.negativePrompt || undefined,
    cfgScale: shot.cfgScale,
    camera: cameraSpec(shot.camera),
    startImage: img(shot.startImage),
    endImage: img(shot.endImage),
    staticMask: brush?.staticMask ? { base64: brush.staticMask } : undefined,
    dynamicMasks: brush?.dynamicMasks.length ? brush.dynamicMasks.map((d) => ({ mask: { base64: d.mask }, trajectories: d.trajectories })) : undefined,
    externalTaskId: shot.id,
  };
}

export function shotProblems(shot: Shot, index: number, shots: Shot[]): Problem[] {
  const out = checkVideoRequest(toRequest(shot));
  if (shot.startImage === '@previous' && index === 0) out.push({ field: 'startImage', message: 'the first shot has no previous shot to chain from' });
  if (shots.filter((s) => s.id === shot.id).length > 1) out.push({ field: 'id', message: `id "${shot.id}" is used twice` });
  if (shot.takes < 1 || shot.takes > 20) out.push({ field: 'takes', message: 'takes must be 1 to 20' });
  return out;
}

export const shotUnits = (shot: Shot): number =>
  unitsPerClip({ kind: shot.startImage ? 'image2video' : 'text2video', model: shot.model, mode: shot.mode, duration: shot.duration }) * shot.takes;

// ---------- import / export ----------

const CSV_COLUMNS = ['id', 'prompt', 'negativePrompt', 'model', 'mode', 'duration', 'aspectRatio', 'cfgScale', 'camera', 'startImage', 'endImage', 'takes', 'subject'] as const;

function clean(shot: Shot): Record<string, unknown> {
  const out: Record<string, unknown> = {};
  for (const [k, v] of Object.entries(shot)) if (v !== undefined && v !== '') out[k] = v;
  return out;
}

export const toJson = (sb: Storyboard): string => JSON.stringify({ name: sb.name, shots: sb.shots.map(clean) }, null, 2);


export function toCsv(sb: Storyboard): string {
  const rows = sb.shots.map((s) => CSV_COLUMNS.map((c) => csvCell(s[c])).join(','));
  return [CSV_COLUMNS.join(','), ...rows].join('\n') + '\n';
}

/** Rows of a CSV storyboard: the shared reader (comma or semicolon, BOM dropped; shared/storyboard/csv.ts). */
export function parseCsv(text: string): string[][] {
  return readCsv(text).records.map((r) => r.cells);
}

function fail(msg: string): never {
  throw new Error(msg);
}

function toShot(raw: Record<string, unknown>, where: string, defaults: Record<string, unknown>): Shot {
  const known = new Set<string>([...CSV_COLUMNS, 'motionBrush']);
  const unknown = Object.keys(raw).filter((k) => !known.has(k));
  if (unknown.length) fail(`${where}: unknown field ${unknown.join(', ')}`);
  const r = { ...defaults, ...raw };
  const model = (r.model ?? 'kling-v2-5-turbo') as KlingModel;
  if (!MODELS.includes(model)) fail(`${where}: model "${String(r.model)}" is not a Kling model (${MODELS.join(', ')})`);
  const mode = (r.mode ?? 'std') as KlingMode;
  if (!MODES.includes(mode)) fail(`${where}: mode must be std or pro`);
  const aspectRatio = (r.aspectRatio ?? '16:9') as AspectRatio;
  if (!ASPECT_RATIOS.includes(aspectRatio)) fail(`${where}: aspectRatio must be ${ASPECT_RATIOS.join(', ')}`);
  const duration = Number(r.duration ?? CAPABILITIES[model].durations[0]);
  if (!Number.isFinite(duration)) fail(`${where}: duration must be a number of seconds`);
  const takes = Number(r.takes ?? 1);
  if (typeof r.id !== 'string' || !r.id) fail(`${where}: id is required`);
  const str = (v: unknown): string | undefined => (typeof v === 'string' && v !== '' ? v : undefined);
  let camera = r.camera as Shot['camera'];
  if (typeof camera === 'string' && camera.startsWith('{')) camera = JSON.parse(camera) as CameraSpec;
  return {
    id: r.id,
    prompt: str(r.prompt) ?? '',
    negativePrompt: str(r.negativePrompt),
    model,
    mode,
    duration,
    aspectRatio,
    cfgScale: r.cfgScale === undefined || r.cfgScale === '' ? undefined : Number(r.cfgScale),
    camera: camera === '' ? undefined : camera,
    startImage: str(r.startImage),
    endImage: str(r.endImage),
    motionBrush: r.motionBrush as MotionBrush | undefined,
    takes,
    subject: str(r.subject),
  };
}

export function fromText(text: string, fileName: string): Storyboard {
  if (fileName.toLowerCase().endsWith('.csv')) {
    const [header, ...rows] = parseCsv(text);
    if (!header) fail(`${fileName}: empty CSV`);
    const name = fileName.replace(/\.csv$/i, '');
    return {
      name,
      shots: rows.map((row, i) => {
        const raw: Record<string, unknown> = {};
        header.forEach((h, j) => {
          if (row[j] !== undefined && row[j] !== '') raw[h] = row[j];
        });
        return toShot(raw, `${fileName} row ${i + 2}`, {});
      }),
    };
  }
  const doc = JSON.parse(text) as { name?: unknown; defaults?: Record<string, unknown>; shots?: unknown };
  if (!Array.isArray(doc.shots)) fail(`${fileName}: "shots" must be a list`);
  return {
    name: typeof doc.name === 'string' ? doc.name : fileName.replace(/\.json$/i, ''),
    shots: (doc.shots as Record<string, unknown>[]).map((s, i) => toShot(s, `${fileName} shots[${i}]`, doc.defaults ?? {})),
  };
}
