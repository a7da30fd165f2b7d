/**
 * Undo and redo on the Edit page (Ctrl/Cmd+Z, Shift+Ctrl/Cmd+Z, Ctrl+Y), as the storyboard has
 * them (renderer/src/state/storyboard.ts). The edit lives in the core (edit.save), so a step is
 * a pair of patches: the change and its inverse, computed from the edit before the change.
 * Undo saves the inverse; redo saves the change again. Kept per storyboard for the session,
 * so leaving the page and coming back keeps the steps.
 */
import { useCallback, useEffect, useRef, useState } from 'react';

import type { EditPatch, StoredEdit } from '../../../../shared/contract';

export type Patch = Omit<EditPatch, 'storyboardId'>;
interface Step {
  patch: Patch;
  inverse: Patch;
}
interface Stacks {
  past: Step[];
  future: Step[];
}

const MAX_STEPS = 200;
const stacks = new Map<string, Stacks>();

/** The patch that puts back what `patch` changes in `edit`. */
export function inverseOf(edit: StoredEdit, patch: Patch): Patch {
  const inv: Patch = {};
  if (patch.order) inv.order = [...edit.order];
  if (patch.picks) inv.picks = Object.fromEntries(Object.keys(patch.picks).map((id) => [id, edit.picks[id] ?? null]));
  if (patch.trims) inv.trims = Object.fromEntries(Object.keys(patch.trims).map((id) => [id, edit.trims[id] ?? null]));
  if (patch.preset !== undefined) inv.preset = edit.preset;
  return inv;
}

export interface EditHistory {
  /** Saves a change as one undo step; rejects (nothing stored, no step) with the core's words. */
  apply: (patch: Patch) => Promise<StoredEdit>;
  undo: () => Promise<void>;
  redo: () => Promise<void>;
  canUndo: boolean;
  canRedo: boolean;
}

export function useEditHistory(
  storyboardId: string | null,
  edit: StoredEdit | null,
  save: (patch: Patch) => Promise<StoredEdit>,
): EditHistory {
  const [, setVersion] = useState(0);
  const bump = (): void => setVersion((v) => v + 1);
  const mine = (): Stacks | null => {
    if (!storyboardId) return null;
    let s = stacks.get(storyboardId);
    if (!s) stacks.set(storyboardId, (s = { past: [], future: [] }));
    return s;
  };

  // apply keeps one identity per storyboard (effects that save, like ./cut.ts's drafts, depend on it).
  const current = useRef(edit);
  useEffect(() => {
    current.current = edit;
  }, [edit]);
  const apply = useCallback(
    async (patch: Patch): Promise<StoredEdit> => {
      const before = current.current;
      const saved = await save(patch);
      if (storyboardId && before) {
        const s = stacks.get(storyboardId) ?? { past: [], future: [] };
        s.past = [...s.past, { patch, inverse: inverseOf(before, patch) }].slice(-MAX_STEPS);
        s.future = [];
        stacks.set(storyboardId, s);
        setVersion((v) => v + 1);
      }
      return saved;
    },
    [save, storyboardId],
  );

  const undo = async (): Promise<void> => {
    const s = mine();
    const step = s?.past.at(-1);
    if (!s || !step) return;
    await save(step.inverse);
    s.past = s.past.slice(0, -1);
    s.future = [...s.future, step];
    bump();
  };

  const redo = async (): Promise<void> => {
    const s = mine();
    const step = s?.future.at(-1);
    if (!s || !step) return;
    await save(step.patch);
    s.future = s.future.slice(0, -1);
    s.past = [...s.past, step];
    bump();
  };

  const s = storyboardId ? stacks.get(storyboardId) : undefined;
  return { apply, undo, redo, canUndo: (s?.past.length ?? 0) > 0, canRedo: (s?.future.length ?? 0) > 0 };
}
