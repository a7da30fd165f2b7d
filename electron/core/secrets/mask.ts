/**
 * How a key (or any secret) is shown anywhere outside the keychain: at most the first 4 and the
 * last 4 characters, and never more than a third of it (docs/readme/privacy.md, issue 16 item 7).
 * Keys of 24+ characters show 4 + 4, keys of 12-23 show 2 + 2, shorter ones nothing.
 * Log redaction (electron/core/kling/redact.ts) uses the same rule.
 */
export function maskSecret(s: string): string {
  const chars = [...s];
  const n = chars.length;
  if (n >= 24) return `${chars.slice(0, 4).join('')}…${chars.slice(-4).join('')}`;
  if (n >= 12) return `${chars.slice(0, 2).join('')}…${chars.slice(-2).join('')}`;
  return '…'.padEnd(Math.min(Math.max(n, 1), 4), '*');
}
