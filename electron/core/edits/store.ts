/**
 * The edit of each storyboard, kept in the core (issue 11 item 5): cut order, the picked take
 * per shot, trims and fades, the preset and the last output chosen in the save dialog. Keyed
 * by storyboard id (table `edits`, schema step 140), so the Edit page, the Takes page and a
 * storyboard reopened from the project list all see the same edit. A trim outside its clip
 * is refused with the clip's length (ffprobe), and nothing of that change is stored.
 */
import { statSync } from 'node:fs';

import type Database from 'better-sqlite3';

import type { EditPatch, EditTrim, StoredEdit } from '../../../shared/contract/project';
import type { PresetName } from '../../../shared/media';
import { ShotlineError } from '../../../shared/result';
import { probe, type ToolPaths } from '../media';

interface Doc {
  order: string[];
  picks: Record<string, string>;
  trims: Record<string, EditTrim>;
  preset: PresetName | null;
  output: string | null;
}

const EMPTY: Doc = { order: [], picks: {}, trims: {}, preset: null, output: null };
const EPS = 0.0005;

/**
 * What an edit needs of the queue's tables, asked of their owner (QueueStore in
 * electron/core/queue/store.ts; the layering rules keep edits/ from importing it).
 */
export interface EditQueue {
  storyboardName(storyboardId: string): string | null;
  activeShotPrompts(storyboardId: string): Array<{ shot_id: string; prompt: string; spec: string }>;
}

function storyboardRow(queue: EditQueue, storyboardId: string): { name: string } {
  const name = queue.storyboardName(storyboardId);
  if (name === null)
    throw new ShotlineError({
      code: 'not_found',
      where: 'storyboardId',
      message: `No storyboard "${storyboardId}": queue it or open it from Projects first.`,
    });
  return { name };
}

function readDoc(db: Database.Database, storyboardId: string): { doc: Doc; updatedAt: string | null } {
  const r = db
    .prepare<[string], { doc: string; updated_at: string }>('SELECT doc, updated_at FROM edits WHERE storyboard_id = ?')
    .get(storyboardId);
  if (!r) return { doc: structuredClone(EMPTY), updatedAt: null };
  return { doc: { ...structuredClone(EMPTY), ...(JSON.parse(r.doc) as Partial<Doc>) }, updatedAt: r.updated_at };
}

function writeDoc(db: Database.Database, storyboardId: string, doc: Doc): string {
  const now = new Date().toISOString();
  db.prepare(
    'INSERT INTO edits (storyboard_id, doc, updated_at) VALUES (?, ?, ?) ON CONFLICT(storyboard_id) DO UPDATE SET doc = excluded.doc, updated_at = excluded.updated_at',
  ).run(storyboardId, JSON.stringify(doc), now);
  return now;
}

export function getEdit(db: Database.Database, queue: EditQueue, storyboardId: string): StoredEdit {
  const { name } = storyboardRow(queue, storyboardId);
  const shots = queue
    .activeShotPrompts(storyboardId)
    .map((s) => ({ id: s.shot_id, prompt: s.prompt, model: (JSON.parse(s.spec) as { model?: string }).model ?? '' }));
  const { doc, updatedAt } = readDoc(db, storyboardId);
  return { storyboardId, storyboard: name, shots, ...doc, updatedAt };
}

const durations = new Map<string, { mtimeMs: number; size: number; seconds: number }>();

/** The clip's length in seconds (ffprobe, cached per file version). */
async function clipSeconds(file: string, tools: ToolPaths): Promise<number> {
  let st;
  try {
    st = statSync(file);
  } catch {
    throw new ShotlineError({
      code: 'not_found',
      where: file,
      message: `The take ${file} is no longer on disk: pick another take on the Takes page.`,
    });
  }
  const hit = durations.get(file);
  if (hit && hit.mtimeMs === st.mtimeMs && hit.size === st.size) return hit.seconds;
  const p = await probe(file, tools);
  durations.set(file, { mtimeMs: st.mtimeMs, size: st.size, seconds: p.durationS });
  return p.durationS;
}

const fmt = (s: number): string => `${Number(s.toFixed(3))} s`;

/** Every trim problem of the edit, in words with the clip's length (empty: all fine). */
export async function trimProblems(doc: Doc, tools: ToolPaths): Promise<string[]> {
  const out: string[] = [];
  for (const [shot, tr] of Object.entries(doc.trims)) {
    const file = doc.picks[shot];
    if (!file || (tr.inS === undefined && tr.outS === undefined && tr.fade === undefined)) continue;
    const len = await clipSeconds(file, tools);
    const inS = tr.inS ?? 0;
    const outS = tr.outS ?? len;
    if (tr.inS !== undefined && tr.inS >= len - EPS)
      out.push(
        `${shot}: in point ${fmt(tr.inS)} is past the end of its take, which is ${fmt(len)} long; use less than ${fmt(len)}.`,
      );
    if (tr.outS !== undefined && tr.outS > len + EPS)
      out.push(
        `${shot}: out point ${fmt(tr.outS)} is past the end of its take, which is ${fmt(len)} long; use at most ${fmt(len)}.`,
      );
    if (tr.inS !== undefined && tr.outS !== undefined && tr.outS <= tr.inS)
      out.push(`${shot}: out point ${fmt(tr.outS)} is not after the in point ${fmt(tr.inS)}; make it later.`);
    if (tr.fade !== undefined && tr.fade >= Math.min(outS, len) - inS)
      out.push(
        `${shot}: a ${fmt(tr.fade)} fade is as long as the trimmed clip (${fmt(Math.max(0, Math.min(outS, len) - inS))}); make it shorter.`,
      );
  }
  return out;
}

export async function saveEdit(
  db: Database.Database,
  queue: EditQueue,
  patch: EditPatch,
  tools: ToolPaths,
): Promise<StoredEdit> {
  storyboardRow(queue, patch.storyboardId);
  const { doc } = readDoc(db, patch.storyboardId);
  if (patch.order) doc.order = [...new Set(patch.order)];
  for (const [shot, file] of Object.entries(patch.picks ?? {})) {
    if (file) doc.picks[shot] = file;
    else delete doc.picks[shot];
  }
  for (const [shot, tr] of Object.entries(patch.trims ?? {})) {
    const clean = tr ? Object.fromEntries(Object.entries(tr).filter(([, v]) => v !== undefined)) : {};
    if (Object.keys(clean).length) doc.trims[shot] = clean;
    else delete doc.trims[shot];
  }
  if (patch.preset !== undefined) doc.preset = patch.preset;
  const problems = await trimProblems(doc, tools);
  if (problems.length)
    throw new ShotlineError({
      code: 'validation',
      where: Object.keys(patch.trims ?? patch.picks ?? {}).join(', ') || 'edit',
      message: problems.join(' '),
    });
  writeDoc(db, patch.storyboardId, doc);
  return getEdit(db, queue, patch.storyboardId);
}

/** The output the save dialog last chose for this storyboard (the next dialog starts there). */
export function rememberOutput(db: Database.Database, storyboardId: string, output: string): void {
  const { doc } = readDoc(db, storyboardId);
  doc.output = output;
  writeDoc(db, storyboardId, doc);
}
