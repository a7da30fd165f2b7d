/**
 * queue.* : enqueue a storyboard and act on jobs and batches; every change reaches the
 * renderer as job.changed (queue/index.ts). Starting the engine on enqueue is wired by the
 * engine (electron/core/engine) through `onEnqueued`.
 */
import type { Handlers, queueContract } from '../../../shared/contract';
import { ShotlineError } from '../../../shared/result';
import type { CoreContext } from '../context';
import { engineHooks, queueFor } from '../queue';

export function createQueueHandlers(ctx: CoreContext): Handlers<typeof queueContract> {
  const q = () => queueFor(ctx);
  const wake = (): void => engineHooks.wake?.(ctx);
  return {
    async 'queue.enqueue'(input) {
      const store = q();
      const r = store.enqueue(input.storyboardId, {
        budgetUnits: input.budgetUnits ?? null,
        provider: input.provider ?? null,
        profile: input.profile ?? null,
        ...(input.priority !== undefined ? { priority: input.priority } : {}),
      });
      if (input.start !== false) await engineHooks.onEnqueued?.(ctx, { provider: input.provider ?? null, profile: input.profile ?? null });
      wake();
      return { batchId: r.batchId, jobs: r.created, existing: r.existing };
    },
    'queue.list': async (f) => {
      await Promise.resolve();
      return q().list(f);
    },
    'queue.job': async ({ jobId }) => {
      await Promise.resolve();
      const store = q();
      const job = store.jobView(jobId);
      if (!job) throw new ShotlineError({ code: 'not_found', where: 'jobId', message: `No job "${jobId}".` });
      return { job, attempts: store.attempts(jobId), events: store.events(jobId) };
    },
    'queue.batches': async () => {
      await Promise.resolve();
      return { batches: q().batches() };
    },
    'queue.pause': async ({ batchId }) => {
      await Promise.resolve();
      q().setPaused(batchId, true, 'paused by the user');
      return { batch: q().batch(batchId) };
    },
    'queue.resume': async ({ batchId }) => {
      await Promise.resolve();
      q().setPaused(batchId, false);
      wake();
      return { batch: q().batch(batchId) };
    },
    'queue.cancel': async (sel) => {
      await Promise.resolve();
      const changed = q().cancel(sel);
      wake();
      return { changed };
    },
    'queue.retry': async (sel) => {
      await Promise.resolve();
      const changed = q().retry(sel);
      wake();
      return { changed };
    },
    'queue.reprioritise': async ({ jobId, priority }) => {
      await Promise.resolve();
      q().reprioritise(jobId, priority);
      wake();
      const job = q().jobView(jobId);
      if (!job) throw new ShotlineError({ code: 'not_found', where: 'jobId', message: `No job "${jobId}".` });
      return { job };
    },
    'queue.reroll': async ({ shotId, storyboardId }) => {
      await Promise.resolve();
      const store = q();
      let sb = storyboardId;
      if (!sb) {
        const rows = ctx.db().prepare<[string], { storyboard_id: string }>('SELECT DISTINCT storyboard_id FROM shots WHERE shot_id = ? AND active = 1').all(shotId);
        if (rows.length !== 1) {
          throw new ShotlineError({ code: 'validation', where: 'shotId', message: rows.length ? `Shot "${shotId}" is in ${rows.length} storyboards; give storyboardId.` : `No shot "${shotId}".` });
        }
        sb = (rows[0] as { storyboard_id: string }).storyboard_id;
      }
      const r = store.reroll(sb, shotId);
      wake();
      return r;
    },
  };
}
