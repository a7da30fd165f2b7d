/**
 * The edit planner: probes every clip and decides, before anything runs, whether the
 * concat demuxer may stream-copy (every field below matches and nothing is trimmed or
 * crossfaded) or the edit must be normalised — the demuxer itself accepts mismatched
 * clips, exits 0 and writes a broken file, so this check is the guard.
 */
import {
  Edit,
  EditPlan,
  type ClipFrames,
  type EditClip,
  type ProbeResult,
  type TargetSpec,
} from '../../../shared/media';
import { ShotlineError } from '../../../shared/result';
import { PRESETS } from './presets';
import { probe, type ProbeOptions } from './probe';
import { mp4Signature } from './signature';

type Field = { label: string; get: (p: ProbeResult) => string | number | null };

const FIELDS: Field[] = [
  { label: 'video codec', get: (p) => p.video?.codec ?? null },
  { label: 'profile', get: (p) => p.video?.profile ?? null },
  { label: 'resolution', get: (p) => (p.video ? `${p.video.width}x${p.video.height}` : null) },
  { label: 'sample aspect', get: (p) => p.video?.sar ?? null },
  { label: 'frame rate', get: (p) => p.video?.fpsFraction ?? null },
  { label: 'timebase', get: (p) => p.video?.timebase ?? null },
  { label: 'pixel format', get: (p) => p.video?.pixFmt ?? null },
  { label: 'audio', get: (p) => (p.audio ? 'present' : 'none') },
  { label: 'audio codec', get: (p) => p.audio?.codec ?? null },
  { label: 'sample rate', get: (p) => p.audio?.sampleRate ?? null },
  { label: 'channels', get: (p) => p.audio?.channels ?? null },
];

/** Frames of the video stream: its frame count, else its own duration, else the container's. */
export function videoFrames(p: ProbeResult): number {
  const v = p.video;
  if (!v) return 0;
  if (v.frames && v.frames > 0) return v.frames;
  return Math.max(1, Math.round((v.durationS ?? p.durationS) * v.fps));
}

/** Trimmed duration of one clip in seconds, from its video stream (not the container). */
export function clipDuration(c: EditClip, p: ProbeResult): number {
  const fps = p.video?.fps || 1;
  const all = videoFrames(p);
  const inF = Math.round((c.inS ?? 0) * fps);
  const outF = c.outS === undefined ? all : Math.min(all, Math.round(c.outS * fps));
  return Math.max(0, outF - inF) / fps;
}

/** "30000/1001" as numerator and denominator. */
export function ratio(fraction: string): { num: number; den: number } {
  const [num = 0, den = 1] = fraction.split('/').map(Number);
  return { num, den: den || 1 };
}

/**
 * The edit in whole frames. Trims round to the clip's own frames; a clip at another rate
 * than the target lasts round(frames x target / own) record frames (the render's fps
 * filter is then padded or cut to exactly that); a crossfade is round(seconds x target)
 * frames. Render (render.ts) and timelines (timelines.ts) both follow this, so they agree.
 */
