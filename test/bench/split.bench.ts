/**
 * Scene split (issue 13): Shotline's splitScene (electron/core/media/split.ts) on a 15 s
 * six-shot 1080p scene with AAC from the sandbox (electron/core/sandbox/scene-clip.ts), against
 * a hand-written exact ffmpeg split of the same file in the same run: one command that decodes
 * the scene once and re-encodes every shot with the same encoder settings (split + trim by frame
 * number, atrim by sample). Goal: Shotline <= 1.2x. Shotline's time includes its checks
 * (packet scan, and a full decode of every clip to count its frames); the hand-written one
 * checks nothing.
 * Two scenes: cuts at 4, 6, 9, 10, 13 s with a 2 s GOP (3 of 5 cuts on keyframes, shots 1-2
 * copied), and with a 5 s GOP (no shot copyable: the worst case for Shotline).
 * Quality: PSNR of every re-encoded shot against the same frames of the source (goal >= 45 dB).
 * Variants alternate, 3 runs each; medians, and the median of the per-pair ratios.
 */
import { spawnSync } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { performance } from 'node:perf_hooks';

import { splitScene, SPLIT_CRF } from '../../electron/core/media';
import { ensureClip, sceneClipSpec } from '../../electron/core/sandbox';
import type { SceneSplit } from '../../shared/media';
import type { CustomBench } from './harness';

const SHOTS = [4, 2, 3, 1, 3, 2];
const FPS = 24;

const median = (xs: number[]): number => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)] ?? 0;

function ffmpeg(args: string[]): string {
  const r = spawnSync('ffmpeg', ['-hide_banner', '-nostdin', '-y', ...args]);
  if (r.status !== 0) throw new Error(r.stderr.toString());
  return r.stderr.toString();
}

/** The command a person would write for an exact split: decode once, re-encode each shot. */
function handSplit(scene: string, dir: string): void {
  const bounds = [0];
  for (const d of SHOTS) bounds.push((bounds[bounds.length - 1] ?? 0) + d);
  const n = SHOTS.length;
  const graph = [
    `[0:v]split=${n}${SHOTS.map((_, i) => `[s${i}]`).join('')}`,
    `[0:a]asplit=${n}${SHOTS.map((_, i) => `[t${i}]`).join('')}`,
  ];
  const outs: string[] = [];
  SHOTS.forEach((_, i) => {
    const a = (bounds[i] ?? 0) * FPS;
    const last = i === n - 1;
    const b = (bounds[i + 1] ?? 0) * FPS;
    graph.push(`[s${i}]trim=start_frame=${a}${last ? '' : `:end_frame=${b}`},setpts=PTS-STARTPTS[v${i}]`);
    graph.push(
      `[t${i}]atrim=start_sample=${a * 2000}${last ? '' : `:end_sample=${b * 2000}`},asetpts=PTS-STARTPTS[a${i}]`,
    );
    outs.push(
      '-map',
      `[v${i}]`,
      '-map',
      `[a${i}]`,
      '-c:v',
      'libx264',
      '-preset',
      'veryfast',
      '-crf',
      String(SPLIT_CRF),
      '-pix_fmt',
      'yuv420p',
      '-c:a',
      'aac',
      '-b:a',
      '192k',
      join(dir, `hand-${i + 1}.mp4`),
    );
  });
  ffmpeg(['-v', 'error', '-i', scene, '-filter_complex', graph.join(';'), ...outs]);
}

/** PSNR (average over frames, dB) of a re-encoded shot against the same source frames. */
function psnr(scene: string, shot: SceneSplit['shots'][number]): number {
  const ref = `[1:v]trim=start_frame=${shot.firstFrame}:end_frame=${shot.firstFrame + shot.frames},setpts=PTS-STARTPTS[r];[0:v][r]psnr`;
  const log = ffmpeg(['-i', shot.file, '-i', scene, '-filter_complex', ref, '-f', 'null', '-']);
  const m = /PSNR .*average:([\d.]+|inf)/.exec(log);
  return m?.[1] === 'inf' ? Infinity : Number(m?.[1] ?? NaN);
}

async function measureScene(label: string, gop: number, lines: string[]): Promise<void> {
  const scene = await ensureClip(sceneClipSpec(SHOTS, { width: 1920, height: 1080, fps: FPS, audio: true, gop }));
  const dir = mkdtempSync(join(tmpdir(), 'shotline-split-bench-'));
  try {
    const hand: number[] = [];
    const ours: number[] = [];
    let last: SceneSplit | null = null;
    for (let r = 0; r < 3; r++) {
      let t0 = performance.now();
      handSplit(scene, dir);
      hand.push(performance.now() - t0);
      t0 = performance.now();
      last = await splitScene(scene, SHOTS, { outDir: dir });
      ours.push(performance.now() - t0);
    }
    const methods = last?.shots.map((s) => s.method) ?? [];
    lines.push(`${label}: ${methods.filter((m) => m === 'copy').length} of 6 shots copied (${methods.join(', ')})`);
    lines.push(
      `  hand-written exact split (one ffmpeg, all 6 re-encoded) ${median(hand).toFixed(0)} ms; Shotline ${median(ours).toFixed(0)} ms; ratio x${(median(ours) / median(hand)).toFixed(2)} (goal <= 1.20)`,
    );
    // The machine's load swings between runs: the ratio within each interleaved pair is steadier.
    const pairs = ours.map((o, i) => o / (hand[i] ?? 1));
    lines.push(
      `  runs: hand ${hand.map((x) => x.toFixed(0)).join('/')} ms, Shotline ${ours.map((x) => x.toFixed(0)).join('/')} ms; per-pair ratios ${pairs.map((x) => x.toFixed(2)).join('/')}, median x${median(pairs).toFixed(2)}`,
    );
    const reencoded = (last?.shots ?? []).filter((s) => s.method === 'reencode');
    const values = reencoded.map((s) => psnr(scene, s));
    if (values.length)
      lines.push(
        `  PSNR of re-encoded shots vs source (CRF ${SPLIT_CRF}): ${values.map((v, i) => `shot ${(reencoded[i]?.index ?? 0) + 1} ${v.toFixed(2)} dB`).join(', ')}; min ${Math.min(...values).toFixed(2)} dB (goal >= 45)`,
      );
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

const bench: CustomBench = {
  name: 'split: 15 s six-shot 1080p scene, Shotline vs hand-written exact ffmpeg split',
  async measure() {
    const lines: string[] = [];
    await measureScene('2 s GOP (cuts at 4, 6, 10 s on keyframes)', FPS * 2, lines);
    await measureScene('5 s GOP (no shot copyable)', FPS * 5, lines);
    return lines;
  },
};

export default bench;
