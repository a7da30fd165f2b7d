/**
 * Kling auth (kling-api.md §2.1, §2.2): AccessKey/SecretKey signed into an HS256 JWT
 * (`iss` = AK, `exp` = now + 1800 s, `nbf` = now - 5 s) and sent as `Bearer <jwt>`; or a
 * bearer API key as is. Tokens are cached and re-signed 5 minutes before they expire.
 */
import { createHmac } from 'node:crypto';

export type KlingCredentials =
  { kind: 'aksk'; accessKey: string; secretKey: string } | { kind: 'bearer'; apiKey: string };

export const JWT_TTL_SEC = 1800;
export const JWT_NBF_SKEW_SEC = 5;
export const JWT_REFRESH_BEFORE_SEC = 300;

const b64url = (s: string | Buffer): string => Buffer.from(s).toString('base64url');

export interface JwtClaims {
  iss: string;
  exp: number;
  nbf: number;
}

export function signJwt(
  accessKey: string,
  secretKey: string,
  nowSec: number,
  ttlSec = JWT_TTL_SEC,
): { token: string; claims: JwtClaims } {
  const claims: JwtClaims = { iss: accessKey, exp: nowSec + ttlSec, nbf: nowSec - JWT_NBF_SKEW_SEC };
  const head = `${b64url(JSON.stringify({ alg: 'HS256', typ: 'JWT' }))}.${b64url(JSON.stringify(claims))}`;
  const sig = createHmac('sha256', Buffer.from(secretKey, 'utf8')).update(head).digest('base64url');
  return { token: `${head}.${sig}`, claims };
}

export interface TokenSource {
  /** The Authorization header value, re-signing when the cached token is near expiry. */
  authorization(): string;
  /** Forget the cached token (after 1003/1004). */
  invalidate(): void;
  /** Server time minus local time, learnt from a `Date` header after 1003/1004. */
  setClockOffsetMs(ms: number): void;
  readonly clockOffsetMs: number;
  /** How many JWTs were signed (tests and benchmarks). */
  readonly signed: number;
}

export function createTokenSource(
  creds: KlingCredentials,
  opts: { now?: () => number; ttlSec?: number; refreshBeforeSec?: number } = {},
): TokenSource {
  const now = opts.now ?? Date.now;
  const ttl = opts.ttlSec ?? JWT_TTL_SEC;
  const before = Math.min(opts.refreshBeforeSec ?? JWT_REFRESH_BEFORE_SEC, Math.floor(ttl / 2));
  let cached: { header: string; exp: number } | null = null;
  let offset = 0;
  let signed = 0;
  return {
    authorization() {
      if (creds.kind === 'bearer') return `Bearer ${creds.apiKey}`;
      const nowSec = Math.floor((now() + offset) / 1000);
      if (!cached || nowSec >= cached.exp - before) {
        const { token, claims } = signJwt(creds.accessKey, creds.secretKey, nowSec, ttl);
        signed++;
        cached = { header: `Bearer ${token}`, exp: claims.exp };
      }
      return cached.header;
    },
    invalidate() {
      cached = null;
    },
    setClockOffsetMs(ms) {
      offset = ms;
      cached = null;
    },
    get clockOffsetMs() {
      return offset;
    },
    get signed() {
      return signed;
    },
  };
}
