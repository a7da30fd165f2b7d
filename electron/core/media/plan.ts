/**
 * The edit planner: probes every clip and decides, before anything runs, whether the
 * concat demuxer may stream-copy (every field below matches and nothing is trimmed or
 * crossfaded) or the edit must be normalised — the demuxer itself accepts mismatched
 * clips, exits 0 and writes a broken file, so this check is the guard.
 */
import { Edit, EditPlan, type EditClip, type ProbeResult, type TargetSpec } from '../../../shared/media';
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

/** Trimmed duration of one clip. */
export function clipDuration(c: EditClip, p: ProbeResult): number {
  const inS = c.inS ?? 0;
  const outS = Math.min(c.outS ?? p.durationS, p.durationS);
  return Math.max(0, outS - inS);
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
  return [first, ...signed.map(({ f, s }) => ({ ...first, file: f, durationS: s.durationS, sizeBytes: s.sizeBytes, video: { ...video, frames: s.videoFrames } }))];
}

export async function planEdit(input: Edit, opts: ProbeOptions = {}): Promise<EditPlan> {
  const edit = Edit.parse(input);
  const probes = (await signedProbes(edit, opts)) ?? (await probeEach(edit, opts));
  probes.forEach((p, i) => {
    const c = edit.clips[i] as EditClip;
    if (!p.video) throw new ShotlineError({ code: 'media_invalid', message: `${p.file}: has no video stream; it cannot go into an edit`, where: p.file });
    const d = clipDuration(c, p);
    if (d <= 0) throw new ShotlineError({ code: 'validation', message: `clip ${i + 1} (${p.file}): in ${c.inS ?? 0} s is not before out ${c.outS ?? p.durationS} s`, where: p.file });
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
  edit.clips.forEach((c, i) => {
    if (c.inS !== undefined || c.outS !== undefined) reasons.push(`clip ${i + 1} (${c.file}) is trimmed`);
    if (c.transition && i < edit.clips.length - 1) reasons.push(`crossfade after clip ${i + 1} (${c.file})`);
  });
  if (edit.preset && first.video?.codec !== CODEC_OF[edit.preset]) reasons.push(`preset ${edit.preset} asks for ${CODEC_OF[edit.preset]}, the clips are ${first.video?.codec ?? 'unknown'}`);
  const clipDurationsS = edit.clips.map((c, i) => clipDuration(c, probes[i] as ProbeResult));
  let durationS = clipDurationsS.reduce((a, b) => a + b, 0);
  edit.clips.forEach((c, i) => {
    if (c.transition && i < edit.clips.length - 1) {
      const max = Math.min(clipDurationsS[i] ?? 0, clipDurationsS[i + 1] ?? 0);
      if (c.transition.seconds >= max)
        throw new ShotlineError({ code: 'validation', message: `crossfade of ${c.transition.seconds} s after clip ${i + 1} is longer than a clip it joins (${max.toFixed(2)} s)`, where: c.file });
      durationS -= c.transition.seconds;
    }
  });
  const v = first.video as NonNullable<ProbeResult['video']>;
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
  return EditPlan.parse({ mode: reasons.length === 0 ? 'copy' : 'reencode', reasons, target, clipDurationsS, durationS, probes });
}
