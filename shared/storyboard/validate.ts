/**
 * Storyboard text -> resolved shots, or every problem in it (never a partial result: a
 * file with errors enqueues nothing). Pure, so the renderer can run it as the user types;
 * the core passes `resolvePath`/`fileExists` so relative image paths resolve against the
 * storyboard's folder and missing files are caught before anything is queued.
 */
import { cameraWords, promptWithCamera } from '../kling/camera';
import { CAPABILITIES, defaultAudio, lookupModel, MODE_TO_RESOLUTION, type AudioSetting, type Resolution } from '../kling/capabilities';
import { looksLikeUrl } from '../kling/images';
import { DEFAULT_CURRENCY, describeRate, unitsPerClip, unitsToCurrency } from '../kling/prices';
import { checkVideoRequest, type VideoRequest } from '../kling/request';
import { ShotlineError } from '../result';
import { parseCsv } from './csv';
import { outsidePathProblem } from './paths';
import {
  BUILTIN_DEFAULTS,
  DEFAULT_RESOLUTION,
  FIELD_ALLOWED,
  FIELD_SCHEMAS,
  MAX_SHOTS,
  NOT_IN_DEFAULTS,
  PREVIOUS_FRAME,
  SHOT_FIELDS,
  type ResolvedElement,
  type ResolvedScene,
  type ResolvedShot,
  type ShotField,
  type StoryboardEstimate,
  type StoryboardProblem,
} from './schema';

export type StoryboardFormat = 'json' | 'csv';

export interface ParseOptions {
  /** Shown in every problem (the file's name or path). */
  file: string;
  format?: StoryboardFormat;
  /** Resolves a relative image path against the storyboard's folder (core: path.resolve). */
  resolvePath?: (relative: string) => string;
  /** Checks a resolved local image exists (core: fs). Omitted: not checked. */
  fileExists?: (absolute: string) => boolean;
  /** CSV has no name field: the storyboard name (default: the file's base name). */
  name?: string;
  /** The user consented to image paths outside the storyboard's folder (issue 16.3). */
  allowOutsidePaths?: boolean;
  /** Core: why a resolved path is outside the folder after following symlinks (realpath), or null. */
  confine?: (absolute: string) => string | null;
}

export interface ParsedStoryboard {
  name: string;
  shots: ResolvedShot[];
  /** Top-level `elements`, paths resolved (issue 13 item 2). */
  elements: ResolvedElement[];
  /** Multi-shot scenes in storyboard order (issue 13 item 1); their shots are in `shots` too. */
  scenes: ResolvedScene[];
}

export type ParseResult = { ok: true; storyboard: ParsedStoryboard; problems: [] } | { ok: false; storyboard: null; problems: StoryboardProblem[] };

const FIELD_SET: ReadonlySet<string> = new Set(SHOT_FIELDS);
const NUMERIC: ReadonlySet<ShotField> = new Set(['duration', 'cfgScale', 'takes']);
const JSON_CELLS: ReadonlySet<ShotField> = new Set(['camera', 'motionBrush']);
/** Fields of the first format that no live model takes, with the fix (kling-api.md §2). */
const RETIRED_FIELDS = ['cfgScale', 'motionBrush'] as const;
const RETIRED_FIELD_FIX: Record<(typeof RETIRED_FIELDS)[number], string> = {
  cfgScale: 'no live Kling model takes cfg scale; remove the field (shotline storyboard upgrade does)',
  motionBrush: 'no live Kling model takes a motion brush (it died with kling-v1 and kling-v1-5); describe the motion in the prompt, or remove the field (shotline storyboard upgrade does)',
};
const IMAGE_EXT = /\.(png|jpe?g)$/i;
const MAX_PROBLEMS = 200;

function show(v: unknown): string {
  if (v === undefined) return '(missing)';
  const s = JSON.stringify(v) ?? typeof v;
  return s.length > 80 ? `${s.slice(0, 77)}...` : s;
}

