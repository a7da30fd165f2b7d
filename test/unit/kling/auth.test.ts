import { createHmac } from 'node:crypto';

import { describe, expect, it } from 'vitest';

import {
  createTokenSource,
  redact,
  redactAuthorization,
  signJwt,
  signWebhook,
  verifyWebhook,
} from '../../../electron/core/kling';

const part = (s: string): Record<string, unknown> =>
  JSON.parse(Buffer.from(s, 'base64url').toString()) as Record<string, unknown>;

describe('JWT (kling-api.md §2.1)', () => {
  it('HS256 with iss = AK, exp = now + 1800, nbf = now - 5, signed with the SK', () => {
    const { token } = signJwt('AK123', 'SK456', 1_700_000_000);
    const [h = '', p = '', s = ''] = token.split('.');
    expect(part(h)).toEqual({ alg: 'HS256', typ: 'JWT' });
    expect(part(p)).toEqual({ iss: 'AK123', exp: 1_700_001_800, nbf: 1_699_999_995 });
    expect(s).toBe(createHmac('sha256', 'SK456').update(`${h}.${p}`).digest('base64url'));
  });

  it('caches the token and re-signs 5 minutes before expiry', () => {
    let t = 1_700_000_000_000;
    const src = createTokenSource({ kind: 'aksk', accessKey: 'AK', secretKey: 'SK' }, { now: () => t });
    const a = src.authorization();
    t += 1000 * (1800 - 301);
    expect(src.authorization()).toBe(a);
    expect(src.signed).toBe(1);
    t += 2000;
    const b = src.authorization();
    expect(b).not.toBe(a);
    expect(src.signed).toBe(2);
    src.invalidate();
    src.authorization();
    expect(src.signed).toBe(3);
  });

  it('signs on the server clock once it knows the offset', () => {
    const src = createTokenSource({ kind: 'aksk', accessKey: 'AK', secretKey: 'SK' }, { now: () => 1_700_000_000_000 });
    src.setClockOffsetMs(-60_000);
    const p = part(src.authorization().split('.')[1] ?? '');
    expect(p.nbf).toBe(1_700_000_000 - 60 - 5);
  });

  it('bearer keys pass through', () => {
    expect(createTokenSource({ kind: 'bearer', apiKey: 'sk-abc' }).authorization()).toBe('Bearer sk-abc');
  });
});

describe('redaction', () => {
  it('shows at most the first 4 and last 4 characters (issue 16 item 7)', () => {
    const jwt = signJwt('AK', 'SK', 1).token;
    expect(redact(jwt)).toBe(`${jwt.slice(0, 4)}…${jwt.slice(-4)}`);
    expect(redact('short')).toBe('…***');
    expect(redact('')).toBe('(empty)');
    expect(redact('sk-0123456789abcdef')).toBe('sk…ef');
    expect(redactAuthorization(`Bearer ${jwt}`)).toBe(`Bearer ${jwt.slice(0, 4)}…${jwt.slice(-4)}`);
  });
});

describe('callback signatures (Standard Webhooks, kling-api.md §4.5 test vector)', () => {
  const secret = 'whsec_dGVzdHNlY3JldHRlc3RzZWNyZXR0ZXN0c2VjcmV0MTI=';
  const body =
    '{"id":"1234567890","status":"succeeded","message":"","create_time":1781080778802,"update_time":1781080794151}';
  it('signs the published vector', () => {
    expect(signWebhook(secret, '9876543210', 1781080794, body)).toBe('v1,UsKlJP00XoQyOn410NM9xv34sP+Gl0jnOO9Lcpr7NJ4=');
  });
  it('verifies within 5 minutes, with rotating secrets, and refuses tampering', () => {
    const headers = {
      'webhook-id': '9876543210',
      'webhook-timestamp': '1781080794',
      'webhook-signature': 'v1,old v1,UsKlJP00XoQyOn410NM9xv34sP+Gl0jnOO9Lcpr7NJ4=',
    };
    expect(verifyWebhook(['whsec_b3RoZXI=', secret], headers, body, 1781080794 + 299)).toBe(true);
    expect(verifyWebhook(secret, headers, body, 1781080794 + 301)).toBe(false);
    expect(verifyWebhook(secret, headers, body.replace('succeeded', 'failed'), 1781080794)).toBe(false);
  });
});
