/**
 * probeRemote(url): what Kling will find at a motion reference URL (kling-api.md §5.6), read
 * before a motion job is sent (electron/core/engine/engine.ts `buildRequest`; the rules are
 * shared/kling/motion-reference.ts). A HEAD gives the size when the server says it
 * (Content-Length); ffprobe reads the container, the picture and the length over http(s) with
 * only the network protocols allowed (never `file`: a playlist cannot make it open local files)
 * and a timeout, so an unreachable or silent host ends in an answer, not a hang.
 */
import { execFile } from 'node:child_process';

import { ReferenceFacts } from '../../../shared/kling/motion-reference';
import { childEnv } from '../child-env';
import { requireTool, type ToolPaths } from './tools';

export interface RemoteProbeOptions extends ToolPaths {
  /** Time allowed for the HEAD and for ffprobe each (default 20 s). */
  timeoutMs?: number;
}

export type RemoteProbe = { ok: true; facts: ReferenceFacts } | { ok: false; why: string };

interface FfprobeJson {
  format?: { format_name?: string; duration?: string };
  streams?: Array<{ codec_type?: string; width?: number; height?: number; disposition?: { attached_pic?: number } }>;
}

/** Content-Length from a HEAD: a number, null when not said, or why the host did not answer. */
async function headSize(url: string, timeoutMs: number): Promise<{ size: number | null } | { why: string }> {
  try {
    const res = await fetch(url, { method: 'HEAD', redirect: 'follow', signal: AbortSignal.timeout(timeoutMs) });
    // 404/403/410: the file is not there for Kling either. Other refusals (405: no HEAD) leave ffprobe to tell.
    if ([401, 403, 404, 410].includes(res.status)) return { why: `the server answered ${res.status}` };
    const len = res.ok ? Number(res.headers.get('content-length') ?? NaN) : NaN;
    return { size: Number.isInteger(len) && len >= 0 ? len : null };
  } catch (err) {
    const cause = (err as { cause?: { code?: string; message?: string } }).cause;
    const why =
      (err as Error).name === 'TimeoutError'
        ? `no answer in ${timeoutMs / 1000} s`
        : (cause?.code ?? cause?.message ?? (err as Error).message);
    return { why: `${new URL(url).host} did not answer (${why})` };
  }
}

function ffprobeUrl(ffprobe: string, url: string, timeoutMs: number): Promise<FfprobeJson | { why: string }> {
  const args = [
    '-v',
    'error',
    '-protocol_whitelist',
    'http,https,tcp,tls,crypto',
    '-rw_timeout',
    String(timeoutMs * 1000),
    '-print_format',
    'json',
    '-show_entries',
    'format=format_name,duration:stream=codec_type,width,height:stream_disposition=attached_pic',
    url,
  ];
  return new Promise((resolve) => {
    execFile(
      ffprobe,
      args,
      { env: childEnv(), timeout: timeoutMs + 5_000, maxBuffer: 4 * 1024 * 1024 },
      (err, stdout, stderr) => {
        if (err) {
          const last =
            String(stderr || err.message)
              .split('\n')
              .filter(Boolean)
              .slice(-1)[0] ?? err.message;
          resolve({ why: err.killed ? `no answer in ${timeoutMs / 1000} s` : last.trim().slice(0, 200) });
          return;
        }
        try {
          resolve(JSON.parse(stdout) as FfprobeJson);
        } catch {
          resolve({ why: 'ffprobe gave no readable answer' });
        }
      },
    );
  });
}

export async function probeRemote(url: string, opts: RemoteProbeOptions = {}): Promise<RemoteProbe> {
  const timeoutMs = opts.timeoutMs ?? 20_000;
  const head = await headSize(url, timeoutMs);
  if ('why' in head) return { ok: false, why: head.why };
  const ffprobe = requireTool('ffprobe', opts);
  const data = await ffprobeUrl(ffprobe, url, timeoutMs);
  if ('why' in data) return { ok: false, why: data.why };
  const v = data.streams?.find((s) => s.codec_type === 'video' && s.disposition?.attached_pic !== 1);
  const duration = Number(data.format?.duration ?? 0);
  return {
    ok: true,
    facts: ReferenceFacts.parse({
      formatName: data.format?.format_name ?? 'unknown',
      hasVideo: Boolean(v),
      width: v?.width ?? 0,
      height: v?.height ?? 0,
      durationS: Number.isFinite(duration) && duration > 0 ? duration : 0,
      sizeBytes: head.size,
    }),
  };
}
