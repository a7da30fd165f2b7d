/**
 * Art. 17 erasure of one data subject, on a data dir whose queue/media schema this module
 * does not own. It works from what exists:
 *  1. seed rows: every table with a `subject` column, rows where subject = the tag;
 *  2. their dependants: declared foreign keys, and by name (`jobs.id` <- `attempts.job_id`);
 *  3. files: any value in those rows naming a file inside the data dir (plain or inside
 *     JSON), `.part` siblings, files whose name holds one of the rows' ids (thumbnails),
 *     and the subject_files registry other modules may write to;
 *  4. audit rows: tombstoned (the one update the append-only triggers allow);
 *  5. leftovers: the tag and the subject's prompts replaced by [erased] in every other
 *     text cell and text file of the data dir (a stored storyboard, a log line); a binary
 *     file whose metadata names them is deleted;
 *  6. SQLite hygiene: secure_delete during the deletes, then WAL checkpoint (TRUNCATE) and
 *     VACUUM, so no freed page or WAL frame still holds the text.
 */
import { closeSync, openSync, readFileSync, readSync, renameSync, rmSync, writeFileSync } from 'node:fs';
import { basename, extname, isAbsolute, join } from 'node:path';

import type Database from 'better-sqlite3';

import type { EraseReport } from '../../../shared/contract/privacy';
import { PROVIDERS, isProviderId } from '../../../shared/kling/providers';
import { auditRowsFor, tombstoneAudit } from './audit';
import { fileSize, insideDataDir, isFile, relToDataDir, removeEmptyParents, walkFiles } from './files';
import { hasColumn, listTables, quoteIdent as q, textColumns, type TableInfo } from './sqlite-scan';

export const ERASED = '[erased]';

/**
 * Tables privacy handles itself (audit_log by tombstone, subject_files by its own step), and
 * kling_deletions: the Kling ids of elements an erasure could not delete at Kling, kept on purpose
 * so a later erase can (electron/core/elements/pending.ts; it holds no alias, name or subject).
 */
const OWN = new Set([
  'audit_log',
  'kling_deletions',
  'subject_files',
  'export_clips',
  'privacy_settings',
  'retention_rules',
  'retention_runs',
  'erasures',
]);
const DB_FILES = /^shotline\.db(-wal|-shm|-journal)?$/;
const TEXT_EXT = new Set([
  '.json',
  '.jsonl',
  '.ndjson',
  '.csv',
  '.tsv',
  '.txt',
  '.log',
  '.md',
  '.edl',
  '.xml',
  '.fcpxml',
  '.otio',
  '.srt',
  '.vtt',
  '.yaml',
  '.yml',
  '.html',
  '.ass',
]);
const BINARY_SCAN_BYTES = 1 << 20;

type Row = Record<string, unknown> & { __rowid: number };

export interface EraseOptions {
  dryRun?: boolean;
  now?: Date;
  /** Retries of the final WAL checkpoint (tests shorten them). */
  compact?: CompactOptions;
}

/** `<singular>_id` column names a table's rows go by: stories -> story_id, batches -> batch_id, jobs -> job_id. */
function idColumns(name: string): string[] {
  if (name.endsWith('ies')) return [`${name.slice(0, -3)}y_id`];
  if (name.endsWith('es')) return [`${name.slice(0, -1)}_id`, `${name.slice(0, -2)}_id`];
  return [`${name.endsWith('s') ? name.slice(0, -1) : name}_id`];
}

function chunks<T>(xs: T[], n = 400): T[][] {
  const out: T[][] = [];
  for (let i = 0; i < xs.length; i += n) out.push(xs.slice(i, i + n));
  return out;
}

function stringLeaves(v: unknown, out: string[], depth = 0): void {
  if (depth > 8) return;
  if (typeof v === 'string') {
    out.push(v);
    const t = v.trim();
    if ((t.startsWith('{') && t.endsWith('}')) || (t.startsWith('[') && t.endsWith(']'))) {
      try {
        stringLeaves(JSON.parse(t), out, depth + 1);
      } catch {
        // not JSON
      }
    }
  } else if (Array.isArray(v)) for (const x of v) stringLeaves(x, out, depth + 1);
  else if (v && typeof v === 'object') for (const x of Object.values(v)) stringLeaves(x, out, depth + 1);
}

function escapeRe(s: string): string {
  return s.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
}

