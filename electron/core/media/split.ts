/**
 * splitScene: one multi-shot MP4 (Kling gives a scene as one file with hard cuts, kling-api.md
 * §10) cut into one clip per shot at the declared boundaries, exact to the frame (issue 13
 * item 1). The frame arithmetic is split-plan.ts; docs/readme/media.md "Scene split" has the
 * choices and the measured figures.
 *
 * - A shot whose first frame is a keyframe and whose end is a keyframe (or the end of the file)
 *   is stream-copied: input `-ss` at that keyframe's exact time, and the `noise` bitstream
 *   filter drops every packet after the shot's frame count (with closed GOPs the shot's packets
 *   are exactly the first ones in decode order). `-frames:v` would be simpler, but ffmpeg 5.1
 *   then closes the whole output and can cut the shot's audio short.
 * - Every other shot is re-encoded whole, all of them in one ffmpeg run that decodes the scene
 *   once (`split` + `trim` by frame number), with libx264 at CRF 12 (PSNR against the source
 *   measured by `npm run bench -- split`) and the source's pixel format, profile, level and
 *   track timescale, so copied and re-encoded shots of one scene keep the same stream fields and
 *   a later edit of them can still be a stream copy (plan.ts compares those fields).
 * - Audio, when the scene has it, is re-encoded to AAC for every shot, cut by sample number at
 *   the video boundaries (sample-accurate; AAC frames do not fall on video frames).
 * - Every clip is decoded and its frames counted (split-scan.ts) before it gets its final name;
 *   a copied shot that fails the count is re-encoded instead. The scene file is left as it was.
 */
import { mkdirSync, renameSync, rmSync } from 'node:fs';
import { basename, extname, join } from 'node:path';

import type { ProbeResult, SceneSplit, SplitMethod, SplitShot } from '../../../shared/media';
import { ShotlineError } from '../../../shared/result';
import { stripMetadataArgs } from './presets';
import { inputArg, probe } from './probe';
import { checkShots, fpsOf, planCuts, type ShotCut } from './split-plan';
import { countFrames, scanPackets, type PacketScan } from './split-scan';
import { requireTool, runFfmpeg, type ToolPaths } from './tools';

export interface SplitOptions extends ToolPaths {
  /** Where the shot clips go. */
  outDir: string;
  /** File names of the shot clips (one per shot); default `<scene stem>.shot-NN.mp4`. */
  names?: string[] | undefined;
  /** libx264 CRF of re-encoded shots (default 12). */
  crf?: number | undefined;
  signal?: AbortSignal | undefined;
}

export const SPLIT_CRF = 12;

const X264_PROFILES: Record<string, string> = {
  High: 'high',
  Main: 'main',
  Baseline: 'baseline',
  'Constrained Baseline': 'baseline',
};

interface Job {
  cut: ShotCut;
  tmp: string;
  out: string;
}

interface Source {
  file: string;
  probe: ProbeResult;
  scan: PacketScan;
  fps: { num: number; den: number };
}

/** Encoder arguments for a re-encoded shot: the source's stream fields kept (see the header). */
export function shotEncodeArgs(src: Source, crf: number): string[] {
  const v = src.probe.video;
  const profile = src.scan.profile ? X264_PROFILES[src.scan.profile] : undefined;
  const level = src.scan.level;
  const a = src.probe.audio;
  return [
    '-c:v',
    'libx264',
    '-preset',
    'veryfast',
    '-crf',
    String(crf),
    '-pix_fmt',
    v?.pixFmt ?? 'yuv420p',
    ...(profile ? ['-profile:v', profile] : []),
    ...(level && level >= 10 ? ['-level:v', `${Math.floor(level / 10)}.${level % 10}`] : []),
    '-video_track_timescale',
    String(src.scan.timebase.den),
    '-fps_mode',
    'passthrough',
    // x264's SEI banner (version and options) dropped, as in every export (presets.ts).
    '-bsf:v',
    'filter_units=remove_types=6',
    ...(a ? audioArgs(a) : []),
  ];
}

