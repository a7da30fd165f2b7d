/**
 * Storyboard import: read a JSON/CSV file (or text), resolve relative image paths against
 * its folder, validate everything, estimate the cost, and store it only when it is clean.
 */
import { createHash } from 'node:crypto';
import { existsSync, readFileSync, realpathSync, statSync } from 'node:fs';
import { basename, dirname, isAbsolute, relative, resolve, sep } from 'node:path';

import type Database from 'better-sqlite3';

import type { StoryboardSource } from '../../../shared/contract/storyboard';
import { ShotlineError } from '../../../shared/result';
import { OUTSIDE_PATHS_FIX } from '../../../shared/storyboard/paths';
import { estimateStoryboard, parseStoryboard, type ParseResult } from '../../../shared/storyboard/validate';
import { formatProblem, type StoryboardEstimate } from '../../../shared/storyboard/schema';
import { checkElements, saveStoryboardElements } from '../elements/library';
import { elementImageProblems } from './element-images';
import type { QueueStore } from '../queue/store';

export interface LoadedStoryboard {
  result: ParseResult;
  file: string;
  sourcePath: string | null;
  format: 'json' | 'csv';
  contentSha256: string;
}

const MAX_BYTES = 64 * 1024 * 1024;

function realOrSelf(p: string): string {
  try {
    return realpathSync.native(p);
  } catch {
    return p;
  }
}

/**
 * The realpath half of "a storyboard reads only its own folder" (issue 16.3; the text rules
 * are shared/storyboard/paths.ts): a path that resolves, through symlinks, outside `baseDir`.
 */
export function confineTo(baseDir: string): (absolute: string) => string | null {
  const root = realOrSelf(resolve(baseDir));
  return (absolute) => {
    const rel = relative(root, realOrSelf(absolute));
    if (rel === '' || (rel !== '..' && !rel.startsWith(`..${sep}`) && !isAbsolute(rel))) return null;
    return `it is outside the storyboard's folder (links followed); ${OUTSIDE_PATHS_FIX}`;
  };
}

export function loadStoryboard(
  src: StoryboardSource,
  opts: {
    cwd?: string;
    defaultBaseDir?: string;
    /** The library's element aliases (electron/core/elements libraryAliases): shots may name them. */
    knownElements?: readonly string[];
  } = {},
): LoadedStoryboard {
  let content: string;
  let sourcePath: string | null = null;
  let baseDir = src.baseDir ?? opts.defaultBaseDir ?? opts.cwd ?? process.cwd();
  if (src.path !== undefined && src.content === undefined) {
    sourcePath = isAbsolute(src.path) ? src.path : resolve(opts.cwd ?? process.cwd(), src.path);
    try {
      const st = statSync(sourcePath);
      if (!st.isFile()) throw new Error('not a file');
      if (st.size > MAX_BYTES)
        throw new ShotlineError({
          code: 'validation',
          where: sourcePath,
          message: `${sourcePath}: ${st.size} bytes is too big for a storyboard (64 MB at most)`,
        });
      content = readFileSync(sourcePath, 'utf8');
    } catch (err) {
      if (err instanceof ShotlineError) throw err;
      throw new ShotlineError({
        code: 'validation',
        where: src.path,
        message: `${src.path}: cannot read the storyboard (${(err as NodeJS.ErrnoException).code ?? (err as Error).message}); check the path`,
      });
    }
    baseDir = src.baseDir ?? dirname(sourcePath);
  } else content = src.content ?? '';
  const file = sourcePath ? (src.path as string) : (src.name ?? 'storyboard');
  const format = src.format ?? (/\.csv$/i.test(sourcePath ?? '') ? 'csv' : 'json');
  const result = parseStoryboard(content, {
    file,
    format,
    resolvePath: (rel) => (isAbsolute(rel) ? rel : resolve(baseDir, rel)),
    fileExists: (abs) => existsSync(abs),
    confine: confineTo(baseDir),
    ...(src.allowOutsidePaths ? { allowOutsidePaths: true } : {}),
    ...(opts.knownElements ? { knownElements: opts.knownElements } : {}),
    ...(src.name
      ? { name: src.name }
      : format === 'csv' && sourcePath
        ? { name: basename(sourcePath).replace(/\.[^.]*$/, '') }
        : {}),
  });
  // Element images are checked byte for byte now (element-images.ts), like the import and Kling will.
  const imageProblems = result.ok ? elementImageProblems(result.storyboard.elements, file) : [];
  const checked: ParseResult = imageProblems.length ? { ok: false, storyboard: null, problems: imageProblems } : result;
  return {
    result: checked,
    file,
    sourcePath,
    format,
    contentSha256: createHash('sha256').update(content).digest('hex'),
  };
}

/** Throws one validation error listing every problem (first 20 lines). */
export function assertValid(l: LoadedStoryboard): asserts l is LoadedStoryboard & { result: { ok: true } } {
  if (l.result.ok) return;
  const lines = l.result.problems.map(formatProblem);
  const first = l.result.problems[0];
  throw new ShotlineError({
    code: 'validation',
    where: first
      ? [
          first.file,
          first.row !== null ? `row ${first.row}` : null,
          first.shot ? `shot ${first.shot}` : null,
          first.field,
        ]
          .filter(Boolean)
          .join(', ')
      : l.file,
    message: `${lines.length} problem${lines.length === 1 ? '' : 's'} in the storyboard; nothing was queued:\n  ${lines.slice(0, 20).join('\n  ')}${lines.length > 20 ? `\n  ... and ${lines.length - 20} more` : ''}`,
  });
}

/**
 * Stores a clean storyboard: its shots through the queue (QueueStore owns them), its elements in
 * the element library on `db` (the data dir's database; the queue's handle is private).
 */
export function importStoryboard(
  store: QueueStore,
  db: Database.Database,
  l: LoadedStoryboard,
): { storyboardId: string; name: string; shots: number; estimate: StoryboardEstimate } {
  assertValid(l);
  const sb = l.result.storyboard;
  // The element library (electron/core/elements): images checked as frames are, before anything is stored.
  const elements = checkElements(sb.elements, l.file);
  const storyboardId = store.saveStoryboard(sb, {
    sourcePath: l.sourcePath,
    format: l.format,
    contentSha256: l.contentSha256,
  });
  saveStoryboardElements(db, storyboardId, elements);
  return { storyboardId, name: sb.name, shots: sb.shots.length, estimate: estimateStoryboard(sb.shots) };
}

export { estimateStoryboard };
