/**
 * Check digits of the structured PII the filter validates (shared/privacy/pii.ts): a number
 * that fails its checksum is a look-alike (an order number, a counter) and passes untouched.
 * All functions take the value without separators.
 */

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
export function plausibleIssuer(d: string): boolean {
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
export const IBAN_LENGTHS: Record<string, number> = {
  AD: 24,
  AE: 23,
  AL: 28,
  AT: 20,
  AZ: 28,
  BA: 20,
  BE: 16,
  BG: 22,
  BH: 22,
  BR: 29,
  BY: 28,
  CH: 21,
  CR: 22,
  CY: 28,
  CZ: 24,
  DE: 22,
  DK: 18,
  DO: 28,
  EE: 20,
  EG: 29,
  ES: 24,
  FI: 18,
  FO: 18,
  FR: 27,
  GB: 22,
  GE: 22,
  GI: 23,
  GL: 18,
  GR: 27,
  GT: 28,
  HR: 21,
  HU: 28,
  IE: 22,
  IL: 23,
  IQ: 23,
  IS: 26,
  IT: 27,
  JO: 30,
  KW: 30,
  KZ: 20,
  LB: 28,
  LC: 32,
  LI: 21,
  LT: 20,
  LU: 20,
  LV: 21,
  MC: 27,
  MD: 24,
  ME: 22,
  MK: 19,
  MR: 27,
  MT: 31,
  MU: 30,
  NL: 18,
  NO: 15,
  PK: 24,
  PL: 28,
  PS: 29,
  PT: 25,
  QA: 29,
  RO: 24,
  RS: 22,
  SA: 24,
  SC: 31,
  SE: 24,
  SI: 19,
  SK: 24,
  SM: 27,
  ST: 25,
  SV: 28,
  TL: 23,
  TN: 24,
  TR: 26,
  UA: 29,
  VA: 22,
  VG: 24,
  XK: 20,
};

/** Remainder of a long decimal string mod m, digit by digit (no bigint needed). */
function modDecimal(s: string, m: number): number {
  let rem = 0;
  for (let i = 0; i < s.length; i++) rem = (rem * 10 + (s.charCodeAt(i) - 48)) % m;
  return rem;
}

export function ibanValid(compact: string): boolean {
  const s = compact.toUpperCase();
  const len = IBAN_LENGTHS[s.slice(0, 2)];
  if (!len || s.length !== len || !/^[A-Z]{2}\d{2}[A-Z0-9]+$/.test(s)) return false;
  let digits = '';
  for (const ch of s.slice(4) + s.slice(0, 4)) digits += ch >= 'A' ? String(ch.charCodeAt(0) - 55) : ch;
  return modDecimal(digits, 97) === 1;
}

// Italian codice fiscale: 16 characters, the last a check letter over odd/even position tables.
// Omocodia replaces digits by L M N P Q R S T U V (in that order for 0-9).
const CF_ODD = [1, 0, 5, 7, 9, 13, 15, 17, 19, 21, 2, 4, 18, 20, 11, 3, 6, 8, 12, 14, 16, 10, 22, 25, 24, 23];
const OMOCODE = 'LMNPQRSTUV';

export function codiceFiscaleValid(raw: string): boolean {
  const s = raw.toUpperCase();
  if (!/^[A-Z]{6}[0-9LMNPQRSTUV]{2}[ABCDEHLMPRST][0-9LMNPQRSTUV]{2}[A-Z][0-9LMNPQRSTUV]{3}[A-Z]$/.test(s)) return false;
  let day = '';
  for (const p of [9, 10]) {
    const c = s[p] ?? '';
    day += c >= 'A' ? String(OMOCODE.indexOf(c)) : c;
  }
  const d = Number(day);
  if (!((d >= 1 && d <= 31) || (d >= 41 && d <= 71))) return false;
  let sum = 0;
  for (let i = 0; i < 15; i++) {
    const c = s.charCodeAt(i);
    const v = c <= 57 ? c - 48 : c - 65; // digit value or letter index
    sum += i % 2 === 0 ? (CF_ODD[v] ?? 0) : v;
  }
  return s.charCodeAt(15) - 65 === sum % 26;
}

/** German Steuerliche Identifikationsnummer: 11 digits, ISO 7064 MOD 11,10, one digit repeated 2-3 times in the first 10. */
export function steuerIdValid(d: string): boolean {
  if (!/^[1-9]\d{10}$/.test(d)) return false;
  const counts = new Map<string, number>();
  for (const c of d.slice(0, 10)) counts.set(c, (counts.get(c) ?? 0) + 1);
  const repeated = [...counts.values()].filter((n) => n > 1);
  if (repeated.length !== 1 || (repeated[0] ?? 0) > 3) return false;
  let product = 10;
  for (let i = 0; i < 10; i++) {
    const sum = (d.charCodeAt(i) - 48 + product) % 10 || 10;
    product = (2 * sum) % 11;
  }
  return (11 - product) % 10 === d.charCodeAt(10) - 48;
}

const DNI_LETTERS = 'TRWAGMYFPDXBNJZSQVHLCKE';

/** Spanish DNI (8 digits + letter) and NIE (X/Y/Z + 7 digits + letter): the letter is the number mod 23. */
export function dniNieValid(compact: string): boolean {
  const s = compact.toUpperCase();
  const m = /^([XYZ]?)(\d{7,8})([A-Z])$/.exec(s);
  if (!m) return false;
  const prefix = m[1] ?? '';
  const num = m[2] ?? '';
  if (prefix ? num.length !== 7 : num.length !== 8) return false;
  const n = Number(prefix ? String('XYZ'.indexOf(prefix)) + num : num);
  return DNI_LETTERS[n % 23] === m[3];
}

/** US SSN rules (no check digit): area not 000, 666 or 9xx; group not 00; serial not 0000. */
export function ssnValid(d: string): boolean {
  if (!/^\d{9}$/.test(d)) return false;
  const area = Number(d.slice(0, 3));
  return area !== 0 && area !== 666 && area < 900 && d.slice(3, 5) !== '00' && d.slice(5) !== '0000';
}

/** French NIR (numéro de sécurité sociale): 13 characters + a 2-digit key = 97 - (number mod 97); Corsica 2A/2B. */
export function nirValid(compact: string): boolean {
  const s = compact.toUpperCase();
  if (!/^[12378]\d{4}(?:\d{2}|2A|2B)\d{6}\d{2}$/.test(s)) return false;
  const month = Number(s.slice(3, 5));
  if (!((month >= 1 && month <= 12) || (month >= 20 && month <= 42) || (month >= 50 && month <= 99))) return false;
  let body = s.slice(0, 13);
  let offset = 0;
  if (body.includes('2A')) {
    body = body.replace('2A', '19');
    offset = 1_000_000;
  } else if (body.includes('2B')) {
    body = body.replace('2B', '18');
    offset = 2_000_000;
  }
  const rem = (modDecimal(body, 97) - (offset % 97) + 97) % 97;
  return 97 - rem === Number(s.slice(13));
}

/** UK National Insurance number shape: two prefix letters (with the excluded ones), 6 digits, suffix A-D. */
export function ninoValid(compact: string): boolean {
  const s = compact.toUpperCase();
  if (!/^[A-CEGHJ-PR-TW-Z][A-CEGHJ-NPR-TW-Z]\d{6}[A-D]$/.test(s)) return false;
  return !['BG', 'GB', 'KN', 'NK', 'NT', 'TN', 'ZZ'].includes(s.slice(0, 2));
}
