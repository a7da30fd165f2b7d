/**
 * The element library's records (step 190, electron/core/db/migrations/190-elements.ts): a storyboard's `elements` are checked and
 * stored per alias at import (recordStoryboardElements); `ensureElements` gives each of them
 * one live element per account and content (never two for the same name and images: the image
 * hashes decide); `elementIdsFor` answers the engine with Kling ids, "waiting" or why not.
 * The runner (runner.ts) moves rows queued -> submitting -> running -> ready | failed | blocked,
 * and deleting -> deleted.
 */
import { createHash, randomBytes } from 'node:crypto';
import { readFileSync, statSync } from 'node:fs';
import { extname } from 'node:path';

import type Database from 'better-sqlite3';

import type { ElementState, ElementView } from '../../../shared/contract/elements';
import { checkImage, imageInfo, looksLikeUrl } from '../../../shared/kling/images';
import { ShotlineError } from '../../../shared/result';
import type { ResolvedElement } from '../../../shared/storyboard/schema';

export interface ElementRow {
  key: string;
  account: string;
  alias: string;
  name: string;
  description: string;
  source: 'images' | 'video' | 'existing';
  content_hash: string;
  spec: string;
  subject: string | null;
  state: ElementState;
  kling_id: string | null;
  external_task_id: string | null;
  task_id: string | null;
  reconcile: number;
  submits: number;
  next_at: number | null;
  transient_since: number | null;
  error: string | null;
  fix: string | null;
  created_at: string;
  updated_at: string;
  deleted_at: string | null;
}

/** States in which an element exists or is on its way (the unique index of step 190). */
export const LIVE_STATES: readonly ElementState[] = ['queued', 'submitting', 'running', 'ready', 'blocked'];
const LIVE_SQL = `state IN (${LIVE_STATES.map((s) => `'${s}'`).join(', ')})`;

const iso = (): string => new Date().toISOString();
const sha256 = (b: Uint8Array | string): string => createHash('sha256').update(b).digest('hex');

/** "element mara, frontalImage": where a refusal points. */
const at = (el: ResolvedElement, field: string, file?: string): string =>
  [file, `element ${el.id}`, field].filter(Boolean).join(', ');

function fail(el: ResolvedElement, field: string, message: string, file?: string): never {
  throw new ShotlineError({
    code: 'validation',
    where: at(el, field, file),
    message: `${at(el, field, file)}: ${message}`,
  });
}

/** The same checks as frames (shared/kling/images.ts): .png/.jpg, 10 MB, 300 px, 1:2.5-2.5:1. */
function imageBytes(el: ResolvedElement, field: string, path: string, file?: string): Uint8Array {
  if (!['.png', '.jpg', '.jpeg'].includes(extname(path).toLowerCase()))
    fail(el, field, `${path} must be a .png, .jpg or .jpeg file`, file);
  let bytes: Uint8Array;
  try {
    if (!statSync(path).isFile()) throw new Error('not a file');
    bytes = readFileSync(path);
  } catch {
    fail(
      el,
      field,
      `${path} does not exist or cannot be read; check the path (relative to the storyboard's folder)`,
      file,
    );
  }
  const problems = checkImage(field, bytes.length, imageInfo(bytes), { checkAspect: true });
  if (problems.length)
    fail(el, field, `${problems.map((p) => p.replace(`${field}: `, '')).join('; ')} (${path})`, file);
  return bytes;
}

/** The images of an element in order (frontal first), each as [field, path]. */
export function elementImages(el: ResolvedElement): Array<[string, string]> {
  return [
    ['frontalImage', el.frontalImage ?? ''] as [string, string],
    ...(el.referenceImages ?? []).map((p, i) => [`referenceImages[${i}]`, p] as [string, string]),
  ].filter(([, p]) => p !== '');
}

/**
 * Checks an element and returns its content hash: source, name and the sha256 of every image
 * (an https image counts by its URL), or the video URL, or the Kling id given. The description is
 * not part of it (issue 13: "the image hashes decide"): a changed description alone reuses the
 * element (docs/readme/privacy.md, "Elements").
 */
