/**
 * An OpenTimelineIO JSON reader written from the schema docs (Timeline.1 / Stack.1 / Track.1 /
 * Clip.2 / Gap.1 / Transition.1, RationalTime {rate, value}): items of a track follow one
 * another; a Transition takes no time of its own and overlaps in_offset of the item before the
 * cut and out_offset of the item after it.
 */
import { fileURLToPath } from 'node:url';

import { type ReadClip, type ReadTimeline, type Rate } from './model';

interface RT {
  OTIO_SCHEMA: string;
  rate: number;
  value: number;
}
interface Item {
  OTIO_SCHEMA: string;
  name?: string;
  enabled?: boolean;
  source_range?: { start_time: RT; duration: RT } | null;
  in_offset?: RT;
  out_offset?: RT;
  media_references?: Record<
    string,
    {
      target_url: string;
      available_range: { start_time: RT; duration: RT };
      metadata?: { shotline?: { audioChannels?: number | null } };
    }
  >;
  active_media_reference_key?: string;
}
interface Track {
  OTIO_SCHEMA: string;
  kind: string;
  name: string;
  children: Item[];
}

/** A float OTIO rate as a fraction (29.97002997… -> 30000/1001). */
export function rateOfFloat(r: number): Rate {
  const ntsc = Math.abs(r * 1.001 - Math.round(r * 1.001)) < 1e-6 && Math.abs(r - Math.round(r)) > 1e-3;
  return ntsc ? { num: Math.round(r * 1.001) * 1000, den: 1001 } : { num: Math.round(r), den: 1 };
}

/** A RationalTime in frames at `to`; it must land on a whole frame. */
function framesAt(t: RT, to: Rate, what: string): number {
  const v = (t.value * to.num) / (to.den * t.rate);
  const r = Math.round(v);
  if (Math.abs(v - r) > 1e-6)
    throw new Error(`OTIO ${what}: ${t.value}@${t.rate} is not a whole frame at ${to.num}/${to.den}`);
  return r;
}

function readTrack(
  track: Track,
  seq: Rate,
  files: ReadTimeline['files'],
): { clips: ReadClip[]; dissolves: ReadTimeline['dissolves']; end: number } {
  const clips: ReadClip[] = [];
  const dissolves: ReadTimeline['dissolves'] = [];
  let pos = 0;
  let pending: { before: number; after: number } | null = null;
  for (const it of track.children) {
    if (it.OTIO_SCHEMA.startsWith('Transition')) {
      if (!it.in_offset || !it.out_offset) throw new Error(`OTIO ${track.name}: transition without offsets`);
      pending = { before: framesAt(it.in_offset, seq, 'in_offset'), after: framesAt(it.out_offset, seq, 'out_offset') };
      dissolves.push({ at: clips.length - 1, ...pending });
      continue;
    }
    const sr = it.source_range;
    if (!sr) throw new Error(`OTIO ${track.name}: item without source_range`);
    const dur = framesAt(sr.duration, seq, `${it.name ?? ''} duration`);
    if (it.OTIO_SCHEMA.startsWith('Clip')) {
      const ref = it.media_references?.[it.active_media_reference_key ?? 'DEFAULT_MEDIA'];
      if (!ref) throw new Error(`OTIO ${it.name ?? ''}: no active media reference`);
      const file = fileURLToPath(ref.target_url);
      const rate = rateOfFloat(sr.start_time.rate);
      const avail = rateOfFloat(ref.available_range.duration.rate);
      files.set(file, {
        rate: avail,
        frames: framesAt(ref.available_range.duration, avail, 'available_range'),
        channels: ref.metadata?.shotline?.audioChannels ?? null,
      });
      clips.push({
        file,
        recIn: pos,
        recOut: pos + dur,
        srcIn: framesAt(sr.start_time, rate, 'start_time'),
        rate,
        enabled: it.enabled !== false,
      });
    }
    pos += dur;
    pending = null;
  }
  if (pending) throw new Error(`OTIO ${track.name}: a transition at the end of the track`);
  return { clips, dissolves, end: pos };
}

export function readOtio(text: string): ReadTimeline & { audio: ReturnType<typeof readTrack> | null } {
  const t = JSON.parse(text) as { OTIO_SCHEMA: string; global_start_time: RT; tracks: { children: Track[] } };
  if (t.OTIO_SCHEMA !== 'Timeline.1') throw new Error(`OTIO: not a Timeline.1 (${t.OTIO_SCHEMA})`);
  const seq = rateOfFloat(t.global_start_time.rate);
  const files: ReadTimeline['files'] = new Map();
  const video = t.tracks.children.filter((k) => k.kind === 'Video');
  const [v1, ...alts] = video.map((k) => readTrack(k, seq, files));
  if (!v1) throw new Error('OTIO: no video track');
  const a = t.tracks.children.find((k) => k.kind === 'Audio');
  return {
    rate: seq,
    clips: v1.clips,
    dissolves: v1.dissolves,
    files,
    alternates: alts.map((x) => x.clips),
    totalFrames: v1.end,
    audio: a ? readTrack(a, seq, new Map()) : null,
  };
}
