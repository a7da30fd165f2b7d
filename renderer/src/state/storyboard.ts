/**
 * The storyboard being edited: shots in the storyboard file's shape (DESIGN.md §4), a
 * reducer with undo/redo history, and the mapping to a Kling request for the inline checks.
 */
import {
  ASPECT_RATIOS,
  AUDIO_SETTINGS,
  cameraWords,
  CAPABILITIES,
  checkVideoRequest,
  DEFAULT_MODEL,
  lookupModel,
  MODE_TO_RESOLUTION,
  promptWithCamera,
  RESOLUTIONS,
  unitsPerClip,
  type AspectRatio,
  type AudioSetting,
  type KlingModel,
  type Problem,
  type Resolution,
  type VideoRequest,
} from '../../../shared/kling';
import { upgradeStoryboard } from '../../../shared/storyboard/upgrade';
// csvCell guards formula-looking cells (=, +, -, @) like the audit CSV (issue 16.7).
import { csvCell, parseCsv as readCsv } from '../../../shared/storyboard/csv';

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
    model: DEFAULT_MODEL,
    resolution: '720p',
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
      const shot = newShot(shots, prev ? { model: prev.model, resolution: prev.resolution, duration: prev.duration, aspectRatio: prev.aspectRatio, ...(prev.audio ? { audio: prev.audio } : {}) } : {});
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

/** The request Kling would get for this shot (images stand in as placeholders). */
export function toRequest(shot: Shot): VideoRequest {
  const kind = shot.startImage || shot.endImage ? 'image2video' : 'text2video';
  const img = (s?: string): string | undefined => (s ? 'https://example.invalid/frame.png' : undefined);
  return {
    kind,
    model: shot.model,
    resolution: shot.resolution,
    duration: shot.duration,
    aspectRatio: shot.aspectRatio,
    ...(shot.audio ? { audio: shot.audio } : {}),
    prompt: sentPrompt(shot),
    negativePrompt: shot.negativePrompt || undefined,
    startImage: img(shot.startImage),
    endImage: img(shot.endImage),
    externalTaskId: shot.id,
  };
}

export function shotProblems(shot: Shot, index: number, shots: Shot[]): Problem[] {
  const out = checkVideoRequest(toRequest(shot));
  const cam = cameraSentence(shot.camera);
  if (cam.error) out.push({ field: 'camera', message: cam.error });
  if (shot.startImage === '@previous' && index === 0) out.push({ field: 'startImage', message: 'the first shot has no previous shot to chain from' });
  if (shots.filter((s) => s.id === shot.id).length > 1) out.push({ field: 'id', message: `id "${shot.id}" is used twice` });
  if (shot.takes < 1 || shot.takes > 20) out.push({ field: 'takes', message: 'takes must be 1 to 20' });
  return out;
}

export const shotUnits = (shot: Shot): number => unitsPerClip({ model: shot.model, resolution: shot.resolution, duration: shot.duration, audio: shot.audio }) * shot.takes;

// ---------- import / export ----------

const CSV_COLUMNS = ['id', 'prompt', 'negativePrompt', 'model', 'resolution', 'duration', 'aspectRatio', 'audio', 'camera', 'startImage', 'endImage', 'takes', 'subject'] as const;

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
  const known = new Set<string>([...CSV_COLUMNS, 'mode']);
  const unknown = Object.keys(raw).filter((k) => !known.has(k));
  if (unknown.length) fail(`${where}: unknown field ${unknown.join(', ')}`);
  const r = { ...defaults, ...raw };
  const found = lookupModel(typeof r.model === 'string' ? r.model : DEFAULT_MODEL);
  if (!found.ok) fail(`${where}: model "${String(r.model)}" is ${found.retired ? `${found.retired.why}; use ${found.retired.replacement}` : `not a live Kling model (${Object.keys(CAPABILITIES).join(', ')})`}`);
  const model = found.model;
  const resolution = (r.resolution ?? MODE_TO_RESOLUTION[typeof r.mode === 'string' ? r.mode : 'std'] ?? '720p') as Resolution;
  if (!RESOLUTIONS.includes(resolution)) fail(`${where}: resolution must be ${RESOLUTIONS.join(', ')}`);
  const aspectRatio = (r.aspectRatio ?? '16:9') as AspectRatio;
  if (!ASPECT_RATIOS.includes(aspectRatio)) fail(`${where}: aspectRatio must be ${ASPECT_RATIOS.join(', ')}`);
  const audio = r.audio === undefined || r.audio === '' ? undefined : (r.audio as AudioSetting);
  if (audio !== undefined && !AUDIO_SETTINGS.includes(audio)) fail(`${where}: audio must be ${AUDIO_SETTINGS.join(' or ')}`);
  const duration = Number(r.duration ?? CAPABILITIES[model].durations[0]);
  if (!Number.isFinite(duration)) fail(`${where}: duration must be a number of seconds`);
  const takes = Number(r.takes ?? 1);
  if (typeof r.id !== 'string' || !r.id) fail(`${where}: id is required`);
  const str = (v: unknown): string | undefined => (typeof v === 'string' && v !== '' ? v : undefined);
  return {
    id: r.id,
    prompt: str(r.prompt) ?? '',
    negativePrompt: str(r.negativePrompt),
    model,
    resolution,
    ...(audio ? { audio } : {}),
    duration,
    aspectRatio,
    camera: str(r.camera),
    startImage: str(r.startImage),
    endImage: str(r.endImage),
    takes,
    subject: str(r.subject),
  };
}

function parseText(text: string, fileName: string): Storyboard {
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

/**
 * A storyboard file as the editor holds it. A file written for Kling's retired models is
 * upgraded on the way in (shared/storyboard/upgrade.ts, the same rewrite as
 * `shotline storyboard upgrade`); state/import-file.ts reports the changes to the user.
 */
export function fromText(text: string, fileName: string): Storyboard {
  const up = upgradeStoryboard(text, fileName.toLowerCase().endsWith('.csv') ? 'csv' : 'json');
  if (!up.ok) fail(`${fileName}: ${up.message}`);
  return parseText(up.text, fileName);
}
