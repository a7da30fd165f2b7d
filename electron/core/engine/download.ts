/**
 * Result download: `<final>.part`, resumed with HTTP Range, capped in size and total time,
 * refused unless it starts with an MP4 `ftyp` box, verified with ffprobe (MP4 demuxer forced,
 * file protocol only), fsynced, then renamed into place without ever overwriting another file. A 403/404 surfaces as a
 * KlingError of kind `expired` (the caller queries the task for a fresh URL).
 */
import {
  closeSync,
  existsSync,
  fsyncSync,
  linkSync,
  mkdirSync,
  openSync,
  readSync,
  renameSync,
  rmSync,
  statSync,
  unlinkSync,
  writeSync,
} from 'node:fs';
import { basename, dirname, join } from 'node:path';

import { ShotlineError } from '../../../shared/result';

import type { KlingClient } from '../kling';
import type { ToolPaths } from '../media';
import { verifyDownload, type VerifyLevel } from './verify';

/** Safe file-name part: letters, digits, '.', '_', '-' only; never empty, never a dot name. */
export function safeName(s: string, max = 80): string {
  const t = s
    .normalize('NFKD')
    .replace(/[^\w.-]+/g, '_')
    .replace(/^[._]+/, '')
    .slice(0, max);
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
  /** Largest file accepted (default DOWNLOAD_MAX_BYTES); a bigger one is refused and deleted. */
  maxBytes?: number;
  /** Longest a whole download may take (default DOWNLOAD_MAX_MS), headers to last byte. */
  maxMs?: number;
}

/** 2 GiB: a 10 s 4K clip is a few hundred MB; anything far bigger is not a Kling result. */
export const DOWNLOAD_MAX_BYTES = 2 * 1024 ** 3;
/** 20 minutes for one clip, so a server trickling bytes cannot hold a slot forever. */
export const DOWNLOAD_MAX_MS = 20 * 60_000;

/**
 * A download is an MP4 or nothing (issue 16.2): the file must start with an ISO BMFF `ftyp`
 * box before ffprobe or anything else reads it, so a playlist, concat list or HTML page
 * posing as a video is refused without being parsed. Returns the problem, or null.
 */
export function mp4SignatureProblem(file: string): string | null {
  const head = Buffer.alloc(12);
  const fd = openSync(file, 'r');
  let n: number;
  try {
    n = readSync(fd, head, 0, 12, 0);
  } finally {
    closeSync(fd);
  }
  const size = head.readUInt32BE(0);
  if (n >= 12 && head.toString('latin1', 4, 8) === 'ftyp' && (size === 1 || size >= 12)) return null;
  return `${basename(file)}: not an MP4 file (it does not start with an 'ftyp' box, got ${n} byte(s) of something else); the result was refused and deleted, the task is queried for a fresh link`;
}

function refuseNonMp4(file: string): void {
  const problem = mp4SignatureProblem(file);
  if (!problem) return;
  unlinkSync(file);
  throw Object.assign(new ShotlineError({ code: 'media_invalid', where: file, message: problem }), { retryable: true });
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
export async function retryTransientFs<T>(
  op: () => T,
  opts: { tries?: number; baseMs?: number; wait?: (ms: number) => Promise<void> } = {},
): Promise<T> {
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
    refuseNonMp4(o.file);
    const v = await verifyDownload(o.file, { durationS: o.expectDurationS ?? null }, o.tools, o.verify);
    return { file: o.file, bytes: v.sizeBytes, durationS: v.durationS };
  }
  const part = `${o.file}.part`;
  let start = existsSync(part) ? statSync(part).size : 0;
  const maxBytes = o.maxBytes ?? DOWNLOAD_MAX_BYTES;
  const maxMs = o.maxMs ?? DOWNLOAD_MAX_MS;
  const deadline = new AbortController();
  const timer = setTimeout(() => deadline.abort(new DOMException('too slow', 'TimeoutError')), maxMs);
  const signal = o.signal ? AbortSignal.any([o.signal, deadline.signal]) : deadline.signal;
  const tooBig = (bytes: number): Error => {
    rmSync(part, { force: true });
    return Object.assign(
      new ShotlineError({
        code: 'media_invalid',
        where: o.file,
        message: `${basename(o.file)}: the result is ${bytes} bytes or more, over the ${maxBytes}-byte cap for one clip; it was refused and deleted`,
      }),
      {
        retryable: false,
      },
    );
  };
  try {
    let res: Response | null = null;
    try {
      res = await o.client.fetchResult(o.url, { start, signal });
    } catch (err) {
      // 416 on a resume: the part already holds every byte (a crash during verification);
      // verify it as it is below (a bad one is deleted and fetched again).
      if (!(start > 0 && (err as { httpStatus?: number }).httpStatus === 416)) throw err;
    }
    if (res) {
      if (start > 0 && res.status !== 206) start = 0; // the server ignored Range: start over
      const expected = Number(res.headers.get('content-length') ?? NaN);
      if (Number.isFinite(expected) && start + expected > maxBytes) {
        await res.body?.cancel();
        throw tooBig(start + expected);
      }
      const fd = openSync(part, start > 0 ? 'a' : 'w', 0o600); // owner only (issue 16.7)
      const write = o.write ?? ((f: number, b: Uint8Array) => void writeSync(f, b));
      let total = start;
      try {
        if (!res.body) throw new Error('empty response body');
        for await (const chunk of res.body as unknown as AsyncIterable<Uint8Array>) {
          total += chunk.byteLength;
          if (total > maxBytes) {
            await res.body.cancel().catch(() => undefined);
            break;
          }
          write(fd, chunk);
        }
        fsyncSync(fd);
      } finally {
        closeSync(fd);
      }
      if (total > maxBytes) throw tooBig(total);
      const got = statSync(part).size;
      if (Number.isFinite(expected) && got !== start + expected) {
        throw Object.assign(
          new Error(`download cut short: ${got} of ${start + expected} bytes; it resumes from there`),
          { code: 'ETRUNC', retryable: true },
        );
      }
    }
  } catch (err) {
    if (deadline.signal.aborted && !o.signal?.aborted) {
      throw Object.assign(
        new Error(
          `the download of ${basename(o.file)} took longer than ${maxMs >= 10_000 ? `${Math.round(maxMs / 1000)} s` : `${maxMs} ms`} and was stopped; it resumes from there`,
        ),
        { code: 'ETIMEDOUT', retryable: true },
      );
    }
    throw err;
  } finally {
    clearTimeout(timer);
  }
  refuseNonMp4(part);
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
