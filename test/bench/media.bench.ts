/**
 * Media: Shotline's edit renderer against hand-written ffmpeg commands on the same files.
 * 1. 50 compatible 5 s clips: renderEdit (plan = probe every clip, then concat demuxer copy)
 *    over `ffmpeg -f concat -safe 0 -i list.txt -c copy`, with a cold probe cache (the planner
 *    ffprobes clip 1 and compares MP4 stream signatures of the rest) and a warm one (clips
 *    were probed at download by verifyClip). Goal <= 1.10.
 * 2. 20 mixed clips (320x240@30 with audio / 240x180@24 without): the normalised edit over a
 *    hand-written single filter_complex command with the same encoder settings. Goal <= 1.20.
 * Variants alternate (7 runs each for the copy, 3 for the edit); the median is reported.
 */
import { execFileSync, spawnSync } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { performance } from 'node:perf_hooks';

import { concatLine, PRESETS, renderEdit } from '../../electron/core/media';
import { probe } from '../../electron/core/media/probe';
import type { CustomBench } from './harness';

function clip(out: string, w: number, h: number, fps: number, d: number, audio: boolean): string {
  const args = ['-v', 'error', '-y', '-f', 'lavfi', '-i', `testsrc2=s=${w}x${h}:r=${fps}:d=${d}`];
  if (audio) args.push('-f', 'lavfi', '-i', `sine=r=48000:d=${d}`, '-c:a', 'aac', '-ac', '2', '-shortest');
  args.push('-c:v', 'libx264', '-preset', 'ultrafast', '-g', String(fps), '-pix_fmt', 'yuv420p', out);
  execFileSync('ffmpeg', args);
  return out;
}

const median = (xs: number[]): number => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)] ?? 0;

async function timed(fn: () => unknown): Promise<number> {
  const t0 = performance.now();
  await fn();
  return performance.now() - t0;
}

function ffmpeg(args: string[]): void {
  const r = spawnSync('ffmpeg', ['-hide_banner', '-nostdin', '-y', '-v', 'error', ...args]);
  if (r.status !== 0) throw new Error(r.stderr.toString());
}

const bench: CustomBench = {
  name: 'media: concat and normalised edit vs hand-written ffmpeg',
  async measure() {
    const dir = mkdtempSync(join(tmpdir(), 'shotline-media-bench-'));
    const lines: string[] = [];
    try {
      const copyClips = Array.from({ length: 50 }, (_, i) => clip(join(dir, `c${i}.mp4`), 160, 120, 24, 5, true));
      const list = join(dir, 'list.txt');
      writeFileSync(list, `${copyClips.map(concatLine).join('\n')}\n`);
      const edit = { clips: copyClips.map((file) => ({ file })) };
      const base: number[] = [];
      const cold: number[] = [];
      const warm: number[] = [];
      for (let r = 0; r < 7; r++) {
        base.push(
          await timed(() => ffmpeg(['-f', 'concat', '-safe', '0', '-i', list, '-c', 'copy', join(dir, 'hand.mp4')])),
        );
        cold.push(await timed(() => renderEdit(edit, join(dir, 'shot.mp4'), { fresh: true })));
        warm.push(await timed(() => renderEdit(edit, join(dir, 'shot.mp4'))));
      }
      lines.push(`50 x 5 s clips, stream copy: hand-written ffmpeg ${median(base).toFixed(0)} ms`);
      lines.push(
        `  Shotline, probes cached (clips verified at download)   ${median(warm).toFixed(0)} ms   ratio ${(median(warm) / median(base)).toFixed(2)} (goal <= 1.10)`,
      );
      lines.push(
        `  Shotline, cold (ffprobe clip 1, header signatures 2-50) ${median(cold).toFixed(0)} ms   ratio ${(median(cold) / median(base)).toFixed(2)}`,
      );

      const mixed = Array.from({ length: 20 }, (_, i) =>
        i % 2 === 0
          ? clip(join(dir, `m${i}.mp4`), 320, 240, 30, 2, true)
          : clip(join(dir, `m${i}.mp4`), 240, 180, 24, 2, false),
      );
      for (const f of mixed) await probe(f);
      const p = PRESETS.h264;
      const inputs = mixed.flatMap((f) => ['-i', f]);
      const graph = mixed
        .map((_, i) => {
          const v = `[${i}:v]scale=320:240:force_original_aspect_ratio=decrease,pad=320:240:(ow-iw)/2:(oh-ih)/2,setsar=1,fps=30,format=yuv420p[v${i}]`;
          const a =
            i % 2 === 0
              ? `[${i}:a]aformat=sample_fmts=fltp:sample_rates=48000:channel_layouts=stereo[a${i}]`
              : `anullsrc=r=48000:cl=stereo,atrim=duration=2[a${i}]`;
          return `${v};${a}`;
        })
        .join(';');
      const join20 = `${graph};${mixed.map((_, i) => `[v${i}][a${i}]`).join('')}concat=n=${mixed.length}:v=1:a=1[v][a]`;
      const handArgs = [
        ...inputs,
        '-filter_complex',
        join20,
        '-map',
        '[v]',
        '-map',
        '[a]',
        ...p.video,
        '-pix_fmt',
        'yuv420p',
        ...p.audio,
        '-ar',
        '48000',
        '-ac',
        '2',
        join(dir, 'hand-mixed.mp4'),
      ];
      const mb: number[] = [];
      const ms: number[] = [];
      for (let r = 0; r < 3; r++) {
        mb.push(await timed(() => ffmpeg(handArgs)));
        ms.push(await timed(() => renderEdit({ clips: mixed.map((file) => ({ file })) }, join(dir, 'shot-mixed.mp4'))));
      }
      lines.push(
        `20 mixed clips (320x240@30+audio / 240x180@24 silent, 2 s), h264 preset: hand-written ffmpeg ${median(mb).toFixed(0)} ms`,
      );
      lines.push(
        `  Shotline normalised edit  ${median(ms).toFixed(0)} ms   ratio ${(median(ms) / median(mb)).toFixed(2)} (goal <= 1.20)`,
      );
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
    return lines;
  },
};

export default bench;
