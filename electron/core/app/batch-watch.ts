/**
 * What the desktop shell does while batches run, decided from `batch.progress` summaries
 * alone (pure, so it is tested under Node; electron/main/batch-watch.ts maps it onto
 * powerSaveBlocker and Notification):
 *
 * - keep the machine awake while any batch has work that moves without a person: an
 *   unfinished batch with jobs queued (unless paused) or in flight (submitting, running,
 *   downloading: a paused batch still finishes and downloads what Kling already has);
 * - one notification per batch when it finishes. The key is the finish time, so a batch
 *   reopened by a retry or re-roll (finishedAt back to null, later a new finishedAt)
 *   notifies again, even when the reopen and the new finish arrive in one coalesced event.
 *
 * The notification names the storyboard and counts only: never a prompt, never a key.
 *
 * A batch that is only waiting (an outage: its takes queued or in flight while the engine
 * probes, issue 14) has not finished: no notification, and the machine stays awake so the
 * engine sees Kling come back. When takes gave up after their transient budget the one
 * notification says so: run it again once Kling answers.
 */
import type { BatchSummary } from '../../../shared/queue';

export interface BatchNotice {
  batchId: string;
  title: string;
  body: string;
}

export interface BatchWatchDecision {
  /** A change of the keep-awake hold, or null when it stays as it is. */
  keepAwake: 'start' | 'stop' | null;
  notify: BatchNotice | null;
}

const IN_FLIGHT = ['submitting', 'running', 'downloading'] as const;

/** Does this batch still have work that proceeds on its own? */
export function batchIsWorking(b: BatchSummary): boolean {
  if (b.finishedAt !== null) return false;
  if (IN_FLIGHT.some((s) => (b.counts[s] ?? 0) > 0)) return true;
  return !b.paused && (b.counts.queued ?? 0) > 0;
}

const units = (n: number): string => (Number.isInteger(n) ? String(n) : n.toFixed(2).replace(/0+$/, ''));

export function batchNotice(b: BatchSummary): BatchNotice {
  const c = (s: keyof BatchSummary['counts']): number => b.counts[s] ?? 0;
  const canceled = c('canceled') > 0 ? `, ${c('canceled')} canceled` : '';
  const problems = c('failed') + c('blocked') > 0;
  const waited = b.waitedOut ?? 0;
  const onlyWaited = waited > 0 && waited === c('failed') + c('blocked');
  return {
    batchId: b.id,
    title: onlyWaited
      ? 'Shotline: batch waited for Kling, run it again'
      : problems
        ? 'Shotline: batch finished, needs a look'
        : 'Shotline: batch finished',
    body:
      `Batch ${b.storyboard}: ${c('done')} done, ${c('failed')} failed, ${c('blocked')} blocked${canceled}, ${units(b.unitsSubmitted)} units` +
      (waited > 0 ? `; ${waited} waited out an outage (run again: nothing is paid twice)` : ''),
  };
}

export class BatchWatch {
  private readonly working = new Set<string>();
  /** Batch id -> the finishedAt already notified (or deliberately skipped). */
  private readonly notified = new Map<string, string>();
  /** Batch ids seen unfinished since this watch started. */
  private readonly seenOpen = new Set<string>();
  private awake = false;
  private readonly since: number;

  /**
   * @param since Batches that finished before this time (ms) and were never seen open are
   * old news (an event about yesterday's batch, e.g. a pause click): no notification.
   */
  constructor(since: number = Date.now()) {
    this.since = since;
  }

  /** Feed one `batch.progress` summary; returns what the shell should do now. */
  update(b: BatchSummary): BatchWatchDecision {
    let notify: BatchNotice | null = null;
    if (b.finishedAt === null) {
      this.seenOpen.add(b.id);
    } else if (this.notified.get(b.id) !== b.finishedAt) {
      const fresh = this.seenOpen.has(b.id) || this.notified.has(b.id) || Date.parse(b.finishedAt) >= this.since;
      this.notified.set(b.id, b.finishedAt);
      this.seenOpen.delete(b.id);
      if (fresh) notify = batchNotice(b);
    }
    if (batchIsWorking(b)) this.working.add(b.id);
    else this.working.delete(b.id);
    const want = this.working.size > 0;
    const keepAwake = want === this.awake ? null : want ? 'start' : 'stop';
    this.awake = want;
    return { keepAwake, notify };
  }

  /** Is the shell meant to hold keep-awake now? */
  get keepingAwake(): boolean {
    return this.awake;
  }
}
