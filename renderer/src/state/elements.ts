/**
 * The element library for the Elements page and the elements picker: one `elements.list` when
 * the first screen needs it, then again (coalesced) on every `elements.changed` event
 * (shared/contract/elements.ts). One store for every screen, like renderer/src/state/jobs.ts.
 */
import { useEffect, useSyncExternalStore } from 'react';

import type { ElementView } from '../../../shared/contract/elements';
import { call, subscribe } from '../lib/api';

export type { ElementView };

type Listener = () => void;

export interface ElementsSnapshot {
  /** null until the first list has answered. */
  elements: ElementView[] | null;
  error: string | null;
}

class ElementStore {
  private listeners = new Set<Listener>();
  private snapshot: ElementsSnapshot = { elements: null, error: null };
  private loading: Promise<void> | null = null;
  private again = false;
  private off: (() => void) | null = null;

  subscribe = (l: Listener): (() => void) => {
    this.listeners.add(l);
    if (!this.off) {
      this.off = subscribe('elements.changed', () => this.reload());
    }
    return () => {
      this.listeners.delete(l);
      if (!this.listeners.size && this.off) {
        this.off();
        this.off = null;
      }
    };
  };

  getSnapshot = (): ElementsSnapshot => this.snapshot;

  /** Lists the library again; calls during a list run once more after it (never two at once). */
  reload = (): void => {
    if (this.loading) {
      this.again = true;
      return;
    }
    this.loading = call('elements.list', {})
      .then(
        (r) => this.set({ elements: r.elements, error: null }),
        (e: Error) => this.set({ elements: this.snapshot.elements, error: e.message }),
      )
      .finally(() => {
        this.loading = null;
        if (this.again) {
          this.again = false;
          this.reload();
        }
      });
  };

  /** An answer of create/delete is newer than the list: shown at once. */
  put(view: ElementView): void {
    const list = this.snapshot.elements ?? [];
    const i = list.findIndex((e) => e.key === view.key);
    this.set({ ...this.snapshot, elements: i < 0 ? [view, ...list] : list.map((e, j) => (j === i ? view : e)) });
  }

  private set(s: ElementsSnapshot): void {
    this.snapshot = s;
    for (const l of this.listeners) l();
  }
}

export const elementStore = new ElementStore();

/** The library, live. */
export function useElements(): ElementsSnapshot {
  const snap = useSyncExternalStore(elementStore.subscribe, elementStore.getSnapshot);
  // A screen that mounts later still sees the newest state (events may have been missed while none listened).
  useEffect(() => elementStore.reload(), []);
  return snap;
}

/** Elements a shot can send: not deleted, one per alias (ready first, then the newest). */
export function pickable(all: readonly ElementView[]): ElementView[] {
  const rank = (e: ElementView): number =>
    e.state === 'ready' ? 0 : e.state === 'failed' || e.state === 'blocked' ? 2 : 1;
  const best = new Map<string, ElementView>();
  for (const e of all) {
    if (e.state === 'deleted' || e.state === 'deleting') continue;
    const had = best.get(e.id);
    if (!had || rank(e) < rank(had) || (rank(e) === rank(had) && e.createdAt > had.createdAt)) best.set(e.id, e);
  }
  return [...best.values()].sort((a, b) => a.id.localeCompare(b.id));
}
