/** File helpers shared by erase and retention: confinement to the data dir, walking, sizes. */
import { existsSync, lstatSync, readdirSync, rmdirSync, statSync } from 'node:fs';
import { dirname, isAbsolute, join, relative, resolve, sep } from 'node:path';

/** The absolute path of `p` if it names something inside `dataDir` (never outside it). */
export function insideDataDir(dataDir: string, p: string): string | null {
  if (!p || p.length > 4096 || p.includes('\0')) return null;
  if (/^[a-z][a-z0-9+.-]*:\/\//i.test(p)) return null; // URLs are not local files
  const root = resolve(dataDir);
  const abs = isAbsolute(p) ? resolve(p) : resolve(root, p);
  const rel = relative(root, abs);
  if (!rel || rel.startsWith('..') || isAbsolute(rel)) return null;
  return abs;
}

export function fileSize(p: string): number {
  try {
    return statSync(p).size;
  } catch {
    return 0;
  }
}

export function isFile(p: string): boolean {
  try {
    return existsSync(p) && lstatSync(p).isFile();
  } catch {
    return false;
  }
}

/** Every regular file under `dir` (symlinks are not followed). */
export function walkFiles(dir: string): string[] {
  const out: string[] = [];
  const stack = [dir];
  while (stack.length) {
    const d = stack.pop() as string;
    let entries;
    try {
      entries = readdirSync(d, { withFileTypes: true });
    } catch {
      continue;
    }
    for (const e of entries) {
      const p = join(d, e.name);
      if (e.isDirectory()) stack.push(p);
      else if (e.isFile()) out.push(p);
    }
  }
  return out.sort();
}

export function relToDataDir(dataDir: string, p: string): string {
  const rel = relative(resolve(dataDir), p);
  return rel.startsWith('..') ? p : rel.split(sep).join('/');
}

/**
 * Folders left empty by the deletes go too (thumbnails/<clip stem>-<hash>/ carries the task
 * id in its name); never the data dir itself, never a folder that still holds anything.
 */
export function removeEmptyParents(dataDir: string, removed: string[]): void {
  const root = resolve(dataDir);
  const dirs = new Set<string>();
  for (const f of removed) for (let d = dirname(f); d !== root && insideDataDir(root, d); d = dirname(d)) dirs.add(d);
  for (const d of [...dirs].sort((a, b) => b.length - a.length)) {
    try {
      if (readdirSync(d).length === 0) rmdirSync(d);
    } catch {
      // gone already, or not empty
    }
  }
}
