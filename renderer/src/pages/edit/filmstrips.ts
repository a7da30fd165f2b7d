/**
 * Filmstrips and posters of the timeline's clips and the take tray (media.thumbnails; the core
 * makes them when a take is verified, so asking again reads what is on disk). One request per
 * file for the session, shared by every clip showing it; only clips on screen ask.
 */
import { useEffect, useState } from 'react';

import type { ThumbnailSet } from '../../../../shared/media';
import { call } from '../../lib/api';

const sets = new Map<string, ThumbnailSet | Error>();
const pending = new Map<string, Promise<void>>();
const listeners = new Set<() => void>();

function request(file: string): void {
  if (sets.has(file) || pending.has(file)) return;
  pending.set(
    file,
    call('media.thumbnails', { file, count: 6 })
      .then(
        (s) => void sets.set(file, s),
        (e: Error) => void sets.set(file, e),
      )
      .finally(() => {
        pending.delete(file);
        for (const l of listeners) l();
      }),
  );
}

/** The thumbnails of `files` known so far (a file still loading is absent; a failure is an Error). */
export function useThumbnails(files: string[]): Map<string, ThumbnailSet | Error> {
  const [, setVersion] = useState(0);
  const key = files.join('\n');
  useEffect(() => {
    const l = (): void => setVersion((v) => v + 1);
    listeners.add(l);
    for (const f of key ? key.split('\n') : []) request(f);
    return () => void listeners.delete(l);
  }, [key]);
  return sets;
}
