/**
 * The queue of one core: a QueueStore on the core's database, with its changes sent as
 * `job.changed` events and (at most every 250 ms per batch) `batch.progress` events.
 * The composition root (electron/core/services.ts) opens it once per core.
 */
import type { CoreContext } from '../context';
import { QueueStore } from './store';

export { QueueStore, externalIdFor, isContentRefusal, newId, specHash, storyboardIdFor } from './store';
export type { EnqueueOptions, EnqueueResult, JobPatch, JobRow } from './store';

export function openQueue(ctx: CoreContext): QueueStore {
  const s = new QueueStore(ctx.db());
  const pending = new Map<string, NodeJS.Timeout>();
  const progress = (batchId: string): void => {
    if (pending.has(batchId)) return;
    const t = setTimeout(() => {
      pending.delete(batchId);
      try {
        ctx.emit('batch.progress', { batch: s.batch(batchId) });
      } catch {
        // closing
      }
    }, 250);
    t.unref();
    pending.set(batchId, t);
  };
  s.onChange((jobId) => {
    const job = s.jobView(jobId);
    if (!job) return;
    ctx.emit('job.changed', { job });
    progress(job.batchId);
  });
  s.onBatch(progress);
  ctx.onClose(() => {
    for (const t of pending.values()) clearTimeout(t);
    pending.clear();
  });
  return s;
}
