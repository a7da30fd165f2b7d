/**
 * Renders an edit: the concat demuxer with `-c copy` when the plan allows, otherwise one
 * ffmpeg run whose filter graph normalises every clip (scale+pad, SAR 1, fps, pixel
 * format, 48 kHz stereo, silence where a clip has no audio) and joins them with concat or
 * xfade/acrossfade. Output goes to a temp name beside OUT and is renamed when complete;
 * cancel (AbortSignal) kills ffmpeg and removes the partial file.
 */
import { randomBytes } from 'node:crypto';
import { renameSync, rmSync, writeFileSync } from 'node:fs';
import { basename, dirname, join, resolve } from 'node:path';

import { Edit, type EditClip, type EditPlan, type ExportProgress } from '../../../shared/media';
import { ShotlineError } from '../../../shared/result';
import { planEdit, ratio } from './plan';
import type { ProbeOptions } from './probe';
import { containerFor, PRESETS, stripMetadataArgs } from './presets';
import { mp4Signature } from './signature';
import { requireTool, runFfmpeg } from './tools';

export interface RenderOptions extends ProbeOptions {
  signal?: AbortSignal | undefined;
  onProgress?: ((p: ExportProgress) => void) | undefined;
  /** A plan from planEdit for this edit, to skip probing twice. */
  plan?: EditPlan | undefined;
}

/**
 * One line of an ffconcat list: single-quoted, with ' written as '\'' (ffmpeg's escaping). The
 * demuxer reads the list line by line, so a line break (or NUL) in a path would start a new
 * directive inside the list (another `file`, from anywhere): such a path is refused (issue 16.7).
 */
export function concatLine(file: string): string {
  if (/[\r\n\0]/.test(file)) {
    throw new ShotlineError({
      code: 'validation',
      where: JSON.stringify(file),
      message: `${JSON.stringify(file)}: a clip path with a line break cannot go into an ffmpeg concat list; rename the file without line breaks`,
    });
  }
  return `file '${file.replace(/'/g, "'\\''")}'`;
}

/**
 * Stream copy through the concat demuxer. `leadS`: the first clip's audio priming (signature.ts);
 * the demuxer shifts the whole join later by it, so video would start that late after the
 * audio. Offsetting the output back keeps video at 0 and the priming marked as priming.
 */
export function copyArgs(listFile: string, out: string, format: 'mp4' | 'mov', leadS = 0): string[] {
  // auto_convert 0: otherwise the demuxer rewrites H.264 keyframes (in-band SPS/PPS), so packets would differ from the inputs.
  const offset = leadS > 0 ? ['-output_ts_offset', (-leadS).toFixed(6)] : [];
  return [
    '-f',
    'concat',
    '-safe',
    '0',
    '-auto_convert',
    '0',
    '-i',
    listFile,
    '-map',
    '0',
    '-c',
    'copy',
    ...offset,
    ...stripMetadataArgs(format),
    out,
  ];
}

/**
 * Arguments of the normalising run (exported for the benchmark and tests). Every clip is cut by
 * frame number (plan.frames), converted to the target rate, then padded or cut to exactly its
 * record frames and renumbered; joins are renumbered too (xfade leaves a timestamp gap after
 * each fade that the muxer would fill with a duplicate frame). The output therefore has
 * exactly plan.totalFrames frames, the length every timeline declares (timelines.ts).
 */
