import { maskSecret } from '../secrets/mask';

/** Secrets in logs: the rule of electron/core/secrets/mask.ts (at most the first and last 4 characters). */
export function redact(secret: string): string {
  return secret.length ? maskSecret(secret) : '(empty)';
}

/** `Bearer eyJh…Xk9w` for an Authorization header value. */
export function redactAuthorization(value: string): string {
  const m = /^(\S+)\s+(.*)$/.exec(value);
  return m ? `${m[1]} ${redact(m[2] ?? '')}` : redact(value);
}
