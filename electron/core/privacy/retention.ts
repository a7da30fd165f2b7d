/**
 * Retention: per-project rules that delete old local media (raw takes N days after the
 * project's edit was exported, images after N days; edits kept unless told otherwise).
 * The inventory comes from the subject_files registry (what other modules register with
 * `registerFile`) plus the data dir's layout: clips|takes/<project>/..., thumbs|thumbnails/,
 * edits|exports/<project>/..., images|inputs/. A dry run lists exactly what would go.
 */
import { rmSync, statSync } from 'node:fs';
import { basename, dirname, relative, resolve, sep } from 'node:path';

import type Database from 'better-sqlite3';

import { RetentionRule, type RetentionPlan } from '../../../shared/contract/privacy';
import { insideDataDir, isFile, relToDataDir, removeEmptyParents, walkFiles } from './files';
import { listTables, quoteIdent, textColumns } from './sqlite-scan';

/** Privacy's own tables: the registry is handled above; audit rows are append-only. */
const FILE_COLUMN = /(^|_)(file|path|clip|video_file)s?$|^(file|local|output)_?path$/i;
const OWN_TABLES = new Set([
  'audit_log',
  'subject_files',
  'privacy_settings',
  'retention_rules',
  'retention_runs',
  'erasures',
]);

const DAY_MS = 86_400_000;

export type MediaKind = 'take' | 'thumbnail' | 'edit' | 'image' | 'other';

export interface MediaItem {
  path: string;
  kind: MediaKind;
  project: string | null;
  createdAt: number;
  bytes: number;
}

const FOLDER_KIND: Record<string, MediaKind> = {
  clips: 'take',
  takes: 'take',
  downloads: 'take',
  thumbs: 'thumbnail',
  thumbnails: 'thumbnail',
  edits: 'edit',
  exports: 'edit',
  images: 'image',
  inputs: 'image',
  // The engine's last frames for "@previous" shots (frames/<storyboard>/...): input images sent to the provider.
  frames: 'image',
};

/** Other modules call this for every file they write that belongs to a project or subject. */
export function registerFile(
  db: Database.Database,
  f: { path: string; kind: string; project?: string | null; subject?: string | null },
  now = new Date(),
): void {
  db.prepare(
    `INSERT INTO subject_files (path, subject, project, kind, created_at) VALUES (?, ?, ?, ?, ?)
     ON CONFLICT(path) DO UPDATE SET subject = excluded.subject, project = excluded.project, kind = excluded.kind`,
  ).run(f.path, f.subject ?? null, f.project ?? null, f.kind, now.toISOString());
}

/** The registration of a file (its project and subject), or undefined when it has none. */
export function registeredFile(
  db: Database.Database,
  path: string,
): { project: string | null; subject: string | null } | undefined {
  return db
    .prepare<[string], { project: string | null; subject: string | null }>(
      'SELECT project, subject FROM subject_files WHERE path = ?',
    )
    .get(path);
}

/**
 * An exported edit, registered so retention's "N days after the edit is exported" starts its
 * clock: in the project of its clips, and with their data subject when they all share one
 * (an edit of one subject's takes goes with an erase of that subject). Its clips and their
 * subjects go to export_clips, so a mixed edit is found when one of its subjects is erased.
 */
export function registerExport(
  db: Database.Database,
  output: string,
  clips: readonly string[],
  now = new Date(),
): void {
  const rows = clips.map(
    (c) =>
      db
        .prepare<[string], { project: string | null; subject: string | null }>(
          'SELECT project, subject FROM subject_files WHERE path = ?',
        )
        .get(c) ?? { project: null, subject: null },
  );
  const project = rows.find((r) => r.project)?.project ?? null;
  const subjects = new Set(rows.map((r) => r.subject));
  const subject = subjects.size === 1 ? ([...subjects][0] ?? null) : null;
  registerFile(db, { path: output, kind: 'edit', project, subject }, now);
  // Every clip of the edit, with its subject, so erasing one subject of a mixed edit finds it.
  const add = db.prepare(
    `INSERT INTO export_clips (export_path, clip_path, subject, created_at) VALUES (?, ?, ?, ?)
     ON CONFLICT(export_path, clip_path) DO UPDATE SET subject = excluded.subject`,
  );
  db.transaction(() => {
    db.prepare('DELETE FROM export_clips WHERE export_path = ?').run(output);
    clips.forEach((c, i) => add.run(output, c, rows[i]?.subject ?? null, now.toISOString()));
  })();
}