/**
 * What to replace with [erased] elsewhere: prompts (verbatim and JSON-escaped) and ids as
 * whole words. The tag too, but a short tag ("c1") only where it is labelled as a subject
 * (`"subject":"c1"`, `subject=c1`), so erasing "c1" does not rewrite every "c1" in the data dir.
 */
const SHORT_TAG = 6;
const MIN_PROMPT = 8;

function buildScrubber(subject: string, prompts: string[], ids: string[]): { re: RegExp; needles: string[] } {
  const forms = new Set<string>();
  for (const p of prompts.filter((x) => x.trim().length >= MIN_PROMPT)) {
    forms.add(p);
    forms.add(JSON.stringify(p).slice(1, -1));
  }
  const B = '(?<![\\p{L}\\p{N}_-])';
  const E = '(?![\\p{L}\\p{N}_-])';
  const parts = [...forms].sort((a, b) => b.length - a.length).map((f) => `${B}${escapeRe(f)}`);
  const words = ids.filter((w) => w !== subject).sort((a, b) => b.length - a.length);
  for (const w of words) parts.push(`${B}${escapeRe(w)}${E}`);
  parts.push(
    subject.length >= SHORT_TAG
      ? `${B}${escapeRe(subject)}${E}`
      : `(?<=[Ss]ubject[_ ]?(?:[Tt]ag|[Ii]d)?["']?\\s*[:=]\\s*["']?)${escapeRe(subject)}${E}`,
  );
  return { re: new RegExp(parts.join('|'), 'gu'), needles: [...forms, ...words, subject] };
}

function kindOf(path: string, column: string): string {
  const ext = extname(path).toLowerCase();
  if (/thumb/i.test(path) || /thumb/i.test(column)) return 'thumbnail';
  if (/edit|export/i.test(column) || /[\\/]edits?[\\/]/i.test(path)) return 'edit';
  if (['.mp4', '.mov', '.webm', '.mkv', '.part'].includes(ext)) return 'clip';
  if (['.png', '.jpg', '.jpeg', '.webp', '.gif'].includes(ext)) return 'image';
  if (TEXT_EXT.has(ext)) return 'text';
  return 'file';
}

/** What one erasure found and decided, shared by its steps (seed, expand, point, note, scrub, apply). */
interface Erasure {
  db: Database.Database;
  dataDir: string;
  subject: string;
  tables: TableInfo[];
  byName: Map<string, TableInfo>;
  work: TableInfo[];
  /** Rows to delete per table, in discovery order (deleted in reverse). */
  hits: Map<string, Map<number, Row>>;
  order: string[];
  /** Parents left with no children, deleted after everything else. */
  late: Array<{ table: string; rowid: number }>;
  lateSet: Set<string>;
  prompts: Set<string>;
  ids: Set<string>;
  /** Files outside the data dir the subject's rows name (reference images): reported, never touched. */
  outsideFiles: Set<string>;
  jobIds: Set<string>;
  taskIds: Set<string>;
  files: Map<string, { kind: string; bytes: number }>;
  registered: Array<{ path: string; kind: string }>;
  subjectClips: Set<string>;
  exportsOf: Map<string, { mine: number; others: number }>;
  mixedOutside: string[];
  allFiles: string[];
  cannotErase: string[];
}

function addRows(w: Erasure, t: TableInfo, rows: Row[]): number {
  const { hits, order } = w;
  let map = hits.get(t.name);
  if (!map) {
    map = new Map();
    hits.set(t.name, map);
    order.push(t.name);
  }
  let added = 0;
  for (const r of rows) {
    if (!map.has(r.__rowid)) {
      map.set(r.__rowid, r);
      added++;
    }
  }
  return added;
}

function addFileOf(w: Erasure, abs: string, kind: string): void {
  if (!w.files.has(abs) && isFile(abs) && !DB_FILES.test(basename(abs)))
    w.files.set(abs, { kind, bytes: fileSize(abs) });
}

/** 1. Seed rows: every table with a `subject` column; then their dependants and orphaned parents. */
function findRows(w: Erasure): void {
  const { db, subject, work } = w;
  for (const t of work.filter((x) => hasColumn(x, 'subject'))) {
    const rows = db.prepare(`SELECT rowid AS __rowid, * FROM ${q(t.name)} WHERE subject = ?`).all(subject) as Row[];
    if (rows.length) addRows(w, t, rows);
  }
  expandDependants(w);
  orphanParents(w);
  // Rows that hang off those parents by name only (batch-level events: events.batch_id).
  if (w.late.length) expandDependants(w);
}

