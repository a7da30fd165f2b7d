/**
 * Which Kling account an element lives in (elements are per account at Kling, kling-api.md §7):
 * provider, host and key profile (or, without one, the credential kind). Never a key. The
 * built-in sandbox (a new port each run, its state in the data dir) is one account per data dir.
 */
import type { ProviderId } from '../../../shared/kling/providers';

export interface AccountParts {
  provider: ProviderId;
  /** host[:port] of the base URL; null for the built-in sandbox. */
  host: string | null;
  profile: string | undefined | null;
  credentialKind: 'aksk' | 'bearer';
}

export function accountKey(a: AccountParts): string {
  return `${a.provider}@${a.host ?? 'built-in'}/${a.profile ? `profile:${a.profile}` : a.credentialKind === 'aksk' ? 'access-key' : 'api-key'}`;
}
