/**
 * The PII filter that every prompt passes before it leaves the machine (DESIGN.md section 5).
 * Pure code with no Node imports, so the renderer can preview live and the core enforces
 * the same rules. Structured PII is validated, not just pattern-matched: cards by Luhn and
 * issuer prefix, IBANs by country length and mod-97, phones by shape (international prefix,
 * a national trunk 0, a known national mobile/NANP shape, or a "tel"/"phone" word nearby),
 * so look-alikes (versions, dates, timecodes, 1920x1080, prices, digit runs) pass through.
 */

export type PiiKind = 'email' | 'phone' | 'card' | 'iban' | 'term';
export type PiiMode = 'mask' | 'block' | 'allow';

export interface PiiFinding {
  kind: PiiKind;
  /** UTF-16 offsets into the original text, end exclusive. */
  start: number;
  end: number;
  /** The match with most characters hidden, safe to show and log. */
  match: string;
}

export interface FilterOptions {
  /** User-defined terms (client names, product code names): case-insensitive, whole words. */
  terms?: readonly string[];
  mode?: PiiMode;
  /** Kinds to look for; default all. */
  kinds?: readonly PiiKind[];
}

export interface FilterResult {
  /** What would be sent: masked in mask and block mode, unchanged in allow mode. */
  text: string;
  findings: PiiFinding[];
  /** True in block mode when anything was found: the prompt must not be sent. */
  blocked: boolean;
}

export const PII_KINDS: readonly PiiKind[] = ['email', 'phone', 'card', 'iban', 'term'];
export const PLACEHOLDER: Record<PiiKind, string> = {
  email: '[EMAIL]',
  phone: '[PHONE]',
  card: '[CARD]',
  iban: '[IBAN]',
  term: '[REDACTED]',
};

// Overlaps are resolved by this order: a validated IBAN/card wins over a phone-shaped run.
const PRIORITY: Record<PiiKind, number> = { iban: 0, card: 1, email: 2, phone: 3, term: 4 };

const WORD = /[\p{L}\p{N}_]/u;

// ---------------------------------------------------------------- checksums

export function luhnValid(digits: string): boolean {
  if (!/^\d+$/.test(digits)) return false;
  let sum = 0;
  let dbl = false;
  for (let i = digits.length - 1; i >= 0; i--) {
    let d = digits.charCodeAt(i) - 48;
    if (dbl) {
      d *= 2;
      if (d > 9) d -= 9;
    }
    sum += d;
    dbl = !dbl;
  }
  return sum % 10 === 0;
}

/** Issuer prefixes of the card networks in use (Visa, Mastercard, Amex, Discover, JCB, Diners, UnionPay, Maestro, Mir). */
function plausibleIssuer(d: string): boolean {
  const n2 = Number(d.slice(0, 2));
  const n4 = Number(d.slice(0, 4));
  const len = d.length;
  if (d.startsWith('4')) return len === 13 || len === 16 || len === 19;
  if ((n2 >= 51 && n2 <= 55) || (n4 >= 2221 && n4 <= 2720)) return len === 16;
  if (n2 === 34 || n2 === 37) return len === 15;
  if (n2 === 36 || n2 === 38 || n2 === 30 || n2 === 39) return len >= 14 && len <= 19;
  if (n2 === 35) return len >= 16 && len <= 19;
  if (d.startsWith('6')) return len >= 16 && len <= 19; // Discover, UnionPay, Maestro 6x
  if (n2 === 50 || (n2 >= 56 && n2 <= 58)) return len >= 12 && len <= 19; // Maestro
  if (n4 >= 2200 && n4 <= 2204) return len === 16; // Mir
  return false;
}