/** 2. Dependants: declared foreign keys, and by name (`jobs.id` <- `attempts.job_id`). */
function expandDependants(w: Erasure): void {
  const { db, work, byName, hits } = w;
  for (let round = 0; round < 12; round++) {
    let added = 0;
    for (const child of work) {
      const links: Array<{ parent: string; from: string[]; to: string[] }> = [];
      for (const fk of child.foreignKeys) {
        const parent = byName.get(fk.table);
        const pk = parent?.columns.filter((c) => c.pk).map((c) => c.name) ?? [];
        const to = fk.to.map((t, i) => t ?? pk[i]).filter((t): t is string => !!t);
        if (to.length === fk.from.length) links.push({ parent: fk.table, from: fk.from, to });
      }
      // Undeclared links by name (attempts.job_id -> jobs.id), only where `id` alone is the
      // parent's primary key: a user shot id like "a" repeats across storyboards.
      for (const parentName of hits.keys()) {
        const col = idColumns(parentName).find((c) => hasColumn(child, c));
        const pk =
          byName
            .get(parentName)
            ?.columns.filter((c) => c.pk)
            .map((c) => c.name) ?? [];
        const declared = child.foreignKeys.some((f) => f.table === parentName);
        if (col && parentName !== child.name && !declared && pk.length === 1 && pk[0] === 'id') {
          links.push({ parent: parentName, from: [col], to: ['id'] });
        }
      }
      for (const l of links) {
        const parentRows = hits.get(l.parent);
        if (!parentRows) continue;
        const seen = new Set<string>();
        const keys: unknown[][] = [];
        for (const r of parentRows.values()) {
          const k = l.to.map((c) => r[c]);
          if (k.some((v) => v === null || v === undefined)) continue;
          const id = JSON.stringify(k);
          if (!seen.has(id)) {
            seen.add(id);
            keys.push(k);
          }
        }
        const match = `(${l.from.map((c) => `${q(c)} = ?`).join(' AND ')})`;
        for (const part of chunks(keys, Math.max(1, Math.floor(400 / l.from.length)))) {
          const rows = db
            .prepare(`SELECT rowid AS __rowid, * FROM ${q(child.name)} WHERE ${part.map(() => match).join(' OR ')}`)
            .all(...part.flat()) as Row[];
          if (rows.length) added += addRows(w, child, rows);
        }
      }
    }
    if (added === 0) break;
  }
}

/**
 * 2b. Parents left with no children: a storyboard all of whose shots were the subject's (its
 * name, source path and batches are the subject's too). A parent some kept row still
 * references stays. Deleted after everything else, children before parents.
 */
function orphanParents(w: Erasure): void {
  const { db, work, byName, hits, late, lateSet } = w;
  for (let round = 0; round < 6; round++) {
    let added = 0;
    for (const [childName, rows] of [...hits]) {
      for (const fk of byName.get(childName)?.foreignKeys ?? []) {
        const parent = byName.get(fk.table);
        if (!parent || OWN.has(parent.name) || parent.withoutRowid) continue;
        const pk = parent.columns.filter((c) => c.pk).map((c) => c.name);
        const to = fk.to.map((t, i) => t ?? pk[i]);
        if (to.some((t) => !t)) continue;
        const keys = new Set([...rows.values()].map((r) => JSON.stringify(fk.from.map((c) => r[c]))));
        for (const k of keys) {
          const key = JSON.parse(k) as unknown[];
          if (key.some((v) => v === null || v === undefined)) continue;
          const prow = db
            .prepare(
              `SELECT rowid AS __rowid, * FROM ${q(parent.name)} WHERE ${to.map((c) => `${q(c as string)} = ?`).join(' AND ')}`,
            )
            .get(...key) as Row | undefined;
          if (!prow || hits.get(parent.name)?.has(prow.__rowid)) continue;
          // Still referenced by any row we keep (declared foreign keys of every table)?
          const kept = work.some((c) =>
            c.foreignKeys.some((f) => {
              if (f.table !== parent.name) return false;
              const fTo = f.to.map((t, i) => t ?? pk[i]);
              if (fTo.some((t) => !t)) return true; // unknown shape: assume referenced
              const refs = db
                .prepare(
                  `SELECT rowid AS r FROM ${q(c.name)} WHERE ${f.from.map((col) => `${q(col)} = ?`).join(' AND ')}`,
                )
                .all(...fTo.map((t) => prow[t as string])) as Array<{ r: number }>;
              return refs.some((x) => !hits.get(c.name)?.has(x.r));
            }),
          );
          if (kept) continue;
          added += addRows(w, parent, [prow]);
          const id = `${parent.name}:${prow.__rowid}`;
          if (!lateSet.has(id)) {
            lateSet.add(id);
            late.push({ table: parent.name, rowid: prow.__rowid });
          }
        }
      }
    }
    if (added === 0) break;
  }
}

