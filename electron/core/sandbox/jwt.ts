/**
 * AK/SK tokens as Kling's legacy standard checks them (kling-api.md §4.2): RFC 7519 HS256,
 * signed with the secret key as raw UTF-8. Which credential a route takes is auth.ts.
 */
import { createHmac, timingSafeEqual } from 'node:crypto';

export interface SandboxCredential {
  accessKey: string;
  secretKey: string;
  apiKey?: string;
}

export type AuthOutcome =
  | { ok: true; accessKey: string; claims: Record<string, unknown>; via: 'jwt' | 'apiKey' }
  | { ok: false; code: 1000 | 1001 | 1002 | 1003 | 1004; message: string };

function decodeJson(part: string): Record<string, unknown> | null {
  try {
    const v: unknown = JSON.parse(Buffer.from(part, 'base64url').toString('utf8'));
    return v && typeof v === 'object' && !Array.isArray(v) ? (v as Record<string, unknown>) : null;
  } catch {
    return null;
  }
}

/**
 * Verifies an HS256 JWT (`iss` = access key, signed with the secret key): bad shape, alg or
 * signature -> 1002; unknown access key -> 1000; `nbf` in the future -> 1003; `exp` passed -> 1004.
 */
export function verifyJwt(
  token: string,
  accounts: ReadonlyMap<string, SandboxCredential>,
  nowSec: number,
  leewaySec: number,
): AuthOutcome {
  const [h = '', p = '', s = ''] = token.split('.');
  const head = decodeJson(h);
  const claims = decodeJson(p);
  if (!head || !claims)
    return {
      ok: false,
      code: 1002,
      message: 'Authorization is invalid: the JWT header or payload is not base64url JSON',
    };
  if (head.alg !== 'HS256')
    return { ok: false, code: 1002, message: `Authorization is invalid: alg must be HS256, got ${String(head.alg)}` };
  const iss = claims.iss;
  if (typeof iss !== 'string')
    return { ok: false, code: 1002, message: 'Authorization is invalid: iss (the access key) is missing' };
  const acc = accounts.get(iss);
  if (!acc) return { ok: false, code: 1000, message: 'authentication failed: unknown access key' };
  const want = createHmac('sha256', Buffer.from(acc.secretKey, 'utf8')).update(`${h}.${p}`).digest();
  const got = Buffer.from(s, 'base64url');
  if (got.length !== want.length || !timingSafeEqual(got, want)) {
    return { ok: false, code: 1002, message: 'Authorization is invalid: signature does not verify' };
  }
  const { exp, nbf } = claims;
  if (typeof exp !== 'number') return { ok: false, code: 1002, message: 'Authorization is invalid: exp is missing' };
  if (nbf !== undefined && typeof nbf !== 'number')
    return { ok: false, code: 1002, message: 'Authorization is invalid: nbf is not a number' };
  if (typeof nbf === 'number' && nowSec + leewaySec < nbf)
    return { ok: false, code: 1003, message: 'token is not yet valid (nbf is in the future)' };
  if (nowSec - leewaySec >= exp) return { ok: false, code: 1004, message: 'token has expired' };
  return { ok: true, accessKey: acc.accessKey, claims, via: 'jwt' };
}

/** Three base64url parts whose first decodes to a JSON header: a JWT, whoever signed it. */
export function looksLikeJwt(token: string): boolean {
  const parts = token.split('.');
  return parts.length === 3 && decodeJson(parts[0] ?? '') !== null;
}
