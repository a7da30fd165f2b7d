/**
 * The PII filter that every prompt passes before it leaves the machine (docs/readme/privacy.md).
 * Pure code with no Node imports, so the renderer can preview live and the core enforces
 * the same rules.
 *
 * 1. Normalise (shared/privacy/normalize.ts): NFKC, zero-width characters dropped, NBSP as a
 *    space, with a map back to the original offsets (masking replaces what the user typed).
 * 2. Detect: contact and payment data (shared/privacy/contact.ts: emails incl. obfuscated ones,
 *    phones, cards by Luhn, IBANs by mod 97), identity data (shared/privacy/ids.ts: national ids
 *    by checksum, passports and dates of birth in context), names and addresses
 *    (shared/privacy/people.ts, flagged for the user's decision), and user terms.
 * 3. Resolve overlaps by priority and mask. Look-alikes (versions, dates of events, timecodes,
 *    1920x1080, lens data, years, `@element` references, `shot 1, 3;`) pass through.
 * Every step is one bounded pass: time is linear in the text length.
 */
import { findContact } from './contact';
import { findIdentity } from './ids';
import { FLAGGED_KINDS, PII_KINDS, type PiiKind, type Span } from './kinds';
import { normalise, originalRange } from './normalize';
import { findPeople } from './people';

export { ibanValid, luhnValid } from './checksums';
export { FLAGGED_KINDS, PII_KINDS, STRUCTURED_KINDS } from './kinds';
export type { PiiKind } from './kinds';

export type PiiMode = 'mask' | 'block' | 'allow';

/** Kling's prompt limit (shared/kling/capabilities.ts promptMax): the preview takes no more. */
export const PII_TEXT_MAX = 2500;

export interface PiiFinding {
  kind: PiiKind;
  /** UTF-16 offsets into the original text, end exclusive. */
  start: number;
  end: number;
  /** The match with most characters hidden (at most its first and last 4), safe to show and log. */
  match: string;
  /** A name or address left for the user's decision: reported, not masked unless `maskFlagged`. */
  flagged: boolean;
}

export interface FilterOptions {
  /** User-defined terms (client names, product code names): case-insensitive, whole words. */
  terms?: readonly string[];
  mode?: PiiMode;
  /** Kinds to look for; default all. */
  kinds?: readonly PiiKind[];
  /** Also mask (and in block mode, block on) names and addresses. Default false. */
  maskFlagged?: boolean;
}

export interface FilterResult {
  /** What would be sent: masked in mask and block mode, unchanged in allow mode. */
  text: string;
  findings: PiiFinding[];
  /** True in block mode when anything to mask was found: the prompt must not be sent. */
  blocked: boolean;
}

export const PLACEHOLDER: Record<PiiKind, string> = {
  email: '[EMAIL]',
  phone: '[PHONE]',
  card: '[CARD]',
  iban: '[IBAN]',
  national_id: '[ID]',
  passport: '[PASSPORT]',
  dob: '[DOB]',
  name: '[NAME]',
  address: '[ADDRESS]',
  term: '[REDACTED]',
};

// Overlaps are resolved by this order: a validated number wins over a phone-shaped run, an
// address over the person a street is named after.
const PRIORITY: Record<PiiKind, number> = {
  iban: 0,
  card: 1,
  national_id: 2,
  email: 3,
  passport: 4,
  phone: 5,
  dob: 6,
  term: 7,
  address: 8,
  name: 9,
};

const WORD = /[\p{L}\p{N}_]/u;

// ---------------------------------------------------------------- masking

/**
 * Keeps at most `keepStart` leading and `keepEnd` trailing characters (each at most 4) and never
 * more than a third of its letters and digits; the rest becomes `*`.
 */
export function maskMiddle(s: string, keepStart: number, keepEnd: number): string {
  const chars = [...s];
  const n = chars.length;
  // The third is of the letters and digits: separators carry nothing.
  const budget = Math.floor(chars.filter((c) => /[\p{L}\p{N}]/u.test(c)).length / 3);
  let a = Math.min(keepStart, 4);
  let b = Math.min(keepEnd, 4);
  while (a + b > budget) {
    if (a >= b && a > 0) a--;
    else if (b > 0) b--;
    else break;
  }
  return chars.slice(0, a).join('') + '*'.repeat(n - a - b) + chars.slice(n - b).join('');
}

function maskFinding(kind: PiiKind, raw: string): string {
  switch (kind) {
    case 'email': {
      const at = raw.search(/@|[[({<\s](?:at|arobase|chiocciola|arroba|klammeraffe|apenstaartje)[\])}>\s]/i);
      return at > 0
        ? `${maskMiddle(raw.slice(0, at), 1, 0)}@${maskMiddle(raw.slice(at + 1), 0, 4)}`
        : maskMiddle(raw, 1, 4);
    }
    case 'card':
      return `**** ${maskMiddle(raw.replace(/\D/g, ''), 0, 4).slice(-4)}`;
    case 'iban':
      return maskMiddle(raw.replace(/\s|-/g, ''), 4, 2);
    case 'phone':
      return maskMiddle(raw.replace(/\s+/g, ' '), 3, 2);
    case 'national_id':
    case 'passport':
      return maskMiddle(raw, 0, 2);
    case 'dob':
      return raw.replace(/[\p{L}\p{N}]/gu, '*');
    case 'name':
    case 'address':
    case 'term':
      return maskMiddle(raw, 1, 0);
  }
}

