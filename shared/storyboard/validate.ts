/**
 * Storyboard text -> resolved shots, or every problem in it (never a partial result: a
 * file with errors enqueues nothing). Pure, so the renderer can run it as the user types;
 * the core passes `resolvePath`/`fileExists` so relative image paths resolve against the
 * storyboard's folder and missing files are caught before anything is queued.
 */
import { cameraWords, promptWithCamera } from '../kling/camera';
import {
  CAPABILITIES,
  defaultAudio,
  lookupModel,
  MODE_TO_RESOLUTION,
  type AudioSetting,
  type Resolution,
} from '../kling/capabilities';
import { looksLikeUrl } from '../kling/images';
import { DEFAULT_CURRENCY, describeRate, unitsPerClip, unitsToCurrency } from '../kling/prices';
import { checkVideoRequest, type Problem, type VideoRequest } from '../kling/request';
import { ShotlineError } from '../result';
import { parseCsv } from './csv';
import { mentionedElements, omniKindProblem, parseElements, withShotSubjects } from './elements';
import { checkLocalFile, IMAGE_EXT } from './local-file';
import { elementRefs, sceneRequest, type ElementIds } from './scene-request';
import { checkScenes, sceneRuns, type SceneEntry } from './scenes';
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
  /**
   * Element ids the element library already has (a CSV storyboard has no top-level elements; the
   * app and CLI may pass the library's aliases so its shots can name them).
   */
  knownElements?: readonly string[];
}

export interface ParsedStoryboard {
  name: string;
  shots: ResolvedShot[];
  /** Top-level `elements`, paths resolved (issue 13 item 2). */
  elements: ResolvedElement[];
  /** Multi-shot scenes in storyboard order (issue 13 item 1); their shots are in `shots` too. */
  scenes: ResolvedScene[];
}

export type ParseResult =
  | { ok: true; storyboard: ParsedStoryboard; problems: [] }
  | { ok: false; storyboard: null; problems: StoryboardProblem[] };

