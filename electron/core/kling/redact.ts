/** Secrets in logs: at most the first 8 and last 4 characters (DESIGN §5). */
export function redact(secret: string): string {
  if (secret.length <= 12) return '*'.repeat(Math.min(secret.length, 4)) || '(empty)';
  if (secret.length <= 24) return `${secret.slice(0, 4)}…${secret.slice(-2)}`;
  return `${secret.slice(0, 8)}…${secret.slice(-4)}`;
}

/** `Bearer eyJhbGci…Xk9w` for an Authorization header value. */
export function redactAuthorization(value: string): string {
  const m = /^(\S+)\s+(.*)$/.exec(value);
  return m ? `${m[1]} ${redact(m[2] ?? '')}` : redact(value);
}
