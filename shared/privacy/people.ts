/**
 * Person names and postal addresses on normalised text (shared/privacy/normalize.ts), flagged
 * for the user's decision (shared/privacy/kinds.ts FLAGGED_KINDS), by hand rules:
 * - a name is capitalised words after a title or kinship word (Mr., Frau, Mme, Sra., sig.ra,
 *   nonna, ...) or an introducing word (named, namens, nommé, llamado, di nome, ...), or a known
 *   given name (shared/privacy/names-data.ts) alone or followed by a surname; never after `@`
 *   (element references), never after a saint/place prefix (San Miguel, Saint-Michel);
 * - an address is a house number with a street word in the order of its language (742 Maple
 *   Avenue, 12 rue des Lilas, Lindenstraße 14, Via Garibaldi 12, Calle Mayor 15, Rua Augusta 120,
 *   Prinsengracht 263), extended by a flat and a postcode with its town when they follow.
 * One tokenising pass and bounded patterns: linear in the text length.
 */
import type { Span } from './kinds';
import {
  AMBIGUOUS_NAMES,
  GIVEN_NAMES,
  INTRO_CUES,
  NAME_TITLES,
  NOT_NAME_WORDS,
  PARTICLES,
  PLACE_PREFIXES,
} from './names-data';

// ---------------------------------------------------------------- names

interface Token {
  start: number;
  end: number;
  /** Lower case without a trailing dot. */
  key: string;
  /** Lower case as written (with a trailing dot: "dr.", "sig.ra"). */
  raw: string;
  cap: boolean;
}

