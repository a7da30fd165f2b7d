/** Test clips generated with lavfi: tiny (320x240 unless asked), 1-2 s, so the suite stays fast. */
import { execFileSync } from 'node:child_process';

export interface ClipSpec {
  w?: number;
  h?: number;
  fps?: number;
  d?: number;
  audio?: boolean;
  faststart?: boolean;
  /** lavfi video source (default testsrc2) and tone: different content, same stream spec. */
  src?: string;
  tone?: number;
  /** Audio sample rate (default 48000). */
  rate?: number;
}

export function makeClip(out: string, s: ClipSpec = {}): string {
  const { w = 320, h = 240, fps = 30, d = 1, audio = true } = s;
  const args = ['-v', 'error', '-y', '-f', 'lavfi', '-i', `${s.src ?? 'testsrc2'}=s=${w}x${h}:r=${fps}:d=${d}`];
  if (audio) args.push('-f', 'lavfi', '-i', `sine=f=${s.tone ?? 440}:r=${s.rate ?? 48000}:d=${d}`);
  args.push('-c:v', 'libx264', '-preset', 'ultrafast', '-g', String(fps), '-pix_fmt', 'yuv420p');
  if (audio) args.push('-c:a', 'aac', '-ac', '2', '-shortest');
  if (s.faststart) args.push('-movflags', '+faststart');
  args.push(out);
  execFileSync('ffmpeg', args);
  return out;
}

/** ffprobe JSON of one file. */
export function ffprobeJson(file: string, extra: string[]): Record<string, unknown> {
  return JSON.parse(execFileSync('ffprobe', ['-v', 'error', '-of', 'json', ...extra, file]).toString()) as Record<
    string,
    unknown
  >;
}

/** Per-packet MD5s of one stream (`-c copy -f framemd5`): equal lists mean the same bits. */
export function packetHashes(file: string, stream: 'v' | 'a'): string[] {
  const out = execFileSync('ffmpeg', [
    '-v',
    'error',
    '-i',
    file,
    '-map',
    `0:${stream}:0`,
    '-c',
    'copy',
    '-f',
    'framemd5',
    '-',
  ]).toString();
  return (
    out
      .split('\n')
      .filter((l) => l && !l.startsWith('#'))
      // Fields: stream, dts, pts, duration, size, hash[, side data…]; side data (AAC skip
      // samples) legitimately differs once clips are joined, the packet bytes must not.
      .map((l) =>
        l
          .split(',')
          .slice(4, 6)
          .map((f) => f.trim())
          .join(' '),
      )
  );
}

/** Duration of the video stream in seconds, from its frame count and rate. */
export function videoDuration(file: string): number {
  const j = ffprobeJson(file, [
    '-select_streams',
    'v:0',
    '-count_frames',
    '-show_entries',
    'stream=nb_read_frames,avg_frame_rate',
  ]) as {
    streams: Array<{ nb_read_frames: string; avg_frame_rate: string }>;
  };
  const s = j.streams[0] as { nb_read_frames: string; avg_frame_rate: string };
  const [n = 0, d = 1] = s.avg_frame_rate.split('/').map(Number);
  return Number(s.nb_read_frames) / (n / d);
}
