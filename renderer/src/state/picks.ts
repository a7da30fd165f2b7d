/**
 * The edit of the open storyboard, kept in the core per storyboard id (edit.get / edit.save,
 * electron/core/edits/store.ts): picked takes, cut order, trims, fades. Pages share one copy
 * per storyboard, so a pick on the Takes page is on the Edit page at once, and nothing is
 * lost when a page is left.
 */
import { useCallback, useEffect, useSyncExternalStore } from 'react';

import type { EditPatch, StoredEdit } from '../../../shared/contract';
import { call } from '../lib/api';

type Listener = () => void;
const edits = new Map<string, StoredEdit>();
const listeners = new Set<Listener>();
const loading = new Set<string>();

function set(e: StoredEdit): void {
  edits.set(e.storyboardId, e);
  for (const l of listeners) l();
}

function load(id: string): void {
  if (loading.has(id)) return;
  loading.add(id);
  call('edit.get', { storyboardId: id }).then(
    (e) => {
      loading.delete(id);
      set(e);
    },
    () => loading.delete(id),
  );
}

const subscribe = (l: Listener): (() => void) => {
  listeners.add(l);
  return () => listeners.delete(l);
};

export interface EditHandle {
  edit: StoredEdit | null;
  /** Saves a change in the core; rejects (nothing stored) with the core's words. */
  save: (patch: Omit<EditPatch, 'storyboardId'>) => Promise<StoredEdit>;
  reload: () => void;
}

export function useEdit(storyboardId: string | null): EditHandle {
  const edit = useSyncExternalStore(subscribe, () => (storyboardId ? (edits.get(storyboardId) ?? null) : null));
  useEffect(() => {
    if (storyboardId) load(storyboardId);
  }, [storyboardId]);
  const save = useCallback(
    async (patch: Omit<EditPatch, 'storyboardId'>): Promise<StoredEdit> => {
      if (!storyboardId) throw new Error('No storyboard is open.');
      const e = await call('edit.save', { storyboardId, ...patch });
      set(e);
      return e;
    },
    [storyboardId],
  );
  const reload = useCallback(() => {
    if (storyboardId) load(storyboardId);
  }, [storyboardId]);
  return { edit, save, reload };
}

/** Fetches a storyboard's edit again (after a re-import changed its shots, or on opening it). */
export function refreshEdit(storyboardId: string): void {
  load(storyboardId);
}
