/**
 * An FCP7 XML (xmeml v4) reader written from Apple's "Final Cut Pro XML" reference, parsed
 * with fast-xml-parser: a `<file>` is declared once and later referenced by id; clipitem
 * `<in>/<out>` count at the clipitem's `<rate>`, `<start>/<end>` at the sequence's; a
 * transitionitem with `center` alignment sits on the cut at floor((start + end) / 2).
 */
import { fileURLToPath } from 'node:url';

import { XMLParser } from 'fast-xml-parser';

import { type ReadClip, type ReadTimeline, type Rate } from './model';

type X = Record<string, unknown>;
const parser = new XMLParser({
  ignoreAttributes: false,
  attributeNamePrefix: '@',
  parseTagValue: false,
  isArray: (n) => ['track', 'clipitem', 'transitionitem', 'link'].includes(n),
});

export function xmemlRate(r: X | undefined, where: string): Rate {
  if (!r) throw new Error(`xmeml ${where}: no <rate>`);
  const base = Number(r.timebase);
  return r.ntsc === 'TRUE' ? { num: base * 1000, den: 1001 } : { num: base, den: 1 };
}

export interface Fcp7Read extends ReadTimeline {
  audioItems: X[];
  audioTransitions: X[];
  videoItems: X[];
}

export function readFcp7(text: string): Fcp7Read {
  const doc = parser.parse(text) as { xmeml?: { '@version': string; sequence: X } };
  if (!doc.xmeml || doc.xmeml['@version'] !== '4') throw new Error('not xmeml v4');
  const seqEl = doc.xmeml.sequence;
  const seq = xmemlRate(seqEl.rate as X, 'sequence');
  const media = seqEl.media as { video: { track: X[] }; audio: { track?: X[] } };
  const files: ReadTimeline['files'] = new Map();
  const byId = new Map<string, string>();
  const fileOf = (f: X, where: string): string => {
    const id = f['@id'] as string;
    if (f.pathurl) {
      if (byId.has(id)) throw new Error(`xmeml ${where}: file id ${id} declared twice`);
      const path = fileURLToPath(f.pathurl as string);
      for (const [other, p] of byId)
        if (p === path) throw new Error(`xmeml ${where}: ${path} declared again as ${id} (first ${other})`);
      byId.set(id, path);
      const audio = (f.media as X).audio as X | undefined;
      files.set(path, {
        rate: xmemlRate(f.rate as X, `file ${id}`),
        frames: Number(f.duration),
        channels: audio ? Number(audio.channelcount) : null,
      });
      return path;
    }
    const known = byId.get(id);
    if (!known) throw new Error(`xmeml ${where}: file ${id} used before it is declared`);
    return known;
  };
  const readTrack = (track: X, where: string): { clips: ReadClip[]; items: X[]; transitions: X[] } => {
    const items = (track.clipitem as X[] | undefined) ?? [];
    const clips = items.map((c): ReadClip => {
      const rate = xmemlRate(c.rate as X, `clipitem ${c['@id'] as string}`);
      return {
        file: fileOf(c.file as X, `${where} ${c['@id'] as string}`),
        recIn: Number(c.start),
        recOut: Number(c.end),
        srcIn: Number(c.in),
        rate,
        enabled: c.enabled !== 'FALSE',
      };
    });
    return { clips, items, transitions: (track.transitionitem as X[] | undefined) ?? [] };
  };
  const [v1, ...alts] = media.video.track.map((t, i) => readTrack(t, `V${i + 1}`));
  if (!v1) throw new Error('xmeml: no video track');
  const dissolves = v1.transitions.map((tr) => {
    if (tr.alignment !== 'center') throw new Error(`xmeml: transition alignment ${String(tr.alignment)}`);
    const start = Number(tr.start);
    const end = Number(tr.end);
    const cut = Math.floor((start + end) / 2);
    const at = v1.clips.findIndex((c) => c.recOut === cut);
    if (at < 0 || v1.clips[at + 1]?.recIn !== cut) throw new Error(`xmeml: transition ${start}-${end} is not on a cut`);
    return { at, before: cut - start, after: end - cut };
  });
  const a1 = media.audio.track?.[0] ? readTrack(media.audio.track[0], 'A1') : null;
  return {
    rate: seq,
    clips: v1.clips,
    dissolves,
    files,
    alternates: alts.map((a) => a.clips),
    totalFrames: Number(seqEl.duration),
    videoItems: v1.items,
    audioItems: a1?.items ?? [],
    audioTransitions: a1?.transitions ?? [],
  };
}
