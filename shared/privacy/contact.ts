/**
 * Detectors for contact and payment data on normalised text (shared/privacy/normalize.ts):
 * emails (plain and obfuscated: `name dot surname at gmail dot com`, `[at]`, `(at)`, `arobase`,
 * `chiocciola`, `arroba`), phone numbers by shape, payment cards (Luhn + issuer), IBANs (mod 97).
 * Every pattern starts at a token boundary (a lookbehind) and has bounded repeats, so a scan is
 * linear in the text length.
 */
import { IBAN_LENGTHS, ibanValid, luhnValid, plausibleIssuer } from './checksums';
import type { Span } from './kinds';

// ---------------------------------------------------------------- emails

const FILE_TLDS = /\.(?:png|jpe?g|gif|webp|svg|tiff?|bmp|heic|mp4|mov|webm|mkv|avi|pdf|json|csv|txt|psd|exr|wav|mp3)$/i;
const EMAIL_RE = /(?<![\p{L}\p{N}._%+'-])[\p{L}\p{N}._%+'-]{1,64}@(?:[\p{L}\p{N}-]{1,63}\.){1,8}\p{L}{2,24}/gu;

const DOT_WORDS = 'dot|punkt|point|punto|ponto|punt';
const AT_WORDS = 'at|arobase|chiocciola|arroba|klammeraffe|apenstaartje';
const WORD = String.raw`[\p{L}\p{N}_%+-]{1,40}`;
const DOT = String.raw`(?:\s{0,3}[[({<]\s{0,2}(?:${DOT_WORDS})\s{0,2}[\])}>]\s{0,3}|\s{1,3}(?:${DOT_WORDS})\s{1,3}|\.)`;
const AT = String.raw`(?:\s{0,3}[[({<]\s{0,2}(?:${AT_WORDS})\s{0,2}[\])}>]\s{0,3}|\s{1,3}(?:${AT_WORDS})\s{1,3})`;
const OBFUSCATED_RE = new RegExp(
  String.raw`(?<![\p{L}\p{N}._%+-])${WORD}(?:${DOT}${WORD}){0,4}${AT}${WORD}(?:${DOT}${WORD}){1,4}(?![\p{L}\p{N}])`,
  'giu',
);
const AT_PLAIN = new RegExp(String.raw`^\s{1,3}at\s{1,3}$`, 'i');
const AT_ONE = new RegExp(AT, 'iu');
const MAIL_PROVIDERS = new Set(
  'gmail googlemail yahoo hotmail outlook live icloud me aol gmx web t-online posteo freenet libero tiscali virgilio alice fastwebnet orange wanadoo free laposte sfr sapo telefonica movistar ziggo kpn hetnet xs4all proton protonmail fastmail mail yandex'.split(
    ' ',
  ),
);
const COMMON_TLDS = new Set(
  'com net org edu gov info biz io co app dev studio mail online email eu asia tv me'.split(' '),
);
const DOT_SPLIT = new RegExp(DOT, 'giu');

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
  // A rejected candidate ("me at olivia.grant") may hide a real one that starts inside it:
  // after a rejection the scan resumes at the candidate's second word.
  OBFUSCATED_RE.lastIndex = 0;
  for (let m = OBFUSCATED_RE.exec(text); m; m = OBFUSCATED_RE.exec(text)) {
    const raw = m[0];
    const firstWord = /^[\p{L}\p{N}_%+-]+/u.exec(raw)?.[0].length ?? 1;
    const reject = (): void => {
      OBFUSCATED_RE.lastIndex = m ? m.index + firstWord : 0;
    };
    const atMatch = AT_ONE.exec(raw);
    if (!atMatch) {
      reject();
      continue;
    }
    const local = raw.slice(0, atMatch.index);
    const domain = raw.slice(atMatch.index + atMatch[0].length);
    const domainWords = domain.split(DOT_SPLIT);
    const tld = (domainWords.at(-1) ?? '').toLowerCase();
    if (!/^\p{L}{2,24}$/u.test(tld) || !(tld.length === 2 || COMMON_TLDS.has(tld))) {
      reject();
      continue;
    }
    const spelledDot = domain.replace(/\./g, '') !== domain.replace(DOT_SPLIT, '') || /[[({<]/.test(domain);
    const localDotted = local.split(DOT_SPLIT).length > 1;
    if (AT_PLAIN.test(atMatch[0])) {
      // "at" is an everyday word: only with a dotted local part or a mail provider's domain.
      const provider = MAIL_PROVIDERS.has((domainWords[0] ?? '').toLowerCase());
      if ((!localDotted && !provider) || (!spelledDot && !localDotted)) {
        reject();
        continue;
      }
    }
    out.push({ kind: 'email', start: m.index, end: m.index + raw.length });
  }
  return out;
}

// ---------------------------------------------------------------- cards and IBANs

// Digit runs with one kind of separator (space, dot or dash) as people write card numbers.
const CARD_RE = /(?<![\p{N}\w.,])\d(?:[ .-]?\d){11,18}(?![\p{N}\w]|[.,]\d)/gu;

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

// ---------------------------------------------------------------- phones

// Letters of spaced scripts glue to a number (A7, v2); CJK and Arabic text may touch it directly.
const PHONE_RE =
  /(?<![\p{Script=Latin}\p{Script=Cyrillic}\p{Script=Greek}\p{N}_+\-/.,x×#])(?:\(\+\d{1,3}\)[ ]?|\+|00)?\(?\d[\d ().\-/]{5,22}\d(?![\p{Script=Latin}\p{Script=Cyrillic}\p{Script=Greek}\p{N}]|[.,:/-]\d|[x×]\d)/gu;

const PHONE_CONTEXT =
  /(?:\b(?:tel|tél|tlf|ph|phone|telephone|call|calls|ring|mobile|mob|cell|cellphone|fax|whatsapp|sms|text|contact|reach|dial|telefon|telefono|teléfono|telefone|téléphone|telemóvel|telemovel|telefoon|portable|móvil|movil|celular|cellulare|handy|anruf|anrufen|rufnummer|bel|bellen|appelle|appelez|appeler|llama|llámame|llamar|chiama|chiamami|ligue|telefonnummer|handynummer|telefoonnummer|телефон|тел|моб|هاتف|جوال)\b|電話|电话|手机|手機|携帯|전화|휴대폰|☎|📞|📱)[\s.:#()-]{0,4}(?:[\p{L}'-]+[\s.:]{1,2}){0,3}$/iu;

// Numbers that other words claim: order, invoice and tracking numbers, ISBNs, customer ids.
const NOT_PHONE_CONTEXT =
  /(?:order|invoice|tracking|parcel|ref|reference|isbn|ean|sku|serial|build|version|seed|frame|frames|take|hash|code|token|count|bytes|pixels|bestell\w*|kunden\w*|rechnung\w*|sendung\w*|facture|fattura|factura|pedido|commande|ordine|encomenda|bestelling|factuur|id|nr|no|n°|#)(?:\s{1,2}(?:number|no\.?|nr\.?|n°|#|nummer|numéro|número|numero))?\W{0,3}$/iu;

const DATE_LIKE = [
  /^\d{1,2}[./-]\d{1,2}[./-](?:\d{2}|\d{4})$/,
  /^\d{4}[./-]\d{1,2}[./-]\d{1,2}$/,
  /^\d{4}\s?[-/]\s?\d{4}$/, // year ranges
];

function phoneShapeOk(raw: string, digits: string, before: string): boolean {
  if (digits.length < 7 || digits.length > 15) return false;
  if (DATE_LIKE.some((r) => r.test(raw))) return false;
  // Parentheses must balance and hold only digits (or a +country code).
  const open = (raw.match(/\(/g) ?? []).length;
  if (open !== (raw.match(/\)/g) ?? []).length || open > 1) return false;
  const groups = raw
    .replace(/^\(\+|^\+|^\(|\)/g, ' ')
    .trim()
    .split(/[ .\-/]+/)
    .filter(Boolean);
  // Dotted short groups look like versions or IPs (1.2.3, 192.168.0.1).
  if (/^\d{1,3}(\.\d{1,3}){2,}$/.test(raw) && !raw.startsWith('0')) return false;
  const context = PHONE_CONTEXT.test(before);
  if (!context && NOT_PHONE_CONTEXT.test(before) && !/^\+|^\(\+/.test(raw)) return false;
  if (raw.startsWith('+') || raw.startsWith('(+')) return digits.length >= 8 || context;
  // 00 international prefix: written with separators (0044 20 7946 0958), not a padded counter.
  if (raw.startsWith('00')) return (digits.length >= 10 && /[ .\-/()]/.test(raw)) || context;
  if (context) return true;
  const plain = raw.replace(/[()]/g, '');
  // NANP: (212) 555-0198, 212-555-0198, 212.555.0198, 1-800-555-0199, bare 2125550198
  if (/^(?:1[ .-])?\(?[2-9]\d{2}\)?[ .-]?\d{3}[ .-]\d{4}$/.test(raw)) return true;
  if (/^[2-9]\d{2}[2-9]\d{6}$/.test(raw)) return true;
  // Italian mobile written bare: 3471234567
  if (/^3\d{9}$/.test(raw)) return true;
  // National trunk 0: 030 1234567, 06 12 34 56 78, 07700 900123, 089/1234567, 090-1234-5678
  // (German mobiles 015x-017x run to 12 digits: 01512 3456789.)
  const maxTrunk = /^01[5-7]/.test(plain) ? 12 : 11;
  if (
    /^0[1-9]/.test(plain) &&
    digits.length >= 9 &&
    digits.length <= maxTrunk &&
    groups.length <= 5 &&
    !/^[01]+$/.test(digits)
  ) {
    if (groups.length === 1 ? digits.length >= 10 : groups.every((g) => g.length >= 2)) return true;
  }
  // Spanish/Portuguese 9 digits in groups: 612 345 678, 91 555 23 41, 612 33 44 55
  if (
    /^[6789]\d{2} \d{3} \d{3}$/.test(raw) ||
    /^9\d \d{3} \d{2} \d{2}$/.test(raw) ||
    /^[6789]\d{2} \d{2} \d{2} \d{2}$/.test(raw)
  )
    return true;
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
    raw = raw.replace(/[ ().\-/]+$/, (t) =>
      t.startsWith(')') && raw.includes('(') && !/^\(\+\d{1,3}\)/.test(raw) ? ')' : '',
    );
    if (raw.startsWith('(') && !raw.includes(')')) {
      raw = raw.slice(1);
      start++;
    }
    // A number may follow other digits with only a space between ("at 10:30 0612345678"):
    // when the whole run is not a phone, drop leading groups and look again (at most 6 times).
    // Only an unbroken tail counts, so a grouped run (a bad IBAN's digits) is not split up.
    for (let dropped = 0; dropped < 6; dropped++) {
      const digits = raw.replace(/\D/g, '');
      if (digits.length < 7) break;
      const before = text.slice(Math.max(0, start - 40), start);
      if ((dropped === 0 || /^\d+$/.test(raw)) && phoneShapeOk(raw, digits, before)) {
        out.push({ kind: 'phone', start, end: start + raw.length });
        break;
      }
      const gap = /^[^ ]*[ ]+/.exec(raw);
      if (!gap || raw.startsWith('+') || raw.startsWith('(')) break;
      raw = raw.slice(gap[0].length);
      start += gap[0].length;
    }
  }
  return out;
}

export function findContact(text: string, kinds: ReadonlySet<string>): Span[] {
  const spans: Span[] = [];
  if (kinds.has('email')) spans.push(...findEmails(text));
  if (!/\d/.test(text)) return spans; // the others are numbers
  if (kinds.has('iban')) spans.push(...findIbans(text));
  if (kinds.has('card')) spans.push(...findCards(text));
  if (kinds.has('phone')) spans.push(...findPhones(text));
  return spans;
}