export function frameLayout(
  edit: ReturnType<typeof Edit.parse>,
  probes: ProbeResult[],
  targetFps: string,
): ClipFrames[] {
  const t = ratio(targetFps);
  const frames = edit.clips.map((c, i): ClipFrames => {
    const p = probes[i] as ProbeResult;
    const v = p.video as NonNullable<ProbeResult['video']>;
    const own = ratio(v.fpsFraction);
    const all = videoFrames(p);
    const srcIn = Math.round((c.inS ?? 0) * v.fps);
    const srcOut = c.outS === undefined ? all : Math.min(all, Math.round(c.outS * v.fps));
    const where = `clip ${i + 1} (${p.file})`;
    if (srcIn >= all)
      throw new ShotlineError({
        code: 'validation',
        message: `${where}: in ${c.inS} s is at or past its last video frame (${all} frames, ${(all / v.fps).toFixed(3)} s); use an earlier in point`,
        where: p.file,
      });
    if (srcOut <= srcIn)
      throw new ShotlineError({
        code: 'validation',
        message: `${where}: in ${c.inS ?? 0} s is not before out ${c.outS ?? all / v.fps} s (the video has ${all} frames); swap or widen them`,
        where: p.file,
      });
    const n = srcOut - srcIn;
    const same = own.num * t.den === t.num * own.den;
    const rec = same ? n : Math.max(1, Math.round((n * t.num * own.den) / (t.den * own.num)));
    const fade = c.transition && i < edit.clips.length - 1 ? Math.round((c.transition.seconds * t.num) / t.den) : 0;
    if (c.transition && i < edit.clips.length - 1 && fade < 1)
      throw new ShotlineError({
        code: 'validation',
        message: `${where}: a crossfade of ${c.transition.seconds} s is less than one frame at ${targetFps} fps; make it longer or remove it`,
        where: p.file,
      });
    return { fpsFraction: v.fpsFraction, fileFrames: all, srcIn, srcOut, rec, fade };
  });
  frames.forEach((f, i) => {
    const next = frames[i + 1];
    const before = frames[i - 1]?.fade ?? 0;
    const file = (probes[i] as ProbeResult).file;
    if (f.fade > 0 && next && (f.fade >= f.rec || f.fade >= next.rec))
      throw new ShotlineError({
        code: 'validation',
        message: `crossfade of ${edit.clips[i]?.transition?.seconds} s (${f.fade} frames) after clip ${i + 1} is longer than a clip it joins (${Math.min(f.rec, next.rec)} frames, ${((Math.min(f.rec, next.rec) * t.den) / t.num).toFixed(2)} s); shorten it`,
        where: file,
      });
    if (before + f.fade > f.rec)
      throw new ShotlineError({
        code: 'validation',
        message: `clip ${i + 1} (${file}) is ${f.rec} frames but its crossfades in and out take ${before} + ${f.fade}; shorten a crossfade or lengthen the clip`,
        where: file,
      });
  });
  return frames;
}

const CODEC_OF = { h264: 'h264', hevc: 'hevc', prores: 'prores' } as const;

async function probeEach(edit: Edit, opts: ProbeOptions): Promise<ProbeResult[]> {
  // A few ffprobe processes at once: each is mostly process start-up, not CPU.
  const probes: ProbeResult[] = new Array<ProbeResult>(edit.clips.length);
  let next = 0;
  const worker = async (): Promise<void> => {
    while (next < edit.clips.length) {
      const i = next++;
      probes[i] = await probe((edit.clips[i] as EditClip).file, opts);
    }
  };
  await Promise.all(Array.from({ length: Math.min(4, edit.clips.length) }, worker));
  return probes;
}

/**
 * The fast path for a plain join (no trims, crossfades or other codec): ffprobe the first
 * clip only, and accept the others when their MP4 stream signature equals the first's
 * (signature.ts). Their probe results are the first's streams with their own duration,
 * size and frame count. Null (probe every clip) on any doubt.
 */
async function signedProbes(edit: Edit, opts: ProbeOptions): Promise<ProbeResult[] | null> {
  if (edit.clips.length < 2) return null;
  if (edit.clips.some((c) => c.inS !== undefined || c.outS !== undefined || c.transition)) return null;
  const files = edit.clips.map((c) => c.file);
  // ffprobe of the first clip runs while the others' headers are read.
  const firstP = probe(files[0] as string, opts);
  firstP.catch(() => undefined);
  const sig0 = mp4Signature(files[0] as string);
  if (!sig0) return null;
  const signed = [];
  for (const f of files.slice(1)) {
    const s = mp4Signature(f);
    if (!s || s.sig !== sig0.sig) return null;
    signed.push({ f, s });
  }
  const first = await firstP;
  if (!first.video || (edit.preset && first.video.codec !== CODEC_OF[edit.preset])) return null;
  const video = first.video;
  const audio = first.audio;
  return [
    first,
    ...signed.map(({ f, s }) => ({
      ...first,
      file: f,
      durationS: s.durationS,
      sizeBytes: s.sizeBytes,
      video: { ...video, frames: s.videoFrames, durationS: s.videoDurationS },
      audio: audio ? { ...audio, durationS: s.audioDurationS } : null,
    })),
  ];
}

