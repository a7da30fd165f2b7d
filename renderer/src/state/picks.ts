/** The picked take of each shot (shot id -> local clip file), kept in localStorage. */
import { useCallback, useState } from 'react';

const KEY = 'shotline.picks.v1';

function load(): Record<string, string> {
  try {
    return JSON.parse(localStorage.getItem(KEY) ?? '{}') as Record<string, string>;
  } catch {
    return {};
  }
}

export function usePicks(): [Record<string, string>, (shotId: string, file: string | null) => void] {
  const [picks, setPicks] = useState(load);
  const pick = useCallback((shotId: string, file: string | null) => {
    setPicks((p) => {
      const next = { ...p };
      if (file) next[shotId] = file;
      else delete next[shotId];
      localStorage.setItem(KEY, JSON.stringify(next));
      return next;
    });
  }, []);
  return [picks, pick];
}
