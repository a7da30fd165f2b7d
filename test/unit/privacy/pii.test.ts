import { describe, expect, it } from 'vitest';

import { privacyContract } from '../../../shared/contract/privacy';
import {
  compileTerms,
  detectPii,
  filterPrompt,
  ibanValid,
  luhnValid,
  maskMiddle,
  PII_TEXT_MAX,
} from '../../../shared/privacy/pii';
import fresh from '../../fixtures/pii/fresh.json' with { type: 'json' };
import old from '../../fixtures/pii/prompts.json' with { type: 'json' };

describe('checksums', () => {
  it('Luhn', () => {
    expect(luhnValid('4111111111111111')).toBe(true);
    expect(luhnValid('4111111111111112')).toBe(false);
    expect(luhnValid('79927398713')).toBe(true);
  });
  it('IBAN mod-97 and country length', () => {
    expect(ibanValid('DE89370400440532013000')).toBe(true);
    expect(ibanValid('DE89370400440532013001')).toBe(false);
    expect(ibanValid('DE8937040044053201300')).toBe(false); // one short
    expect(ibanValid('gb29nwbk60161331926819')).toBe(true);
  });
});

describe('filterPrompt', () => {
  const text = 'Mail jane@example.com, call +44 20 7946 0958, pay 4111 1111 1111 1111 for Acme Corp.';

  it('mask: replaces every finding with its placeholder and reports masked matches', () => {
    const r = filterPrompt(text, { terms: ['acme corp'], mode: 'mask' });
    expect(r.text).toBe('Mail [EMAIL], call [PHONE], pay [CARD] for [REDACTED].');
    expect(r.blocked).toBe(false);
    expect(r.findings.map((f) => f.kind)).toEqual(['email', 'phone', 'card', 'term']);
    // The preview never shows the whole value.
    for (const f of r.findings) expect(text.slice(f.start, f.end)).not.toBe(f.match);
    expect(r.findings[2]?.match).toBe('**** 1111');
  });

  it('block: flags the prompt and never returns the raw text', () => {
    const r = filterPrompt(text, { mode: 'block' });
    expect(r.blocked).toBe(true);
    expect(r.text).not.toContain('jane@example.com');
    expect(filterPrompt('a red kite over the sea', { mode: 'block' })).toEqual({
      text: 'a red kite over the sea',
      findings: [],
      blocked: false,
    });
  });

  it('allow: sends the text unchanged but still reports', () => {
    const r = filterPrompt(text, { mode: 'allow' });
    expect(r.text).toBe(text);
    expect(r.findings).toHaveLength(3);
  });

  it('terms: case-insensitive whole words, Unicode, regex characters are literal, CJK without spaces', () => {
    const re = compileTerms(['Müller GmbH', 'C++ Labs', '北极星']);
    expect('MÜLLER  gmbh'.match(re!)).toBeTruthy();
    expect(filterPrompt('Müllerei GmbH', { terms: ['Müller'] }).findings).toEqual([]);
    expect(filterPrompt('at C++ Labs today', { terms: ['C++ Labs'] }).text).toBe('at [REDACTED] today');
    expect(filterPrompt('新产品北极星发布', { terms: ['北极星'] }).text).toBe('新产品[REDACTED]发布');
    expect(compileTerms(['', '  '])).toBeNull();
  });

  it('an IBAN glued to a following word is still found, the word is not swallowed', () => {
    const r = filterPrompt('IBAN DE89 3704 0044 0532 0130 00 BIC COBADEFFXXX', { mode: 'mask' });
    expect(r.text).toBe('IBAN [IBAN] BIC COBADEFFXXX');
  });

  it('phones after a URI scheme or right after other digits; timecodes and ratios stay', () => {
    expect(filterPrompt('tel:+442079460958').text).toBe('tel:[PHONE]');
    expect(filterPrompt('Tel.:+49 30 1234567').text).toBe('Tel.:[PHONE]');
    expect(filterPrompt('at 10:30 0612345678').text).toBe('at 10:30 [PHONE]');
    expect(filterPrompt('ratio 16:9 at 12:30, tc 01:00:00:00').findings).toEqual([]);
    expect(filterPrompt('IBAN DE89 3704 0044 0532 0130 01 (bad checksum)').findings).toEqual([]);
  });
});