// ---------------------------------------------------------------- terms

function escapeRe(s: string): string {
  return s.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
}

const CJK = /[\p{Script=Han}\p{Script=Hiragana}\p{Script=Katakana}\p{Script=Hangul}\p{Script=Thai}]/u;

// Compiling hundreds of terms costs more than matching them: keep the last few term lists.
const termCache = new Map<string, RegExp | null>();

/** One regex for all terms: case-insensitive, whole words (except in scripts without spaces). */
export function compileTerms(terms: readonly string[]): RegExp | null {
  const key = terms.join('\u0000');
  const hit = termCache.get(key);
  if (hit !== undefined) return hit;
  const re = buildTermsRegex(terms);
  if (termCache.size >= 8) termCache.delete(termCache.keys().next().value as string);
  termCache.set(key, re);
  return re;
}

function buildTermsRegex(terms: readonly string[]): RegExp | null {
  const parts = [...new Set(terms.map((t) => normalise(t.normalize('NFC')).text.trim()).filter((t) => t.length > 0))]
    .sort((a, b) => b.length - a.length)
    .map((t) => {
      const body = escapeRe(t).replace(/\s+/g, '\\s+');
      const first = t[0] ?? '';
      const last = t.at(-1) ?? '';
      const pre = WORD.test(first) && !CJK.test(first) ? '(?<![\\p{L}\\p{N}_])' : '';
      const post = WORD.test(last) && !CJK.test(last) ? '(?![\\p{L}\\p{N}_])' : '';
      return `${pre}${body}${post}`;
    });
  return parts.length ? new RegExp(parts.join('|'), 'giu') : null;
}

function findTerms(text: string, re: RegExp | null): Span[] {
  if (!re) return [];
  const out: Span[] = [];
  for (const m of text.matchAll(re)) {
    if (m[0].length) out.push({ kind: 'term', start: m.index, end: m.index + m[0].length });
  }
  return out;
}

// ---------------------------------------------------------------- detection

/** Every PII span in `text`, without overlaps, in text order (offsets into `text` as given). */
export function detectPii(text: string, opts: Pick<FilterOptions, 'terms' | 'kinds'> = {}): PiiFinding[] {
  const kinds = new Set<string>(opts.kinds ?? PII_KINDS);
  const norm = normalise(text);
  const t = norm.text;
  const spans: Span[] = [...findContact(t, kinds), ...findIdentity(t, kinds), ...findPeople(t, kinds)];
  if (kinds.has('term')) spans.push(...findTerms(t, compileTerms(opts.terms ?? [])));
  // Higher priority first, then longer; keep a span only when it overlaps nothing kept
  // (an occupancy map: linear in the total length of the candidates).
  spans.sort((a, b) => PRIORITY[a.kind] - PRIORITY[b.kind] || b.end - b.start - (a.end - a.start) || a.start - b.start);
  const taken = new Uint8Array(t.length);
  const kept: Span[] = [];
  for (const s of spans) {
    let free = true;
    for (let i = s.start; i < s.end && free; i++) if (taken[i]) free = false;
    if (!free) continue;
    taken.fill(1, s.start, s.end);
    kept.push(s);
  }
  kept.sort((a, b) => a.start - b.start);
  return kept.map((s) => {
    const o = originalRange(norm, s.start, s.end);
    return {
      kind: s.kind,
      start: o.start,
      end: o.end,
      match: maskFinding(s.kind, t.slice(s.start, s.end)),
      flagged: FLAGGED_KINDS.includes(s.kind),
    };
  });
}

/** Replaces every finding given with its placeholder ([EMAIL], [PHONE], ...). */
export function applyMask(text: string, findings: readonly PiiFinding[]): string {
  let out = '';
  let at = 0;
  for (const f of findings) {
    out += text.slice(at, f.start) + PLACEHOLDER[f.kind];
    at = f.end;
  }
  return out + text.slice(at);
}

export function filterPrompt(text: string, opts: FilterOptions = {}): FilterResult {
  const mode = opts.mode ?? 'mask';
  const findings = detectPii(text, opts);
  if (mode === 'allow') return { text, findings, blocked: false };
  const toMask = opts.maskFlagged ? findings : findings.filter((f) => !f.flagged);
  const masked = toMask.length ? applyMask(text, toMask) : text;
  return { text: masked, findings, blocked: mode === 'block' && toMask.length > 0 };
}