/**
 * 3. What those rows point at: prompts, ids, files. A prompt text that other subjects' rows
 * also use (a stock negative prompt) is not this subject's data: it stays.
 */
function collectPointers(w: Erasure): void {
  const { db, dataDir, subject, work, hits, prompts, ids, outsideFiles, jobIds, taskIds, files } = w;
  const sharedWithOthers = (table: string, col: string, value: string): boolean => {
    const mine = hits.get(table);
    const rows = db.prepare(`SELECT rowid AS r FROM ${q(table)} WHERE ${q(col)} = ?`).all(value) as Array<{
      r: number;
    }>;
    return rows.some((r) => !mine?.has(r.r));
  };
  // An `_id` value is the subject's own pseudonym only if no kept row shares it: alice's
  // job names its batch and storyboard too (batch_id, storyboard_id), and those belong to
  // everyone in the batch. Rewriting them would break bob's rows (and their foreign keys).
  const pkTables = work.filter((t) => t.columns.filter((c) => c.pk).length === 1);
  const keptRowOwns = (value: string): boolean =>
    pkTables.some((t) => {
      const pk = t.columns.find((c) => c.pk)?.name as string;
      const rows = db.prepare(`SELECT rowid AS r FROM ${q(t.name)} WHERE ${q(pk)} = ?`).all(value) as Array<{
        r: number;
      }>;
      const mine = hits.get(t.name);
      return rows.some((r) => !mine?.has(r.r));
    });
  const addFile = (abs: string, kind: string): void => addFileOf(w, abs, kind);
  for (const [table, rows] of hits) {
    for (const row of rows.values()) {
      for (const [col, value] of Object.entries(row)) {
        if (col === '__rowid' || value === null || value === undefined) continue;
        if (
          typeof value === 'string' &&
          /prompt/i.test(col) &&
          value.trim().length >= 4 &&
          !sharedWithOthers(table, col, value)
        )
          prompts.add(value);
        if (typeof value === 'string' || typeof value === 'number') {
          const s = String(value);
          if (col === 'id' && /job/i.test(table)) jobIds.add(s);
          if (col === 'job_id') jobIds.add(s);
          if (/task_?id$/i.test(col)) taskIds.add(s);
          if ((col === 'id' || /_id$/i.test(col)) && s.length >= 8 && !ids.has(s)) {
            const own = col === 'id' || /task_?id$/i.test(col) || (!sharedWithOthers(table, col, s) && !keptRowOwns(s));
            if (own) ids.add(s);
          }
        }
        const leaves: string[] = [];
        stringLeaves(value, leaves);
        for (const leaf of leaves) {
          if (/prompt/i.test(col) && leaf !== value && leaf.trim().length >= 4) prompts.add(leaf);
          const abs = insideDataDir(dataDir, leaf);
          if (abs) {
            addFile(abs, kindOf(abs, col));
            addFile(`${abs}.part`, 'partial download');
          } else if (isAbsolute(leaf) && leaf.length < 4096 && isFile(leaf)) outsideFiles.add(leaf);
        }
      }
    }
  }
  const registered = (w.registered = db
    .prepare('SELECT path, kind FROM subject_files WHERE subject = ?')
    .all(subject) as Array<{ path: string; kind: string }>);
  for (const r of registered) {
    const abs = insideDataDir(dataDir, r.path);
    if (abs) addFile(abs, r.kind);
  }
  // Exported edits holding any of the subject's clips, alone or mixed with other subjects'
  // (issue 16.5): deleted when in the data dir, named in the report when elsewhere.
  const subjectClips = w.subjectClips;
  for (const c of [...files.keys(), ...registered.map((r) => r.path)]) subjectClips.add(c);
  const exportsOf = w.exportsOf;
  for (const e of db.prepare('SELECT export_path AS p, clip_path AS c, subject AS s FROM export_clips').all() as Array<{
    p: string;
    c: string;
    s: string | null;
  }>) {
    const x = exportsOf.get(e.p) ?? { mine: 0, others: 0 };
    if (e.s === subject || subjectClips.has(e.c) || subjectClips.has(insideDataDir(dataDir, e.c) ?? '')) x.mine++;
    else x.others++;
    exportsOf.set(e.p, x);
  }
  const mixedOutside = w.mixedOutside;
  for (const [path, x] of exportsOf) {
    if (x.mine === 0) exportsOf.delete(path);
    else {
      const abs = insideDataDir(dataDir, path);
      if (abs) addFile(abs, x.others ? 'edit (also has other subjects)' : 'edit');
      else if (isFile(path))
        mixedOutside.push(`${path} (${x.mine} of its ${x.mine + x.others} clips are this subject's)`);
    }
  }
  const allFiles = (w.allFiles = walkFiles(dataDir));
  if (ids.size) {
    for (const f of allFiles) {
      const name = basename(f);
      if ([...ids].some((id) => name.includes(id))) addFile(f, kindOf(f, ''));
    }
  }
}

