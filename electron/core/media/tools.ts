/**
 * Resolves ffmpeg/ffprobe once per process (locate.ts order) and runs ffmpeg with an
 * argument array (never a shell string), progress parsed from `-progress pipe:1`, and an
 * AbortSignal that kills the process.
 */
import { spawn } from 'node:child_process';
import { setPriority } from 'node:os';

import { ShotlineError } from '../../../shared/result';
import { childEnv } from '../child-env';
import { findTool, type LocateOptions, type ToolName } from './locate';

export interface ToolPaths {
  ffmpeg?: string | undefined;
  ffprobe?: string | undefined;
  resourcesPath?: string | undefined;
}

/** The path of a tool, or a ShotlineError naming the fix. */
export function requireTool(name: ToolName, paths: ToolPaths = {}): string {
  const opts: LocateOptions = { explicit: paths[name], resourcesPath: paths.resourcesPath };
  const found = findTool(name, opts);
  if (!found.path) throw new ShotlineError({ code: 'ffmpeg_missing', message: found.source, where: name });
  return found.path;
}

export interface RunProgress {
  /** Seconds of output written so far. */
  outTimeS: number;
  /** Wall seconds since start. */
  elapsedS: number;
}

export interface RunOptions {
  signal?: AbortSignal | undefined;
  onProgress?: ((p: RunProgress) => void) | undefined;
  /**
   * Background work (download verification): lowest CPU priority, so decoding clips never
   * slows the scheduler's hand-over of Kling slots or the app's UI on a busy machine.
   */
  background?: boolean | undefined;
}

/** Runs ffmpeg; resolves with stderr, rejects with a ShotlineError carrying ffmpeg's last lines. */
export function runFfmpeg(ffmpeg: string, args: string[], opts: RunOptions = {}): Promise<string> {
  return new Promise((resolve, reject) => {
    if (opts.signal?.aborted) {
      reject(new ShotlineError({ code: 'cancelled', message: 'cancelled before ffmpeg started' }));
      return;
    }
    const full = [
      '-hide_banner',
      '-nostdin',
      '-y',
      ...(opts.onProgress ? ['-progress', 'pipe:1', '-nostats'] : []),
      ...args,
    ];
    const child = spawn(ffmpeg, full, { stdio: ['ignore', 'pipe', 'pipe'], env: childEnv() });
    if (opts.background && child.pid) {
      try {
        setPriority(child.pid, 19);
      } catch {
        // not permitted here: run at normal priority
      }
    }
    const started = Date.now();
    let stderr = '';
    let buf = '';
    child.stderr.on('data', (d: Buffer) => {
      stderr += d.toString();
      if (stderr.length > 64_000) stderr = stderr.slice(-32_000);
    });
    child.stdout.on('data', (d: Buffer) => {
      buf += d.toString();
      let nl: number;
      while ((nl = buf.indexOf('\n')) >= 0) {
        const line = buf.slice(0, nl).trim();
        buf = buf.slice(nl + 1);
        const m = /^out_time_us=(\d+)/.exec(line) ?? /^out_time_ms=(\d+)/.exec(line);
        if (m?.[1]) opts.onProgress?.({ outTimeS: Number(m[1]) / 1e6, elapsedS: (Date.now() - started) / 1000 });
      }
    });
    const onAbort = (): void => {
      child.kill('SIGKILL');
    };
    opts.signal?.addEventListener('abort', onAbort, { once: true });
    child.on('error', (err) => {
      opts.signal?.removeEventListener('abort', onAbort);
      reject(new ShotlineError({ code: 'ffmpeg_failed', message: `could not start ${ffmpeg}: ${err.message}` }));
    });
    child.on('close', (code) => {
      opts.signal?.removeEventListener('abort', onAbort);
      if (opts.signal?.aborted)
        reject(new ShotlineError({ code: 'cancelled', message: 'export cancelled; partial output removed' }));
      else if (code === 0) resolve(stderr);
      else {
        const tail = stderr.trim().split('\n').slice(-4).join(' | ');
        reject(new ShotlineError({ code: 'ffmpeg_failed', message: `ffmpeg exited ${code}: ${tail}` }));
      }
    });
  });
}
