/**
 * Who may call which standard (kling-api.md §4.2, §20): new-standard routes take only API
 * keys (a JWT, well-formed or not, and an unknown key get 401/1002 "does not support AK/SK");
 * legacy `/v1` routes and `/account/*` take API keys and AK/SK JWTs (a non-JWT unknown key gets
 * Kling's "expected to have 3 parts"). A missing header is 1001 on both.
 */
import type { Standard } from '../../../shared/kling/capabilities';
import { looksLikeJwt, verifyJwt, type AuthOutcome, type SandboxCredential } from './jwt';

/** Kling's answer to AK/SK (or anything but a known API key) on the new standard, verbatim [LIVE]. */
export const AKSK_REFUSED =
  'Authentication error. The current API does not support AK/SK; please go to the console (https://kling.ai/dev/api-key) to create API key.';
/** Kling's answer to a garbage bearer on a legacy route, verbatim [LIVE]. */
export const NOT_A_JWT = 'The token was expected to have 3 parts, but got 0';

export interface AuthOptions {
  acceptApiKeys: boolean;
  leewaySec: number;
}

function byApiKey(token: string, accounts: ReadonlyMap<string, SandboxCredential>): SandboxCredential | null {
  for (const acc of accounts.values()) if (acc.apiKey && acc.apiKey === token) return acc;
  return null;
}

export function authenticate(
  standard: Standard,
  header: string | undefined,
  accounts: ReadonlyMap<string, SandboxCredential>,
  nowSec: number,
  opts: AuthOptions,
): AuthOutcome {
  if (header === undefined || header.trim() === '') return { ok: false, code: 1001, message: 'Authorization is empty' };
  const m = /^Bearer ([^\s]+)$/.exec(header);
  if (standard === 'new') {
    const acc = m?.[1] ? byApiKey(m[1], accounts) : null;
    return acc
      ? { ok: true, accessKey: acc.accessKey, claims: {}, via: 'apiKey' }
      : { ok: false, code: 1002, message: AKSK_REFUSED };
  }
  if (!m?.[1])
    return { ok: false, code: 1002, message: "Authorization is invalid: expected 'Bearer <token>' with one space" };
  const token = m[1];
  const acc = opts.acceptApiKeys ? byApiKey(token, accounts) : null;
  if (acc) return { ok: true, accessKey: acc.accessKey, claims: {}, via: 'apiKey' };
  if (!looksLikeJwt(token)) return { ok: false, code: 1002, message: NOT_A_JWT };
  return verifyJwt(token, accounts, nowSec, opts.leewaySec);
}
