/**
 * Path text for the renderer, which has no node:path (tsconfig.web.json): the last part of a
 * path (either separator) and the middle elision the labels use
 * (renderer/src/components/PathLabel.tsx).
 */

/** The file or folder name at the end of a POSIX or Windows path. */
export function baseName(path: string): string {
  const parts = path.split(/[\\/]+/).filter(Boolean);
  return parts[parts.length - 1] ?? path;
}

/**
 * `path` cut to `keep` characters plus an ellipsis in the middle; the tail (the file name) gets
 * the larger share, since it tells files apart.
 */
export function elideMiddle(path: string, keep: number): string {
  if (keep >= path.length) return path;
  if (keep <= 0) return '…';
  const head = Math.floor(keep * 0.35);
  const tail = keep - head;
  return `${path.slice(0, head)}…${path.slice(path.length - tail)}`;
}