const TOKEN_RE = /(?<![\p{L}\p{M}\p{N}@#_/\\])\p{L}[\p{L}\p{M}]*(?:[.'’-]\p{L}[\p{L}\p{M}]*){0,4}\.?(?![\p{N}_@])/gu;
const UPPER = /^\p{Lu}/u;
const INTRO_RE = new RegExp(
  `(?:^|[^\\p{L}])(?:${INTRO_CUES.map((c) => c.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')).join('|')})\\s{1,2}$`,
  'iu',
);

function tokenize(text: string): Token[] {
  const out: Token[] = [];
  for (const m of text.matchAll(TOKEN_RE)) {
    const raw = m[0].toLowerCase();
    out.push({ start: m.index, end: m.index + m[0].length, raw, key: raw.replace(/\.$/, ''), cap: UPPER.test(m[0]) });
  }
  return out;
}

const isTitle = (t: Token): boolean => NAME_TITLES.has(t.raw) || NAME_TITLES.has(t.key);
const nameLike = (t: Token): boolean => t.cap && !NOT_NAME_WORDS.has(t.key) && !isTitle(t) && t.key.length > 1;

function findNames(text: string): Span[] {
  const tokens = tokenize(text);
  const out: Span[] = [];
  const joined = (a: Token, b: Token): boolean => /^[ \t]{1,2}$/.test(text.slice(a.end, b.start));
  for (let i = 0; i < tokens.length; i++) {
    const t = tokens[i];
    if (!t || !nameLike(t)) continue;
    const prev = i > 0 ? tokens[i - 1] : undefined;
    const prevJoined = prev !== undefined && /^[ \t]{1,2}$|^-$/.test(text.slice(prev.end, t.start));
    if (prev && prevJoined && PLACE_PREFIXES.has(prev.key)) continue;
    const cue =
      (prev !== undefined && joined(prev, t) && isTitle(prev)) ||
      INTRO_RE.test(text.slice(Math.max(0, t.start - 24), t.start));
    // Surname: up to three more capitalised words, with particles (de Vries, van der Berg).
    let j = i;
    for (let n = 0; n < 3; n++) {
      const next = tokens[j + 1];
      const cur = tokens[j];
      if (!next || !cur || !joined(cur, next)) break;
      if (nameLike(next) && !GIVEN_NAMES.has(next.key)) {
        j++;
        continue;
      }
      if (nameLike(next) && GIVEN_NAMES.has(next.key) && n === 0 && !cue) {
        // "Anna Maria Rossi": a second given name is part of the name when a surname follows.
        const after = tokens[j + 2];
        if (after && joined(next, after) && nameLike(after)) {
          j++;
          continue;
        }
        break;
      }
      const after = tokens[j + 2];
      if (PARTICLES.has(next.raw) && after && joined(next, after) && nameLike(after)) {
        j += 2;
        continue;
      }
      break;
    }
    const given = GIVEN_NAMES.has(t.key);
    const accept = cue || (given && j > i) || (given && !AMBIGUOUS_NAMES.has(t.key));
    if (!accept) continue;
    const last = tokens[j] ?? t;
    // A possessive 's is not part of the name.
    const end = /['’]s$/.test(text.slice(last.start, last.end)) ? last.end - 2 : last.end;
    out.push({ kind: 'name', start: t.start, end });
    i = j;
  }
  return out;
}

// ---------------------------------------------------------------- addresses

/** `rue` -> `[Rr]ue`: the street word in either case at the start. */
const ci = (w: string): string => {
  const c = w[0] ?? '';
  return c.toLowerCase() !== c.toUpperCase()
    ? `[${c.toUpperCase()}${c.toLowerCase()}]${w.slice(1).replace(/\./g, '\\.')}`
    : w.replace(/\./g, '\\.');
};
const CAP = String.raw`\p{Lu}[\p{L}\p{M}'’-]*`;
const NUM = String.raw`\d{1,4}(?:\s?[A-Za-z](?![\p{L}]))?`;

const EN_STREET =
  'Street|St\\.?|Avenue|Ave\\.?|Road|Rd\\.?|Lane|Ln\\.?|Boulevard|Blvd\\.?|Drive|Dr\\.?|Way|Court|Ct\\.?|Place|Pl\\.?|Terrace|Close|Crescent|Row|Mews|Square|Sq\\.?|Parkway|Pkwy\\.?|Highway|Hwy\\.?|Grove|Gardens|Walk|Hill';
const FR_STREET = [
  'rue',
  'avenue',
  'av.',
  'boulevard',
  'bd',
  'place',
  'chemin',
  'allée',
  'impasse',
  'quai',
  'cours',
  'route',
  'square',
  'passage',
  'esplanade',
  'sentier',
  'villa',
]
  .map(ci)
  .join('|');
const ROMANCE_WORDS = [
  'via',
  'viale',
  'piazza',
  'piazzale',
  'corso',
  'largo',
  'vicolo',
  'lungomare',
  'strada',
  'contrada',
  'calle',
  'avenida',
  'avda.',
  'avda',
  'plaza',
  'paseo',
  'passeig',
  'carrer',
  'camino',
  'ronda',
  'travesía',
  'rua',
  'travessa',
  'praça',
  'alameda',
  'estrada',
  'rambla',
];
// "via", "corso" and "largo" are also everyday words ("via Zoom 2"): in lower case a street
// word counts only after a locative word (abita in via Roma 3), checked in findAddresses.
const ROMANCE_STREET = ROMANCE_WORDS.map(ci).join('|');
const LOCATIVE_BEFORE =
  /(?:^|[^\p{L}])(?:in|a|di|da|en|na|no|em|la|de|del|della|alla|nella|sulla|vive|abita|sta|vivo|abito)\s{1,2}$/iu;
const ROMANCE_LINK = "(?:de la|de las|de los|del|de|dei|delle|della|degli|dello|di|da|do|dos|das|d'|dell')";
// Lindenstraße 14, Rosenweg 5a, Prinsengracht 263, Dorpsstraat 8: a capitalised word before a
// number, kept when it ends in a street suffix (checked in code: one regex pass, no backtracking
// through the suffixes at every capital).
const GERMANIC_SUFFIXES =
  'straße strasse str. weg allee gasse platz ring damm ufer chaussee steig pfad markt gracht straat laan plein kade singel dijk steeg hof kai'.split(
    ' ',
  );
const GERMANIC_RE = new RegExp(String.raw`(?<![\p{L}\p{N}])\p{Lu}[\p{L}\p{M}-]{1,40}\.?\s{1,2}${NUM}(?![\p{N}])`, 'gu');
const germanicStreet = (m: string): boolean => {
  const word = (/^[\p{L}\p{M}.-]+/u.exec(m)?.[0] ?? '').toLowerCase();
  return GERMANIC_SUFFIXES.some((suffix) => word.length > suffix.length && word.endsWith(suffix));
};

// Via Garibaldi 12, Corso Vittorio Emanuele II 154, Calle de Toledo 64, C/ Alcalá 120, Rua Augusta 120
const ROMANCE_RE = new RegExp(
  String.raw`(?<![\p{L}\p{N}])(?:(?:${ROMANCE_STREET})\s{1,2}|C\/\s{0,2})(?:${ROMANCE_LINK}\s{0,2})?${CAP}(?:\s{1,2}(?:${CAP}|[IVX]{1,4}|${ROMANCE_LINK})){0,4},?\s{1,2}${NUM}(?![\p{N}])`,
  'gu',
);

const ADDRESS_RES: RegExp[] = [
  // 742 Maple Grove Avenue, 221B Baker Street
  new RegExp(
    String.raw`(?<![\p{L}\p{N}])\d{1,5}[A-Za-z]?\s{1,2}(?:${CAP}\s{1,2}){1,3}(?:${EN_STREET})(?![\p{L}])`,
    'gu',
  ),
  // 12 rue des Lilas, 8 avenue Jean Jaurès, 3 bis boulevard Victor Hugo
  new RegExp(
    String.raw`(?<![\p{L}\p{N}])\d{1,4}(?:\s?(?:bis|ter))?,?\s{1,2}(?:${FR_STREET})\s{1,2}(?:(?:de la|de l'|des|du|de|d'|l'|la|le|les)\s{0,2})?${CAP}(?:\s{1,2}(?:${CAP}|de|du|des|la|le|et|l')){0,4}`,
    'gu',
  ),
  ROMANCE_RE,
  GERMANIC_RE,
];
// Am Markt 3, 04109 Leipzig: only with the postcode after it ("Im Hintergrund 3 Personen" is prose).
const PREP_ADDRESS_RE = new RegExp(
  String.raw`(?<![\p{L}\p{N}])(?:Am|An der|An den|Auf der|Auf dem|Im|In der|Zum|Zur|Unter den|Hinter der)\s{1,2}${CAP}\s{1,2}\d{1,3}[a-z]?,?\s{1,2}\d{5}\s{1,2}\p{Lu}[\p{L}\p{M}-]*`,
  'gu',
);

// What may follow a street: a flat, then a postcode with its town (DE/FR/IT/ES 5 digits, PT
// 4-3, NL 4 digits + 2 letters, UK outward + inward code, US state + ZIP).
const UNIT = String.raw`(?:,?\s{1,2}(?:Apt\.?|Apartment|Flat|Suite|Unit|Wohnung|Piso|Bajo|Interno|int\.|\d{1,2}º)\s{0,2}[\p{L}\d]{1,4})?`;
const CITY = String.raw`\p{Lu}[\p{L}\p{M}-]*`;
const POSTAL = [
  String.raw`\d{5}\s{1,2}${CITY}(?:\s{1,2}(?:am|an|im|de|del|sur|${CITY})){0,3}`,
  String.raw`\d{4}-\d{3}\s{1,2}${CITY}`,
  String.raw`\d{4}\s?[A-Z]{2}\s{1,2}${CITY}(?:\s{1,2}${CITY})?`,
  String.raw`${CITY}(?:\s${CITY})?\s{1,2}[A-Z]{1,2}\d[A-Z\d]?\s?\d[A-Z]{2}`,
  String.raw`${CITY}(?:\s${CITY}){0,2},\s{1,2}[A-Z]{2}\s{1,2}\d{5}(?:-\d{4})?`,
].join('|');
const TAIL_RE = new RegExp(String.raw`${UNIT}(?:,?\s{1,2}(?:${POSTAL}))?`, 'uy');

function findAddresses(text: string): Span[] {
  const out: Span[] = [];
  if (!/\d/.test(text)) return out; // every form has a house number
  for (const re of ADDRESS_RES) {
    for (const m of text.matchAll(re)) {
      if (re === GERMANIC_RE && !germanicStreet(m[0])) continue;
      if (
        re === ROMANCE_RE &&
        /^\p{Ll}/u.test(m[0]) &&
        !LOCATIVE_BEFORE.test(text.slice(Math.max(0, m.index - 12), m.index))
      )
        continue;
      let end = m.index + m[0].length;
      TAIL_RE.lastIndex = end;
      const tail = TAIL_RE.exec(text);
      if (tail) end += tail[0].length;
      out.push({ kind: 'address', start: m.index, end });
    }
  }
  for (const m of text.matchAll(PREP_ADDRESS_RE))
    out.push({ kind: 'address', start: m.index, end: m.index + m[0].length });
  return out;
}

export function findPeople(text: string, kinds: ReadonlySet<string>): Span[] {
  const spans: Span[] = [];
  if (kinds.has('address')) spans.push(...findAddresses(text));
  if (kinds.has('name')) spans.push(...findNames(text));
  return spans;
}