/** 4. Audit rows to tombstone, and what the provider already holds (said in cannotErase). */
function providerNotes(w: Erasure): {
  auditWhere: { subject: string; jobIds: string[]; taskIds: string[] };
  auditRows: ReturnType<typeof auditRowsFor>;
} {
  const { db, dataDir, subject, jobIds, taskIds, cannotErase } = w;
  const auditWhere = { subject, jobIds: [...jobIds], taskIds: [...taskIds] };
  const auditRows = auditRowsFor(db, auditWhere);
  const byHost = new Map<string, { provider: string; location: string | null; n: number; tasks: Set<string> }>();
  for (const r of auditRows) {
    const k = `${r.provider}|${r.host}`;
    const e = byHost.get(k) ?? { provider: r.provider, location: r.location, n: 0, tasks: new Set<string>() };
    e.n++;
    if (r.externalTaskId) e.tasks.add(r.externalTaskId);
    byHost.set(k, e);
  }
  for (const t of taskIds) for (const e of byHost.values()) e.tasks.add(t);
  for (const [k, e] of byHost) {
    const host = k.split('|')[1] ?? '';
    const label = isProviderId(e.provider) ? PROVIDERS[e.provider].label : e.provider;
    if (isProviderId(e.provider) && PROVIDERS[e.provider].simulator) {
      cannotErase.push(
        `${label} at ${host}: the ${e.n} request(s) for this subject went to the local Kling simulator, not to a real provider, so no one else holds them.${
          isFile(join(dataDir, 'sandbox', 'state.json'))
            ? " The simulator's own record of those tasks (sandbox/state.json in the data dir, with the prompts it received) is local data and is erased with the rest."
            : ''
        }`,
      );
      continue;
    }
    cannotErase.push(
      `${label} at ${host}${e.location ? ` (${e.location})` : ''} received ${e.n} request(s) for this subject: the prompts, any reference images and the generated videos are held there under the provider's terms, and Shotline cannot delete them. Ask the provider to erase them, quoting these task ids: ${[...e.tasks].join(', ') || '(none recorded)'}.`,
    );
  }
  return { auditWhere, auditRows };
}

/**
 * Source files the subject's rows came from (storyboards.source_path, via the rows' foreign
 * keys): they still name the subject, and importing them again re-creates and re-sends the
 * shots. Shotline never edits the user's own files; the report says which ones.
 */
