/**
 * queue.* : enqueue a storyboard and act on jobs and batches. Enqueue starts the engine for
 * this core (provider from the input or the profile; the sandbox when asked), which then
 * works until the app closes; every change reaches the renderer as job.changed.
 */
import type { Handlers, queueContract } from '../../../shared/contract';
import { PROVIDER_IDS } from '../../../shared/kling/providers';
import { ShotlineError } from '../../../shared/result';
import type { CoreContext } from '../context';
import { isContentRefusal } from '../queue';
import type { QueueStore } from '../queue/store';
import type { CoreServices } from '../services';

/** A synchronous handler body as a promise (a throw becomes a rejection). */
function later<T>(fn: () => T): Promise<T> {
  try {
    return Promise.resolve(fn());
  } catch (err) {
    return Promise.reject(err instanceof Error ? err : new Error(String(err)));
  }
}

/**
 * The batch that already holds every take of the storyboard as it is now (same settings),
 * when none of them is waiting for a redo; null when enqueueing would add or redo work.
 */
function alreadyQueued(store: QueueStore, storyboardId: string): { batchId: string; jobIds: string[] } | null {
  const shots = store.activeShotTakes(storyboardId);
  if (!shots.length) return null;
  let newest: { id: string; at: string } | null = null;
  const jobIds: string[] = [];
  for (const s of shots) {
    for (let take = 1; take <= s.takes; take++) {
      const j = store.takeJob(storyboardId, s.shot_id, take, s.spec_hash);
      if (!j || j.state === 'blocked' || (j.state === 'failed' && j.retryable === 1)) return null;
      if (!newest || j.created_at > newest.at) newest = { id: j.batch_id, at: j.created_at };
      jobIds.push(j.id);
    }
  }
  return newest ? { batchId: newest.id, jobIds } : null;
}

export function createQueueHandlers(ctx: CoreContext, s: CoreServices): Handlers<typeof queueContract> {
  const q = () => s.queue;
  // A queue action with no engine running (after an app restart, or after an erase) starts
  // one for the open batches; otherwise it nudges the running one.
  const wake = (): void => {
    const engine = s.engine.running();
    if (engine) engine.engine.wake();
    else
      void s.engine
        .resumeOpen()
        .catch((err: unknown) =>
          ctx.emit('app.notice', { level: 'error', message: `The queue could not start: ${(err as Error).message}` }),
        );
  };
  return {
    async 'queue.enqueue'(input) {
      const store = q();
      // A second click on an unchanged storyboard makes no empty batch: it says where the takes are.
      const already = alreadyQueued(store, input.storyboardId);
      if (already) {
        const b = store.batch(already.batchId);
        const recorded = store.batchProvider(already.batchId);
        const provider = PROVIDER_IDS.find((p) => p === recorded) ?? 'sandbox';
        return {
          batchId: already.batchId,
          jobs: 0,
          existing: b.total,
          provider,
          reason: `already queued in batch ${already.batchId}`,
          alreadyQueued: true,
          jobIds: already.jobIds,
        };
      }
      const choice = await s.engine.choose({ provider: input.provider, profile: input.profile });
      const r = store.enqueue(input.storyboardId, {
        budgetUnits: input.budgetUnits ?? null,
        provider: choice.provider,
        profile: choice.profile ?? null,
        ...(input.priority !== undefined ? { priority: input.priority } : {}),
        piiMode: input.piiMode ?? null,
      });
      store.requeueRedoable(r.jobIds);
      if (input.start !== false) {
        // The batch's budget lives on the batch row (the engine checks it per batch).
        const engine = await s.engine.start({ provider: choice.provider, profile: choice.profile });
        // The storyboard's elements start at Kling now (a failed one is tried again), before its jobs ask for them.
        engine.elements.ensure(input.storyboardId);
        wake();
      }
      return {
        batchId: r.batchId,
        jobs: r.created,
        existing: r.existing,
        provider: choice.provider,
        reason: choice.reason,
        jobIds: r.jobIds,
      };
    },
    'queue.list': (f) => later(() => q().list(f)),
    'queue.job': ({ jobId }) =>
      later(() => {
        const store = q();
        const job = store.jobView(jobId);
        if (!job) throw new ShotlineError({ code: 'not_found', where: 'jobId', message: `No job "${jobId}".` });
        return { job, attempts: store.attempts(jobId), events: store.events(jobId), prompt: store.jobPrompt(jobId) };
      }),
    'queue.batches': () => later(() => ({ batches: q().batches() })),
    'queue.pause': ({ batchId }) =>
      later(() => {
        q().setPaused(batchId, true, 'paused by the user');
        return { batch: q().batch(batchId) };
      }),
    'queue.resume': ({ batchId }) =>
      later(() => {
        q().setPaused(batchId, false);
        wake();
        return { batch: q().batch(batchId) };
      }),
    'queue.cancel': (sel) =>
      later(() => {
        const changed = q().cancel(sel);
        wake();
        return { changed };
      }),
    'queue.retry': ({ prompt, ...sel }) =>
      later(() => {
        const store = q();
        if (prompt !== undefined) {
          if (!sel.jobId)
            throw new ShotlineError({
              code: 'validation',
              where: 'prompt',
              message: 'A changed prompt is for one take: give jobId with it.',
            });
          store.setJobPrompt(sel.jobId, prompt);
        } else if (sel.jobId) {
          const j = store.getJob(sel.jobId);
          if (j && isContentRefusal(j)) {
            throw new ShotlineError({
              code: 'validation',
              where: 'prompt',
              message: `Kling refused take ${j.take} of shot "${j.shot_id}" for its content (${j.error ?? 'content policy'}); the same prompt is refused again. Retry it with a changed prompt, or change the shot's images on the Storyboard page and queue again.`,
            });
          }
        }
        // A batch retry leaves content refusals alone (each needs its own changed prompt).
        const changed = store.retry(sel.jobId ? sel : { ...sel, skipContentRefusals: true });
        wake();
        return { changed };
      }),
    'queue.reprioritise': ({ jobId, priority }) =>
      later(() => {
        q().reprioritise(jobId, priority);
        wake();
        const job = q().jobView(jobId);
        if (!job) throw new ShotlineError({ code: 'not_found', where: 'jobId', message: `No job "${jobId}".` });
        return { job };
      }),
    'queue.reroll': ({ shotId, storyboardId, batchId }) =>
      later(() => {
        let sb = storyboardId;
        if (!sb) {
          const rows = q().storyboardsWithShot(shotId);
          const only = rows.length === 1 ? rows[0] : undefined;
          if (only === undefined) {
            throw new ShotlineError({
              code: 'validation',
              where: 'shotId',
              message: rows.length
                ? `Shot "${shotId}" is in ${rows.length} storyboards; give storyboardId.`
                : `No shot "${shotId}".`,
            });
          }
          sb = only;
        }
        const r = q().reroll(sb, shotId, batchId);
        // The new take is listed at once (a re-roll makes no transition until it is claimed).
        q().announce(r.scene ? r.scene.jobIds : [r.jobId]);
        wake();
        return r;
      }),
  };
}
