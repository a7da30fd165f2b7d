/**
 * The editor's draft <-> the storyboard file text (README.md, "Storyboards"), through the one storyboard
 * model in shared/storyboard (issue 18 item 4): the file's fields, their schemas and defaults
 * (schema.ts), the CSV reader and writer (csv.ts), the retired-model upgrade (upgrade.ts), and,
 * for a file the draft cannot hold, the validator's own problems (validate.ts). Nothing here
 * judges a value the shared schemas do not.
 */
import {
  lookupModel,
  MODE_TO_RESOLUTION,
  type AspectRatio,
  type AudioSetting,
  type Resolution,
} from '../../../shared/kling';
import { csvCell, parseCsv } from '../../../shared/storyboard/csv';
import {
  BUILTIN_DEFAULTS,
  DEFAULT_RESOLUTION,
  ElementSpec,
  FIELD_SCHEMAS,
  SHOT_FIELDS,
  type CharacterOrientation,
  type ShotField,
  type StoryboardProblem,
} from '../../../shared/storyboard/schema';
import { upgradeStoryboard, type UpgradeChange } from '../../../shared/storyboard/upgrade';
import { parseStoryboard } from '../../../shared/storyboard/validate';
import type { Shot, Storyboard } from './storyboard';

/** A file the editor cannot hold as a draft: every problem the shared validator finds in it. */
export class ImportProblems extends Error {
  readonly problems: StoryboardProblem[];
  constructor(file: string, problems: StoryboardProblem[]) {
    super(`${file}: ${problems.length} problem(s)`);
    this.problems = problems;
  }
}

/** Draft fields in the file's order; the first format's `mode`, `cfgScale` and `motionBrush` are upgraded away before a draft exists. */
const DRAFT_FIELDS = SHOT_FIELDS.filter((f) => f !== 'mode' && f !== 'cfgScale' && f !== 'motionBrush');
/** CSV cells that hold numbers, and the list cell (`;`-separated, README.md, "Storyboards"). */
const NUMERIC: ReadonlySet<string> = new Set(['duration', 'takes']);
const LIST: ReadonlySet<string> = new Set(['elements']);

function clean(shot: Shot): Record<string, unknown> {
  const out: Record<string, unknown> = {};
  for (const f of DRAFT_FIELDS) {
    const v = (shot as unknown as Record<string, unknown>)[f];
    if (v !== undefined && v !== '' && !(Array.isArray(v) && v.length === 0)) out[f] = v;
  }
  return out;
}

export const toJson = (sb: Storyboard): string =>
  JSON.stringify(
    { name: sb.name, ...(sb.elements?.length ? { elements: sb.elements } : {}), shots: sb.shots.map(clean) },
    null,
    2,
  );

/** CSV: one shot a row, the columns any shot uses (id, prompt, model, duration always); lists `;`-separated. Top-level elements have no CSV form. */
export function toCsv(sb: Storyboard): string {
  const rows = sb.shots.map(clean);
  const used = new Set([
    'id',
    'prompt',
    'model',
    'resolution',
    'duration',
    'aspectRatio',
    'takes',
    ...rows.flatMap((r) => Object.keys(r)),
  ]);
  const cols = DRAFT_FIELDS.filter((f) => used.has(f));
  const cell = (v: unknown): string => csvCell(Array.isArray(v) ? v.join(';') : v);
  return [cols.join(','), ...rows.map((r) => cols.map((c) => cell(r[c])).join(','))].join('\n') + '\n';
}

/** A CSV cell as its field's type, the way the shared validator reads it. */
function fromCell(field: string, raw: string): unknown {
  const t = raw.trim();
  if (NUMERIC.has(field)) return t !== '' && Number.isFinite(Number(t)) ? Number(t) : raw;
  if (LIST.has(field))
    return t
      .split(';')
      .map((x) => x.trim())
      .filter(Boolean);
  return field === 'prompt' || field === 'negativePrompt' ? raw : t;
}

interface RawFile {
  name: string;
  elements: unknown;
  shots: Record<string, unknown>[];
}

function readRaw(text: string, fileName: string): RawFile | null {
  if (/\.csv$/i.test(fileName)) {
    const { records, error } = parseCsv(text);
    const header = records[0]?.cells.map((c) => c.trim());
    if (error || !header) return null;
    const shots = records.slice(1).map((r) => {
      const raw: Record<string, unknown> = {};
      header.forEach((h, j) => {
        const cell = r.cells[j];
        if (cell !== undefined && cell.trim() !== '') raw[h] = fromCell(h, cell);
      });
      return raw;
    });
    return { name: fileName.replace(/^.*[\\/]/, '').replace(/\.csv$/i, ''), elements: undefined, shots };
  }
  let doc: unknown;
  try {
    doc = JSON.parse(text.charCodeAt(0) === 0xfeff ? text.slice(1) : text);
  } catch {
    return null;
  }
  if (!doc || typeof doc !== 'object' || Array.isArray(doc)) return null;
  const d = doc as { name?: unknown; defaults?: unknown; elements?: unknown; shots?: unknown };
  if (!Array.isArray(d.shots)) return null;
  const defaults =
    d.defaults && typeof d.defaults === 'object' && !Array.isArray(d.defaults)
      ? (d.defaults as Record<string, unknown>)
      : {};
  const shots = (d.shots as unknown[]).map((s): Record<string, unknown> =>
    s && typeof s === 'object' && !Array.isArray(s)
      ? { ...defaults, ...(s as Record<string, unknown>) }
      : { __notAShot: true },
  );
  return {
    name: typeof d.name === 'string' ? d.name : fileName.replace(/^.*[\\/]/, '').replace(/\.json$/i, ''),
    elements: d.elements,
    shots,
  };
}

