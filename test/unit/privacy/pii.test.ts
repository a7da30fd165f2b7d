import { describe, expect, it } from 'vitest';

import { compileTerms, filterPrompt, ibanValid, luhnValid } from '../../../shared/privacy/pii';

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
    expect(filterPrompt('a red kite over the sea', { mode: 'block' })).toEqual({ text: 'a red kite over the sea', findings: [], blocked: false });
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