/** IBAN length per country (SWIFT registry). */
const IBAN_LENGTHS: Record<string, number> = {
  AD: 24, AE: 23, AL: 28, AT: 20, AZ: 28, BA: 20, BE: 16, BG: 22, BH: 22, BR: 29, BY: 28, CH: 21,
  CR: 22, CY: 28, CZ: 24, DE: 22, DK: 18, DO: 28, EE: 20, EG: 29, ES: 24, FI: 18, FO: 18, FR: 27,
  GB: 22, GE: 22, GI: 23, GL: 18, GR: 27, GT: 28, HR: 21, HU: 28, IE: 22, IL: 23, IQ: 23, IS: 26,
  IT: 27, JO: 30, KW: 30, KZ: 20, LB: 28, LC: 32, LI: 21, LT: 20, LU: 20, LV: 21, MC: 27, MD: 24,
  ME: 22, MK: 19, MR: 27, MT: 31, MU: 30, NL: 18, NO: 15, PK: 24, PL: 28, PS: 29, PT: 25, QA: 29,
  RO: 24, RS: 22, SA: 24, SC: 31, SE: 24, SI: 19, SK: 24, SM: 27, ST: 25, SV: 28, TL: 23, TN: 24,
  TR: 26, UA: 29, VA: 22, VG: 24, XK: 20,
};

export function ibanValid(compact: string): boolean {
  const s = compact.toUpperCase();
  const len = IBAN_LENGTHS[s.slice(0, 2)];
  if (!len || s.length !== len || !/^[A-Z]{2}\d{2}[A-Z0-9]+$/.test(s)) return false;
  const moved = s.slice(4) + s.slice(0, 4);
  let rem = 0;
  for (const ch of moved) {
    const v = ch >= 'A' ? String(ch.charCodeAt(0) - 55) : ch;
    for (const c of v) rem = (rem * 10 + (c.charCodeAt(0) - 48)) % 97;
  }
  return rem === 1;
}

// ---------------------------------------------------------------- masking

function maskMiddle(s: string, keepStart: number, keepEnd: number): string {
  const chars = [...s];
  if (chars.length <= keepStart + keepEnd) return '*'.repeat(chars.length);
  return chars.slice(0, keepStart).join('') + '*'.repeat(chars.length - keepStart - keepEnd) + chars.slice(chars.length - keepEnd).join('');
}

function maskFinding(kind: PiiKind, raw: string): string {
  switch (kind) {
    case 'email': {
      const at = raw.lastIndexOf('@');
      const dot = raw.lastIndexOf('.');
      return `${maskMiddle(raw.slice(0, at), 1, 0)}@${maskMiddle(raw.slice(at + 1, dot), 1, 0)}${raw.slice(dot)}`;
    }
    case 'card':
      return `**** ${raw.replace(/\D/g, '').slice(-4)}`;
    case 'iban': {
      const c = raw.replace(/\s|-/g, '');
      return `${c.slice(0, 4)} **** ${c.slice(-2)}`;
    }
    case 'phone':
      return maskMiddle(raw.replace(/\s+/g, ' '), 3, 2);
    case 'term':
      return maskMiddle(raw, 1, 0);
  }
}

// ---------------------------------------------------------------- detectors

interface Span {
  kind: PiiKind;
  start: number;
  end: number;
}

