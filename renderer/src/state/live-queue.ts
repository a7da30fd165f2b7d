/**
 * Keeps the job store live for every page (Queue, Takes, the Batch page's morning report):
 * one queue.list at start, then job.changed events. Mounted once, in App.
 */
import { useEffect, useState } from 'react';

import { call, subscribe } from '../lib/api';
import { jobStore } from './jobs';

export function useLiveQueue(): string | null {
  const [error, setError] = useState<string | null>(null);
  useEffect(() => {
    let live = true;
    // upsert, not replace: events that arrive before the list answers are newer than it.
    call('queue.list', {}).then(
      (r) => live && jobStore.upsert(r.jobs.filter((j) => !jobStore.has(j.id))),
      (e: Error) => live && setError(e.message),
    );
    const off = subscribe('job.changed', ({ job }) => jobStore.upsert([job]));
    return () => {
      live = false;
      off();
    };
  }, []);
  return error;
}