export function mediaInventory(db: Database.Database, dataDir: string): MediaItem[] {
  const items = new Map<string, MediaItem>();
  const root = resolve(dataDir);
  for (const r of db.prepare('SELECT path, project, kind, created_at FROM subject_files').all() as Array<{
    path: string;
    project: string | null;
    kind: string;
    created_at: string;
  }>) {
    const abs = insideDataDir(dataDir, r.path);
    if (!abs || !isFile(abs)) continue;
    const kind = (
      ['take', 'thumbnail', 'edit', 'image'].includes(r.kind) ? r.kind : r.kind === 'clip' ? 'take' : 'other'
    ) as MediaKind;
    items.set(abs, {
      path: abs,
      kind,
      project: r.project,
      createdAt: Date.parse(r.created_at),
      bytes: statSync(abs).size,
    });
  }
  for (const f of walkFiles(root)) {
    if (items.has(f)) continue;
    const parts = relative(root, f).split(sep);
    const kind = FOLDER_KIND[(parts[0] ?? '').toLowerCase()];
    if (!kind || parts.length < 2) continue;
    const st = statSync(f);
    // thumbnails/<clip stem>-<hash>/...: the folder is named after the clip, not a project;
    // such stills go with their take (see runRetention), not by a project rule of their own.
    const project =
      kind === 'thumbnail' && (parts[0] ?? '').toLowerCase() === 'thumbnails'
        ? null
        : parts.length >= 3
          ? (parts[1] ?? null)
          : null;
    items.set(f, { path: f, kind, project, createdAt: st.mtimeMs, bytes: st.size });
  }
  return [...items.values()];
}

export function getRetentionRules(db: Database.Database): RetentionRule[] {
  const rows = db.prepare('SELECT rule FROM retention_rules ORDER BY project').all() as Array<{ rule: string }>;
  const out: RetentionRule[] = [];
  for (const r of rows) {
    const parsed = RetentionRule.safeParse(JSON.parse(r.rule));
    if (parsed.success) out.push(parsed.data);
  }
  return out;
}

export function setRetentionRule(
  db: Database.Database,
  rule: RetentionRule,
  opts: { remove?: boolean; now?: Date } = {},
): RetentionRule[] {
  const r = RetentionRule.parse(rule);
  if (opts.remove) db.prepare('DELETE FROM retention_rules WHERE project = ?').run(r.project);
  else
    db.prepare(
      'INSERT INTO retention_rules (project, rule, updated_at) VALUES (?, ?, ?) ON CONFLICT(project) DO UPDATE SET rule = excluded.rule, updated_at = excluded.updated_at',
    ).run(r.project, JSON.stringify(r), (opts.now ?? new Date()).toISOString());
  return getRetentionRules(db);
}

/** What the rules say should go now; `dryRun: false` deletes it and records the run. */
export function runRetention(
  db: Database.Database,
  dataDir: string,
  opts: { dryRun?: boolean; now?: Date } = {},
): RetentionPlan {
  const dryRun = opts.dryRun ?? true;
  const now = (opts.now ?? new Date()).getTime();
  const rules = getRetentionRules(db);
  const ruleFor = (project: string | null): RetentionRule | undefined =>
    (project ? rules.find((r) => r.project === project) : undefined) ?? rules.find((r) => r.project === '*');
  const items = mediaInventory(db, dataDir);
  const exportedAt = new Map<string, number>();
  for (const i of items) {
    if (i.kind === 'edit' && i.project)
      exportedAt.set(i.project, Math.max(exportedAt.get(i.project) ?? 0, i.createdAt));
  }
  // An export recorded with registerFile counts even when it was written outside the data dir
  // (`shotline run --edit ~/Desktop/cut.mp4`) or moved since: the edit was made, the raw
  // takes' clock runs. Such files are evidence only, never deleted by retention.
  for (const r of db
    .prepare(
      "SELECT project, max(created_at) AS at FROM subject_files WHERE kind IN ('edit', 'export') AND project IS NOT NULL GROUP BY project",
    )
    .all() as Array<{ project: string; at: string }>) {
    const at = Date.parse(r.at);
    if (Number.isFinite(at)) exportedAt.set(r.project, Math.max(exportedAt.get(r.project) ?? 0, at));
  }
  const days = (ms: number): number => Math.floor(ms / DAY_MS);
  const date = (ms: number): string => new Date(ms).toISOString().slice(0, 10);
  const files: RetentionPlan['files'] = [];
  for (const i of items) {
    const rule = ruleFor(i.project);
    if (!rule) continue;
    let reason: string | null = null;
    if (i.kind === 'take' || i.kind === 'thumbnail') {
      const exp = i.project ? exportedAt.get(i.project) : undefined;
      if (
        rule.rawTakesDaysAfterExport !== null &&
        exp !== undefined &&
        now - exp >= rule.rawTakesDaysAfterExport * DAY_MS
      ) {
        reason = `raw ${i.kind}: the edit of "${i.project}" was exported ${date(exp)}, ${days(now - exp)} days ago (rule: ${rule.rawTakesDaysAfterExport})`;
      } else if (rule.rawTakesMaxDays !== null && now - i.createdAt >= rule.rawTakesMaxDays * DAY_MS) {
        reason = `raw ${i.kind} made ${date(i.createdAt)}, ${days(now - i.createdAt)} days ago (rule: ${rule.rawTakesMaxDays})`;
      }
    } else if (i.kind === 'image' && rule.imagesDays !== null && now - i.createdAt >= rule.imagesDays * DAY_MS) {
      reason = `input image from ${date(i.createdAt)} (rule: ${rule.imagesDays} days)`;
    } else if (i.kind === 'edit' && rule.editsDays !== null && now - i.createdAt >= rule.editsDays * DAY_MS) {
      reason = `edit exported ${date(i.createdAt)} (rule: ${rule.editsDays} days)`;
    }
    if (reason)
      files.push({ path: relToDataDir(dataDir, i.path), kind: i.kind, project: i.project, bytes: i.bytes, reason });
  }
  // Thumbnails named after a take go with it, whatever folder they sit in: thumbs/<job>.jpg,
  // or the media module's thumbnails/<clip stem>-<hash>/<clip stem>.poster.jpg and .strip-NN.jpg.
  const stem = (p: string): string => basename(p).replace(/\.[^.]+$/, '');
  const goneTakes = new Set(files.filter((f) => f.kind === 'take').map((f) => stem(f.path)));
  const takeOf = (p: string): string | undefined => {
    const name = basename(p);
    const folder = basename(dirname(p));
    for (const t of goneTakes) if (stem(p) === t || name.startsWith(`${t}.`) || folder.startsWith(`${t}-`)) return t;
    return undefined;
  };
  const listed = new Set(files.map((f) => f.path));
  for (const i of items) {
    const rel = relToDataDir(dataDir, i.path);
    const take = i.kind === 'thumbnail' && !listed.has(rel) ? takeOf(i.path) : undefined;
    if (take)
      files.push({
        path: rel,
        kind: i.kind,
        project: i.project,
        bytes: i.bytes,
        reason: `thumbnail of a deleted take (${take})`,
      });
  }
  files.sort((a, b) => a.path.localeCompare(b.path));
  const bytes = files.reduce((s, f) => s + f.bytes, 0);
  if (!dryRun) {
    const removed: string[] = [];
    for (const f of files) {
      const abs = resolve(dataDir, f.path);
      rmSync(abs, { force: true });
      removed.push(abs);
      db.prepare('DELETE FROM subject_files WHERE path = ? OR path = ?').run(abs, f.path);
    }
    forgetPaths(db, dataDir, removed);
    removeEmptyParents(dataDir, removed);
  }
  db.prepare('INSERT INTO retention_runs (time, dry_run, files_deleted, bytes_freed) VALUES (?, ?, ?, ?)').run(
    new Date(now).toISOString(),
    dryRun ? 1 : 0,
    dryRun ? 0 : files.length,
    dryRun ? 0 : bytes,
  );
  return { dryRun, ranAt: new Date(now).toISOString(), files, bytes, rulesUsed: rules.length };
}

