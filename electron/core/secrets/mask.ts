/**
 * How a key is shown anywhere outside the keychain: first 8 and last 4 characters
 * (DESIGN.md section 5). Short keys show less, so a mask never reveals half a key.
 */
export function maskSecret(s: string): string {
  if (s.length >= 24) return `${s.slice(0, 8)}…${s.slice(-4)}`;
  if (s.length >= 12) return `${s.slice(0, 3)}…${s.slice(-2)}`;
  return '…'.padEnd(Math.min(Math.max(s.length, 1), 4), '*');
}