/** One raw shot as a draft, or null when a value does not fit its field's shared schema. */
function draftShot(raw: Record<string, unknown>): Shot | null {
  const v: Record<string, unknown> = { ...BUILTIN_DEFAULTS };
  for (const [k, val] of Object.entries(raw)) {
    if (!(SHOT_FIELDS as readonly string[]).includes(k)) return null;
    const r = FIELD_SCHEMAS[k as ShotField].safeParse(val);
    if (!r.success) return null;
    v[k] = r.data;
  }
  if (typeof v.id !== 'string' || typeof v.model !== 'string') return null;
  const model = lookupModel(v.model);
  if (!model.ok) return null;
  const resolution = (v.resolution ??
    MODE_TO_RESOLUTION[typeof v.mode === 'string' ? v.mode : ''] ??
    DEFAULT_RESOLUTION) as Resolution;
  const str = (x: unknown): string | undefined => (typeof x === 'string' && x !== '' ? x : undefined);
  const shot: Shot = {
    id: v.id,
    prompt: str(v.prompt) ?? '',
    model: model.model,
    resolution,
    duration: v.duration as number,
    aspectRatio: v.aspectRatio as AspectRatio,
    takes: v.takes as number,
  };
  const optional: Partial<Shot> = {
    negativePrompt: str(v.negativePrompt),
    audio: v.audio as AudioSetting | undefined,
    camera: str(v.camera),
    startImage: str(v.startImage),
    endImage: str(v.endImage),
    subject: str(v.subject),
    scene: str(v.scene),
    elements: Array.isArray(v.elements) && v.elements.length ? (v.elements as string[]) : undefined,
    motionReference: str(v.motionReference),
    characterOrientation: v.characterOrientation as CharacterOrientation | undefined,
  };
  for (const [k, x] of Object.entries(optional))
    if (x !== undefined) (shot as unknown as Record<string, unknown>)[k] = x;
  return shot;
}

/**
 * A storyboard file as the editor holds it, as written. Values the models refuse (a duration
 * not offered, an end frame alone, a scene over 15 s) are kept: the editor shows the
 * validator's problems next to them. A file whose values the draft cannot hold at all (unknown
 * fields, text where a number goes, a model that is not live) throws ImportProblems with every
 * problem the shared validator finds in it.
 */
export function readDraft(text: string, fileName: string): Storyboard {
  const csv = /\.csv$/i.test(fileName);
  const raw = readRaw(text, fileName);
  const shots = raw?.shots.map(draftShot) ?? [];
  const elements =
    raw?.elements === undefined
      ? []
      : Array.isArray(raw.elements)
        ? raw.elements.map((e) => ElementSpec.safeParse(e))
        : null;
  if (!raw || shots.some((s) => s === null) || elements === null || elements.some((e) => !e.success)) {
    const checked = parseStoryboard(text, { file: fileName, format: csv ? 'csv' : 'json' });
    const problems = checked.problems.length
      ? checked.problems
      : [
          {
            file: fileName,
            row: null,
            shot: null,
            field: null,
            value: null,
            message: 'not a storyboard the editor can open',
          },
        ];
    throw new ImportProblems(fileName, problems);
  }
  const specs = elements.flatMap((e) => (e.success ? [e.data] : []));
  return { name: raw.name, shots: shots as Shot[], ...(specs.length ? { elements: specs } : {}) };
}

/**
 * A storyboard file opened in the app. A file the shared validator accepts as written opens as
 * written. Otherwise it is upgraded first where it was written for Kling's retired models or
 * values they no longer take (shared/storyboard/upgrade.ts, the same rewrite as `shotline
 * storyboard upgrade`); `changes` lists what the rewrite did, for the page's Keep/Undo; `text` is what the draft was read from.
 */
export function openText(
  text: string,
  fileName: string,
): { storyboard: Storyboard; changes: UpgradeChange[]; text: string } {
  const csv = /\.csv$/i.test(fileName);
  if (parseStoryboard(text, { file: fileName, format: csv ? 'csv' : 'json' }).ok)
    return { storyboard: readDraft(text, fileName), changes: [], text };
  const up = upgradeStoryboard(text, csv ? 'csv' : 'json');
  if (!up.ok)
    throw new ImportProblems(fileName, [
      { file: fileName, row: null, shot: null, field: null, value: null, message: up.message },
    ]);
  return { storyboard: readDraft(up.text, fileName), changes: up.changes, text: up.text };
}

/** openText's storyboard (the Projects page, Open storyboard file…, the saved draft). */
export const fromText = (text: string, fileName: string): Storyboard => openText(text, fileName).storyboard;

/**
 * The draft the app saved (storyboard.draft.get): read as it was saved, so a reload never
 * rewrites what the user typed; a draft an older version saved for retired models (kling-v1,
 * mode) cannot be held as written and is upgraded like a file.
 */
export function draftFromSave(text: string): Storyboard {
  try {
    return readDraft(text, 'draft.json');
  } catch {
    return fromText(text, 'draft.json');
  }
}
