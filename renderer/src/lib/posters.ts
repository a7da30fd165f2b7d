/**
 * The poster still of a picked take on a Storyboard card (issue 17 item 6): the one the engine
 * made when it verified the clip (review.takes, electron/core/reviews/), or, for a clip the
 * core has none of yet, made by media.thumbnails (one frame) the first time a card that shows
 * it comes into view, once per clip. The still is a data-dir file shown through lib/media.ts.
 */
import { useEffect, useMemo, useState, type RefObject } from 'react';

import type { TakeInfo } from '../../../shared/contract';
import { call } from './api';

/** The picked take of a shot: its clip and, when the core has it, what review.takes says of it. */
export interface PickedTake {
  file: string;
  take: Pick<TakeInfo, 'take' | 'fileName' | 'poster'> | null;
}

const posters = new Map<string, Promise<string>>();

export function posterOf(file: string): Promise<string> {
  let p = posters.get(file);
  if (!p) {
    p = call('media.thumbnails', { file, count: 1 }).then((t) => t.poster);
    p.catch(() => posters.delete(file));
    posters.set(file, p);
  }
  return p;
}

/** True once the element has been on screen (then stays true): nothing is made for cards never seen. */
export function useSeen(ref: RefObject<Element | null>): boolean {
  const [seen, setSeen] = useState(false);
  useEffect(() => {
    const el = ref.current;
    if (!el || seen) return;
    const io = new IntersectionObserver((entries) => {
      if (entries.some((e) => e.isIntersecting)) setSeen(true);
    });
    io.observe(el);
    return () => io.disconnect();
  }, [ref, seen]);
  return seen;
}

/**
 * Each shot's picked take (`picks`: shot id -> clip file, the stored edit) with its take from
 * review.takes, asked again whenever the picks change.
 */
export function usePicks(
  storyboardId: string | null,
  picks: Readonly<Record<string, string>>,
): ReadonlyMap<string, PickedTake> {
  const [takes, setTakes] = useState<ReadonlyMap<string, TakeInfo>>(new Map());
  const any = Object.keys(picks).length > 0;
  useEffect(() => {
    if (!storyboardId || !any) return;
    let live = true;
    call('review.takes', { storyboardId }).then(
      (r) => live && setTakes(new Map(r.takes.flatMap((t) => (t.file ? [[t.file, t] as const] : [])))),
      () => undefined, // no review data: posters are made on demand (posterOf)
    );
    return () => {
      live = false;
    };
  }, [storyboardId, picks, any]);
  return useMemo(
    () => new Map(Object.entries(picks).map(([shot, file]) => [shot, { file, take: takes.get(file) ?? null }])),
    [picks, takes],
  );
}

/**
 * The poster file of `file` once it is made (null before, or with the core's error); `known`
 * is the one the engine made at verify time, used as it is.
 */
export function usePoster(
  file: string | null,
  seen: boolean,
  known: string | null = null,
): { poster: string | null; error: string | null } {
  const [state, setState] = useState<{ for: string | null; poster: string | null; error: string | null }>({
    for: null,
    poster: null,
    error: null,
  });
  useEffect(() => {
    if (!file || !seen || known) return;
    let live = true;
    posterOf(file).then(
      (poster) => live && setState({ for: file, poster, error: null }),
      (e: Error) => live && setState({ for: file, poster: null, error: e.message }),
    );
    return () => {
      live = false;
    };
  }, [file, seen, known]);
  if (known) return { poster: known, error: null };
  return state.for === file ? state : { poster: null, error: null };
}
