/**
 * A counter that moves 400 ms after the last job or batch event: a page that reloads a report on
 * it (the Batch page's morning report, the Report page) asks the core once per burst of events.
 */
import { useEffect, useState } from 'react';

import { subscribe } from '../lib/api';

export function useQueueTick(): number {
  const [tick, setTick] = useState(0);
  useEffect(() => {
    let pending: ReturnType<typeof setTimeout> | null = null;
    const bump = (): void => {
      pending ??= setTimeout(() => {
        pending = null;
        setTick((n) => n + 1);
      }, 400);
    };
    const offs = [subscribe('batch.progress', bump), subscribe('job.changed', bump)];
    return () => {
      for (const off of offs) off();
      if (pending) clearTimeout(pending);
    };
  }, []);
  return tick;
}