/** Audio running past the video by more than a frame: a copy would leave a video hole there. */
function audioOverrun(p: ProbeResult): number {
  const v = p.video;
  const a = p.audio;
  if (!v || !a?.durationS) return 0;
  const video = videoFrames(p) / (v.fps || 1);
  return a.durationS - video > 1 / (v.fps || 1) ? a.durationS - video : 0;
}

async function probeAll(files: string[], opts: ProbeOptions): Promise<ProbeResult[]> {
  return probeEach({ clips: files.map((file) => ({ file })) }, opts);
}

export async function planEdit(input: Edit, opts: ProbeOptions = {}): Promise<EditPlan> {
  const edit = Edit.parse(input);
  const probes = (await signedProbes(edit, opts)) ?? (await probeEach(edit, opts));
  probes.forEach((p) => {
    if (!p.video)
      throw new ShotlineError({
        code: 'media_invalid',
        message: `${p.file}: has no video stream; it cannot go into an edit`,
        where: p.file,
      });
  });
  const first = probes[0] as ProbeResult;
  const reasons: string[] = [];
  for (const f of FIELDS) {
    const want = f.get(first);
    probes.slice(1).forEach((p) => {
      const got = f.get(p);
      if (got !== want) reasons.push(`${f.label}: ${p.file} has ${got ?? 'none'}, ${first.file} has ${want ?? 'none'}`);
    });
  }
  probes.forEach((p) => {
    const over = audioOverrun(p);
    if (over > 0)
      reasons.push(
        `audio: ${p.file} has ${over.toFixed(3)} s more audio than video; the edit cuts it at the video's end`,
      );
  });
  edit.clips.forEach((c, i) => {
    if (c.inS !== undefined || c.outS !== undefined) reasons.push(`clip ${i + 1} (${c.file}) is trimmed`);
    if (c.transition && i < edit.clips.length - 1) reasons.push(`crossfade after clip ${i + 1} (${c.file})`);
  });
  if (edit.preset && first.video?.codec !== CODEC_OF[edit.preset])
    reasons.push(
      `preset ${edit.preset} asks for ${CODEC_OF[edit.preset]}, the clips are ${first.video?.codec ?? 'unknown'}`,
    );
  const v = first.video as NonNullable<ProbeResult['video']>;
  const frames = frameLayout(edit, probes, v.fpsFraction);
  const t = ratio(v.fpsFraction);
  const totalFrames = frames.reduce((sum, f) => sum + f.rec - f.fade, 0);
  const clipDurationsS = frames.map((f) => (f.rec * t.den) / t.num);
  const alternates = await Promise.all(edit.clips.map((c) => probeAll(c.alternates ?? [], opts)));
  alternates.flat().forEach((p) => {
    if (!p.video)
      throw new ShotlineError({
        code: 'media_invalid',
        message: `${p.file}: an alternate take with no video stream; remove it from the alternates`,
        where: p.file,
      });
  });
  const withAudio = probes.find((p) => p.audio);
  const target: TargetSpec = {
    width: v.width,
    height: v.height,
    fpsFraction: v.fpsFraction,
    pixFmt: reasons.length === 0 ? v.pixFmt : PRESETS[edit.preset ?? 'h264'].pixFmt,
    sampleRate: withAudio?.audio?.sampleRate ?? 0,
    channels: withAudio?.audio?.channels ?? 0,
  };
  if (reasons.length > 0 && withAudio) {
    target.sampleRate = 48000;
    target.channels = 2;
  }
  return EditPlan.parse({
    mode: reasons.length === 0 ? 'copy' : 'reencode',
    reasons,
    target,
    clipDurationsS,
    durationS: (totalFrames * t.den) / t.num,
    probes,
    frames,
    totalFrames,
    alternates,
  });
}
