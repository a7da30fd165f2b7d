/**
 * Keeps the job and batch stores live for every page (Queue, Takes, the Batch page's morning
 * report): one queue.list and queue.batches at start, then job.changed and batch.progress
 * events. A new batch's jobs are created queued without a job.changed each (enqueue of 10,000
 * takes stays one transaction); its batch.progress says how many it has, and the jobs the
 * store does not hold yet are listed then. Mounted once, in App.
 */
import { useEffect, useState } from 'react';

import { call, subscribe } from '../lib/api';
import { batchStore, jobStore } from './jobs';

export function useLiveQueue(): string | null {
  const [error, setError] = useState<string | null>(null);
  useEffect(() => {
    let live = true;
    const fail = (e: Error): void => {
      if (live) setError(e.message);
    };
    // upsert, not replace: events that arrive before a list answers are newer than it.
    const addMissing = (jobs: Parameters<typeof jobStore.upsert>[0]): void => {
      if (live) jobStore.upsert(jobs.filter((j) => !jobStore.has(j.id)));
    };
    // A rerun moves takes that never reached Kling into the new batch without a job.changed
    // (electron/core/queue/store.ts, enqueue): a batch's list also updates their batch.
    const addMissingOrMoved = (jobs: Parameters<typeof jobStore.upsert>[0]): void => {
      if (live) jobStore.upsert(jobs.filter((j) => jobStore.get(j.id)?.batchId !== j.batchId));
    };
    const listing = new Set<string>();
    const fill = (batchId: string, total: number): void => {
      if (listing.has(batchId) || jobStore.countIn(batchId) >= total) return;
      listing.add(batchId);
      call('queue.list', { batchId }).then(
        (r) => {
          listing.delete(batchId);
          addMissingOrMoved(r.jobs);
        },
        (e: Error) => {
          listing.delete(batchId);
          fail(e);
        },
      );
    };
    // Listen first, then list: an event that lands before a list answers is newer than it.
    const offJob = subscribe('job.changed', ({ job }) => jobStore.upsert([job]));
    const offBatch = subscribe('batch.progress', ({ batch }) => {
      batchStore.upsert([batch]);
      fill(batch.id, batch.total);
    });
    call('queue.list', {}).then((r) => addMissing(r.jobs), fail);
    call('queue.batches', {}).then((r) => live && batchStore.upsert(r.batches), fail);
    return () => {
      live = false;
      offJob();
      offBatch();
    };
  }, []);
  return error;
}
