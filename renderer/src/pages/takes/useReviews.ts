/**
 * The storyboard's takes as the core reviews them (review.takes: poster, filmstrip, probe
 * figures, prompt as sent, rating, reject, note, marks), fetched again when a take settles or
 * the core says a review changed (review.changed). Every change goes through review.set and the
 * page shows what the core answered, never a guess.
 */
import { useCallback, useEffect, useMemo, useState } from 'react';

import type { ReviewSetInput, TakeInfo } from '../../../../shared/contract/review';
import { call, subscribe } from '../../lib/api';
import type { TakeReview } from './sheet';

export interface Reviews {
  infos: ReadonlyMap<string, TakeInfo>;
  reviews: ReadonlyMap<string, TakeReview>;
  error: string | null;
  /** The core has answered once for this storyboard (a take it lists no poster for may then make one). */
  ready: boolean;
  /** Stores a change; resolves with the core's take, rejects with its words. */
  set: (patch: ReviewSetInput) => Promise<TakeInfo>;
}

/** `settledKey` changes when a take of the storyboard is done, failed or blocked (a new row to read). */
export function useReviews(storyboardId: string | null, settledKey: string): Reviews {
  // Kept with the storyboard it was read for, so another storyboard never shows these.
  const [read, setRead] = useState<{ of: string; infos: ReadonlyMap<string, TakeInfo> } | null>(null);
  const [error, setError] = useState<string | null>(null);
  const [tick, setTick] = useState(0);
  useEffect(() => {
    if (!storyboardId) return;
    // One read for a burst (the core announces each backfilled poster): at most one per 250 ms.
    let timer: ReturnType<typeof setTimeout> | undefined;
    const off = subscribe('review.changed', (e) => {
      if (e.storyboardId !== storyboardId || timer) return;
      timer = setTimeout(() => {
        timer = undefined;
        setTick((n) => n + 1);
      }, 250);
    });
    return () => {
      off();
      clearTimeout(timer);
    };
  }, [storyboardId]);
  useEffect(() => {
    if (!storyboardId) return;
    let live = true;
    call('review.takes', { storyboardId }).then(
      (r) => {
        if (!live) return;
        setRead({ of: storyboardId, infos: new Map(r.takes.map((x) => [x.jobId, x])) });
        setError(null);
      },
      (e: Error) => {
        if (!live) return;
        setError(e.message);
        setRead((old) => old ?? { of: storyboardId, infos: new Map() });
      },
    );
    return () => {
      live = false;
    };
  }, [storyboardId, settledKey, tick]);
  const infos = useMemo(
    () => (read && read.of === storyboardId ? read.infos : new Map<string, TakeInfo>()),
    [read, storyboardId],
  );
  const reviews = useMemo(() => {
    const m = new Map<string, TakeReview>();
    for (const [id, x] of infos) m.set(id, x.review);
    return m;
  }, [infos]);
  const set = useCallback(async (patch: ReviewSetInput): Promise<TakeInfo> => {
    const x = await call('review.set', patch);
    setRead((old) =>
      old && old.of === x.storyboardId ? { of: old.of, infos: new Map(old.infos).set(x.jobId, x) } : old,
    );
    return x;
  }, []);
  return { infos, reviews, error, ready: read?.of === storyboardId, set };
}