// Issue 16 item 8: what passed the filter untouched before, each reproduced.
describe('normalisation: Unicode variants are found and the original characters are masked', () => {
  it('full-width digits and ＠, zero-width and no-break spaces', () => {
    const fw = filterPrompt('mail ｄａｎａ＠ｅｘａｍｐｌｅ．ｃｏｍ or ＋４４ ２０ ７９４６ ０９５８');
    expect(fw.text).toBe('mail [EMAIL] or [PHONE]');
    const zw = filterPrompt('card 4111\u200b1111\u200b1111\u200b1111 ok');
    expect(zw.text).toBe('card [CARD] ok');
    const nb = filterPrompt('tel\u00a006\u00a012\u00a034\u00a056\u00a078 end');
    expect(nb.text).toBe('tel\u00a0[PHONE] end');
    // Offsets point into the original text.
    const f = zw.findings[0];
    expect(f && 'card 4111\u200b1111\u200b1111\u200b1111 ok'.slice(f.start, f.end)).toBe(
      '4111\u200b1111\u200b1111\u200b1111',
    );
  });
});

describe('structured PII the old filter let through', () => {
  it('dotted card numbers and bare 10-digit phones', () => {
    expect(filterPrompt('card 4111.1111.1111.1111 on the table').text).toBe('card [CARD] on the table');
    expect(filterPrompt('call 2125550198 now').text).toBe('call [PHONE] now');
    expect(filterPrompt('il mio numero 3471234567').text).toBe('il mio numero [PHONE]');
    expect(filterPrompt('order #4471829301, seed 4815162342, tracking number 9405511206213').findings).toEqual([]);
  });

  it('obfuscated emails', () => {
    for (const e of [
      'tom dot baxter at gmail dot com',
      'olivia.grant[at]fastmail[dot]com',
      't.lambert (at) wanadoo.fr',
      'marco punto rossi chiocciola libero punto it',
      'julien point martin arobase orange point fr',
    ]) {
      expect(filterPrompt(`write to ${e} today`).text, e).toBe('write to [EMAIL] today');
    }
    expect(filterPrompt('we meet at noon dot com style').findings).toEqual([]);
  });

  it('national ids with their checksums; a wrong check digit passes', () => {
    const ok = [
      'RSSMRA85T10A562S',
      '86095742719',
      'AB 12 34 56 C',
      '12345678Z',
      'X1234567L',
      '123-45-6789',
      '1 85 05 78 006 084 91',
    ];
    for (const id of ok) expect(filterPrompt(`id ${id} end`).text, id).toBe('id [ID] end');
    const bad = ['RSSMRA85T10A562T', '86095742718', '12345678A', 'X1234567A', '666-45-6789', '1 85 05 78 006 084 92'];
    for (const id of bad)
      expect(
        filterPrompt(`ref ${id} end`).findings.filter((f) => f.kind === 'national_id'),
        id,
      ).toEqual([]);
  });

  it('passport numbers and dates of birth only in context', () => {
    expect(filterPrompt('Passport no. C01X00T47 on the desk').text).toBe('Passport no. [PASSPORT] on the desk');
    expect(filterPrompt('born 04/17/1982 in Ohio').text).toBe('born [DOB] in Ohio');
    expect(filterPrompt('nata il 5 maggio 1978, ritratto').text).toBe('nata il [DOB], ritratto');
    expect(filterPrompt('festival on 12/05/2025, a 1987 commercial, C01X00T47').findings).toEqual([]);
  });
});

