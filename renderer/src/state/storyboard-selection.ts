/**
 * The table view's multi-selection of shots (issue 17 item 6), the way file managers do it:
 * a click selects one shot, Shift+click the range from the last clicked (the anchor),
 * Ctrl/Cmd+click adds or removes one, Ctrl/Cmd+A selects all. Indices into the storyboard's
 * shots; the page starts a new selection when the shots' order changes.
 */
export interface Selection {
  /** Selected shot indices. */
  set: ReadonlySet<number>;
  /** Where a Shift+click range starts. */
  anchor: number;
}

export interface Mods {
  shift: boolean;
  /** Ctrl, or Cmd on macOS. */
  toggle: boolean;
}

export const single = (index: number): Selection => ({
  set: new Set(index >= 0 ? [index] : []),
  anchor: index,
});

export function clickSelect(sel: Selection, index: number, mods: Mods): Selection {
  if (mods.shift && sel.anchor >= 0) {
    const [lo, hi] = sel.anchor < index ? [sel.anchor, index] : [index, sel.anchor];
    const range = Array.from({ length: hi - lo + 1 }, (_, k) => lo + k);
    // Ctrl+Shift adds the range to what is selected; Shift alone replaces it.
    const set = new Set(mods.toggle ? [...sel.set, ...range] : range);
    return { set, anchor: sel.anchor };
  }
  if (mods.toggle) {
    const set = new Set(sel.set);
    if (set.has(index)) set.delete(index);
    else set.add(index);
    return { set, anchor: index };
  }
  return single(index);
}

export function selectAll(count: number, anchor: number): Selection {
  return { set: new Set(Array.from({ length: count }, (_, i) => i)), anchor };
}

/** Selected indices in storyboard order. */
export const ordered = (sel: Selection): number[] => [...sel.set].sort((a, b) => a - b);