function audioArgs(a: NonNullable<ProbeResult['audio']>): string[] {
  return ['-c:a', 'aac', '-b:a', '192k', '-ar', String(a.sampleRate), '-ac', String(a.channels)];
}

/**
 * `atrim` for a shot: the audio samples at the times of its first and one-past-last video frame
 * (pts against the audio stream's start, so a scene whose video starts later than its audio
 * keeps its sync).
 */
function atrim(src: Source, cut: ShotCut, last: boolean): string {
  const rate = src.probe.audio?.sampleRate ?? 48000;
  const { num, den } = src.scan.timebase;
  const sample = (frame: number): number =>
    Math.max(0, Math.round((((src.scan.pts[frame] ?? 0) * num) / den - (src.scan.audioStartS ?? 0)) * rate));
  return `atrim=start_sample=${sample(cut.start)}${last ? '' : `:end_sample=${sample(cut.end)}`},asetpts=PTS-STARTPTS`;
}

/** The exact time of a frame for input `-ss`, from its pts (whole microseconds, as ffmpeg parses it). */
function seekOf(src: Source, frame: number): string {
  const pts = src.scan.pts[frame] ?? 0;
  const us = Math.round((pts * src.scan.timebase.num * 1e6) / src.scan.timebase.den) - src.scan.startUs;
  return (Math.max(0, us) / 1e6).toFixed(6);
}

function copyArgs(src: Source, job: Job, last: boolean): string[] {
  const audio = src.probe.audio;
  const frames = job.cut.end - job.cut.start;
  return [
    '-v',
    'error',
    '-ss',
    seekOf(src, job.cut.start),
    '-i',
    inputArg(src.file),
    ...(audio ? ['-i', inputArg(src.file), '-filter_complex', `[1:a:0]${atrim(src, job.cut, last)}[a]`] : []),
    '-map',
    '0:v:0',
    ...(audio ? ['-map', '[a]', ...audioArgs(audio)] : []),
    '-c:v',
    'copy',
    '-bsf:v',
    `noise=drop='gte(n\\,${frames})'`,
    ...stripMetadataArgs('mp4'),
    job.tmp,
  ];
}

/** One ffmpeg run for all re-encoded shots: the scene is decoded once and split by frame number. */
function reencodeRunArgs(src: Source, jobs: Job[], lastIndex: number, crf: number): string[] {
  const audio = src.probe.audio !== null;
  const n = jobs.length;
  const graph = [`[0:v:0]split=${n}${jobs.map((_, i) => `[s${i}]`).join('')}`];
  jobs.forEach((j, i) =>
    graph.push(`[s${i}]trim=start_frame=${j.cut.start}:end_frame=${j.cut.end},setpts=PTS-STARTPTS[v${i}]`),
  );
  if (audio) {
    graph.push(`[0:a:0]asplit=${n}${jobs.map((_, i) => `[t${i}]`).join('')}`);
    jobs.forEach((j, i) => graph.push(`[t${i}]${atrim(src, j.cut, j.cut.index === lastIndex)}[a${i}]`));
  }
  const outputs = jobs.flatMap((j, i) => [
    '-map',
    `[v${i}]`,
    ...(audio ? ['-map', `[a${i}]`] : []),
    ...shotEncodeArgs(src, crf),
    ...stripMetadataArgs('mp4'),
    j.tmp,
  ]);
  return ['-v', 'error', '-i', inputArg(src.file), '-filter_complex', graph.join(';'), ...outputs];
}

/** Decodes a made clip and checks its frame count and audio; returns null when it is right. */
async function check(ffprobe: string, src: Source, job: Job): Promise<string | null> {
  const want = job.cut.end - job.cut.start;
  try {
    const c = await countFrames(ffprobe, job.tmp);
    if (c.videoFrames !== want) return `${c.videoFrames} frames, expected ${want}`;
    if (src.probe.audio && !c.audio) return 'no audio track, but the scene has one';
    return null;
  } catch (err) {
    return err instanceof Error ? err.message : String(err);
  }
}