/** Closest known name, for "did you mean". */
function suggest(name: string, options: readonly string[]): string | null {
  const lower = name.toLowerCase().replace(/[_\s-]/g, '');
  const hit = options.find((o) => o.toLowerCase() === lower);
  if (hit) return hit;
  let best: string | null = null;
  let bestD = 3;
  for (const o of options) {
    const d = distance(lower, o.toLowerCase());
    if (d < bestD) {
      bestD = d;
      best = o;
    }
  }
  return best;
}

function distance(a: string, b: string): number {
  const dp = Array.from({ length: b.length + 1 }, (_, j) => j);
  for (let i = 1; i <= a.length; i++) {
    let prev = dp[0] as number;
    dp[0] = i;
    for (let j = 1; j <= b.length; j++) {
      const tmp = dp[j] as number;
      dp[j] = Math.min((dp[j] as number) + 1, (dp[j - 1] as number) + 1, prev + (a[i - 1] === b[j - 1] ? 0 : 1));
      prev = tmp;
    }
  }
  return dp[b.length] as number;
}

interface RawShot {
  values: Record<string, unknown>;
  row: number | null;
  index: number;
}

/** Splits a storyboard text into a name, defaults and raw shots (structure problems only). */
function readStructure(content: string, opts: ParseOptions, problems: StoryboardProblem[]): { name: string; defaults: Record<string, unknown>; shots: RawShot[] } | null {
  const file = opts.file;
  const format = opts.format ?? (/\.csv$/i.test(file) ? 'csv' : 'json');
  const add = (message: string, extra: Partial<StoryboardProblem> = {}): void => {
    problems.push({ file, row: null, shot: null, field: null, value: null, message, ...extra });
  };
  if (format === 'csv') {
    const { records, error, separator } = parseCsv(content);
    if (error) {
      add(error.message, { row: error.line });
      return null;
    }
    const header = records[0];
    if (!header) {
      add(`the file is empty; the first row names the columns (${SHOT_FIELDS.join(', ')})`);
      return null;
    }
    const cols = header.cells.map((c) => c.trim());
    // A first line naming no known column is not a storyboard header (e.g. /etc/passwd):
    // say so without echoing any of it (issue 16.3).
    if (!cols.some((c) => FIELD_SET.has(c) || suggest(c, SHOT_FIELDS) !== null)) {
      add(`the first row is not a storyboard header: it names none of the columns (${SHOT_FIELDS.join(', ')}); is this a storyboard CSV?`, { row: header.line });
      return null;
    }
    const seen = new Set<string>();
    cols.forEach((c, i) => {
      if (!FIELD_SET.has(c)) {
        const s = suggest(c, SHOT_FIELDS);
        add(`unknown column "${c}" (column ${i + 1})${s ? `; did you mean "${s}"?` : ''} Allowed columns: ${SHOT_FIELDS.join(', ')}`, { row: header.line, field: c || `(column ${i + 1})`, value: show(c) });
      } else if (seen.has(c)) add(`column "${c}" appears twice; keep one`, { row: header.line, field: c, value: null });
      seen.add(c);
    });
    if (!seen.has('id')) add('no "id" column; every shot needs an id', { row: header.line, field: 'id', value: null });
    if (records.length < 2) add('no shots: add one row per shot under the header', { row: header.line });
    const shots: RawShot[] = [];
    records.slice(1).forEach((r, i) => {
      if (r.cells.length > cols.length) {
        add(`${r.cells.length} cells but the header has ${cols.length} columns; quote cells that contain ${separator === ';' ? 'semicolons' : 'commas'}`, { row: r.line });
      }
      const values: Record<string, unknown> = {};
      cols.forEach((c, j) => {
        const raw = r.cells[j];
        if (raw === undefined || raw.trim() === '' || !FIELD_SET.has(c)) return;
        values[c] = raw;
      });
      shots.push({ values, row: r.line, index: i });
    });
    const base = file.split(/[\\/]/).pop() ?? file;
    return { name: opts.name ?? base.replace(/\.[^.]*$/, ''), defaults: {}, shots };
  }
  let data: unknown;
  try {
    data = JSON.parse(content.charCodeAt(0) === 0xfeff ? content.slice(1) : content);
  } catch (err) {
    // The engine's message quotes the text it choked on: only the position is kept (issue 16.3).
    const m = /position (\d+)/.exec((err as Error).message);
    const line = m ? content.slice(0, Number(m[1])).split('\n').length : null;
    add(`not valid JSON${line ? ` near line ${line}` : ''}; check commas, quotes and brackets (or give a .csv file as CSV)`, { row: line });
    return null;
  }
  if (typeof data !== 'object' || data === null || Array.isArray(data)) {
    add('the file must be a JSON object {"name": ..., "defaults": {...}, "shots": [...]}', { value: Array.isArray(data) ? '(a list)' : typeof data });
    return null;
  }
  const obj = data as Record<string, unknown>;
  for (const k of Object.keys(obj)) {
    if (!['name', 'defaults', 'shots'].includes(k)) add(`unknown top-level field "${k}"; allowed: name, defaults, shots`, { field: k, value: show(obj[k]) });
  }
  let name = opts.name ?? '';
  if (typeof obj.name !== 'string' || obj.name.trim() === '' || obj.name.length > 100) {
    add('"name" must be text of 1 to 100 characters', { field: 'name', value: show(obj.name) });
  } else name = obj.name.trim();
  let defaults: Record<string, unknown> = {};
  if (obj.defaults !== undefined) {
    if (typeof obj.defaults !== 'object' || obj.defaults === null || Array.isArray(obj.defaults)) {
      add('"defaults" must be an object of shot fields', { field: 'defaults', value: show(obj.defaults) });
    } else {
      defaults = obj.defaults as Record<string, unknown>;
      for (const k of Object.keys(defaults)) {
        if (!FIELD_SET.has(k)) {
          const s = suggest(k, SHOT_FIELDS);
          add(`unknown field "${k}" in defaults${s ? `; did you mean "${s}"?` : ''} Allowed: ${SHOT_FIELDS.filter((f) => !NOT_IN_DEFAULTS.has(f)).join(', ')}`, { field: `defaults.${k}`, value: show(defaults[k]) });
        } else if (NOT_IN_DEFAULTS.has(k as ShotField)) add(`"${k}" cannot be a default; give each shot its own`, { field: `defaults.${k}`, value: show(defaults[k]) });
      }
    }
  }
  if (!Array.isArray(obj.shots) || obj.shots.length === 0) {
    add('"shots" must be a non-empty list of shots', { field: 'shots', value: show(obj.shots) });
    return null;
  }
  const shots: RawShot[] = [];
  obj.shots.forEach((s, i) => {
    if (typeof s !== 'object' || s === null || Array.isArray(s)) {
      add('each shot must be an object {"id": ..., "prompt": ...}', { shot: `shots[${i}]`, value: show(s) });
      return;
    }
    shots.push({ values: s as Record<string, unknown>, row: null, index: i });
  });
  return { name, defaults, shots };
}