function outsideNotes(w: Erasure): void {
  const { db, dataDir, subject, byName, hits, prompts, outsideFiles, mixedOutside, cannotErase } = w;
  const sources = new Set<string>();
  const mentionsSubject = (v: unknown): void => {
    if (
      typeof v !== 'string' ||
      !isAbsolute(v) ||
      v.length >= 4096 ||
      insideDataDir(dataDir, v) ||
      !isFile(v) ||
      fileSize(v) > 64 << 20
    )
      return;
    const text = readFileSync(v, 'utf8');
    if (text.includes(subject) || [...prompts].some((p) => p.length >= MIN_PROMPT && text.includes(p))) sources.add(v);
  };
  for (const f of outsideFiles) if (/\.(json|csv|tsv|txt)$/i.test(f)) mentionsSubject(f);
  for (const [table, rows] of hits) {
    for (const fk of byName.get(table)?.foreignKeys ?? []) {
      const parent = byName.get(fk.table);
      if (!parent || parent.withoutRowid) continue;
      const pk = parent.columns.filter((c) => c.pk).map((c) => c.name);
      const to = fk.to.map((t, i) => t ?? pk[i]);
      if (to.some((t) => !t)) continue;
      const keys = new Set([...rows.values()].map((r) => JSON.stringify(fk.from.map((c) => r[c]))));
      for (const k of keys) {
        const parentRow = db
          .prepare(`SELECT * FROM ${q(fk.table)} WHERE ${to.map((c) => `${q(c as string)} = ?`).join(' AND ')}`)
          .get(...(JSON.parse(k) as unknown[])) as Record<string, unknown> | undefined;
        for (const v of Object.values(parentRow ?? {})) mentionsSubject(v);
      }
    }
  }
  for (const f of sources) outsideFiles.delete(f);
  if (sources.size) {
    cannotErase.push(
      `The storyboard file(s) ${[...sources].join(', ')} (outside the data dir, yours) still name this subject. Running or importing them again re-creates the subject's shots and sends their prompts to the provider again, as new processing: remove the subject's shots from the file, or delete it.`,
    );
  }
  if (outsideFiles.size) {
    cannotErase.push(
      `Files outside the data dir that this subject's shots used (reference images): ${[...outsideFiles].join(', ')}. Shotline did not delete them: delete them by hand if they are the subject's.`,
    );
  }
  if (mixedOutside.length) {
    cannotErase.push(
      `Edits exported outside the data dir that contain this subject's clips: ${mixedOutside.join('; ')}. Shotline does not delete files you saved elsewhere: delete them, or export them again without this subject's shots.`,
    );
  }
  cannotErase.push(
    'Copies outside the data dir (edits you exported elsewhere, backups, files sent to clients) are not tracked by Shotline: delete them by hand.',
  );
}

interface ScrubPlan {
  scrubbed: Record<string, number>;
  rows: Array<{ table: string; col: string; rowid: number; value: string }>;
  files: Array<{ path: string; text: string }>;
}

/**
 * 5. Leftovers in other rows and files. Ids of the removed rows (job, task ids) are
 * pseudonyms of the subject: scrubbed too.
 */
function planScrubs(w: Erasure): ScrubPlan {
  const { db, dataDir, subject, tables, hits, prompts, ids, jobIds, taskIds, files, allFiles } = w;
  const addFile = (abs: string, kind: string): void => addFileOf(w, abs, kind);
  const { re, needles } = buildScrubber(
    subject,
    [...prompts],
    [...new Set([...ids, ...jobIds, ...taskIds])].filter((x) => x.length >= 8),
  );
  const scrubbed: Record<string, number> = {};
  const scrubPlan: Array<{ table: string; col: string; rowid: number; value: string }> = [];
  const keep = new Set(['audit_log', 'subject_files', 'kling_deletions']);
  for (const t of tables.filter((x) => !keep.has(x.name) && !x.withoutRowid)) {
    const gone = hits.get(t.name);
    for (const col of textColumns(t)) {
      for (const needle of needles) {
        const rows = db
          .prepare(`SELECT rowid AS r, ${q(col)} AS v FROM ${q(t.name)} WHERE instr(${q(col)}, ?) > 0`)
          .all(needle) as Array<{ r: number; v: unknown }>;
        for (const row of rows) {
          if (gone?.has(row.r) || typeof row.v !== 'string') continue;
          const next = row.v.replace(re, ERASED);
          if (next !== row.v && !scrubPlan.some((p) => p.table === t.name && p.col === col && p.rowid === row.r)) {
            scrubPlan.push({ table: t.name, col, rowid: row.r, value: next });
            scrubbed[t.name] = (scrubbed[t.name] ?? 0) + 1;
          }
        }
      }
    }
  }
  // A JSON file of records (the sandbox simulator's task list in sandbox/state.json) loses
  // the records that carry one of the subject's job or task ids, not just their text.
  const recordIds = new Set([...jobIds, ...taskIds, ...ids].filter((x) => x.length >= 8));
  // Binary files: only needles long enough not to occur by chance in compressed media.
  const needleBufs = needles.filter((n) => n.length >= 8).map((n) => Buffer.from(n, 'utf8'));
  const fileScrubs: Array<{ path: string; text: string }> = [];
  for (const f of allFiles) {
    if (files.has(f) || DB_FILES.test(basename(f))) continue;
    const size = fileSize(f);
    if (TEXT_EXT.has(extname(f).toLowerCase()) && size < 64 << 20) {
      const text = readFileSync(f, 'utf8');
      if (needles.some((n) => text.includes(n))) {
        const next = (extname(f).toLowerCase() === '.json' ? dropJsonRecords(text, recordIds) : text).replace(
          re,
          ERASED,
        );
        if (next !== text) fileScrubs.push({ path: f, text: next });
      }
      continue;
    }
    // Media: metadata sits in the first or last megabyte (moov atom, ID3, EXIF, XMP).
    const fd = openSync(f, 'r');
    try {
      const head = Buffer.alloc(Math.min(size, BINARY_SCAN_BYTES));
      readSync(fd, head, 0, head.length, 0);
      const tail = Buffer.alloc(Math.min(size, BINARY_SCAN_BYTES));
      readSync(fd, tail, 0, tail.length, Math.max(0, size - tail.length));
      if (needleBufs.some((b) => head.includes(b) || tail.includes(b)))
        addFile(f, 'file whose metadata names the subject');
    } finally {
      closeSync(fd);
    }
  }
  for (const s of fileScrubs) scrubbed[`file:${relToDataDir(dataDir, s.path)}`] = 1;
  return { scrubbed, rows: scrubPlan, files: fileScrubs };
}

