/**
 * The sandbox's auth check, strict per kling-api.md §2.1 / §10: missing header -> 1001;
 * not `Bearer <token>`, malformed token, wrong alg, bad signature or missing exp -> 1002;
 * unknown access key or API key -> 1000; `nbf` in the future -> 1003; `exp` passed -> 1004.
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

export function verifyAuthorization(
  header: string | undefined,
  accounts: ReadonlyMap<string, SandboxCredential>,
  nowSec: number,
  opts: { acceptApiKeys: boolean; leewaySec: number },
): AuthOutcome {
  if (header === undefined || header.trim() === '') return { ok: false, code: 1001, message: 'Authorization is empty' };
  const m = /^Bearer ([^\s]+)$/.exec(header);
  if (!m?.[1]) return { ok: false, code: 1002, message: "Authorization is invalid: expected 'Bearer <token>' with one space" };
  const token = m[1];
  const parts = token.split('.');
  if (parts.length !== 3) {
    if (opts.acceptApiKeys && parts.length === 1) {
      for (const acc of accounts.values()) {
        if (acc.apiKey && acc.apiKey === token) return { ok: true, accessKey: acc.accessKey, claims: {}, via: 'apiKey' };
      }
      return { ok: false, code: 1000, message: 'authentication failed: unknown API key' };
    }
    return { ok: false, code: 1002, message: 'Authorization is invalid: the token is not a JWT' };
  }
  const [h = '', p = '', s = ''] = parts;
  const head = decodeJson(h);
  const claims = decodeJson(p);
  if (!head || !claims) return { ok: false, code: 1002, message: 'Authorization is invalid: the JWT header or payload is not base64url JSON' };
  if (head.alg !== 'HS256') return { ok: false, code: 1002, message: `Authorization is invalid: alg must be HS256, got ${String(head.alg)}` };
  const iss = claims.iss;
  if (typeof iss !== 'string') return { ok: false, code: 1002, message: 'Authorization is invalid: iss (the access key) is missing' };
  const acc = accounts.get(iss);
  if (!acc) return { ok: false, code: 1000, message: 'authentication failed: unknown access key' };
  const want = createHmac('sha256', Buffer.from(acc.secretKey, 'utf8')).update(`${h}.${p}`).digest();
  const got = Buffer.from(s, 'base64url');
  if (got.length !== want.length || !timingSafeEqual(got, want)) {
    return { ok: false, code: 1002, message: 'Authorization is invalid: signature does not verify' };
  }
  const { exp, nbf } = claims;
  if (typeof exp !== 'number') return { ok: false, code: 1002, message: 'Authorization is invalid: exp is missing' };
  if (nbf !== undefined && typeof nbf !== 'number') return { ok: false, code: 1002, message: 'Authorization is invalid: nbf is not a number' };
  if (typeof nbf === 'number' && nowSec + opts.leewaySec < nbf) return { ok: false, code: 1003, message: 'token is not yet valid (nbf is in the future)' };
  if (nowSec - opts.leewaySec >= exp) return { ok: false, code: 1004, message: 'token has expired' };
  return { ok: true, accessKey: acc.accessKey, claims, via: 'jwt' };
}
