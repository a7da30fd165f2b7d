/**
 * What the scene split needs from ffprobe beyond probe.ts: every video packet's pts and
 * keyframe flag (demux only, no decode), the stream's H.264 profile and level and the file's
 * start time, and, after the split, a decoding frame count per clip.
 */
import { execFile } from 'node:child_process';

import { ShotlineError } from '../../../shared/result';
import { childEnv } from '../child-env';
import { inputArg } from './probe';
import type { SourceFrames } from './split-plan';

export interface PacketScan extends SourceFrames {
  /** pts of each frame in presentation order, in the stream's timebase. */
  pts: number[];
  timebase: { num: number; den: number };
  /** The format's start time in microseconds (ffmpeg's `-ss` counts from it). */
  startUs: number;
  /** H.264 profile as ffprobe names it ("High") and level (40 = 4.0). */
  profile: string | null;
  level: number | null;
  /** Start of the first audio stream in seconds (null: no audio), to cut it where the picture cuts. */
  audioStartS: number | null;
}

function ffprobeJson(ffprobe: string, args: string[], file: string): Promise<Record<string, unknown>> {
  return new Promise((resolve, reject) => {
    execFile(
      ffprobe,
      ['-v', 'error', '-protocol_whitelist', 'file', '-of', 'json', ...args, inputArg(file)],
      { env: childEnv(), maxBuffer: 256 * 1024 * 1024 },
      (err, stdout, stderr) => {
        const why = String(stderr).trim().split('\n').filter(Boolean).slice(-1)[0];
        if (err || why) {
          reject(
            new ShotlineError({
              code: 'media_invalid',
              where: file,
              message: `${file}: does not read cleanly (${(why ?? err?.message ?? '').slice(0, 200)}); download it again`,
            }),
          );
          return;
        }
        try {
          resolve(JSON.parse(stdout) as Record<string, unknown>);
        } catch {
          reject(
            new ShotlineError({
              code: 'media_invalid',
              where: file,
              message: `${file}: ffprobe gave no readable answer; download it again`,
            }),
          );
        }
      },
    );
  });
}

interface Packet {
  stream_index?: number;
  pts?: number | string;
  flags?: string;
}

interface Stream {
  index?: number;
  codec_type?: string;
  time_base?: string;
  profile?: string;
  level?: number;
  start_time?: string;
}

/** Packets of the first video stream, sorted into presentation order, with the keyframes marked. */
export async function scanPackets(ffprobe: string, file: string): Promise<PacketScan> {
  const d = await ffprobeJson(
    ffprobe,
    [
      '-show_entries',
      'packet=stream_index,pts,flags:stream=index,codec_type,time_base,profile,level,start_time:format=start_time',
    ],
    file,
  );
  const streams = (d.streams ?? []) as Stream[];
  const stream = streams.find((s) => s.codec_type === 'video');
  const audio = streams.find((s) => s.codec_type === 'audio');
  const packets = ((d.packets ?? []) as Packet[]).filter(
    (p) => p.stream_index === stream?.index && p.pts !== undefined && p.pts !== 'N/A' && !(p.flags ?? '').includes('D'),
  );
  if (!stream || packets.length === 0)
    throw new ShotlineError({
      code: 'media_invalid',
      where: file,
      message: `${file}: has no video frames; it is not a scene clip`,
    });
  const [tn, td] = (stream.time_base ?? '').split('/').map(Number);
  const sorted = packets
    .map((p) => ({ pts: Number(p.pts), key: (p.flags ?? '').includes('K') }))
    .sort((a, b) => a.pts - b.pts);
  const keyframes = new Set<number>();
  sorted.forEach((p, i) => {
    if (p.key) keyframes.add(i);
  });
  const start = Number((d.format as { start_time?: string } | undefined)?.start_time ?? 0);
  return {
    total: sorted.length,
    keyframes,
    pts: sorted.map((p) => p.pts),
    timebase: { num: tn ?? 1, den: td ?? 1 },
    startUs: Number.isFinite(start) ? Math.round(start * 1e6) : 0,
    profile: stream.profile ?? null,
    level: typeof stream.level === 'number' && stream.level > 0 ? stream.level : null,
    audioStartS: audio ? Number(audio.start_time ?? 0) || 0 : null,
  };
}

export interface ClipCount {
  videoFrames: number;
  videoS: number | null;
  audio: boolean;
  audioS: number | null;
}

/** Decodes the whole clip (video and audio) and counts its video frames; a decode error rejects. */
export async function countFrames(ffprobe: string, file: string): Promise<ClipCount> {
  const d = await ffprobeJson(
    ffprobe,
    ['-count_frames', '-show_entries', 'stream=codec_type,nb_read_frames,duration'],
    file,
  );
  const streams = (d.streams ?? []) as Array<{ codec_type?: string; nb_read_frames?: string; duration?: string }>;
  const v = streams.find((s) => s.codec_type === 'video');
  const a = streams.find((s) => s.codec_type === 'audio');
  const secs = (x: string | undefined): number | null =>
    x !== undefined && Number.isFinite(Number(x)) ? Number(x) : null;
  return {
    videoFrames: Number(v?.nb_read_frames ?? 0),
    videoS: secs(v?.duration),
    audio: a !== undefined,
    audioS: secs(a?.duration),
  };
}