/** A CSV cell as the field's type ("5" -> 5; camera/motionBrush JSON cells parsed). */
function fromCell(field: ShotField, raw: string): { value: unknown; error?: string } {
  const t = raw.trim();
  if (NUMERIC.has(field)) {
    const n = Number(t);
    return Number.isFinite(n) && t !== '' ? { value: n } : { value: raw, error: 'not a number' };
  }
  if (JSON_CELLS.has(field) && t.startsWith('{')) {
    try {
      return { value: JSON.parse(t) as unknown };
    } catch {
      return { value: raw, error: 'not valid JSON in this cell' };
    }
  }
  return { value: field === 'prompt' || field === 'negativePrompt' ? raw : t };
}

function resolveImage(value: string, opts: ParseOptions): string {
  if (value === PREVIOUS_FRAME || looksLikeUrl(value)) return value;
  return opts.resolvePath ? opts.resolvePath(value) : value;
}

export function parseStoryboard(content: string, opts: ParseOptions): ParseResult {
  const problems: StoryboardProblem[] = [];
  const structure = readStructure(content, opts, problems);
  if (!structure) return { ok: false, storyboard: null, problems };
  const { shots: raws, defaults } = structure;
  const file = opts.file;
  if (raws.length > MAX_SHOTS) {
    problems.push({ file, row: null, shot: null, field: 'shots', value: String(raws.length), message: `at most ${MAX_SHOTS} shots in one storyboard; split it` });
    return { ok: false, storyboard: null, problems };
  }
  const isCsv = raws[0]?.row !== null && raws[0]?.row !== undefined;

  // Defaults are checked once, by themselves.
  const defaultValues: Record<string, unknown> = { ...BUILTIN_DEFAULTS };
  for (const [k, v] of Object.entries(defaults)) {
    if (!FIELD_SET.has(k) || NOT_IN_DEFAULTS.has(k as ShotField)) continue;
    const r = FIELD_SCHEMAS[k as ShotField].safeParse(v);
    const bad = r.success && k === 'model' ? modelProblem(r.data as string) : (RETIRED_FIELDS as readonly string[]).includes(k) ? RETIRED_FIELD_FIX[k as (typeof RETIRED_FIELDS)[number]] : null;
    if (!r.success) problems.push({ file, row: null, shot: null, field: `defaults.${k}`, value: show(v), message: `not allowed; use ${FIELD_ALLOWED[k as ShotField]}` });
    else if (bad) problems.push({ file, row: null, shot: null, field: 'defaults.model', value: show(v), message: bad });
    else defaultValues[k] = r.data;
  }

  const ids = new Map<string, number>();
  const shots: ResolvedShot[] = [];
  for (const raw of raws) {
    if (problems.length >= MAX_PROBLEMS) break;
    const idValue = raw.values.id;
    const label = typeof idValue === 'string' && idValue.trim() !== '' ? JSON.stringify(idValue.trim()) : isCsv ? null : `shots[${raw.index}]`;
    const start = problems.length;
    const add = (field: string | null, value: unknown, message: string): void => {
      problems.push({ file, row: raw.row, shot: label, field, value: value === null ? null : show(value), message });
    };
    const v: Record<string, unknown> = { ...defaultValues };
    for (const [k, val] of Object.entries(raw.values)) {
      if (!FIELD_SET.has(k)) {
        const s = suggest(k, SHOT_FIELDS);
        add(k, val, `unknown field "${k}"${s ? `; did you mean "${s}"?` : ''} Allowed: ${SHOT_FIELDS.join(', ')}`);
        continue;
      }
      const field = k as ShotField;
      let value = val;
      if (isCsv && typeof val === 'string') {
        const c = fromCell(field, val);
        if (c.error) {
          add(field, val, `${c.error}; use ${FIELD_ALLOWED[field]}`);
          continue;
        }
        value = c.value;
      }
      if (value === null) continue;
      const r = FIELD_SCHEMAS[field].safeParse(value);
      if (!r.success) {
        add(field, value, `not allowed; use ${FIELD_ALLOWED[field]}`);
        continue;
      }
      const bad = field === 'model' ? modelProblem(r.data as string) : null;
      if (bad) {
        add(field, value, bad);
        continue;
      }
      v[field] = r.data;
    }
    if (v.id === undefined && raw.values.id === undefined) add('id', null, `missing; every shot needs an id (${FIELD_ALLOWED.id})`);
    else if (v.id !== undefined) {
      const id = v.id as string;
      const first = ids.get(id);
      if (first !== undefined) add('id', id, `duplicate shot id (first used by shot ${first + 1}); ids must be unique`);
      else ids.set(id, raw.index);
    }
    if (v.model === undefined && raw.values.model === undefined) add('model', null, `missing (set it on the shot or in defaults); use ${FIELD_ALLOWED.model}`);
    if (problems.length > start) continue;

    // Images: resolve and check files exist.
    const images: Partial<Record<'startImage' | 'endImage', string>> = {};
    const checkImage = (field: string, value: string): string => {
      if (value === PREVIOUS_FRAME) {
        if (field !== 'startImage') add(field, value, `"${PREVIOUS_FRAME}" is only allowed for startImage`);
        else if (shots.length === 0 && raw.index === 0) add(field, value, `the first shot has no previous shot; give an image path or URL`);
        return value;
      }
      if (looksLikeUrl(value)) {
        if (!/^https:\/\//i.test(value)) add(field, value, 'image URLs must be https; or give a local path');
        return value;
      }
      // Only the storyboard's own folder (issue 16.3), checked before anything touches the path.
      const outside = opts.allowOutsidePaths ? null : outsidePathProblem(value, { absoluteChecked: opts.confine !== undefined });
      if (outside) {
        add(field, value, outside);
        return value;
      }
      const abs = resolveImage(value, opts);
      const escaped = opts.allowOutsidePaths ? null : (opts.confine?.(abs) ?? null);
      if (!IMAGE_EXT.test(value)) add(field, value, 'images must be .png, .jpg or .jpeg');
      else if (escaped) add(field, value, escaped);
      else if (opts.fileExists && !opts.fileExists(abs)) add(field, value, `no such file (looked for ${abs}); paths are relative to the storyboard's folder`);
      return abs;
    };
    if (typeof v.startImage === 'string') images.startImage = checkImage('startImage', v.startImage);
    if (typeof v.endImage === 'string') images.endImage = checkImage('endImage', v.endImage);

    // Fields of the first format that no live model takes (kling-api.md §2: they died with their models).
    for (const f of RETIRED_FIELDS) if (raw.values[f] !== undefined) add(f, f === 'motionBrush' ? null : raw.values[f], RETIRED_FIELD_FIX[f]);
    let camera: string | undefined;
    if (v.camera !== undefined) {
      const c = cameraWords(v.camera);
      if (c.ok) camera = c.words;
      else add('camera', v.camera, c.message);
    }
    const resolution = resolveResolution(raw.values, defaults, (field, value, message) => add(field, value, message));
    const model = lookupModel(v.model as string);
    if (!model.ok || resolution === null) continue;
    const m = model.model;
    const audio: AudioSetting = (v.audio as AudioSetting | undefined) ?? defaultAudio(m);
    const hasImages = images.startImage !== undefined || images.endImage !== undefined;
    const written = typeof v.prompt === 'string' ? v.prompt : '';
    const shot: ResolvedShot = {
      id: v.id as string,
      index: raw.index,
      row: raw.row,
      kind: hasImages ? 'image2video' : 'text2video',
      prompt: promptWithCamera(written, camera),
      model: m,
      resolution,
      audio,
      duration: v.duration as number,
      aspectRatio: v.aspectRatio as ResolvedShot['aspectRatio'],
      takes: v.takes as number,
      unitsPerTake: 0,
      ...(camera ? { camera } : {}),
      ...(typeof v.negativePrompt === 'string' && v.negativePrompt !== '' ? { negativePrompt: v.negativePrompt } : {}),
      ...(images.startImage ? { startImage: images.startImage } : {}),
      ...(images.endImage ? { endImage: images.endImage } : {}),
      ...(typeof v.subject === 'string' ? { subject: v.subject } : {}),
    };
    // The capability table, with placeholder image values (files are loaded at submit). The
    // audio setting is checked only when the shot (or defaults) gave one.
    const req = toVideoRequest(shot, 'check');
    if (v.audio === undefined) delete req.audio;
    for (const p of checkVideoRequest(req)) {
      const field = p.field === 'resolution' && raw.values.resolution === undefined && raw.values.mode !== undefined ? 'mode' : p.field;
      add(field, field === 'prompt' ? `${shot.prompt.length} characters` : (v[field] ?? (field === 'resolution' ? resolution : null)), p.message);
    }
    shot.unitsPerTake = unitsPerClip(shot);
    if (problems.length === start) shots.push(shot);
  }
  if (problems.length > 0) return { ok: false, storyboard: null, problems };
  return { ok: true, storyboard: { name: structure.name, shots, elements: [], scenes: [] }, problems: [] };
}

/** Why a model name cannot be used (retired, unknown), or null when it is live or an alias of a live model. */
function modelProblem(name: string): string | null {
  const r = lookupModel(name);
  if (r.ok) return null;
  if (r.retired) {
    return `${r.retired.label} is ${r.retired.why}; use ${r.retired.replacement} instead (\`shotline storyboard upgrade FILE\` rewrites the file, or Upgrade in the app)`;
  }
  const s = suggest(name, Object.keys(CAPABILITIES));
  return `unknown model${s ? `; did you mean "${s}"?` : ''} Live models: ${Object.keys(CAPABILITIES).join(', ')}`;
}

/**
 * `resolution`, or the first format's `mode` read as one (std = 720p, pro = 1080p). The shot's
 * own fields win over defaults; a shot (or defaults) giving both that disagree is an error.
 */
function resolveResolution(shot: Record<string, unknown>, defaults: Record<string, unknown>, add: (field: string, value: unknown, message: string) => void): Resolution | null {
  const level = (o: Record<string, unknown>, where: string): Resolution | null | undefined => {
    const res = typeof o.resolution === 'string' ? (o.resolution as Resolution) : undefined;
    const mode = typeof o.mode === 'string' ? MODE_TO_RESOLUTION[o.mode.trim()] : undefined;
    if (res && mode && res !== mode) {
      add(`${where}mode`, o.mode, `mode ${String(o.mode)} means ${mode} but resolution is ${res}; keep only resolution`);
      return null;
    }
    return res ?? mode;
  };
  const own = level(shot, '');
  if (own !== undefined) return own;
  return level(defaults, 'defaults.') ?? DEFAULT_RESOLUTION;
}

/**
 * The Kling request for one take. `startImage` "@previous" must be replaced by the caller
 * (the engine passes the previous shot's last frame) before anything is sent. Shots stored by
 * the first format (`mode`, a legacy model name) are read as their live equivalents; a retired
 * model is refused with the fix.
 */
export function toVideoRequest(shot: ResolvedShot, externalTaskId: string, overrides: { prompt?: string; negativePrompt?: string; startImage?: string } = {}): VideoRequest {
  const startImage = overrides.startImage ?? shot.startImage;
  const legacy = shot as ResolvedShot & { mode?: string };
  const found = lookupModel(shot.model);
  if (!found.ok) {
    throw new ShotlineError({
      code: 'validation',
      where: `shot ${shot.id}, model`,
      message: `${shot.model} is ${found.retired?.why ?? 'not a live Kling model'}; ${found.retired ? `use ${found.retired.replacement}: ` : ''}upgrade the storyboard (shotline storyboard upgrade FILE) and import it again`,
    });
  }
  const resolution = shot.resolution ?? MODE_TO_RESOLUTION[legacy.mode ?? ''] ?? DEFAULT_RESOLUTION;
  const prompt = overrides.prompt ?? shot.prompt;
  const negativePrompt = overrides.negativePrompt ?? shot.negativePrompt;
  return {
    kind: shot.kind,
    model: found.model,
    resolution,
    duration: shot.duration,
    audio: shot.audio ?? defaultAudio(found.model),
    externalTaskId,
    ...(shot.kind === 'text2video' ? { aspectRatio: shot.aspectRatio } : {}),
    ...(prompt ? { prompt } : {}),
    ...(negativePrompt ? { negativePrompt } : {}),
    ...(startImage ? { startImage } : {}),
    ...(shot.endImage ? { endImage: shot.endImage } : {}),
  };
}

export function estimateStoryboard(shots: readonly ResolvedShot[]): StoryboardEstimate {
  const notes = new Set<string>();
  const rows = shots.map((s) => {
    if (s.resolution === '4k') notes.add(`${s.id}: 4K is billed at ${describeRate(s)}`);
    return {
      shotId: s.id,
      model: s.model,
      resolution: s.resolution,
      audio: s.audio,
      duration: s.duration,
      takes: s.takes,
      unitsPerTake: s.unitsPerTake,
      units: Math.round(s.unitsPerTake * s.takes * 1000) / 1000,
    };
  });
  const total = Math.round(rows.reduce((a, r) => a + r.units, 0) * 1000) / 1000;
  return {
    shots: rows,
    totalUnits: total,
    totalCurrency: { currency: DEFAULT_CURRENCY.currency, amount: unitsToCurrency(total) },
    jobs: rows.reduce((a, r) => a + r.takes, 0),
    notes: [...notes],
  };
}
