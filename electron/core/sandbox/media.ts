/**
 * Result files (kling-api.md §11, §20): the task's MP4 from the clip cache (clips.ts), with
 * HEAD, byte ranges (206, suffix ranges, 416) and ETag so downloads can resume; 404 before the
 * task succeeds and after the URL's lifetime (the task record stays queryable); a `truncate`
 * fault cuts the body after some bytes.
 */
import { createReadStream, statSync } from 'node:fs';
import type { IncomingMessage, ServerResponse } from 'node:http';

import { ensureClip } from './clips';
import type { TaskStore } from './store';

export interface MediaContext {
  store: TaskStore;
  now: () => number;
  urlTtlMs: () => number;
  clipCacheDir: string | undefined;
  ffmpegPath: string | undefined;
}

/** Serves one download; returns the HTTP status sent. */
export async function serveMedia(
  ctx: MediaContext,
  req: IncomingMessage,
  res: ServerResponse,
  token: string | null,
  truncateTo: number | null,
): Promise<number> {
  const method = req.method ?? 'GET';
  const date = new Date(ctx.now()).toUTCString();
  const plain = (status: number, text: string): number => {
    res.writeHead(status, { 'Content-Type': 'text/plain; charset=utf-8', Date: date });
    res.end(text);
    return status;
  };
  const task = token ? ctx.store.byMediaToken(token) : undefined;
  if (!task || ctx.store.statusOf(task) !== 'succeed') return plain(404, 'Not Found');
  if (method !== 'GET' && method !== 'HEAD') return plain(405, 'Method Not Allowed');
  if (ctx.now() > task.doneAt + ctx.urlTtlMs()) return plain(404, 'Not Found: this link has expired');
  let file: string;
  try {
    file = await ensureClip(task.video.clip, {
      ...(ctx.clipCacheDir ? { cacheDir: ctx.clipCacheDir } : {}),
      ...(ctx.ffmpegPath ? { ffmpegPath: ctx.ffmpegPath } : {}),
    });
  } catch (err) {
    return plain(500, err instanceof Error ? err.message : String(err));
  }
  const size = statSync(file).size;
  let start = 0;
  let end = size - 1;
  let status = 200;
  const range = req.headers.range;
  if (range) {
    const rm = /^bytes=(\d*)-(\d*)$/.exec(range.trim());
    if (!rm || (rm[1] === '' && rm[2] === '')) return plain(416, 'Range Not Satisfiable');
    if (rm[1] === '') {
      start = Math.max(0, size - Number(rm[2]));
    } else {
      start = Number(rm[1]);
      end = rm[2] === '' ? size - 1 : Math.min(size - 1, Number(rm[2]));
    }
    if (start >= size || start > end) {
      res.writeHead(416, { 'Content-Range': `bytes */${size}`, Date: date });
      res.end();
      return 416;
    }
    status = 206;
  }
  const length = end - start + 1;
  res.writeHead(status, {
    'Content-Type': 'video/mp4',
    'Content-Length': length,
    'Accept-Ranges': 'bytes',
    ETag: `"${task.video.token}-${size}"`,
    Date: date,
    ...(status === 206 ? { 'Content-Range': `bytes ${start}-${end}/${size}` } : {}),
  });
  if (method === 'HEAD') {
    res.end();
    return status;
  }
  if (truncateTo !== null) {
    const cut = truncateTo < 0 ? Math.floor(length / 2) : Math.min(truncateTo, length);
    const stream = createReadStream(file, { start, end: start + Math.max(0, cut - 1) });
    stream.on('data', (c) => res.write(c));
    stream.on('end', () => res.destroy());
    return status;
  }
  createReadStream(file, { start, end }).pipe(res);
  return status;
}