/**
 * Cuts `scene` into one verified clip per declared shot (`shots`: seconds per shot, e.g.
 * [4, 3, 2]). Returns the clips with their frame counts and how each was made; the scene file
 * itself is kept where it is (the caller decides what to do with it).
 */
export async function splitScene(scene: string, shots: readonly number[], opts: SplitOptions): Promise<SceneSplit> {
  checkShots(scene, shots);
  if (opts.names && opts.names.length !== shots.length) {
    throw new ShotlineError({
      code: 'bad_input',
      where: 'names',
      message: `${opts.names.length} clip names for ${shots.length} shots; give one name per shot or none`,
    });
  }
  const p = await probe(scene, opts);
  if (!p.video)
    throw new ShotlineError({
      code: 'media_invalid',
      where: scene,
      message: `${scene}: has no video stream; it is not a scene clip`,
    });
  const ffmpeg = requireTool('ffmpeg', opts);
  const ffprobe = requireTool('ffprobe', opts);
  const scan = await scanPackets(ffprobe, scene);
  const src: Source = { file: scene, probe: p, scan, fps: fpsOf(p.video.fpsFraction) };
  const cuts = planCuts(scene, shots, src.fps, scan);
  if (cuts.some((c) => c.method === 'reencode') && p.video.codec !== 'h264') {
    throw new ShotlineError({
      code: 'media_invalid',
      where: scene,
      message: `${scene}: video is ${p.video.codec}; shots off keyframes can only be re-encoded from H.264 (what Kling delivers)`,
    });
  }
  const stem = basename(scene, extname(scene));
  mkdirSync(opts.outDir, { recursive: true });
  const jobs: Job[] = cuts.map((cut) => {
    const name = opts.names?.[cut.index] ?? `${stem}.shot-${String(cut.index + 1).padStart(2, '0')}.mp4`;
    const out = join(opts.outDir, name);
    return { cut, out, tmp: join(opts.outDir, `.${name}.${process.pid}.part.mp4`) };
  });
  const lastIndex = cuts.length - 1;
  const crf = opts.crf ?? SPLIT_CRF;
  const run = { signal: opts.signal };
  const method = new Map<number, SplitMethod>();
  const counted = new Map<number, number>();
  try {
    const reencode = async (list: Job[]): Promise<void> => {
      if (list.length === 0) return;
      await runFfmpeg(ffmpeg, reencodeRunArgs(src, list, lastIndex, crf), run);
      const problems = await Promise.all(list.map((j) => check(ffprobe, src, j)));
      problems.forEach((why, i) => {
        const j = list[i] as Job;
        if (why)
          throw new ShotlineError({
            code: 'media_invalid',
            where: j.out,
            message: `${scene}: shot ${j.cut.index + 1} re-encoded but ${why}; the scene clip may be damaged: download it again`,
          });
        method.set(j.cut.index, 'reencode');
      });
    };
    const copy = async (j: Job): Promise<Job | null> => {
      await runFfmpeg(ffmpeg, copyArgs(src, j, j.cut.index === lastIndex), run);
      if (await check(ffprobe, src, j)) return j;
      method.set(j.cut.index, 'copy');
      return null;
    };
    const [failedCopies] = await Promise.all([
      Promise.all(jobs.filter((j) => j.cut.method === 'copy').map(copy)),
      reencode(jobs.filter((j) => j.cut.method === 'reencode')),
    ]);
    // A keyframe that does not start a closed GOP makes a copy miscount: re-encode those shots.
    await reencode(failedCopies.filter((j): j is Job => j !== null));
    for (const j of jobs) {
      counted.set(j.cut.index, j.cut.end - j.cut.start);
      renameSync(j.tmp, j.out);
    }
  } finally {
    for (const j of jobs) rmSync(j.tmp, { force: true });
  }
  const out: SplitShot[] = jobs.map((j) => ({
    index: j.cut.index,
    file: j.out,
    declaredS: j.cut.declaredS,
    firstFrame: j.cut.start,
    frames: counted.get(j.cut.index) ?? 0,
    method: method.get(j.cut.index) ?? 'reencode',
  }));
  return { scene, fpsFraction: p.video.fpsFraction, frames: scan.total, shots: out };
}
