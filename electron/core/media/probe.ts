/** probe(file): ffprobe (through fluent-ffmpeg) reduced to the fields the planner compares. */
import { statSync } from 'node:fs';

import ffmpeg from 'fluent-ffmpeg';

import { ProbeResult } from '../../../shared/media';
import { ShotlineError } from '../../../shared/result';
import { truncatedBox } from './boxes';
import { requireTool, type ToolPaths } from './tools';

export interface ProbeOptions extends ToolPaths {
  /** Skip the cache of earlier probes (keyed by path, size and mtime). */
  fresh?: boolean;
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
    key = `${file}\0${st.size}\0${st.mtimeMs}`;
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

async function probeUncached(file: string, size: number, opts: ProbeOptions): Promise<ProbeResult> {
  const ffprobePath = requireTool('ffprobe', opts);
  const data = await new Promise<ffmpeg.FfprobeData>((resolve, reject) => {
    ffmpeg(file)
      .setFfprobePath(ffprobePath)
      .ffprobe((err: Error | null, d: ffmpeg.FfprobeData) => {
        if (err) {
          const why = err.message.split('\n').filter(Boolean).slice(-1)[0] ?? err.message;
          reject(
            new ShotlineError({
              code: 'media_invalid',
              message: `${file}: not a readable media file (${why.trim()}); re-download or re-export it`,
              where: file,
            }),
          );
        } else resolve(d);
      });
  });
  if (/mp4|mov/.test(data.format.format_name ?? '')) {
    const cut = truncatedBox(file);
    if (cut)
      throw new ShotlineError({ code: 'media_invalid', message: `${file}: truncated (${cut}); download it again`, where: file });
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
          timebase: (v as { time_base?: string }).time_base ?? '',
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
