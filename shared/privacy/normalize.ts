/**
 * The first step of the PII filter (shared/privacy/pii.ts): one canonical text to detect on,
 * with a map back to the original offsets so masking replaces the characters the user typed.
 * - NFKC per character cluster (a base and its combining marks): full-width digits and `＠`
 *   become ASCII, ligatures split, compatibility spaces (NBSP U+00A0, U+202F, U+2007, U+3000)
 *   become a plain space.
 * - Zero-width and invisible characters (U+200B-U+200D, U+2060, U+FEFF, soft hyphen U+00AD,
 *   U+180E) are dropped, so `4111\u200b1111...` reads as digits.
 * One pass over the text: linear in its length.
 */

export interface Normalised {
  text: string;
  /** For each UTF-16 unit of `text`, where its source starts in the original (inclusive); empty when unchanged. */
  from: Uint32Array;
  /** ... and where its source ends (exclusive). */
  to: Uint32Array;
  /** True when `text` differs from the original (otherwise the maps are the identity). */
  changed: boolean;
}

const INVISIBLE = /[\u200b-\u200d\u2060\ufeff\u00ad\u180e]/;
const MARK = /\p{M}/u;

const INVISIBLE_ANY = /[\u200b-\u200d\u2060\ufeff\u00ad\u180e]/u;

export function normalise(original: string): Normalised {
  // Fast path: text that is already canonical (all ASCII, most accented text) maps to itself.
  // eslint-disable-next-line no-control-regex
  if (/^[\x00-\x7f]*$/.test(original) || (!INVISIBLE_ANY.test(original) && original.normalize('NFKC') === original)) {
    return { text: original, from: new Uint32Array(0), to: new Uint32Array(0), changed: false };
  }
  let text = '';
  const from: number[] = [];
  const to: number[] = [];
  let i = 0;
  while (i < original.length) {
    const cp = original.codePointAt(i) ?? 0;
    let j = i + (cp > 0xffff ? 2 : 1);
    const ch = original.slice(i, j);
    if (INVISIBLE.test(ch)) {
      i = j;
      continue;
    }
    // The cluster: this character and the combining marks after it (bounded, so still linear).
    for (let k = 0; k < 16 && j < original.length; k++) {
      const next = original.codePointAt(j) ?? 0;
      const nextCh = String.fromCodePoint(next);
      if (!MARK.test(nextCh)) break;
      j += nextCh.length;
    }
    const cluster = original.slice(i, j);
    const out = cp < 0x80 && j === i + 1 ? cluster : cluster.normalize('NFKC');
    for (let u = 0; u < out.length; u++) {
      from.push(i);
      to.push(j);
    }
    text += out;
    i = j;
  }
  return { text, from: Uint32Array.from(from), to: Uint32Array.from(to), changed: text !== original };
}

/** The original range of a normalised range [start, end). */
export function originalRange(n: Normalised, start: number, end: number): { start: number; end: number } {
  if (!n.changed) return { start, end };
  if (end <= start) return { start: n.from[start] ?? 0, end: n.from[start] ?? 0 };
  return { start: n.from[start] ?? 0, end: n.to[end - 1] ?? 0 };
}