/** 6. Do it: rows in one transaction with secure_delete, then files, then SQLite hygiene. */
function applyErase(
  w: Erasure,
  plan: ScrubPlan,
  audit: ReturnType<typeof providerNotes>,
  report: EraseReport,
  now: Date,
  compact: CompactOptions | undefined,
): void {
  const { db, dataDir, subject, hits, order, late, lateSet, files, subjectClips, exportsOf } = w;
  const { auditWhere, auditRows } = audit;
  const rowsCount = report.rows;
  const scrubPlan = plan.rows;
  const fileScrubs = plan.files;
  db.pragma('secure_delete = ON');
  db.transaction(() => {
    for (const name of [...order].reverse()) {
      const rowids = [...(hits.get(name)?.keys() ?? [])].filter((r) => !lateSet.has(`${name}:${r}`));
      for (const part of chunks(rowids))
        db.prepare(`DELETE FROM ${q(name)} WHERE rowid IN (${part.map(() => '?').join(',')})`).run(...part);
    }
    for (const l of late) db.prepare(`DELETE FROM ${q(l.table)} WHERE rowid = ?`).run(l.rowid);
    db.prepare('DELETE FROM subject_files WHERE subject = ?').run(subject);
    db.prepare('DELETE FROM export_clips WHERE subject = ?').run(subject);
    for (const f of subjectClips)
      db.prepare('DELETE FROM export_clips WHERE clip_path = ? OR clip_path = ?').run(f, relToDataDir(dataDir, f));
    for (const p of exportsOf.keys())
      if (insideDataDir(dataDir, p)) db.prepare('DELETE FROM export_clips WHERE export_path = ?').run(p);
    for (const f of files.keys())
      db.prepare('DELETE FROM subject_files WHERE path = ? OR path = ?').run(f, relToDataDir(dataDir, f));
    for (const s of scrubPlan)
      db.prepare(`UPDATE ${q(s.table)} SET ${q(s.col)} = ? WHERE rowid = ?`).run(s.value, s.rowid);
    tombstoneAudit(db, auditWhere, now);
    const removedRows = Object.values(rowsCount).reduce((a, b) => a + b, 0);
    db.prepare(
      'INSERT INTO erasures (time, files_removed, rows_removed, audit_rows_tombstoned) VALUES (?, ?, ?, ?)',
    ).run(now.toISOString(), files.size, removedRows, auditRows.length);
  })();
  for (const f of files.keys()) rmSync(f, { force: true });
  removeEmptyParents(dataDir, [...files.keys()]);
  for (const s of fileScrubs) {
    const tmp = `${s.path}.erase-tmp`;
    writeFileSync(tmp, s.text);
    renameSync(tmp, s.path);
  }
  // A reader holding the WAL (another window, a backup tool) can keep the deleted text in
  // shotline.db-wal: retried, and if it still holds, the report says so, never "done".
  if (!compactDatabase(db, compact)) {
    const pending = `NOT YET GONE: the database's write-ahead log (shotline.db-wal) could not be emptied because another program is reading the database, so the erased text may still be on disk there. Close other Shotline windows, \`shotline\` commands and backup tools using this data dir, then run the erase for this subject again.`;
    report.notYetGone.push(pending);
    report.cannotErase.unshift(pending);
  }
}

