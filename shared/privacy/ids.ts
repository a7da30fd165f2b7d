/**
 * Detectors for identity data on normalised text (shared/privacy/normalize.ts): national ids
 * validated by their checksum or rules (shared/privacy/checksums.ts), passport numbers after a
 * passport word, dates of birth after a birth word. A date, a year or a digit run without that
 * context is left alone (prompts are full of years, timecodes and dates of events).
 * Patterns start at a token boundary and windows are bounded: linear in the text length.
 */
import { codiceFiscaleValid, dniNieValid, ninoValid, nirValid, ssnValid, steuerIdValid } from './checksums';
import type { Span } from './kinds';

const END = String.raw`(?![\p{L}\p{N}]|[.,]\d)`;
const NOT_ID_CONTEXT =
  /(?:order|invoice|tracking|isbn|ean|sku|serial|build|bestell\w*|kunden\w*|rechnung\w*|facture|fattura|factura|pedido|commande|ordine|encomenda|bestelling|factuur)\W{0,3}(?:no\.?|nr\.?|n°|#)?\W{0,3}$/iu;

interface IdRule {
  re: RegExp;
  valid: (compact: string, before: string) => boolean;
}

const SSN_CONTEXT = /(?:ssn|social\s+security(?:\s+(?:number|no\.?|#))?|soc\.?\s*sec\.?)\W{0,3}(?:is\W{1,3})?$/iu;

const ID_RULES: IdRule[] = [
  // Italian codice fiscale (omocodia letters allowed in the digit places), any case.
  {
    re: new RegExp(
      String.raw`(?<![\p{L}\p{N}])[A-Za-z]{6}[0-9LMNPQRSTUVlmnpqrstuv]{2}[A-Za-z][0-9LMNPQRSTUVlmnpqrstuv]{2}[A-Za-z][0-9LMNPQRSTUVlmnpqrstuv]{3}[A-Za-z]${END}`,
      'gu',
    ),
    valid: (c) => codiceFiscaleValid(c),
  },
  // German Steuer-ID: 11 digits, compact or 2-3-3-3.
  {
    re: new RegExp(String.raw`(?<![\p{L}\p{N}.,/-])[1-9]\d(?: ?\d{3}){3}${END}`, 'gu'),
    valid: (c, b) => steuerIdValid(c) && !NOT_ID_CONTEXT.test(b),
  },
  // UK National Insurance number: AB123456C or AB 12 34 56 C.
  {
    re: new RegExp(String.raw`(?<![\p{L}\p{N}])[A-Z]{2} ?\d{2} ?\d{2} ?\d{2} ?[A-D]${END}`, 'gu'),
    valid: (c) => ninoValid(c),
  },
  // Spanish DNI and NIE.
  { re: new RegExp(String.raw`(?<![\p{L}\p{N}.,/-])\d{8}[ -]?[A-Za-z]${END}`, 'gu'), valid: (c) => dniNieValid(c) },
  {
    re: new RegExp(String.raw`(?<![\p{L}\p{N}])[XYZxyz][ -]?\d{7}[ -]?[A-Za-z]${END}`, 'gu'),
    valid: (c) => dniNieValid(c),
  },
  // US SSN: dashed always (with the SSA rules); spaced or bare only after an SSN word.
  {
    re: new RegExp(String.raw`(?<![\p{L}\p{N}.,/-])\d{3}-\d{2}-\d{4}(?![\p{L}\p{N}]|[.,-]\d)`, 'gu'),
    valid: (c) => ssnValid(c),
  },
  {
    re: new RegExp(String.raw`(?<![\p{L}\p{N}.,/-])\d{3} ?\d{2} ?\d{4}${END}`, 'gu'),
    valid: (c, b) => ssnValid(c) && SSN_CONTEXT.test(b),
  },
  // French NIR: 15 characters with the key, compact or grouped 1 2 2 2 3 3 2.
  {
    re: new RegExp(
      String.raw`(?<![\p{L}\p{N}.,/-])[12378] ?\d{2} ?\d{2} ?(?:\d{2}|2[ABab]) ?\d{3} ?\d{3} ?\d{2}${END}`,
      'gu',
    ),
    valid: (c) => nirValid(c),
  },
];

function findNationalIds(text: string): Span[] {
  const out: Span[] = [];
  for (const rule of ID_RULES) {
    for (const m of text.matchAll(rule.re)) {
      const compact = m[0].replace(/[ -]/g, '');
      const before = text.slice(Math.max(0, m.index - 40), m.index);
      if (rule.valid(compact, before)) out.push({ kind: 'national_id', start: m.index, end: m.index + m[0].length });
    }
  }
  return out;
}

// ---------------------------------------------------------------- passports

const PASSPORT_WORD =
  /(?<![\p{L}])(?:passport|passeport|pasaporte|passaporto|passaporte|reisepass|paspoort|pass|pasaport|passi|passeport)(?:nummer|nr|no)?(?![\p{L}])/giu;
const PASSPORT_TOKEN = /(?<![\p{L}\p{N}])(?=[A-Z]{0,3}\d)[A-Z0-9]{6,10}(?![\p{L}\p{N}])/gu;

function findPassports(text: string): Span[] {
  const out: Span[] = [];
  for (const m of text.matchAll(PASSPORT_WORD)) {
    const from = m.index + m[0].length;
    const window = text.slice(from, from + 40);
    PASSPORT_TOKEN.lastIndex = 0;
    const t = PASSPORT_TOKEN.exec(window);
    if (!t) continue;
    const tok = t[0];
    if ((tok.match(/\d/g) ?? []).length < 2) continue;
    // Only words like "no.", "number", "n°" between the word and the number.
    const between = window.slice(0, t.index);
    if (!/^[\s.:#°º\p{L}-]{0,30}$/u.test(between) || (between.match(/\p{L}+/gu) ?? []).length > 3) continue;
    out.push({ kind: 'passport', start: from + t.index, end: from + t.index + tok.length });
  }
  return out;
}

// ---------------------------------------------------------------- dates of birth

const MONTHS = [
  'january|february|march|april|may|june|july|august|september|october|november|december|jan|feb|mar|apr|jun|jul|aug|sep|sept|oct|nov|dec',
  'januar|jänner|februar|märz|mai|juni|juli|oktober|dezember|okt|dez',
  'janvier|février|fevrier|mars|avril|juin|juillet|août|aout|septembre|octobre|novembre|décembre|decembre',
  'enero|febrero|marzo|abril|mayo|junio|julio|agosto|septiembre|setiembre|octubre|noviembre|diciembre',
  'gennaio|febbraio|aprile|maggio|giugno|luglio|settembre|ottobre|dicembre',
  'janeiro|fevereiro|março|marco|maio|junho|julho|setembro|outubro|novembro|dezembro',
  'januari|februari|maart|mei|augustus|oktober',
].join('|');

const DATE_FORMS = [
  String.raw`\d{1,2}[./-]\d{1,2}[./-](?:\d{4}|\d{2})`,
  String.raw`\d{4}[./-]\d{1,2}[./-]\d{1,2}`,
  String.raw`\d{1,2}(?:\.|º|°|er|st|nd|rd|th)?\s{1,2}(?:de\s+)?(?:${MONTHS})\.?,?\s{1,2}(?:de\s+)?\d{4}`,
  String.raw`(?:${MONTHS})\.?\s{1,2}\d{1,2}(?:st|nd|rd|th)?,?\s{1,2}\d{4}`,
].join('|');
const DATE_RE = new RegExp(String.raw`(?<![\p{L}\p{N}])(?:${DATE_FORMS})(?![\p{L}\p{N}])`, 'iu');
const YEAR_ONLY = /^\s{0,2}(?:in|en|im|nel|em|in het|op)?\s{0,2}((?:19|20)\d{2})(?![\p{L}\p{N}])/iu;

const BIRTH_WORD = new RegExp(
  String.raw`(?<![\p{L}])(?:born|dob|d\.o\.b\.?|date\s+of\s+birth|birth\s*date|birthday|geboren|geb\.|geburtsdatum|geburtstag|né|née|nee|né\(e\)|date\s+de\s+naissance|naissance|nacid[oa]|fecha\s+de\s+nacimiento|nat[oa]|data\s+di\s+nascita|nascid[oa]|data\s+de\s+nascimento|geboortedatum)(?![\p{L}])`,
  'giu',
);

function findBirthDates(text: string): Span[] {
  const out: Span[] = [];
  for (const m of text.matchAll(BIRTH_WORD)) {
    const from = m.index + m[0].length;
    const window = text.slice(from, from + 45);
    const d = DATE_RE.exec(window);
    if (d) {
      out.push({ kind: 'dob', start: from + d.index, end: from + d.index + d[0].length });
      continue;
    }
    const y = YEAR_ONLY.exec(window);
    if (y?.[1]) {
      const at = window.indexOf(y[1]);
      out.push({ kind: 'dob', start: from + at, end: from + at + 4 });
    }
  }
  return out;
}

export function findIdentity(text: string, kinds: ReadonlySet<string>): Span[] {
  const spans: Span[] = [];
  if (!/\d/.test(text)) return spans; // every id and date has digits
  if (kinds.has('national_id')) spans.push(...findNationalIds(text));
  if (kinds.has('passport')) spans.push(...findPassports(text));
  if (kinds.has('dob')) spans.push(...findBirthDates(text));
  return spans;
}
