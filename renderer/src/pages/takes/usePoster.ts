/**
 * A take's poster and hover filmstrip. The core makes them when it verifies a take and
 * review.takes lists them (electron/core/reviews), so a cell only turns paths into URLs; a take
 * the core has none for yet (verified before posters were made at verify time, or a job only
 * the renderer knows) asks media.thumbnails once, for the cells on screen only.
 */
import { useEffect, useState } from 'react';

import { call } from '../../lib/api';

export interface Stills {
  poster: string;
  filmstrip: string[];
}

const asked = new Map<string, Promise<Stills>>();

function thumbnails(file: string): Promise<Stills> {
  let p = asked.get(file);
  if (!p) {
    p = call('media.thumbnails', { file, count: 6 });
    p.catch(() => asked.delete(file));
    asked.set(file, p);
  }
  return p;
}

/** `known`: the core's stills; null when it has none (make them); undefined while its answer is awaited. */
export function useStills(
  file: string | null,
  known: Stills | null | undefined,
  hovering: boolean,
): { still: string | null; error: string | null } {
  const [made, setMade] = useState<Stills | null>(null);
  const [error, setError] = useState<string | null>(null);
  const [frame, setFrame] = useState(0);
  useEffect(() => {
    if (known !== null || !file) return;
    let live = true;
    thumbnails(file).then(
      (s) => live && setMade(s),
      (e: Error) => live && setError(e.message),
    );
    return () => {
      live = false;
    };
  }, [file, known]);
  const stills = known ?? made;
  const strip = stills?.filmstrip ?? [];
  useEffect(() => {
    if (!hovering || strip.length === 0) return;
    const id = setInterval(() => setFrame((f) => (f + 1) % strip.length), 250);
    return () => clearInterval(id);
  }, [hovering, strip.length]);
  const still = stills
    ? hovering && strip.length
      ? (strip[frame % strip.length] ?? stills.poster)
      : stills.poster
    : null;
  return { still, error };
}