export function eraseSubject(
  db: Database.Database,
  dataDir: string,
  subject: string,
  opts: EraseOptions = {},
): EraseReport {
  const dryRun = opts.dryRun ?? false;
  const now = opts.now ?? new Date();
  const tables = listTables(db);
  const w: Erasure = {
    db,
    dataDir,
    subject,
    tables,
    byName: new Map(tables.map((t) => [t.name, t])),
    work: tables.filter((t) => !OWN.has(t.name) && !t.withoutRowid),
    hits: new Map(),
    order: [],
    late: [],
    lateSet: new Set(),
    prompts: new Set(),
    ids: new Set(),
    outsideFiles: new Set(),
    jobIds: new Set(),
    taskIds: new Set(),
    files: new Map(),
    registered: [],
    subjectClips: new Set(),
    exportsOf: new Map(),
    mixedOutside: [],
    allFiles: [],
    cannotErase: [],
  };
  findRows(w);
  collectPointers(w);
  const audit = providerNotes(w);
  outsideNotes(w);
  const plan = planScrubs(w);

  const rowsCount: Record<string, number> = {};
  for (const [t, m] of w.hits) rowsCount[t] = m.size;
  if (w.registered.length) rowsCount.subject_files = w.registered.length;
  const report: EraseReport = {
    dryRun,
    files: [...w.files].map(([p, f]) => ({ path: relToDataDir(dataDir, p), kind: f.kind, bytes: f.bytes })),
    rows: rowsCount,
    scrubbed: plan.scrubbed,
    auditRowsTombstoned: audit.auditRows.length,
    cannotErase: w.cannotErase,
    notYetGone: [],
  };
  if (!dryRun) applyErase(w, plan, audit, report, now, opts.compact);
  return report;
}

/**
 * Removes, from every array in a JSON document, the objects one of whose own string or
 * number values is exactly one of `ids` (a task record naming the subject's task id).
 * Returns the text unchanged when nothing matched or it is not JSON.
 */
export function dropJsonRecords(text: string, ids: ReadonlySet<string>): string {
  if (!ids.size) return text;
  let doc: unknown;
  try {
    doc = JSON.parse(text);
  } catch {
    return text;
  }
  let dropped = 0;
  const names = (o: Record<string, unknown>): boolean =>
    Object.values(o).some((v) => (typeof v === 'string' || typeof v === 'number') && ids.has(String(v)));
  const visit = (v: unknown, depth: number): unknown => {
    if (depth > 12) return v;
    if (Array.isArray(v)) {
      const kept = v.filter(
        (x) => !(x && typeof x === 'object' && !Array.isArray(x) && names(x as Record<string, unknown>)),
      );
      dropped += v.length - kept.length;
      return kept.map((x) => visit(x, depth + 1));
    }
    if (v && typeof v === 'object')
      return Object.fromEntries(Object.entries(v).map(([k, x]) => [k, visit(x, depth + 1)]));
    return v;
  };
  const next = visit(doc, 0);
  if (!dropped) return text;
  const indent = /^[[{]\s*\n(\s+)/.exec(text)?.[1];
  return `${JSON.stringify(next, null, indent)}${text.endsWith('\n') ? '\n' : ''}`;
}

export interface CompactOptions {
  /** Attempts before giving up (default 8). */
  tries?: number;
  /** First wait between attempts, doubling up to 1 s (default 50 ms). */
  waitMs?: number;
}

function sleepSync(ms: number): void {
  Atomics.wait(new Int32Array(new SharedArrayBuffer(4)), 0, 0, ms);
}

/**
 * Rewrites the database so deleted text survives neither in free pages nor in the WAL.
 * Returns false when a reader kept the WAL from being emptied after every retry (issue 16.5):
 * the checkpoint then answers busy, or VACUUM fails with SQLITE_BUSY.
 */
export function compactDatabase(db: Database.Database, opts: CompactOptions = {}): boolean {
  const tries = opts.tries ?? 8;
  let wait = opts.waitMs ?? 50;
  const truncated = (): boolean =>
    (db.pragma('wal_checkpoint(TRUNCATE)') as Array<{ busy: number; log: number }>)[0]?.busy === 0;
  for (let i = 1; ; i++) {
    try {
      if (truncated()) {
        db.exec('VACUUM');
        if (truncated()) return true;
      }
    } catch (err) {
      if (!/busy|locked/i.test((err as Error).message)) throw err;
    }
    if (i >= tries) return false;
    sleepSync(wait);
    wait = Math.min(wait * 2, 1000);
  }
}
