/**
 * Rewrites a storyboard written for Kling's 2025 models so it runs on today's (kling-api.md §2):
 * retired models -> their live replacement, legacy names -> live ids, `mode` -> `resolution`,
 * durations and resolutions snapped to what the new model takes, and fields no live model takes
 * turned into their replacement (a camera_control object -> camera words in the prompt; preset
 * names and words stay, they are live fields, a negative prompt on a model without one -> "Avoid: ..." in the prompt; cfgScale and the
 * motion brush dropped, with a note). Pure: the CLI (`shotline storyboard upgrade`) and the app's
 * Upgrade offer (contract `storyboard.upgrade`) print or apply the same result.
 */
import { cameraWords, promptWithCamera } from '../kling/camera';
import { CAPABILITIES, lookupModel, MODE_TO_RESOLUTION, type KlingModel, type Resolution } from '../kling/capabilities';
import { foldNegativePrompt } from '../kling/request';
import { csvCell, parseCsv } from './csv';
import { SHOT_FIELDS } from './schema';

export interface UpgradeChange {
  /** Shot id, or "defaults". */
  shot: string;
  field: string;
  from: string | null;
  to: string | null;
  why: string;
}

export type UpgradeResult =
  { ok: true; text: string; changes: UpgradeChange[]; format: 'json' | 'csv' } | { ok: false; message: string };

type Fields = Record<string, unknown>;

const show = (v: unknown): string | null =>
  v === undefined || v === null ? null : typeof v === 'string' ? v : JSON.stringify(v);

/** Closest allowed value (ties go up: a longer shot rather than a cut one). */
function nearest(n: number, allowed: readonly number[]): number {
  return allowed.reduce(
    (best, a) =>
      Math.abs(a - n) < Math.abs(best - n) || (Math.abs(a - n) === Math.abs(best - n) && a > best) ? a : best,
    allowed[0] ?? n,
  );
}

