/**
 * The poster still of a clip (the picked take on a Storyboard card, issue 17 item 6), made by
 * the core (media.thumbnails, one frame) the first time a card that shows it comes into view,
 * and asked for once per clip. The still is a data-dir file shown through lib/media.ts.
 */
import { useEffect, useState, type RefObject } from 'react';

import { call } from './api';

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

/** The poster file of `file` once it is made (null before, or with the core's error). */
export function usePoster(file: string | null, seen: boolean): { poster: string | null; error: string | null } {
  const [state, setState] = useState<{ for: string | null; poster: string | null; error: string | null }>({
    for: null,
    poster: null,
    error: null,
  });
  useEffect(() => {
    if (!file || !seen) return;
    let live = true;
    posterOf(file).then(
      (poster) => live && setState({ for: file, poster, error: null }),
      (e: Error) => live && setState({ for: file, poster: null, error: e.message }),
    );
    return () => {
      live = false;
    };
  }, [file, seen]);
  return state.for === file ? state : { poster: null, error: null };
}
