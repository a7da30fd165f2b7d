/**
 * Result download: `<final>.part`, resumed with HTTP Range, verified with ffprobe, fsynced,
 * then renamed into place without ever overwriting another file. A 403/404 surfaces as a
 * KlingError of kind `expired` (the caller queries the task for a fresh URL).
 */
import { closeSync, existsSync, fsyncSync, linkSync, mkdirSync, openSync, renameSync, statSync, unlinkSync, writeSync } from 'node:fs';
import { dirname, join } from 'node:path';

import type { KlingClient } from '../kling';
import type { ToolPaths } from '../media';
import { verifyDownload, type VerifyLevel } from './verify';

/** Safe file-name part: letters, digits, '.', '_', '-' only; never empty, never a dot name. */
export function safeName(s: string, max = 80): string {
  const t = s.normalize('NFKD').replace(/[^\w.-]+/g, '_').replace(/^[._]+/, '').slice(0, max);
  return t || 'x';
}

export function clipPath(dataDir: string, storyboardId: string, shotId: string, take: number, taskId: string): string {
  return join(dataDir, 'clips', safeName(storyboardId), `${safeName(shotId)}_take${take}_${safeName(taskId)}.mp4`);
}

export interface DownloadOptions {
  client: KlingClient;
  url: string;
  file: string;
  expectDurationS?: number | null;
  tools?: ToolPaths;
  signal?: AbortSignal;
  verify?: VerifyLevel;
  /** Writes a chunk (tests inject ENOSPC here); default fs.writeSync. */
  write?: (fd: number, buf: Uint8Array) => void;
}

function fsyncDir(dir: string): void {
  try {
    const fd = openSync(dir, 'r');
    try {
      fsyncSync(fd);
    } finally {
      closeSync(fd);
    }
  } catch {
    /* not supported on this platform (Windows) */
  }
}

/** Places `part` at `file` without overwriting: link+unlink (fails if file exists), rename fallback. */
function placeNoOverwrite(part: string, file: string): void {
  try {
    linkSync(part, file);
    unlinkSync(part);
  } catch (err) {
    const code = (err as NodeJS.ErrnoException).code;
    if (code === 'EEXIST') throw err;
    if (existsSync(file)) throw Object.assign(new Error(`${file} already exists`), { code: 'EEXIST' });
    renameSync(part, file);
  }
}

/** Errors a virus scanner or indexer causes on Windows by holding a new file for a moment. */
const TRANSIENT_FS = new Set(['EPERM', 'EBUSY', 'EACCES']);

/** Runs a file operation again after transient Windows lock errors (50 ms, doubling, 8 tries). */
export async function retryTransientFs<T>(op: () => T, opts: { tries?: number; baseMs?: number; wait?: (ms: number) => Promise<void> } = {}): Promise<T> {
  const tries = opts.tries ?? 8;
  const wait = opts.wait ?? ((ms: number) => new Promise<void>((r) => setTimeout(r, ms)));
  for (let i = 1; ; i++) {
    try {
      return op();
    } catch (err) {
      if (i >= tries || !TRANSIENT_FS.has((err as NodeJS.ErrnoException).code ?? '')) throw err;
      await wait((opts.baseMs ?? 50) * 2 ** (i - 1));
    }
  }
}

/**
 * Downloads (or resumes) into `file`. If `file` already exists (a crash after the rename but
 * before the database write), it is verified and adopted: the name holds the task id.
 */
export async function downloadClip(o: DownloadOptions): Promise<{ file: string; bytes: number; durationS: number }> {
  mkdirSync(dirname(o.file), { recursive: true });
  if (existsSync(o.file)) {
    const v = await verifyDownload(o.file, { durationS: o.expectDurationS ?? null }, o.tools, o.verify);
    return { file: o.file, bytes: v.sizeBytes, durationS: v.durationS };
  }
  const part = `${o.file}.part`;
  let start = existsSync(part) ? statSync(part).size : 0;
  let res: Response | null = null;
  try {
    res = await o.client.fetchResult(o.url, { start, ...(o.signal ? { signal: o.signal } : {}) });
  } catch (err) {
    // 416 on a resume: the part already holds every byte (a crash during verification);
    // verify it as it is below (a bad one is deleted and fetched again).
    if (!(start > 0 && (err as { httpStatus?: number }).httpStatus === 416)) throw err;
  }
  if (res) {
    if (start > 0 && res.status !== 206) start = 0; // the server ignored Range: start over
    const fd = openSync(part, start > 0 ? 'a' : 'w');
    const write = o.write ?? ((f: number, b: Uint8Array) => void writeSync(f, b));
    try {
      if (!res.body) throw new Error('empty response body');
      for await (const chunk of res.body as unknown as AsyncIterable<Uint8Array>) write(fd, chunk);
      fsyncSync(fd);
    } finally {
      closeSync(fd);
    }
    const expected = Number(res.headers.get('content-length') ?? NaN);
    const got = statSync(part).size;
    if (Number.isFinite(expected) && got !== start + expected) {
      throw Object.assign(new Error(`download cut short: ${got} of ${start + expected} bytes; it resumes from there`), { code: 'ETRUNC', retryable: true });
    }
  }
  try {
    await verifyDownload(part, { durationS: o.expectDurationS ?? null }, o.tools, o.verify);
  } catch (err) {
    unlinkSync(part); // complete but bad: start over next time
    throw Object.assign(err as Error, { retryable: true });
  }
  await retryTransientFs(() => placeNoOverwrite(part, o.file));
  fsyncDir(dirname(o.file));
  const v = statSync(o.file);
  return { file: o.file, bytes: v.size, durationS: o.expectDurationS ?? 0 };
}
