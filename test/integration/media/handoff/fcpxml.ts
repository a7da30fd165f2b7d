/**
 * An FCPXML 1.9 reader written from Apple's FCPXML reference, parsed with fast-xml-parser.
 * Times are rational seconds ("1001/30000s"); spine clips follow one another (offset =
 * sequence time, start = source time, duration); a spine transition overlaps the cut
 * between its neighbours, which is the next clip's offset. Connected clips (lane) sit in
 * their parent's source time. Apple's DTD is not available offline: structure is checked
 * here (ids resolve, one asset per file, formats exist, clips inside their assets).
 */
import { fileURLToPath } from 'node:url';

import { XMLParser } from 'fast-xml-parser';

import { type ReadClip, type ReadTimeline, type Rate } from './model';

type X = Record<string, unknown>;
const parser = new XMLParser({
  ignoreAttributes: false,
  attributeNamePrefix: '@',
  parseTagValue: false,
  isArray: (n) => ['asset', 'asset-clip', 'format', 'transition'].includes(n),
});

/** "a/bs" or "ns" as [numerator, denominator]. */
function rational(s: string | undefined, what: string): [number, number] {
  const m = /^(\d+)(?:\/(\d+))?s$/.exec(s ?? '');
  if (!m) throw new Error(`FCPXML ${what}: "${s}" is not a time`);
  return [Number(m[1]), Number(m[2] ?? 1)];
}

function framesAt(s: string | undefined, r: Rate, what: string): number {
  const [n, d] = rational(s, what);
  const v = (n * r.num) / (d * r.den);
  if (Math.abs(v - Math.round(v)) > 1e-9)
    throw new Error(`FCPXML ${what}: ${s} is not a whole frame at ${r.num}/${r.den}`);
  return Math.round(v);
}

export interface FcpxmlRead extends ReadTimeline {
  assets: X[];
}

export function readFcpxml(text: string): FcpxmlRead {
  const doc = parser.parse(text) as { fcpxml?: X };
  const root = doc.fcpxml;
  if (!root || root['@version'] !== '1.9') throw new Error('not FCPXML 1.9');
  const res = root.resources as { format: X[]; asset: X[] };
  const formats = new Map<string, Rate>();
  for (const f of res.format) {
    const [n, d] = rational(f['@frameDuration'] as string, `format ${f['@id'] as string}`);
    formats.set(f['@id'] as string, { num: d, den: n });
  }
  const files: ReadTimeline['files'] = new Map();
  const assets = new Map<string, { file: string; rate: Rate }>();
  for (const a of res.asset) {
    const rate = formats.get(a['@format'] as string);
    if (!rate) throw new Error(`FCPXML asset ${a['@id'] as string}: format ${a['@format'] as string} is not declared`);
    const file = fileURLToPath((a['media-rep'] as X)['@src'] as string);
    if ([...assets.values()].some((x) => x.file === file)) throw new Error(`FCPXML: ${file} has two assets`);
    assets.set(a['@id'] as string, { file, rate });
    files.set(file, {
      rate,
      frames: framesAt(a['@duration'] as string, rate, `asset ${a['@id'] as string} duration`),
      channels: a['@hasAudio'] === '1' ? Number(a['@audioChannels']) : null,
    });
  }
  const seqEl = ((((root.library as X).event as X).project as X).sequence as X) ?? {};
  const seq = formats.get(seqEl['@format'] as string);
  if (!seq) throw new Error('FCPXML: the sequence format is not declared');
  const spine = seqEl.spine as { 'asset-clip': X[]; transition?: X[] };
  const clipOf = (c: X, base: Rate, offsetBase: Rate | null, parentStart = 0, parentRecIn = 0): ReadClip => {
    const a = assets.get(c['@ref'] as string);
    if (!a) throw new Error(`FCPXML clip ${c['@name'] as string}: asset ${c['@ref'] as string} is not declared`);
    const recIn = offsetBase
      ? parentRecIn + (framesAt(c['@offset'] as string, offsetBase, 'lane offset') - parentStart)
      : framesAt(c['@offset'] as string, base, 'offset');
    const srcIn = framesAt(c['@start'] as string, a.rate, 'start');
    const dur = framesAt(c['@duration'] as string, seq, 'duration');
    const own = files.get(a.file);
    // A clip must stay inside its asset.
    if (own && srcIn + Math.round((dur * a.rate.num * seq.den) / (seq.num * a.rate.den)) > own.frames)
      throw new Error(`FCPXML clip ${c['@name'] as string} runs past the end of its asset ${a.file}`);
    return { file: a.file, recIn, recOut: recIn + dur, srcIn, rate: a.rate, enabled: c['@enabled'] !== '0' };
  };
  const clips = spine['asset-clip'].map((c) => clipOf(c, seq, null));
  const alternates: ReadClip[][] = [];
  spine['asset-clip'].forEach((c, i) => {
    const parent = clips[i] as ReadClip;
    for (const alt of (c['asset-clip'] as X[] | undefined) ?? []) {
      const lane = Number(alt['@lane']);
      (alternates[lane - 1] ??= []).push(clipOf(alt, seq, parent.rate, parent.srcIn, parent.recIn));
    }
  });
  const dissolves = (spine.transition ?? []).map((tr) => {
    const start = framesAt(tr['@offset'] as string, seq, 'transition offset');
    const dur = framesAt(tr['@duration'] as string, seq, 'transition duration');
    const at = clips.findIndex((c, i) => clips[i + 1] !== undefined && c.recOut >= start && c.recOut <= start + dur);
    if (at < 0) throw new Error(`FCPXML: transition at ${start} does not cover a cut`);
    const cut = (clips[at] as ReadClip).recOut;
    return { at, before: cut - start, after: start + dur - cut };
  });
  return {
    rate: seq,
    clips,
    dissolves,
    files,
    alternates,
    totalFrames: framesAt(seqEl['@duration'] as string, seq, 'sequence duration'),
    assets: res.asset,
  };
}