/**
 * The rows that named a deleted file stop pointing at nothing: every nullable file column
 * (`file`, `*_path`, ...) holding exactly its path (absolute or data-dir relative) becomes NULL. For the queue that
 * is `jobs.file`: the job stays `done` (it was made and paid for; a rerun does not redo it)
 * and its view says `file: null`, which the Takes page and `--edit` already treat as "no
 * clip to play or cut". Tables are discovered, not hard-coded (the queue's schema is not ours).
 */
export function forgetPaths(db: Database.Database, dataDir: string, removed: string[]): Record<string, number> {
  const out: Record<string, number> = {};
  if (!removed.length) return out;
  const values = [...new Set(removed.flatMap((abs) => [abs, relToDataDir(dataDir, abs)]))];
  db.transaction(() => {
    for (const t of listTables(db)) {
      if (OWN_TABLES.has(t.name)) continue;
      const nullable = new Set(
        (
          db.prepare(`PRAGMA table_info(${quoteIdent(t.name)})`).all() as Array<{
            name: string;
            notnull: number;
            pk: number;
          }>
        )
          .filter((c) => !c.notnull && !c.pk)
          .map((c) => c.name),
      );
      // Only columns that hold a file reference (jobs.file, *_path): an event log's detail that
      // happens to be the path is history, and stays as it was written.
      for (const col of textColumns(t).filter((c) => nullable.has(c) && FILE_COLUMN.test(c))) {
        for (let i = 0; i < values.length; i += 400) {
          const part = values.slice(i, i + 400);
          const n = db
            .prepare(
              `UPDATE ${quoteIdent(t.name)} SET ${quoteIdent(col)} = NULL WHERE ${quoteIdent(col)} IN (${part.map(() => '?').join(',')})`,
            )
            .run(...part).changes;
          if (n) out[`${t.name}.${col}`] = (out[`${t.name}.${col}`] ?? 0) + n;
        }
      }
    }
  })();
  return out;
}

/** Runs retention now and then every `intervalMs` (default daily); returns a stop function. */
export function scheduleRetention(
  run: () => void,
  opts: { intervalMs?: number; onError?: (err: unknown) => void } = {},
): () => void {
  const safe = (): void => {
    try {
      run();
    } catch (err) {
      opts.onError?.(err);
    }
  };
  const first = setTimeout(safe, 0);
  const timer = setInterval(safe, opts.intervalMs ?? DAY_MS);
  first.unref?.();
  timer.unref?.();
  return () => {
    clearTimeout(first);
    clearInterval(timer);
  };
}
