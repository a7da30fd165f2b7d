/** probe(file): ffprobe (JSON output) reduced to the fields the planner compares. */
import { execFile } from 'node:child_process';
import { statSync } from 'node:fs';

import { ProbeResult } from '../../../shared/media';
import { ShotlineError } from '../../../shared/result';
import { childEnv } from '../child-env';
import { truncatedBox } from './boxes';
import { requireTool, type ToolPaths } from './tools';

export interface ProbeOptions extends ToolPaths {
  /** Skip the cache of earlier probes (keyed by path, size and mtime). */
  fresh?: boolean;
  /** Force the demuxer (downloads: 'mp4'), never guessed from the content. */
  container?: 'mp4' | undefined;
}

// Clips are probed when downloaded (verifyClip) and again when edited: a file with the same
// path, size and mtime is the same clip, so the second probe is free.
const cache = new Map<string, ProbeResult>();
const CACHE_MAX = 2000;

function fraction(s: string | undefined): number {
  if (!s) return 0;
  const [n, d] = s.split('/').map(Number);
  return d ? (n ?? 0) / d : (n ?? 0);
}

/** A stream's own duration ("N/A" or absent: null). */
function seconds(v: unknown): number | null {
  const n = Number(v);
  return v !== undefined && v !== null && v !== 'N/A' && Number.isFinite(n) && n > 0 ? n : null;
}

function notFound(file: string): ShotlineError {
  return new ShotlineError({ code: 'media_missing', message: `${file}: no such file; check the path`, where: file });
}

export async function probe(file: string, opts: ProbeOptions = {}): Promise<ProbeResult> {
  let size: number;
  let key: string;
  try {
    const st = statSync(file);
    size = st.size;
    key = `${file}\0${st.size}\0${st.mtimeMs}\0${opts.container ?? ''}`;
  } catch {
    throw notFound(file);
  }
  const hit = opts.fresh ? undefined : cache.get(key);
  if (hit) return hit;
  const result = await probeUncached(file, size, opts);
  if (cache.size >= CACHE_MAX) cache.delete(cache.keys().next().value as string);
  cache.set(key, result);
  return result;
}

interface FfprobeJson {
  format: { format_name?: string; duration?: string | number };
  streams: Array<{
    codec_type?: string;
    codec_name?: string;
    profile?: string | number | null;
    width?: number;
    height?: number;
    sample_aspect_ratio?: string;
    avg_frame_rate?: string;
    r_frame_rate?: string;
    time_base?: string;
    pix_fmt?: string;
    nb_frames?: string;
    duration?: string | number;
    sample_rate?: string | number;
    channels?: number;
    channel_layout?: string;
    disposition?: { attached_pic?: number };
  }>;
}

/**
 * ffprobe with an argument array and a credential-free environment (../child-env.ts). Only the
 * `file` protocol is allowed, and a downloaded clip is read with the MP4 demuxer forced
 * (`container: 'mp4'`), so a playlist or concat list posing as a video cannot make ffprobe
 * open other files or URLs (issue 16.2).
 */
function runFfprobe(ffprobePath: string, file: string, opts: ProbeOptions): Promise<FfprobeJson> {
  const args = [
    '-v',
    'error',
    '-protocol_whitelist',
    'file',
    ...(opts.container ? ['-f', opts.container] : []),
    '-print_format',
    'json',
    '-show_streams',
    '-show_format',
    inputArg(file),
  ];
  return new Promise((resolve, reject) => {
    execFile(
      ffprobePath,
      args,
      { env: childEnv(), maxBuffer: 16 * 1024 * 1024, timeout: 120_000 },
      (err, stdout, stderr) => {
        if (err) {
          const why =
            String(stderr || err.message)
              .split('\n')
              .filter(Boolean)
              .slice(-1)[0] ?? err.message;
          reject(
            new ShotlineError({
              code: 'media_invalid',
              message: `${file}: not a readable media file (${why.trim().slice(0, 200)}); re-download or re-export it`,
              where: file,
            }),
          );
          return;
        }
        try {
          const d = JSON.parse(stdout) as Partial<FfprobeJson>;
          resolve({ format: d.format ?? {}, streams: d.streams ?? [] });
        } catch {
          reject(
            new ShotlineError({
              code: 'media_invalid',
              message: `${file}: ffprobe gave no readable answer; re-download or re-export it`,
              where: file,
            }),
          );
        }
      },
    );
  });
}

/** A path ffmpeg reads as a file whatever it looks like (`file:` prefix, so `a:b.mp4` is no protocol). */
export function inputArg(file: string): string {
  return `file:${file}`;
}

async function probeUncached(file: string, size: number, opts: ProbeOptions): Promise<ProbeResult> {
  const ffprobePath = requireTool('ffprobe', opts);
  const data = await runFfprobe(ffprobePath, file, opts);
  if (/mp4|mov/.test(data.format.format_name ?? '')) {
    const cut = truncatedBox(file);
    if (cut)
      throw new ShotlineError({
        code: 'media_invalid',
        message: `${file}: truncated (${cut}); download it again`,
        where: file,
      });
  }
  const v = data.streams.find((s) => s.codec_type === 'video' && s.disposition?.attached_pic !== 1);
  const a = data.streams.find((s) => s.codec_type === 'audio');
  const fpsFraction = v?.avg_frame_rate && v.avg_frame_rate !== '0/0' ? v.avg_frame_rate : (v?.r_frame_rate ?? '0/1');
  const duration = Number(data.format.duration ?? v?.duration ?? 0);
  return ProbeResult.parse({
    file,
    formatName: data.format.format_name ?? 'unknown',
    durationS: Number.isFinite(duration) ? duration : 0,
    sizeBytes: size,
    streams: data.streams.length,
    video: v
      ? {
          codec: v.codec_name ?? 'unknown',
          profile: v.profile !== undefined && v.profile !== null ? String(v.profile) : null,
          width: v.width ?? 0,
          height: v.height ?? 0,
          sar: v.sample_aspect_ratio && v.sample_aspect_ratio !== '0:1' ? v.sample_aspect_ratio : '1:1',
          fpsFraction,
          fps: fraction(fpsFraction),
          timebase: v.time_base ?? '',
          pixFmt: v.pix_fmt ?? 'unknown',
          frames: v.nb_frames && v.nb_frames !== 'N/A' ? Number(v.nb_frames) : null,
          durationS: seconds(v.duration),
        }
      : null,
    audio: a
      ? {
          codec: a.codec_name ?? 'unknown',
          sampleRate: Number(a.sample_rate ?? 0),
          channels: a.channels ?? 0,
          channelLayout: a.channel_layout ?? null,
          durationS: seconds(a.duration),
        }
      : null,
  });
}