/** Upgrades one set of fields in place (a shot, or defaults with `inherited` = nothing). */
function upgradeFields(label: string, f: Fields, inherited: Fields, changes: UpgradeChange[]): void {
  const note = (field: string, from: unknown, to: unknown, why: string): void => {
    changes.push({ shot: label, field, from: show(from), to: show(to), why });
  };

  // Model: retired -> replacement, alias -> live id.
  if (typeof f.model === 'string') {
    const r = lookupModel(f.model);
    if (r.ok && r.alias) {
      note('model', f.model, r.model, `${r.alias} is the legacy name of ${r.model}`);
      f.model = r.model;
    } else if (!r.ok && r.retired) {
      note('model', f.model, r.retired.replacement, `${r.retired.label} is ${r.retired.why}`);
      f.model = r.retired.replacement;
    }
  }
  const modelName = (f.model ?? inherited.model) as string | undefined;
  const found = typeof modelName === 'string' ? lookupModel(modelName) : null;
  const model: KlingModel | null = found?.ok ? found.model : null;

  // mode -> resolution.
  if (typeof f.mode === 'string') {
    const res = MODE_TO_RESOLUTION[f.mode];
    if (res && f.resolution === undefined) {
      note('resolution', null, res, `mode ${f.mode} is ${res}`);
      f.resolution = res;
    }
    note('mode', f.mode, null, 'replaced by resolution');
    delete f.mode;
  }
  if (!model) return;
  const caps = CAPABILITIES[model];

  // Resolution the model does not make -> the highest it makes below it.
  const res = (f.resolution ?? inherited.resolution) as Resolution | undefined;
  if (res && !caps.resolutions.includes(res)) {
    const to = caps.resolutions[caps.resolutions.length - 1] as Resolution;
    note('resolution', res, to, `${model} makes ${caps.resolutions.join(', ')}`);
    f.resolution = to;
  }
  // Duration snapped to the model's; a scene's shots (1-15 s each, the scene's sum is what Kling
  // gets) and a motion shot (the reference's length bounds it) keep theirs: they are live fields.
  const dur = (f.duration ?? inherited.duration ?? 5) as number;
  const ownDuration =
    (f.scene ?? inherited.scene) !== undefined || (f.motionReference ?? inherited.motionReference) !== undefined;
  if (typeof dur === 'number' && !ownDuration && !caps.durations.includes(dur)) {
    const to = nearest(dur, caps.durations);
    note(
      'duration',
      dur,
      to,
      `${model} takes ${caps.durations.length > 2 ? `${caps.durations[0]}-${caps.durations[caps.durations.length - 1]}` : caps.durations.join(' or ')} s`,
    );
    f.duration = to;
  }
  // A start + end frame only at some resolutions.
  const hasEnd =
    (f.endImage ?? inherited.endImage) !== undefined && (f.startImage ?? inherited.startImage) !== undefined;
  const nowRes = (f.resolution ?? inherited.resolution ?? '720p') as Resolution;
  if (hasEnd && caps.endFrame && !caps.endFrame.resolutions.includes(nowRes)) {
    const to = caps.endFrame.resolutions[0] as Resolution;
    note(
      'resolution',
      nowRes,
      to,
      `${model} takes a start + end frame only at ${caps.endFrame.resolutions.join(', ')}`,
    );
    f.resolution = to;
  }

  // The first format's camera_control object -> words in the prompt (a preset name or words is a live field).
  if (f.camera !== undefined && typeof f.camera === 'object') {
    const c = cameraWords(f.camera);
    if (c.ok) {
      const before = typeof f.prompt === 'string' ? f.prompt : '';
      f.prompt = promptWithCamera(before, c.words);
      note('prompt', before, f.prompt, 'camera moves are written in the prompt on every live model');
      note('camera', f.camera, null, 'now part of the prompt');
      delete f.camera;
    }
  }
  // Negative prompt on a model without one -> "Avoid: ..." in the prompt.
  if (typeof f.negativePrompt === 'string' && !caps.negativePrompt) {
    const before = typeof f.prompt === 'string' ? f.prompt : '';
    f.prompt = foldNegativePrompt(before, f.negativePrompt);
    note('prompt', before, f.prompt, `${model} takes no negative prompt; what to avoid goes in the prompt`);
    note('negativePrompt', f.negativePrompt, null, 'now part of the prompt');
    delete f.negativePrompt;
  }
  if (f.cfgScale !== undefined) {
    note('cfgScale', f.cfgScale, null, 'no live model takes cfg scale');
    delete f.cfgScale;
  }
  if (f.motionBrush !== undefined) {
    note('motionBrush', f.motionBrush, null, 'no live model takes a motion brush: describe the motion in the prompt');
    delete f.motionBrush;
  }
}

/** Camera and negative prompt in defaults apply to every shot's prompt: move them onto the shots first. */
function pushDown(defaults: Fields, shots: Fields[]): void {
  for (const key of ['camera', 'negativePrompt'] as const) {
    if (defaults[key] === undefined) continue;
    for (const s of shots) if (s[key] === undefined) s[key] = defaults[key];
    delete defaults[key];
  }
}

function upgradeAll(defaults: Fields, shots: Fields[]): UpgradeChange[] {
  const changes: UpgradeChange[] = [];
  pushDown(defaults, shots);
  upgradeFields('defaults', defaults, {}, changes);
  shots.forEach((s, i) => upgradeFields(typeof s.id === 'string' ? s.id : `shots[${i}]`, s, defaults, changes));
  return changes;
}