export function reencodeArgs(edit: Edit, plan: EditPlan, out: string, format?: 'mp4' | 'mov'): string[] {
  const e = Edit.parse(edit);
  const preset = PRESETS[e.preset ?? 'h264'];
  const container = format ?? preset.format;
  const t = plan.target;
  const rate = ratio(t.fpsFraction);
  const tb = `${rate.den}/${rate.num}`;
  const sec = (recFrames: number): string => ((recFrames * rate.den) / rate.num).toFixed(6);
  const renumber = `settb=${tb},setpts=N`;
  const audio = t.sampleRate > 0;
  const args: string[] = [];
  const graph: string[] = [];
  e.clips.forEach((c: EditClip, i) => {
    const f = plan.frames[i] as EditPlan['frames'][number];
    const own = ratio(f.fpsFraction);
    const d = sec(f.rec);
    args.push('-i', c.file);
    // A clip at the target rate keeps every frame (renumbered: the fps filter can drop and
    // repeat one where timestamps round); another rate is resampled by time.
    const same = own.num * rate.den === rate.num * own.den;
    const retime = same ? renumber : `setpts=PTS-STARTPTS,fps=${t.fpsFraction}`;
    graph.push(
      `[${i}:v:0]trim=start_frame=${f.srcIn}:end_frame=${f.srcOut},${retime},scale=${t.width}:${t.height}:force_original_aspect_ratio=decrease,pad=${t.width}:${t.height}:(ow-iw)/2:(oh-ih)/2,setsar=1,format=${preset.pixFmt},tpad=stop_mode=clone:stop=2,trim=end_frame=${f.rec},${renumber}[v${i}]`,
    );
    if (audio) {
      // The audio of the same source frames, cut at the video's end even where it runs longer.
      const from = ((f.srcIn * own.den) / own.num).toFixed(6);
      const to = ((f.srcOut * own.den) / own.num).toFixed(6);
      const src = plan.probes[i]?.audio
        ? `[${i}:a:0]atrim=start=${from}:end=${to},`
        : `anullsrc=r=${t.sampleRate}:cl=stereo,`;
      graph.push(
        `${src}aformat=sample_fmts=fltp:sample_rates=${t.sampleRate}:channel_layouts=stereo,asetpts=PTS-STARTPTS,apad=whole_dur=${d},atrim=duration=${d}[a${i}]`,
      );
    }
  });
  // Join pairwise left to right: a cut is concat, a crossfade is xfade/acrossfade starting
  // its frames before the end of the stream joined so far.
  let v = 'v0';
  let a = 'a0';
  let length = plan.frames[0]?.rec ?? 0;
  for (let i = 1; i < e.clips.length; i++) {
    const fade = plan.frames[i - 1]?.fade ?? 0;
    const rec = plan.frames[i]?.rec ?? 0;
    if (fade > 0) {
      graph.push(
        `[${v}][v${i}]xfade=transition=fade:duration=${sec(fade)}:offset=${sec(length - fade)},${renumber}[jv${i}]`,
      );
      if (audio) graph.push(`[${a}][a${i}]acrossfade=d=${sec(fade)}:c1=tri:c2=tri[ja${i}]`);
      length += rec - fade;
    } else {
      graph.push(
        audio
          ? `[${v}][${a}][v${i}][a${i}]concat=n=2:v=1:a=1[jv${i}][ja${i}]`
          : `[${v}][v${i}]concat=n=2:v=1:a=0[jv${i}]`,
      );
      length += rec;
    }
    v = `jv${i}`;
    a = `ja${i}`;
  }
  graph.push(`[${v}]trim=end_frame=${plan.totalFrames},${renumber}[vout]`);
  if (audio) graph.push(`[${a}]apad=whole_dur=${sec(plan.totalFrames)},atrim=duration=${sec(plan.totalFrames)}[aout]`);
  args.push('-filter_complex', graph.join(';'), '-map', '[vout]');
  if (audio) args.push('-map', '[aout]');
  args.push('-r', t.fpsFraction, ...preset.video, '-pix_fmt', preset.pixFmt);
  if (audio) args.push(...preset.audio, '-ar', String(t.sampleRate), '-ac', '2');
  if (container === 'mp4') args.push('-movflags', '+faststart');
  args.push(...stripMetadataArgs(container), out);
  return args;
}

export interface RenderResult {
  output: string;
  plan: EditPlan;
}

export async function renderEdit(input: Edit, out: string, opts: RenderOptions = {}): Promise<RenderResult> {
  const edit = Edit.parse(input);
  containerFor(out, edit.preset === 'prores'); // a wrong name fails before any work
  const plan = opts.plan ?? (await planEdit(edit, opts));
  const ffmpeg = requireTool('ffmpeg', opts);
  const tag = randomBytes(4).toString('hex');
  const tmp = join(dirname(out), `.${basename(out)}.${tag}.partial`);
  const list = join(dirname(out), `.${basename(out)}.${tag}.ffconcat`);
  const onProgress = opts.onProgress
    ? (p: { outTimeS: number; elapsedS: number }): void => {
        const f = Math.min(1, Math.max(0, p.outTimeS / Math.max(plan.durationS, 0.001)));
        opts.onProgress?.({
          percent: Math.round(f * 1000) / 10,
          etaS: f > 0 ? Math.max(0, (p.elapsedS * (1 - f)) / f) : null,
          outTimeS: p.outTimeS,
        });
      }
    : undefined;
  try {
    if (plan.mode === 'copy') {
      writeFileSync(list, `ffconcat version 1.0\n${edit.clips.map((c) => concatLine(resolve(c.file))).join('\n')}\n`);
      const format = containerFor(out, plan.probes[0]?.video?.codec === 'prores');
      await runFfmpeg(
        ffmpeg,
        copyArgs(list, tmp, format, mp4Signature(resolve(edit.clips[0]?.file ?? ''))?.leadS ?? 0),
        { signal: opts.signal, onProgress },
      );
    } else {
      await runFfmpeg(ffmpeg, reencodeArgs(edit, plan, tmp, containerFor(out, edit.preset === 'prores')), {
        signal: opts.signal,
        onProgress,
      });
    }
    renameSync(tmp, out);
    opts.onProgress?.({ percent: 100, etaS: 0, outTimeS: plan.durationS });
  } finally {
    rmSync(tmp, { force: true });
    rmSync(list, { force: true });
  }
  return { output: out, plan };
}