const FIELD_SET: ReadonlySet<string> = new Set(SHOT_FIELDS);
const NUMERIC: ReadonlySet<ShotField> = new Set(['duration', 'cfgScale', 'takes']);
const JSON_CELLS: ReadonlySet<ShotField> = new Set(['camera', 'motionBrush']);
/** Fields of the first format that no live model takes, with the fix (kling-api.md §2). */
const RETIRED_FIELDS = ['cfgScale', 'motionBrush'] as const;
const RETIRED_FIELD_FIX: Record<(typeof RETIRED_FIELDS)[number], string> = {
  cfgScale: 'no live Kling model takes cfg scale; remove the field (shotline storyboard upgrade does)',
  motionBrush:
    'no live Kling model takes a motion brush (it died with kling-v1 and kling-v1-5); describe the motion in the prompt, or remove the field (shotline storyboard upgrade does)',
};
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
function readStructure(
  content: string,
  opts: ParseOptions,
  problems: StoryboardProblem[],
): { name: string; defaults: Record<string, unknown>; elements?: unknown; shots: RawShot[] } | null {
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
      add(
        `the first row is not a storyboard header: it names none of the columns (${SHOT_FIELDS.join(', ')}); is this a storyboard CSV?`,
        { row: header.line },
      );
      return null;
    }
    const seen = new Set<string>();
    cols.forEach((c, i) => {
      if (!FIELD_SET.has(c)) {
        const s = suggest(c, SHOT_FIELDS);
        add(
          `unknown column "${c}" (column ${i + 1})${s ? `; did you mean "${s}"?` : ''} Allowed columns: ${SHOT_FIELDS.join(', ')}`,
          { row: header.line, field: c || `(column ${i + 1})`, value: show(c) },
        );
      } else if (seen.has(c)) add(`column "${c}" appears twice; keep one`, { row: header.line, field: c, value: null });
      seen.add(c);
    });
    if (!seen.has('id')) add('no "id" column; every shot needs an id', { row: header.line, field: 'id', value: null });
    if (records.length < 2) add('no shots: add one row per shot under the header', { row: header.line });
    const shots: RawShot[] = [];
    records.slice(1).forEach((r, i) => {
      if (r.cells.length > cols.length) {
        add(
          `${r.cells.length} cells but the header has ${cols.length} columns; quote cells that contain ${separator === ';' ? 'semicolons' : 'commas'}`,
          { row: r.line },
        );
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
    add(
      `not valid JSON${line ? ` near line ${line}` : ''}; check commas, quotes and brackets (or give a .csv file as CSV)`,
      { row: line },
    );
    return null;
  }
  if (typeof data !== 'object' || data === null || Array.isArray(data)) {
    add('the file must be a JSON object {"name": ..., "defaults": {...}, "shots": [...]}', {
      value: Array.isArray(data) ? '(a list)' : typeof data,
    });
    return null;
  }
  const obj = data as Record<string, unknown>;
  for (const k of Object.keys(obj)) {
    if (!['name', 'defaults', 'elements', 'shots'].includes(k))
      add(`unknown top-level field "${k}"; allowed: name, defaults, elements, shots`, {
        field: k,
        value: show(obj[k]),
      });
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
          add(
            `unknown field "${k}" in defaults${s ? `; did you mean "${s}"?` : ''} Allowed: ${SHOT_FIELDS.filter((f) => !NOT_IN_DEFAULTS.has(f)).join(', ')}`,
            { field: `defaults.${k}`, value: show(defaults[k]) },
          );
        } else if (NOT_IN_DEFAULTS.has(k as ShotField))
          add(`"${k}" cannot be a default; give each shot its own`, {
            field: `defaults.${k}`,
            value: show(defaults[k]),
          });
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
  return { name, defaults, elements: obj.elements, shots };
}

/** A CSV cell as the field's type ("5" -> 5; camera/motionBrush JSON cells parsed). */
function fromCell(field: ShotField, raw: string): { value: unknown; error?: string } {
  const t = raw.trim();
  if (NUMERIC.has(field)) {
    const n = Number(t);
    return Number.isFinite(n) && t !== '' ? { value: n } : { value: raw, error: 'not a number' };
  }
  // README.md, "Storyboards": list fields in CSV are ";"-separated in one cell.
  if (field === 'elements')
    return {
      value: t
        .split(';')
        .map((x) => x.trim())
        .filter((x) => x !== ''),
    };
  if (JSON_CELLS.has(field) && t.startsWith('{')) {
    try {
      return { value: JSON.parse(t) as unknown };
    } catch {
      return { value: raw, error: 'not valid JSON in this cell' };
    }
  }
  return { value: field === 'prompt' || field === 'negativePrompt' ? raw : t };
}

/** Placeholder Kling ids for the check (the engine passes the library's ids when it sends). */
function placeholderIds(names: readonly string[]): ElementIds {
  return Object.fromEntries(names.map((n) => [n, '0']));
}

/** Request field -> storyboard field, for problems of the request a shot becomes. */
const REQUEST_TO_SHOT: Readonly<Record<string, string>> = {
  motion: 'motionReference',
  'motion.video': 'motionReference',
  shots: 'scene',
};

export function parseStoryboard(content: string, opts: ParseOptions): ParseResult {
  const problems: StoryboardProblem[] = [];
  const structure = readStructure(content, opts, problems);
  if (!structure) return { ok: false, storyboard: null, problems };
  const { shots: raws, defaults } = structure;
  const file = opts.file;
  const elements = parseElements(
    structure.elements,
    opts,
    (p) => problems.push({ file, row: null, shot: p.shot ?? null, field: p.field, value: p.value, message: p.message }),
    suggest,
  );
  const elementsById = new Map(elements.map((e) => [e.id, e]));
  const elementIds = [...elementsById.keys(), ...(opts.knownElements ?? []).filter((k) => !elementsById.has(k))];
  const sceneEntries: SceneEntry[] = [];
  const rowOf = new Map<SceneEntry, number | null>();
  if (raws.length > MAX_SHOTS) {
    problems.push({
      file,
      row: null,
      shot: null,
      field: 'shots',
      value: String(raws.length),
      message: `at most ${MAX_SHOTS} shots in one storyboard; split it`,
    });
    return { ok: false, storyboard: null, problems };
  }
  const isCsv = raws[0]?.row !== null && raws[0]?.row !== undefined;

  // Defaults are checked once, by themselves.
  const defaultValues: Record<string, unknown> = { ...BUILTIN_DEFAULTS };
  for (const [k, v] of Object.entries(defaults)) {
    if (!FIELD_SET.has(k) || NOT_IN_DEFAULTS.has(k as ShotField)) continue;
    const r = FIELD_SCHEMAS[k as ShotField].safeParse(v);
    const bad =
      r.success && k === 'model'
        ? modelProblem(r.data as string)
        : (RETIRED_FIELDS as readonly string[]).includes(k)
          ? RETIRED_FIELD_FIX[k as (typeof RETIRED_FIELDS)[number]]
          : null;
    if (!r.success)
      problems.push({
        file,
        row: null,
        shot: null,
        field: `defaults.${k}`,
        value: show(v),
        message: `not allowed; use ${FIELD_ALLOWED[k as ShotField]}`,
      });
    else if (bad) problems.push({ file, row: null, shot: null, field: 'defaults.model', value: show(v), message: bad });
    else defaultValues[k] = r.data;
  }

  const ids = new Map<string, number>();
  const shots: ResolvedShot[] = [];
  for (const raw of raws) {
    if (problems.length >= MAX_PROBLEMS) break;
    const idValue = raw.values.id;
    const label =
      typeof idValue === 'string' && idValue.trim() !== ''
        ? JSON.stringify(idValue.trim())
        : isCsv
          ? null
          : `shots[${raw.index}]`;
    const start = problems.length;
    const add = (field: string | null, value: unknown, message: string): void => {
      problems.push({ file, row: raw.row, shot: label, field, value: value === null ? null : show(value), message });
    };
    const v: Record<string, unknown> = { ...defaultValues };
    const entry: SceneEntry = { shot: null, scene: undefined, label: label ?? `row ${raw.row ?? raw.index + 1}` };
    sceneEntries.push(entry);
    rowOf.set(entry, raw.row);
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
    if (v.id === undefined && raw.values.id === undefined)
      add('id', null, `missing; every shot needs an id (${FIELD_ALLOWED.id})`);
    else if (v.id !== undefined) {
      const id = v.id as string;
      const first = ids.get(id);
      if (first !== undefined) add('id', id, `duplicate shot id (first used by shot ${first + 1}); ids must be unique`);
      else ids.set(id, raw.index);
    }
    if (v.model === undefined && raw.values.model === undefined)
      add('model', null, `missing (set it on the shot or in defaults); use ${FIELD_ALLOWED.model}`);
    if (typeof v.scene === 'string') entry.scene = v.scene;
    if (problems.length > start) continue;
    const inScene = typeof v.scene === 'string';

    // Images: resolve and check files exist.
    const images: Partial<Record<'startImage' | 'endImage', string>> = {};
    const checkImage = (field: string, value: string): string => {
      if (value === PREVIOUS_FRAME) {
        if (field !== 'startImage') add(field, value, `"${PREVIOUS_FRAME}" is only allowed for startImage`);
        else if (shots.length === 0 && raw.index === 0)
          add(field, value, `the first shot has no previous shot; give an image path or URL`);
        return value;
      }
      if (looksLikeUrl(value)) {
        if (!/^https:\/\//i.test(value)) add(field, value, 'image URLs must be https; or give a local path');
        return value;
      }
      // Only the storyboard's own folder (issue 16.3), checked before anything touches the path.
      const r = checkLocalFile(value, IMAGE_EXT, 'images must be .png, .jpg or .jpeg', opts);
      if (r.problem) add(field, value, r.problem);
      return r.abs;
    };
    if (typeof v.startImage === 'string') images.startImage = checkImage('startImage', v.startImage);
    if (typeof v.endImage === 'string') images.endImage = checkImage('endImage', v.endImage);

    // Fields of the first format that no live model takes (kling-api.md §2: they died with their models).
    for (const f of RETIRED_FIELDS)
      if (raw.values[f] !== undefined) add(f, f === 'motionBrush' ? null : raw.values[f], RETIRED_FIELD_FIX[f]);
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
    // Motion control (kling-api.md §5.6): the reference video drives the motion. Its only sound is
    // the reference's (Kling's `original`, the default): audio native or absent keeps it, off drops it.
    const motion = typeof v.motionReference === 'string';
    if (motion && v.characterOrientation === undefined)
      add('characterOrientation', null, `missing; motionReference needs it: ${FIELD_ALLOWED.characterOrientation}`);
    if (!motion && v.characterOrientation !== undefined)
      add(
        'characterOrientation',
        v.characterOrientation,
        'only with motionReference (motion control); remove it, or add the reference video',
      );
    const audio: AudioSetting = (v.audio as AudioSetting | undefined) ?? (motion ? 'native' : defaultAudio(m));
    const hasImages = images.startImage !== undefined || images.endImage !== undefined;
    const written = typeof v.prompt === 'string' ? v.prompt : '';
    // Elements: every id named exists (top-level elements, or the library's when the caller passed them).
    const named = Array.isArray(v.elements) ? [...new Set(v.elements as string[])] : [];
    for (const id of named) {
      if (elementIds.includes(id)) continue;
      const s = suggest(id, elementIds);
      const where = isCsv
        ? 'a CSV storyboard has no top-level elements: create it in the element library first (the Elements page), or use a JSON storyboard with "elements"'
        : 'declare it in the top-level "elements" (id + frontalImage + referenceImages, a video, or a klingId)';
      add(
        'elements',
        id,
        `no element "${id}"${s ? ` (did you mean "${s}"?)` : ''}; ${elementIds.length ? `known: ${elementIds.join(', ')}; ` : ''}${where}`,
      );
    }
    if (m === 'kling-o1') {
      for (const id of named)
        if (elementsById.get(id)?.source === 'video')
          add(
            'elements',
            id,
            `${id} is a video element; kling-o1 takes image elements only; use kling-3.0-omni or kling-3.0, or an element made from images`,
          );
    }
    const shot: ResolvedShot = {
      id: v.id as string,
      index: raw.index,
      row: raw.row,
      kind: motion ? 'motion' : hasImages ? 'image2video' : 'text2video',
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
      ...(inScene ? { scene: v.scene as string } : {}),
      ...(named.length ? { elements: named } : {}),
      ...(motion ? { motionReference: v.motionReference as string } : {}),
      ...(motion && v.characterOrientation !== undefined
        ? { characterOrientation: v.characterOrientation as ResolvedShot['characterOrientation'] }
        : {}),
    };
    if (problems.length > start) continue;
    // The capability table, with placeholder image values (files are loaded at submit) and Kling
    // ids (the library fills them). The audio setting is checked only when the shot (or defaults)
    // gave one. A shot of a scene is checked here for what is its own; its duration, frames and
    // elements are the scene's (scenes.ts, then the scene's request below).
    const req = toVideoRequest(shot, 'check', { elements: placeholderIds(named) });
    if (v.audio === undefined) delete req.audio;
    const sceneOwned = new Set(['duration', 'startImage', 'endImage', 'elements', 'prompt']);
    for (const p of checkVideoRequest(req)) {
      if (inScene && sceneOwned.has(p.field)) continue;
      const mapped = REQUEST_TO_SHOT[p.field] ?? p.field;
      const field =
        mapped === 'resolution' && raw.values.resolution === undefined && raw.values.mode !== undefined
          ? 'mode'
          : mapped;
      add(
        field,
        field === 'prompt'
          ? `${shot.prompt.length} characters`
          : (v[field] ?? (field === 'resolution' ? resolution : null)),
        p.message,
      );
    }
    shot.unitsPerTake = unitsPerClip(shot);
    if (problems.length === start) {
      shots.push(shot);
      entry.shot = shot;
    }
  }
  if (problems.length >= MAX_PROBLEMS) return { ok: false, storyboard: null, problems };

  // Scenes: their own rules, then the one request each becomes (elements, frames, audio per model).
  const sceneProblem = (e: SceneEntry, field: string, value: unknown, message: string): void => {
    problems.push({
      file,
      row: rowOf.get(e) ?? null,
      shot: e.shot ? JSON.stringify(e.shot.id) : e.label,
      field,
      value: value === null ? null : show(value),
      message,
    });
  };
  const scenes = checkScenes(sceneEntries, sceneProblem);
  for (const scene of scenes) {
    const run = sceneRuns(sceneEntries, (e) => e.scene).find((r) => r[0]?.shot?.id === scene.shotIds[0]) ?? [];
    const members = run.map((e) => e.shot as ResolvedShot);
    const names = members.flatMap((s) => s.elements ?? []);
    const req = sceneRequest(scene, members, 'check', { elements: placeholderIds(names) });
    if (
      members[0]?.audio !== undefined &&
      raws[members[0].index]?.values.audio === undefined &&
      defaults.audio === undefined
    )
      delete req.audio;
    for (const p of checkVideoRequest(req)) sceneRequestProblem(p, run, scene.id, sceneProblem);
    for (const s of members) s.kind = req.kind;
  }
  // A prompt naming `@x` sends it to Kling as an element: x must be one the shot (or its scene) sends.
  for (const run of [
    ...sceneRuns(sceneEntries, (e) => e.scene),
    ...sceneEntries.filter((e) => e.scene === undefined).map((e) => [e]),
  ]) {
    const sends = new Set(run.flatMap((e) => e.shot?.elements ?? []));
    // Kling confuses aliases where one begins the other (`@Zhang` and `@ZhangSan`, kling-api.md §5.2).
    const clash = [...sends].flatMap((x) =>
      [...sends].filter((y) => y !== x && y.startsWith(x)).map((y) => [x, y] as const),
    )[0];
    const holder = run.find((e) => e.shot?.elements?.some((x) => clash?.includes(x)));
    const lead = run[0]?.shot;
    const kinds = lead?.model === 'kling-3.0-omni' ? omniKindProblem([...sends], elementsById) : null;
    const holds = run.find((e) => e.shot?.elements?.length);
    if (kinds && holds)
      sceneProblem(
        holds,
        'elements',
        holds.shot?.elements ?? null,
        `${kinds}; send fewer, or split the ${run.length > 1 ? 'scene' : 'shot'}`,
      );
    if (clash && holder) {
      sceneProblem(
        holder,
        'elements',
        holder.shot?.elements ?? null,
        `${clash[0]} and ${clash[1]} go to Kling together and one begins the other, which Kling's prompts confuse (kling-api.md §5.2); rename one element (e.g. ${clash[0]}_a)`,
      );
    }
    for (const e of run) {
      if (!e.shot) continue;
      for (const id of mentionedElements(e.shot.prompt)) {
        if (!sends.has(id)) {
          sceneProblem(
            e,
            'prompt',
            `@${id}`,
            `the prompt names @${id}, which is no element of this shot${e.scene ? ` or its scene ${e.scene}` : ''}; add "${id}" to the shot's elements${elementIds.includes(id) ? '' : ' (and declare it in the top-level elements)'}, or write the name without "@"`,
          );
        }
      }
    }
  }
  if (problems.length > 0) return { ok: false, storyboard: null, problems };
  return {
    ok: true,
    storyboard: { name: structure.name, shots, elements: withShotSubjects(elements, shots), scenes },
    problems: [],
  };
}

/** A problem of a scene's request, on the shot and field that can fix it. */
function sceneRequestProblem(
  p: Problem,
  run: readonly SceneEntry[],
  scene: string,
  add: (e: SceneEntry, field: string, value: unknown, message: string) => void,
): void {
  const first = run[0] as SceneEntry;
  const last = run[run.length - 1] as SceneEntry;
  if (p.field === 'shots' || p.field === 'duration' || p.field === 'model') return; // scenes.ts said it in the storyboard's words
  if (p.field === 'endImage') return add(last, 'endImage', last.shot?.endImage ?? null, `scene ${scene}: ${p.message}`);
  if (p.field === 'elements') {
    const holder = run.find((e) => e.shot?.elements?.length) ?? first;
    return add(
      holder,
      'elements',
      holder.shot?.elements ?? null,
      `scene ${scene} sends ${[...new Set(run.flatMap((e) => e.shot?.elements ?? []))].join(', ')} together: ${p.message}`,
    );
  }
  const field = p.field === 'prompt' ? 'prompt' : p.field;
  add(first, field, null, `scene ${scene}: ${p.message}`);
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
function resolveResolution(
  shot: Record<string, unknown>,
  defaults: Record<string, unknown>,
  add: (field: string, value: unknown, message: string) => void,
): Resolution | null {
  const level = (o: Record<string, unknown>, where: string): Resolution | null | undefined => {
    const res = typeof o.resolution === 'string' ? (o.resolution as Resolution) : undefined;
    const mode = typeof o.mode === 'string' ? MODE_TO_RESOLUTION[o.mode.trim()] : undefined;
    if (res && mode && res !== mode) {
      add(
        `${where}mode`,
        o.mode,
        `mode ${String(o.mode)} means ${mode} but resolution is ${res}; keep only resolution`,
      );
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
export interface ShotOverrides {
  /** The prompt after the PII filter. */
  prompt?: string;
  negativePrompt?: string;
  /** The previous shot's last frame, for a startImage "@previous". */
  startImage?: string;
  /** Element alias -> Kling element id (the engine fills it from the element library); every element the shot names must be there. */
  elements?: ElementIds;
}

export function toVideoRequest(
  shot: ResolvedShot,
  externalTaskId: string,
  overrides: ShotOverrides = {},
): VideoRequest {
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
  const elements = shot.elements?.length ? elementRefs(shot.elements, overrides.elements, `shot ${shot.id}`) : [];
  if (shot.kind === 'motion') {
    if (!shot.motionReference || !shot.characterOrientation) {
      throw new ShotlineError({
        code: 'validation',
        where: `shot ${shot.id}, motionReference`,
        message: 'a motion shot needs motionReference and characterOrientation; import the storyboard again',
      });
    }
    return {
      kind: 'motion',
      model: found.model,
      resolution,
      // The output follows the reference; the shot's duration is the estimate's upper bound (not sent).
      duration: shot.duration,
      audio: shot.audio ?? 'native',
      externalTaskId,
      motion: { video: shot.motionReference, orientation: shot.characterOrientation },
      ...(prompt ? { prompt } : {}),
      ...(startImage ? { startImage } : {}),
      ...(shot.endImage ? { endImage: shot.endImage } : {}),
      ...(elements.length ? { elements } : {}),
    };
  }
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
    ...(elements.length ? { elements } : {}),
  };
}

export function estimateStoryboard(shots: readonly ResolvedShot[]): StoryboardEstimate {
  const notes = new Set<string>();
  const rows = shots.map((s) => {
    if (s.resolution === '4k') notes.add(`${s.id}: 4K is billed at ${describeRate(s)}`);
    if (s.kind === 'motion')
      notes.add(
        `${s.id}: motion control is billed on the output's seconds, which follow the reference video; the estimate counts its duration (${s.duration} s) as the upper bound`,
      );
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
  for (const run of sceneRuns(shots, (s) => s.scene)) {
    const first = run[0] as ResolvedShot;
    const secs = run.reduce((a, s) => a + s.duration, 0);
    const units = Math.round(run.reduce((a, s) => a + s.unitsPerTake, 0) * 1000) / 1000;
    notes.add(
      `scene ${first.scene ?? ''}: a take is one generation and one charge, ${units} u (${describeRate(first)} x ${secs} s), shown split over its ${run.length} shots by duration`,
    );
  }
  const total = Math.round(rows.reduce((a, r) => a + r.units, 0) * 1000) / 1000;
  return {
    shots: rows,
    totalUnits: total,
    totalCurrency: { currency: DEFAULT_CURRENCY.currency, amount: unitsToCurrency(total) },
    jobs: rows.reduce((a, r) => a + r.takes, 0),
    notes: [...notes],
  };
}
