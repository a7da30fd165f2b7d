/**
 * What a timeline shows, independent of our writer: a list of clips on a track (record
 * range at the sequence rate, source range at the file's rate) and the dissolves between
 * neighbours, turned into a frame map: for every record frame, which file and source frame
 * is on screen (two entries inside a dissolve, outgoing first). Each reader
 * (edl.ts, otio.ts, fcp7.ts, fcpxml.ts) produces this model from the format's own rules.
 */
export interface Rate {
  num: number;
  den: number;
}
export const sameRate = (a: Rate, b: Rate): boolean => a.num * b.den === b.num * a.den;
/** Frames at `to` for frames at `from` (same time, rounded). */
export const conv = (frames: number, from: Rate, to: Rate): number =>
  sameRate(from, to) ? frames : Math.round((frames * to.num * from.den) / (to.den * from.num));

export interface ReadClip {
  file: string;
  /** Record range, sequence frames, out exclusive. */
  recIn: number;
  recOut: number;
  /** Source frame at recIn, at `rate`. */
  srcIn: number;
  rate: Rate;
  enabled: boolean;
}

/** A dissolve centred anywhere around the cut between clip `at` and `at + 1`. */
export interface ReadDissolve {
  at: number;
  before: number;
  after: number;
}

export interface ReadTimeline {
  rate: Rate;
  clips: ReadClip[];
  dissolves: ReadDissolve[];
  /** Declared per file: own rate and length in own frames (where the format declares them). */
  files: Map<string, { rate: Rate; frames: number; channels: number | null }>;
  alternates: ReadClip[][];
  /** Sequence length declared (or implied by the last clip). */
  totalFrames: number;
}

export interface Shown {
  file: string;
  src: number;
  /** The rate `src` is counted at (the file's own, or the EDL's). */
  rate: Rate;
}

/** The frame map of a timeline's main track. */
export function frameMap(t: ReadTimeline): Shown[][] {
  const total = Math.max(t.totalFrames, ...t.clips.map((c) => c.recOut));
  const map: Shown[][] = Array.from({ length: total }, () => []);
  const at = (c: ReadClip, r: number): Shown => ({
    file: c.file,
    src: c.srcIn + conv(r - c.recIn, t.rate, c.rate),
    rate: c.rate,
  });
  t.clips.forEach((c, i) => {
    const head = t.dissolves.find((d) => d.at === i - 1)?.before ?? 0;
    const tail = t.dissolves.find((d) => d.at === i)?.after ?? 0;
    for (let r = c.recIn - head; r < c.recOut + tail; r++) {
      if (r < 0 || r >= total) throw new Error(`${c.file}: shown at record frame ${r}, outside the sequence`);
      map[r]?.push(at(c, r));
    }
  });
  return map;
}
