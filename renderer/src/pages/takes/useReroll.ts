/**
 * Re-roll from the Takes page: every re-roll asks first with its cost (RerollConfirm), then
 * queue.reroll joins the batch of the shot's newest take, so that batch's report counts it.
 */
import { useState } from 'react';

import { el } from '../../i18n/elements';
import { tk } from '../../i18n/takes';
import { call } from '../../lib/api';
import { sceneOfShot, type JobView } from '../../state/jobs';
import type { RerollAsk } from './RerollConfirm';

const newestOf = (jobs: readonly JobView[], shotId: string): JobView | undefined =>
  jobs.filter((j) => j.shotId === shotId).sort((a, b) => b.take - a.take)[0];

export interface Reroll {
  asking: RerollAsk | null;
  busy: boolean;
  ask: (shotId: string) => void;
  cancel: () => void;
  confirm: () => void;
}

export function useReroll(
  jobs: readonly JobView[],
  storyboardId: string | null,
  onQueued: (said: string) => void,
  onError: (e: Error) => void,
): Reroll {
  const [asking, setAsking] = useState<RerollAsk | null>(null);
  const [busy, setBusy] = useState(false);
  const ask = (shotId: string): void =>
    setAsking({ shotId, scene: sceneOfShot(jobs, shotId), units: newestOf(jobs, shotId)?.units ?? 0 });
  const confirm = (): void => {
    if (!asking) return;
    const newest = newestOf(jobs, asking.shotId);
    setBusy(true);
    void call('queue.reroll', {
      shotId: asking.shotId,
      ...(storyboardId ? { storyboardId } : {}),
      ...(newest ? { batchId: newest.batchId } : {}),
    })
      .then((r) => {
        setAsking(null);
        onQueued(asking.scene ? el.takes.queued(asking.scene.id, r.take) : tk.reroll.queued(asking.shotId, r.take));
      }, onError)
      .finally(() => setBusy(false));
  };
  return { asking, busy, ask, cancel: () => setAsking(null), confirm };
}
