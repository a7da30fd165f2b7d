/**
 * The Batch page's choices per storyboard (budget cap, PII decision), kept in localStorage by
 * storyboard name, so switching storyboards does not carry one project's cap to another.
 */
import { useCallback, useState } from 'react';

export type PiiChoice = 'mask' | 'block' | 'allow';
export interface BatchPrefs {
  /** The cap as typed ('' = none). */
  budget: string;
  /** null = the mode in privacy settings. */
  pii: PiiChoice | null;
}

const KEY = 'shotline.batchPrefs.v1';
const EMPTY: BatchPrefs = { budget: '', pii: null };

function readAll(): Record<string, BatchPrefs> {
  try {
    const v = JSON.parse(localStorage.getItem(KEY) ?? '{}') as unknown;
    return v && typeof v === 'object' && !Array.isArray(v) ? (v as Record<string, BatchPrefs>) : {};
  } catch {
    return {};
  }
}

export function loadBatchPrefs(storyboard: string): BatchPrefs {
  const p = readAll()[storyboard];
  if (!p) return EMPTY;
  return {
    budget: typeof p.budget === 'string' ? p.budget : '',
    pii: p.pii === 'mask' || p.pii === 'block' || p.pii === 'allow' ? p.pii : null,
  };
}

export function saveBatchPrefs(storyboard: string, prefs: BatchPrefs): void {
  try {
    localStorage.setItem(KEY, JSON.stringify({ ...readAll(), [storyboard]: prefs }));
  } catch {
    // Storage full or off: the choice lasts for this visit only.
  }
}

export function useBatchPrefs(storyboard: string): [BatchPrefs, (patch: Partial<BatchPrefs>) => void] {
  const [state, setState] = useState(() => ({ of: storyboard, prefs: loadBatchPrefs(storyboard) }));
  // Another storyboard: its own stored choices (the state catches up on the next change).
  const prefs = state.of === storyboard ? state.prefs : loadBatchPrefs(storyboard);
  const update = useCallback(
    (patch: Partial<BatchPrefs>) =>
      setState((s) => {
        const next = { ...(s.of === storyboard ? s.prefs : loadBatchPrefs(storyboard)), ...patch };
        saveBatchPrefs(storyboard, next);
        return { of: storyboard, prefs: next };
      }),
    [storyboard],
  );
  return [prefs, update];
}