export function checkAndHash(el: ResolvedElement, file?: string): string {
  if (el.name.length > 20)
    fail(el, 'name', `"${el.name}" is ${el.name.length} characters; Kling takes at most 20`, file);
  if (el.description.length > 100)
    fail(el, 'description', `${el.description.length} characters; Kling takes at most 100`, file);
  const parts: string[] = [el.source, el.name];
  if (el.source === 'existing') {
    if (!el.klingId || !/^\d+$/.test(el.klingId))
      fail(el, 'klingId', 'must be the digits of an element that exists at Kling', file);
    parts.push(`kling:${el.klingId}`);
  } else if (el.source === 'video') {
    if (!el.video || !/^https:\/\//i.test(el.video))
      fail(el, 'video', 'Kling takes an element video by https URL only (an mp4 or mov of 3-8 s, 1080p)', file);
    parts.push(`video:${el.video}`);
  } else {
    if (!el.frontalImage)
      fail(el, 'frontalImage', 'an element from images needs a frontal image and 1-3 reference images', file);
    const refs = el.referenceImages ?? [];
    if (refs.length < 1 || refs.length > 3)
      fail(el, 'referenceImages', `${refs.length} images; Kling takes 1 to 3 reference images`, file);
    for (const [field, path] of elementImages(el))
      parts.push(looksLikeUrl(path) ? `url:${path}` : `sha256:${sha256(imageBytes(el, field, path, file))}`);
  }
  return sha256(parts.join('\n'));
}

export interface CheckedElement {
  el: ResolvedElement;
  hash: string;
}

/** Checks a storyboard's elements (import, before anything is stored): a bad image is refused naming the file, element and field. */
export function checkElements(elements: readonly ResolvedElement[], file?: string): CheckedElement[] {
  return elements.map((el) => ({ el, hash: checkAndHash(el, file) }));
}

/** Stores a storyboard's checked elements per alias (replacing those of an earlier import). */
export function saveStoryboardElements(
  db: Database.Database,
  storyboardId: string,
  rows: readonly CheckedElement[],
): void {
  db.transaction(() => {
    db.prepare('DELETE FROM storyboard_elements WHERE storyboard_id = ?').run(storyboardId);
    const ins = db.prepare(
      'INSERT INTO storyboard_elements (storyboard_id, alias, content_hash, spec, subject) VALUES (?, ?, ?, ?, ?)',
    );
    for (const { el, hash } of rows) ins.run(storyboardId, el.id, hash, JSON.stringify(el), el.subject ?? null);
  })();
}

/** checkElements + saveStoryboardElements. */
export function recordStoryboardElements(
  db: Database.Database,
  storyboardId: string,
  elements: readonly ResolvedElement[],
  file?: string,
): void {
  saveStoryboardElements(db, storyboardId, checkElements(elements, file));
}

/**
 * Of the storyboards with open jobs (asked of QueueStore.storyboardsWithOpenJobs by the caller,
 * electron/core/engine/runner.ts), those that define elements: the runner ensures them when
 * the engine starts.
 */
export function openStoryboardsWithElements(db: Database.Database, withOpenJobs: readonly string[]): string[] {
  const defines = db.prepare<[string], { n: number }>('SELECT 1 AS n FROM storyboard_elements WHERE storyboard_id = ?');
  return [...new Set(withOpenJobs)].filter((id) => defines.get(id) !== undefined);
}

export function getElement(db: Database.Database, key: string): ElementRow | undefined {
  return db.prepare<[string], ElementRow>('SELECT * FROM elements WHERE key = ?').get(key);
}

/** The live element of an account for a content hash, else the newest failed one (null: none). */
export function currentElement(db: Database.Database, account: string, hash: string): ElementRow | null {
  const live = db
    .prepare<[string, string], ElementRow>(
      `SELECT * FROM elements WHERE account = ? AND content_hash = ? AND ${LIVE_SQL}`,
    )
    .get(account, hash);
  if (live) return live;
  return (
    db
      .prepare<[string, string], ElementRow>(
        "SELECT * FROM elements WHERE account = ? AND content_hash = ? AND state = 'failed' ORDER BY created_at DESC, rowid DESC LIMIT 1",
      )
      .get(account, hash) ?? null
  );
}

/**
 * One live element for this content in this account: the existing one, or a new row (queued;
 * `existing` ones are ready at once with the Kling id given). `retryFailed`: a failed element
 * gets a new row (a new run), otherwise the failure stands.
 */
export function ensureElement(
  db: Database.Database,
  account: string,
  el: ResolvedElement,
  hash: string,
  opts: { retryFailed?: boolean } = {},
): ElementRow {
  return db
    .transaction(() => {
      const cur = currentElement(db, account, hash);
      if (cur && cur.state === 'blocked' && opts.retryFailed) {
        // Blocked (a key, the balance, an outage past its budget): a new run takes it up where it
        // stopped; one that may have reached Kling is looked up by its external id first.
        const to: ElementState = cur.task_id ? 'running' : cur.submits > 0 ? 'submitting' : 'queued';
        // The storyboard's text now (a description fixed after a PII block keeps the content hash).
        moveElement(db, cur.key, 'blocked', {
          state: to,
          description: el.description,
          spec: JSON.stringify(el),
          error: null,
          fix: null,
          next_at: null,
          transient_since: null,
        });
        return getElement(db, cur.key) as ElementRow;
      }
      if (cur && (cur.state !== 'failed' || !opts.retryFailed)) return cur;
      // A Kling id this account already holds (a library element a storyboard now names by its
      // klingId, as the app's picker writes it) is that element, not a second row.
      if (el.source === 'existing' && el.klingId) {
        const held = db
          .prepare<[string, string], ElementRow>(
            `SELECT * FROM elements WHERE account = ? AND kling_id = ? AND ${LIVE_SQL} ORDER BY created_at LIMIT 1`,
          )
          .get(account, el.klingId);
        if (held) return held;
      }
      const key = `el-${randomBytes(6).toString('hex')}`;
      const now = iso();
      const existing = el.source === 'existing';
      db.prepare(
        `INSERT INTO elements (key, account, alias, name, description, source, content_hash, spec, subject, state, kling_id, external_task_id, created_at, updated_at)
       VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`,
      ).run(
        key,
        account,
        el.id,
        el.name,
        el.description,
        el.source,
        hash,
        JSON.stringify(el),
        el.subject ?? null,
        existing ? 'ready' : 'queued',
        existing ? (el.klingId ?? null) : null,
        existing ? null : `shotline-${key}`,
        now,
        now,
      );
      return getElement(db, key) as ElementRow;
    })
    .immediate();
}

interface LinkRow {
  alias: string;
  content_hash: string;
  spec: string;
}

function links(db: Database.Database, storyboardId: string): LinkRow[] {
  return db
    .prepare<[string], LinkRow>(
      'SELECT alias, content_hash, spec FROM storyboard_elements WHERE storyboard_id = ? ORDER BY alias',
    )
    .all(storyboardId);
}

/**
 * At enqueue (and when the engine starts): every element the storyboard defines gets its live
 * element in this account; a failed one is tried again. Returns the rows by alias.
 */
export function ensureElements(db: Database.Database, account: string, storyboardId: string): Map<string, ElementRow> {
  const out = new Map<string, ElementRow>();
  for (const l of links(db, storyboardId))
    out.set(
      l.alias,
      ensureElement(db, account, JSON.parse(l.spec) as ResolvedElement, l.content_hash, { retryFailed: true }),
    );
  return out;
}

export type ElementIdsAnswer =
  { ready: Record<string, string> } | { waiting: string[] } | { failed: string; fix: string };

/**
 * What the engine asks before a job that names elements is submitted: every alias's Kling id,
 * or the aliases still being created (the job waits), or why it cannot be sent.
 */
export function elementIdsFor(
  db: Database.Database,
  account: string,
  storyboardId: string,
  aliases: readonly string[],
): ElementIdsAnswer {
  const byAlias = new Map(links(db, storyboardId).map((l) => [l.alias, l]));
  const ready: Record<string, string> = {};
  const waiting: string[] = [];
  for (const alias of aliases) {
    const l = byAlias.get(alias);
    // Not the storyboard's own: an element of the library (made on the Elements page) by its id.
    const row = l
      ? ensureElement(db, account, JSON.parse(l.spec) as ResolvedElement, l.content_hash)
      : db
          .prepare<[string, string], ElementRow>(
            `SELECT * FROM elements WHERE account = ? AND alias = ? AND ${LIVE_SQL} ORDER BY created_at DESC, rowid DESC LIMIT 1`,
          )
          .get(account, alias);
    if (!row) {
      return {
        failed: `element "${alias}" is neither in the storyboard's top-level "elements" nor in the element library of ${account}`,
        fix: `add {"id": "${alias}", ...} to "elements", create it on the Elements page, or remove it from the shot`,
      };
    }
    if (row.state === 'ready' && row.kling_id) ready[alias] = row.kling_id;
    else if (row.state === 'failed' || row.state === 'blocked') {
      return {
        failed: `element "${alias}": ${row.error ?? row.state}`,
        fix: row.fix ?? 'fix the element in the storyboard and run again',
      };
    } else waiting.push(alias);
  }
  return waiting.length ? { waiting } : { ready };
}

/**
 * The content hash a storyboard's element resolves to: its own, or for one named by a Kling id
 * the account already holds (ensureElement reuses that row), the held element's.
 */
function heldHash(db: Database.Database, hash: string, spec: string): string {
  const el = JSON.parse(spec) as ResolvedElement;
  if (el.source !== 'existing' || !el.klingId) return hash;
  const held = db
    .prepare<[string], { content_hash: string }>(
      `SELECT content_hash FROM elements WHERE kling_id = ? AND ${LIVE_SQL} ORDER BY created_at LIMIT 1`,
    )
    .get(el.klingId);
  return held?.content_hash ?? hash;
}

/**
 * A stored shot that names elements, as its owner gives it (QueueStore.shotsNamingElements in
 * electron/core/queue/store.ts): this room may not import the queue (eslint/layers.js), so the
 * caller hands the shots over.
 */
export interface ShotNamingElements {
  storyboard_id: string;
  shot_id: string;
  subject: string | null;
  /** 1 for a shot of the storyboard as it is now, 0 for one an edit replaced. */
  active: number;
  spec: string;
}

/** Shots (with their storyboard) whose spec names each alias, from the stored storyboards. */
function usedBy(
  db: Database.Database,
  shots: readonly ShotNamingElements[],
): Map<string, Array<{ storyboardId: string; shotId: string; hash: string }>> {
  const rows = shots.filter((s) => s.active === 1);
  const hashes = new Map(
    db
      .prepare<[], { storyboard_id: string; alias: string; content_hash: string; spec: string }>(
        'SELECT storyboard_id, alias, content_hash, spec FROM storyboard_elements',
      )
      .all()
      .map((r) => [`${r.storyboard_id}\n${r.alias}`, heldHash(db, r.content_hash, r.spec)]),
  );
  const out = new Map<string, Array<{ storyboardId: string; shotId: string; hash: string }>>();
  for (const r of rows) {
    const names = (JSON.parse(r.spec) as { elements?: string[] }).elements ?? [];
    for (const alias of names) {
      const hash = hashes.get(`${r.storyboard_id}\n${alias}`);
      if (!hash) continue;
      const list = out.get(hash) ?? [];
      list.push({ storyboardId: r.storyboard_id, shotId: r.shot_id, hash });
      out.set(hash, list);
    }
  }
  return out;
}

export function toView(
  row: ElementRow,
  used: ReadonlyArray<{ storyboardId: string; shotId: string }> = [],
  dataDirRelative?: (abs: string) => string | null,
): ElementView {
  const spec = JSON.parse(row.spec) as ResolvedElement;
  return {
    key: row.key,
    id: row.alias,
    name: row.name,
    description: row.description,
    source: row.source,
    state: row.state,
    klingId: row.kling_id,
    externalTaskId: row.external_task_id,
    account: row.account,
    thumbnail: spec.frontalImage && dataDirRelative ? dataDirRelative(spec.frontalImage) : null,
    usedBy: used.map((u) => ({ storyboardId: u.storyboardId, shotId: u.shotId })),
    subject: row.subject,
    error: row.error,
    fix: row.fix,
    createdAt: row.created_at,
  };
}

/** The library (every account), or the elements one storyboard names, newest first. */
export function listElementViews(
  db: Database.Database,
  shots: readonly ShotNamingElements[],
  opts: { storyboardId?: string; dataDirRelative?: (abs: string) => string | null } = {},
): ElementView[] {
  const rows = opts.storyboardId
    ? db
        .prepare<[string, string], ElementRow>(
          `SELECT e.* FROM elements e JOIN storyboard_elements s ON s.content_hash = e.content_hash WHERE s.storyboard_id = ?
           UNION SELECT e.* FROM elements e JOIN storyboard_elements s ON e.kling_id IS NOT NULL AND json_extract(s.spec, '$.klingId') = e.kling_id
             WHERE s.storyboard_id = ? AND json_extract(s.spec, '$.source') = 'existing'
           ORDER BY created_at DESC`,
        )
        .all(opts.storyboardId, opts.storyboardId)
    : db.prepare<[], ElementRow>('SELECT * FROM elements ORDER BY created_at DESC, rowid DESC').all();
  const used = usedBy(db, shots);
  const seen = new Set<string>();
  return rows
    .filter((r) => !seen.has(r.key) && seen.add(r.key))
    .map((r) => toView(r, used.get(r.content_hash) ?? [], opts.dataDirRelative));
}

/**
 * The aliases of the library's live elements (every account), for a storyboard that names them
 * without defining them (a CSV has no top-level elements): electron/core/storyboard/index.ts
 * loadStoryboard passes them to the parser as knownElements (shared/storyboard/validate.ts).
 */
export function libraryAliases(db: Database.Database): string[] {
  return db
    .prepare<[], { alias: string }>(`SELECT DISTINCT alias FROM elements WHERE ${LIVE_SQL} ORDER BY alias`)
    .all()
    .map((r) => r.alias);
}

/** Elements of a data subject that Kling holds (erase deletes them there; compliance lists them). */
export function elementsOfSubject(db: Database.Database, subject: string): ElementRow[] {
  return db
    .prepare<[string], ElementRow>(
      "SELECT * FROM elements WHERE subject = ? AND state NOT IN ('deleted') ORDER BY created_at",
    )
    .all(subject);
}

/**
 * Elements stored without a subject (before the parser gave elements their shots' subject,
 * shared/storyboard/elements.ts withShotSubjects) that are the subject's by the same rule: every
 * stored shot naming them, in every storyboard that defines them without a subject of its own,
 * has this subject, and no storyboard gives them another. Erase deletes these too (erase.ts).
 */
export function untaggedElementsOfSubject(
  db: Database.Database,
  subject: string,
  shots: readonly ShotNamingElements[],
): ElementRow[] {
  const subjectsOfAlias = new Map<string, Set<string | null>>();
  for (const s of shots) {
    for (const alias of (JSON.parse(s.spec) as { elements?: string[] }).elements ?? []) {
      const k = `${s.storyboard_id}\n${alias}`;
      subjectsOfAlias.set(k, (subjectsOfAlias.get(k) ?? new Set()).add(s.subject));
    }
  }
  const byHash = new Map<string, Set<string | null>>();
  for (const l of db
    .prepare<[], { storyboard_id: string; alias: string; content_hash: string; spec: string; subject: string | null }>(
      'SELECT storyboard_id, alias, content_hash, spec, subject FROM storyboard_elements',
    )
    .all()) {
    const hash = heldHash(db, l.content_hash, l.spec);
    const set = byHash.get(hash) ?? new Set<string | null>();
    if (l.subject !== null) set.add(l.subject);
    else for (const x of subjectsOfAlias.get(`${l.storyboard_id}\n${l.alias}`) ?? []) set.add(x);
    byHash.set(hash, set);
  }
  return db
    .prepare<[], ElementRow>(
      "SELECT * FROM elements WHERE subject IS NULL AND state NOT IN ('deleted') ORDER BY created_at",
    )
    .all()
    .filter((r) => {
      const set = byHash.get(r.content_hash);
      return set !== undefined && set.size === 1 && set.has(subject);
    });
}

/** Tags an element with its data subject (erase, for rows stored without one), so the local erase removes it. */
export function tagElementSubject(db: Database.Database, key: string, subject: string): void {
  db.prepare('UPDATE elements SET subject = ?, updated_at = ? WHERE key = ? AND subject IS NULL').run(
    subject,
    iso(),
    key,
  );
}

/** Every element Kling holds (ready, or being deleted), for the compliance report. */
export function elementsAtKling(db: Database.Database): ElementRow[] {
  return db
    .prepare<[], ElementRow>(
      "SELECT * FROM elements WHERE kling_id IS NOT NULL AND state IN ('ready', 'deleting', 'blocked') ORDER BY created_at",
    )
    .all();
}

/** One guarded state change: applies only if the row is still in `from` (the runner's lease). */
export function moveElement(
  db: Database.Database,
  key: string,
  from: ElementState | readonly ElementState[],
  patch: Partial<ElementRow>,
  opts: { durable?: boolean } = {},
): boolean {
  const froms = typeof from === 'string' ? [from] : from;
  const cols = Object.keys(patch);
  const set = [...cols.map((c) => `${c} = @${c}`), 'updated_at = @updated_at'].join(', ');
  const stmt = db.prepare(
    `UPDATE elements SET ${set} WHERE key = @key AND state IN (${froms.map((_, i) => `@from${i}`).join(', ')})`,
  );
  const params: Record<string, unknown> = { ...patch, updated_at: iso(), key };
  froms.forEach((f, i) => (params[`from${i}`] = f));
  if (!opts.durable) return stmt.run(params).changes === 1;
  // The record of an intent to send (docs/architecture.md, "What the queue guarantees"): synchronous=FULL for this commit.
  db.pragma('synchronous = FULL');
  try {
    return stmt.run(params).changes === 1;
  } finally {
    db.pragma('synchronous = NORMAL');
  }
}
