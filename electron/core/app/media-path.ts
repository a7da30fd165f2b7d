/**
 * What media://clip/<path> (electron/main/protocol.ts) and the test bridge's /media/clip/
 * (electron/core/bridge/test-bridge.ts) may serve (issue 16.4): a regular file of a media
 * type (clips, stills, thumbnails) whose real path, links followed, is inside the data dir.
 * Never the database, its WAL/SHM/journal, state or lock files, settings, logs, nor a folder
 * listing; never a file a symlink in the data dir points to outside it.
 */
import { realpathSync, statSync } from 'node:fs';
import { extname, isAbsolute, relative, resolve, sep } from 'node:path';

export const MEDIA_TYPES: Readonly<Record<string, string>> = {
  '.mp4': 'video/mp4',
  '.m4v': 'video/mp4',
  '.mov': 'video/quicktime',
  '.png': 'image/png',
  '.jpg': 'image/jpeg',
  '.jpeg': 'image/jpeg',
  '.webp': 'image/webp',
};

/**
 * Every content type Shotline serves to a page, by extension: the built renderer (app:// in
 * electron/main/protocol.ts, the test bridge's GET /) and the media above (media://clip/ and the
 * bridge's /media/clip/, which serve only MEDIA_TYPES). One map for both fronts.
 */
export const CONTENT_TYPES: Readonly<Record<string, string>> = {
  '.html': 'text/html; charset=utf-8',
  '.js': 'text/javascript; charset=utf-8',
  '.css': 'text/css; charset=utf-8',
  '.svg': 'image/svg+xml',
  '.json': 'application/json',
  '.woff2': 'font/woff2',
  ...MEDIA_TYPES,
};

export function contentTypeOf(file: string): string {
  return CONTENT_TYPES[extname(file).toLowerCase()] ?? 'application/octet-stream';
}

export type MediaResolution = { ok: true; file: string; size: number; type: string } | { ok: false; reason: string };

/** `target` is strictly below `root` (both absolute). */
export function inside(root: string, target: string): boolean {
  const back = relative(root, target);
  return back !== '' && back !== '..' && !back.startsWith(`..${sep}`) && !isAbsolute(back);
}

/** `pathname`: the URL path after the host, still percent-encoded (e.g. "/clips/sb/a.mp4"). */
export function resolveMediaPath(dataDir: string, pathname: string): MediaResolution {
  let rel: string;
  try {
    rel = decodeURIComponent(pathname);
  } catch {
    return { ok: false, reason: 'bad percent-encoding' };
  }
  if (rel.includes('\0')) return { ok: false, reason: 'NUL in path' };
  const root = resolve(dataDir);
  const target = resolve(root, `.${rel.startsWith('/') ? '' : '/'}${rel}`);
  if (!inside(root, target)) return { ok: false, reason: 'outside the data dir' };
  const type = MEDIA_TYPES[extname(target).toLowerCase()];
  if (!type) return { ok: false, reason: 'not a media file type' };
  let real: string;
  let realRoot: string;
  try {
    realRoot = realpathSync.native(root);
    real = realpathSync.native(target);
  } catch {
    return { ok: false, reason: 'no such file' };
  }
  if (!inside(realRoot, real)) return { ok: false, reason: 'a link out of the data dir' };
  if (!MEDIA_TYPES[extname(real).toLowerCase()]) return { ok: false, reason: 'a link to a non-media file' };
  const st = statSync(real, { throwIfNoEntry: false });
  if (!st?.isFile()) return { ok: false, reason: 'not a regular file' };
  return { ok: true, file: real, size: st.size, type };
}