describe('names and addresses: flagged for the user, not masked by default', () => {
  const text = 'Mrs. Eleanor Vance waits at 12 rue des Lilas, 75020 Paris, card 4111 1111 1111 1111';
  it('mask mode masks the card and reports the name and address as flagged', () => {
    const r = filterPrompt(text);
    expect(r.text).toBe('Mrs. Eleanor Vance waits at 12 rue des Lilas, 75020 Paris, card [CARD]');
    expect(r.findings.map((f) => [f.kind, f.flagged])).toEqual([
      ['name', true],
      ['address', true],
      ['card', false],
    ]);
  });
  it('maskFlagged masks them too; block mode does not block on names alone', () => {
    expect(filterPrompt(text, { maskFlagged: true }).text).toBe('Mrs. [NAME] waits at [ADDRESS], card [CARD]');
    expect(filterPrompt('A fisherman named Salvatore mends nets', { mode: 'block' }).blocked).toBe(false);
    expect(filterPrompt('A fisherman named Salvatore mends nets', { mode: 'block', maskFlagged: true }).blocked).toBe(
      true,
    );
  });
});

describe('prompt syntax is never flagged', () => {
  it.each([
    '@element_dog runs; shot 1, 3, 5; @hero turns',
    'timecode 00:02:14:08, cut at 1:23',
    '1080p, 4k, 2160p, 1920x1080, 3840 x 2160',
    '24fps, 23.976 fps, 120 fps, 25 i/s',
    '35mm, 24-70mm f/2.8, f/1.4, 1/250s, ISO 800',
    'the year 1999, in 2049, the 1980s',
    'Piazza San Marco at dawn, the Golden Gate Bridge, ARRI Alexa',
  ])('%s', (t) => {
    expect(filterPrompt(t).findings).toEqual([]);
  });
});

// Issue 16 item 7.
describe('masks show at most the first and last 4 characters, and never more than a third', () => {
  it('maskMiddle', () => {
    expect(maskMiddle('abcdefghijklmnopqrstuvwxyz', 9, 9)).toBe('abcd******************wxyz');
    expect(maskMiddle('abcdef', 3, 3)).toBe('a****f');
    expect(maskMiddle('ab', 1, 1)).toBe('**');
  });
  it('every finding on both labelled sets', () => {
    const texts = [...fresh.items.map((i) => i.text), ...old.items.map((i) => i.text)];
    let n = 0;
    for (const text of texts) {
      for (const f of detectPii(text, { terms: old.terms })) {
        const value = text
          .slice(f.start, f.end)
          .normalize('NFKC')
          .replace(/[^\p{L}\p{N}]/gu, '');
        const shown = f.match.replace(/[^\p{L}\p{N}]/gu, '');
        expect(shown.length, `${f.kind} ${f.match}`).toBeLessThanOrEqual(Math.min(8, Math.ceil(value.length / 3)));
        n++;
      }
    }
    expect(n).toBeGreaterThan(400);
  });
});

describe('the PII preview is capped at the prompt limit', () => {
  const input = privacyContract['privacy.pii.preview'].input;
  it('takes a prompt of the limit and refuses a longer one, naming the field and the fix', () => {
    expect(PII_TEXT_MAX).toBe(2500);
    expect(input.safeParse({ text: 'a'.repeat(PII_TEXT_MAX) }).success).toBe(true);
    const r = input.safeParse({ text: 'a'.repeat(PII_TEXT_MAX + 1) });
    expect(r.success).toBe(false);
    expect(r.error?.issues[0]?.message).toBe('text: at most 2500 characters (the prompt limit); shorten the prompt');
  });
  it('hostile texts of the limit finish (bounded patterns; timing in npm run bench -- privacy)', () => {
    const hostile = [
      'a'.repeat(PII_TEXT_MAX),
      'a.'.repeat(PII_TEXT_MAX / 2),
      '1 '.repeat(PII_TEXT_MAX / 2),
      'a@b.'.repeat(PII_TEXT_MAX / 4),
      'x dot '.repeat(PII_TEXT_MAX / 6),
      'Anna '.repeat(PII_TEXT_MAX / 5),
      '12 rue '.repeat(PII_TEXT_MAX / 7),
      'born 1'.repeat(PII_TEXT_MAX / 6),
      '\u200b1'.repeat(PII_TEXT_MAX / 2),
    ];
    for (const t of hostile) expect(Array.isArray(filterPrompt(t).findings)).toBe(true);
  });
});