/** One shot per line, so the file diffs well. */
function jsonText(name: unknown, defaults: Fields, shots: Fields[], rest: Fields): string {
  const lines = ['{', `  "name": ${JSON.stringify(name)},`];
  for (const [k, v] of Object.entries(rest)) lines.push(`  ${JSON.stringify(k)}: ${JSON.stringify(v)},`);
  if (Object.keys(defaults).length)
    lines.push(`  "defaults": ${JSON.stringify(defaults).replace(/,"/g, ', "').replace(/":/g, '": ')},`);
  lines.push('  "shots": [');
  shots.forEach((s, i) =>
    lines.push(
      `    ${JSON.stringify(s).replace(/,"/g, ', "').replace(/":/g, '": ')}${i < shots.length - 1 ? ',' : ''}`,
    ),
  );
  lines.push('  ]', '}');
  return `${lines.join('\n')}\n`;
}

export function upgradeStoryboard(content: string, format: 'json' | 'csv'): UpgradeResult {
  const text = content.charCodeAt(0) === 0xfeff ? content.slice(1) : content;
  if (format === 'json') {
    let data: unknown;
    try {
      data = JSON.parse(text);
    } catch (err) {
      return { ok: false, message: `not valid JSON (${(err as Error).message}); fix it first` };
    }
    if (!data || typeof data !== 'object' || Array.isArray(data) || !Array.isArray((data as Fields).shots))
      return { ok: false, message: 'not a storyboard: expected {"name", "defaults", "shots": [...]}' };
    const { name, defaults: d, shots: s, ...rest } = data as Fields;
    const defaults: Fields = d && typeof d === 'object' && !Array.isArray(d) ? { ...(d as Fields) } : {};
    const shots = (s as unknown[]).map((x) =>
      x && typeof x === 'object' && !Array.isArray(x) ? { ...(x as Fields) } : {},
    );
    const changes = upgradeAll(defaults, shots);
    return { ok: true, format, changes, text: changes.length ? jsonText(name, defaults, shots, rest) : content };
  }
  const { records, error } = parseCsv(text);
  if (error) return { ok: false, message: `line ${error.line}: ${error.message}` };
  const header = records[0]?.cells.map((c) => c.trim()) ?? [];
  const shots = records
    .slice(1)
    .map(
      (r) =>
        Object.fromEntries(
          header.map((h, i) => [h, r.cells[i]]).filter(([, v]) => v !== undefined && String(v).trim() !== ''),
        ) as Fields,
    );
  for (const s of shots) {
    if (typeof s.duration === 'string' && s.duration.trim() !== '' && Number.isFinite(Number(s.duration)))
      s.duration = Number(s.duration);
    if (typeof s.camera === 'string' && s.camera.trim().startsWith('{')) {
      try {
        s.camera = JSON.parse(s.camera) as unknown;
      } catch {
        /* left as written: the validator names it */
      }
    }
  }
  const changes = upgradeAll({}, shots);
  if (!changes.length) return { ok: true, format, changes, text: content };
  // Columns as before, minus the ones now empty everywhere, plus the new ones, in the documented order.
  const used = new Set(shots.flatMap((s) => Object.keys(s)));
  const cols = [
    ...SHOT_FIELDS.filter(
      (c) =>
        used.has(c) ||
        (header.includes(c) && !['mode', 'camera', 'cfgScale', 'motionBrush', 'negativePrompt'].includes(c)),
    ),
    ...header.filter((h) => !(SHOT_FIELDS as readonly string[]).includes(h)),
  ];
  const out = [cols.join(','), ...shots.map((s) => cols.map((c) => csvCell(s[c] ?? '')).join(','))];
  return { ok: true, format, changes, text: `${out.join('\n')}\n` };
}

/** "shot kite-wide: model kling-v1 -> kling-2.5-turbo (Kling 1.0 is discontinued ...)". */
export function formatChange(c: UpgradeChange): string {
  const cut = (s: string | null): string => (s === null ? '(none)' : s.length > 70 ? `${s.slice(0, 67)}...` : s);
  return `${c.shot === 'defaults' ? 'defaults' : `shot ${c.shot}`}: ${c.field} ${cut(c.from)} -> ${cut(c.to)} (${c.why})`;
}
