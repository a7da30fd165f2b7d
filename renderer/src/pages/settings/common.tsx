/**
 * What every Settings section (../SettingsPage.tsx) shares: its own error, shown under it.
 */
import { useState } from 'react';

export function useError(): [string | null, (e: unknown) => void, () => void] {
  const [err, setErr] = useState<string | null>(null);
  return [err, (e: unknown) => setErr((e as Error).message ?? String(e)), () => setErr(null)];
}

export function Alert({ text }: { text: string | null }): React.JSX.Element | null {
  return text ? (
    <p role="alert" className="error">
      {text}
    </p>
  ) : null;
}