const FILE_TLDS = /\.(?:png|jpe?g|gif|webp|svg|tiff?|bmp|heic|mp4|mov|webm|mkv|avi|pdf|json|csv|txt|psd|exr|wav|mp3)$/i;
const EMAIL_RE = /[\p{L}\p{N}._%+'-]+@(?:[\p{L}\p{N}-]+\.)+\p{L}{2,}/gu;

function findEmails(text: string): Span[] {
  const out: Span[] = [];
  for (const m of text.matchAll(EMAIL_RE)) {
    let start = m.index;
    let raw = m[0];
    // Trim leading dots/quotes picked up from punctuation before the address.
    while (/^[.'-]/.test(raw)) {
      raw = raw.slice(1);
      start++;
    }
    if (raw.indexOf('@') <= 0) continue;
    // Asset names like logo@2x.png are not addresses.
    if (FILE_TLDS.test(raw)) continue;
    out.push({ kind: 'email', start, end: start + raw.length });
  }
  return out;
}

// Digit runs with the separators people put in card numbers.
const CARD_RE = /(?<![\p{N}\w.,])\d(?:[ -]?\d){11,18}(?![\p{N}\w]|[.,]\d)/gu;

function findCards(text: string): Span[] {
  const out: Span[] = [];
  for (const m of text.matchAll(CARD_RE)) {
    const raw = m[0];
    const seps = new Set(raw.replace(/\d/g, ''));
    if (seps.size > 1) continue; // mixed separators: not how card numbers are written
    const d = raw.replace(/\D/g, '');
    if (d.length < 12 || d.length > 19) continue;
    if (luhnValid(d) && plausibleIssuer(d)) out.push({ kind: 'card', start: m.index, end: m.index + raw.length });
  }
  return out;
}

const IBAN_RE = /(?<![\p{L}\p{N}])[A-Za-z]{2}\d{2}(?:[ -]?[A-Za-z0-9]){10,32}/gu;

function findIbans(text: string): Span[] {
  const out: Span[] = [];
  for (const m of text.matchAll(IBAN_RE)) {
    const raw = m[0];
    const country = raw.slice(0, 2).toUpperCase();
    const len = IBAN_LENGTHS[country];
    if (!len) continue;
    // Take exactly the country's length of alphanumerics; the regex may have run on into a word.
    let n = 0;
    let end = 0;
    for (let i = 0; i < raw.length && n < len; i++) {
      if (/[A-Za-z0-9]/.test(raw[i] ?? '')) n++;
      end = i + 1;
    }
    if (n !== len) continue;
    const next = raw[end];
    if (next !== undefined && next !== ' ' && next !== '-') continue; // glued to more characters
    const compact = raw.slice(0, end).replace(/[ -]/g, '');
    if (ibanValid(compact)) out.push({ kind: 'iban', start: m.index, end: m.index + end });
  }
  return out;
}

// Letters of spaced scripts glue to a number (A7, v2); CJK and Arabic text may touch it directly.
const PHONE_RE =
  /(?<![\p{Script=Latin}\p{Script=Cyrillic}\p{Script=Greek}\p{N}_+\-/.,x×#])(?:\+|00)?\(?\d[\d ().\-/\u00a0]{5,22}\d(?![\p{Script=Latin}\p{Script=Cyrillic}\p{Script=Greek}\p{N}]|[.,:/-]\d|[x×]\d)/gu;

const PHONE_CONTEXT =
  /(?:\b(?:tel|tél|tlf|ph|phone|telephone|call|calls|ring|mobile|mob|cell|cellphone|fax|whatsapp|sms|text|contact|reach|dial|telefon|telefono|teléfono|telefone|téléphone|portable|móvil|movil|celular|cellulare|handy|anruf|anrufen|rufnummer|телефон|тел|моб|هاتف|جوال)\b|電話|电话|手机|手機|携帯|전화|휴대폰|☎|📞|📱)[\s.:#()-]{0,4}(?:\p{L}+[\s.:]{1,2}){0,3}$/iu;

const DATE_LIKE = [
  /^\d{1,2}[./-]\d{1,2}[./-](?:\d{2}|\d{4})$/,
  /^\d{4}[./-]\d{1,2}[./-]\d{1,2}$/,
  /^\d{4}\s?[-/]\s?\d{4}$/, // year ranges
];

function phoneShapeOk(raw: string, digits: string, before: string): boolean {
  if (digits.length < 7 || digits.length > 15) return false;
  if (DATE_LIKE.some((r) => r.test(raw))) return false;
  // Parentheses must balance and hold only digits.
  const open = (raw.match(/\(/g) ?? []).length;
  if (open !== (raw.match(/\)/g) ?? []).length || open > 1) return false;
  const groups = raw.replace(/^\+|^\(|\)/g, ' ').trim().split(/[ .\-/\u00a0]+/).filter(Boolean);
  // Dotted short groups look like versions or IPs (1.2.3, 192.168.0.1).
  if (/^\d{1,3}(\.\d{1,3}){2,}$/.test(raw) && !raw.startsWith('0')) return false;
  const context = PHONE_CONTEXT.test(before);
  if (raw.startsWith('+')) return digits.length >= 8 || context;
  // 00 international prefix: written with separators (0044 20 7946 0958), not a padded counter.
  if (raw.startsWith('00')) return (digits.length >= 10 && /[ .\-/\u00a0()]/.test(raw)) || context;
  if (context) return true;
  const plain = raw.replace(/[()]/g, '');
  // NANP: (212) 555-0198, 212-555-0198, 212.555.0198, 1-800-555-0199
  if (/^(?:1[ .-])?\(?[2-9]\d{2}\)?[ .-]?\d{3}[ .-]\d{4}$/.test(raw)) return true;
  // National trunk 0: 030 1234567, 06 12 34 56 78, 07700 900123, 089/1234567, 090-1234-5678
  if (/^0[1-9]/.test(plain) && digits.length >= 9 && digits.length <= 11 && groups.length <= 5 && !/^[01]+$/.test(digits)) {
    if (groups.length === 1 ? digits.length >= 10 : groups.every((g) => g.length >= 2)) return true;
  }
  // China mobile 138 0013 8000 / 13800138000; India mobile 98765 43210
  if (/^1[3-9]\d[ -]?\d{4}[ -]?\d{4}$/.test(raw)) return true;
  if (/^[6-9]\d{4}[ -]\d{5}$/.test(raw)) return true;
  return false;
}

function findPhones(text: string): Span[] {
  const out: Span[] = [];
  for (const m of text.matchAll(PHONE_RE)) {
    let raw = m[0];
    let start = m.index;
    // Trailing separators or an unbalanced bracket belong to the sentence, not the number.
    raw = raw.replace(/[ ().\-/\u00a0]+$/, (t) => (t.startsWith(')') && raw.includes('(') ? ')' : ''));
    if (raw.startsWith('(') && !raw.includes(')')) {
      raw = raw.slice(1);
      start++;
    }
    // A number may follow other digits with only a space between ("at 10:30 0612345678"):
    // when the whole run is not a phone, drop leading groups and look again.
    // Only an unbroken tail counts, so a grouped run (a bad IBAN's digits) is not split up.
    for (let dropped = false; ; dropped = true) {
      const digits = raw.replace(/\D/g, '');
      if (digits.length < 7) break;
      const before = text.slice(Math.max(0, start - 40), start);
      if ((!dropped || /^\d+$/.test(raw)) && phoneShapeOk(raw, digits, before)) {
        out.push({ kind: 'phone', start, end: start + raw.length });
        break;
      }
      const gap = /^[^ \u00a0]*[ \u00a0]+/.exec(raw);
      if (!gap || raw.startsWith('+') || raw.startsWith('(')) break;
      raw = raw.slice(gap[0].length);
      start += gap[0].length;
    }
  }
  return out;
}

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
  const parts = [...new Set(terms.map((t) => t.normalize('NFC').trim()).filter((t) => t.length > 0))]
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

/** Every PII span in `text`, without overlaps, in text order. */
export function detectPii(text: string, opts: Pick<FilterOptions, 'terms' | 'kinds'> = {}): PiiFinding[] {
  const kinds = new Set(opts.kinds ?? PII_KINDS);
  const spans: Span[] = [];
  if (kinds.has('iban')) spans.push(...findIbans(text));
  if (kinds.has('card')) spans.push(...findCards(text));
  if (kinds.has('email')) spans.push(...findEmails(text));
  if (kinds.has('phone')) spans.push(...findPhones(text));
  if (kinds.has('term')) spans.push(...findTerms(text, compileTerms(opts.terms ?? [])));
  // Higher priority first, then longer; keep a span only when it overlaps nothing kept.
  spans.sort((a, b) => PRIORITY[a.kind] - PRIORITY[b.kind] || b.end - b.start - (a.end - a.start) || a.start - b.start);
  const kept: Span[] = [];
  for (const s of spans) {
    if (!kept.some((k) => s.start < k.end && k.start < s.end)) kept.push(s);
  }
  kept.sort((a, b) => a.start - b.start);
  return kept.map((s) => ({ ...s, match: maskFinding(s.kind, text.slice(s.start, s.end)) }));
}

/** Replaces every finding with its placeholder ([EMAIL], [PHONE], ...). */
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
  const masked = findings.length ? applyMask(text, findings) : text;
  return { text: masked, findings, blocked: mode === 'block' && findings.length > 0 };
}
