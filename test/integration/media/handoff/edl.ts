/**
 * A strict CMX3600 reader written from the format (SMPTE 258M-style events): `NNN REEL TRACK
 * C|D nnn SRC_IN SRC_OUT REC_IN REC_OUT`, non-drop timecode at the FCM rate, a dissolve as a
 * zero-length cut on the outgoing source followed by the `D` line of the incoming source.
 * Refuses overlapping records (the "Overlapping record" error of strict readers), a dissolve
 * whose outgoing source is not where the previous event ended, non-ASCII text, and events
 * without a `* FROM CLIP:` / `* FROM FILE:` path to relink.
 */
import { type ReadClip, type ReadTimeline, type Rate } from './model';

const TC = /^(\d\d):(\d\d):(\d\d):(\d\d)$/;

function frames(tc: string, base: number, line: number): number {
  const m = TC.exec(tc);
  if (!m) throw new Error(`EDL line ${line}: "${tc}" is not a timecode`);
  const [h, mi, s, f] = m.slice(1).map(Number) as [number, number, number, number];
  if (f >= base) throw new Error(`EDL line ${line}: frame ${f} in "${tc}" at ${base} fps`);
  return ((h * 60 + mi) * 60 + s) * base + f;
}

interface Event {
  num: string;
  line: number;
  kind: 'C' | 'D';
  fade: number;
  srcIn: number;
  srcOut: number;
  recIn: number;
  recOut: number;
  file?: string;
}

export function readEdl(text: string, rate: Rate): ReadTimeline {
  if (/[^\x20-\x7e]/.test(text.split('\n')[0] ?? '')) throw new Error('EDL title is not ASCII');
  const base = Math.round(rate.num / rate.den);
  const lines = text.split('\n');
  if (!/^TITLE: /.test(lines[0] ?? '')) throw new Error('EDL: no TITLE line');
  if (lines[1] !== 'FCM: NON-DROP FRAME') throw new Error('EDL: expected FCM: NON-DROP FRAME');
  const events: Event[][] = [];
  lines.forEach((l, i) => {
    const m = /^(\d{3,})\s+(\S+)\s+(\S+)\s+(C|D)\s+(?:(\d{3})\s+)?(\S+)\s+(\S+)\s+(\S+)\s+(\S+)\s*$/.exec(l);
    if (m) {
      const e: Event = {
        num: m[1] as string,
        line: i + 1,
        kind: m[4] as 'C' | 'D',
        fade: Number(m[5] ?? 0),
        srcIn: frames(m[6] as string, base, i + 1),
        srcOut: frames(m[7] as string, base, i + 1),
        recIn: frames(m[8] as string, base, i + 1),
        recOut: frames(m[9] as string, base, i + 1),
      };
      const last = events[events.length - 1];
      if (last && last[0]?.num === e.num) last.push(e);
      else events.push([e]);
      return;
    }
    const c = /^\* FROM (?:CLIP|FILE): (.+)$/.exec(l);
    if (c) {
      const ev = events[events.length - 1];
      const target = ev?.[ev.length - 1];
      if (target) target.file = c[1];
    }
  });
  const rec0 = 3600 * base;
  const clips: ReadClip[] = [];
  const dissolves: ReadTimeline['dissolves'] = [];
  let lastRecOut = rec0;
  let lastSrcOut = -1;
  for (const group of events) {
    const e = group[group.length - 1] as Event;
    if (!e.file) throw new Error(`EDL event ${e.num}: no * FROM CLIP: line to relink the media`);
    if (e.srcOut - e.srcIn !== e.recOut - e.recIn)
      throw new Error(`EDL event ${e.num}: source and record lengths differ`);
    if (group.length === 2) {
      const from = group[0] as Event;
      if (e.kind !== 'D' || from.kind !== 'C') throw new Error(`EDL event ${e.num}: a two-line event must be C then D`);
      if (from.srcIn !== from.srcOut || from.recIn !== from.recOut)
        throw new Error(`EDL event ${e.num}: the outgoing line of a dissolve must have zero length`);
      if (from.recIn !== lastRecOut)
        throw new Error(
          `EDL event ${e.num}: dissolve starts at record ${from.recIn}, the previous event ends at ${lastRecOut}`,
        );
      if (from.srcIn !== lastSrcOut)
        throw new Error(
          `EDL event ${e.num}: outgoing source ${from.srcIn} is not where the previous event ended (${lastSrcOut})`,
        );
      const prev = clips[clips.length - 1];
      if (!prev) throw new Error(`EDL event ${e.num}: a dissolve with nothing before it`);
      // In the model a dissolve sits around a cut: put the cut at the dissolve's start (before 0).
      prev.recOut = e.recIn - rec0;
      dissolves.push({ at: clips.length - 1, before: 0, after: e.fade });
    } else if (e.recIn < lastRecOut)
      throw new Error(`EDL event ${e.num}: Overlapping record (${e.recIn} < ${lastRecOut})`);
    if (e.recIn < lastRecOut) throw new Error(`EDL event ${e.num}: Overlapping record (${e.recIn} < ${lastRecOut})`);
    clips.push({ file: e.file, recIn: e.recIn - rec0, recOut: e.recOut - rec0, srcIn: e.srcIn, rate, enabled: true });
    lastRecOut = e.recOut;
    lastSrcOut = e.srcOut;
  }
  return { rate, clips, dissolves, files: new Map(), alternates: [], totalFrames: lastRecOut - rec0 };
}
