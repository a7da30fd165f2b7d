/**
 * The Edit page's keys: undo/redo (Ctrl/Cmd+Z, Shift+Ctrl/Cmd+Z, Ctrl+Y, as on the Storyboard
 * page: renderer/src/state/storyboard-keys.ts), the program monitor's Space/J/K/L, ← / → a
 * frame and Shift+← / → a second on the playhead, Alt+← / → moves the selected clip, + / −
 * zoom and \ fits the cut. Keys typed into a field stay the field's.
 */
import { useEffect, useRef } from 'react';

export interface EditKeyActions {
  undo: () => void;
  redo: () => void;
  toggle: () => void;
  forward: () => void;
  backward: () => void;
  stop: () => void;
  /** Moves the playhead by `s` seconds, or by frames when `frames` is set. */
  step: (by: number, unit: 'frame' | 'second') => void;
  moveSelected: (by: -1 | 1) => void;
  zoom: (factor: number) => void;
  fit: () => void;
}

const isField = (el: EventTarget | null): boolean =>
  el instanceof HTMLElement && (['INPUT', 'TEXTAREA', 'SELECT'].includes(el.tagName) || el.isContentEditable);

export function useEditKeys(actions: EditKeyActions): void {
  const latest = useRef(actions);
  useEffect(() => {
    latest.current = actions;
  });
  useEffect(() => {
    const onKey = (e: KeyboardEvent): void => {
      if (isField(e.target)) return;
      const a = latest.current;
      const mod = e.ctrlKey || e.metaKey;
      const key = e.key.toLowerCase();
      const run = (f: () => void): void => {
        e.preventDefault();
        f();
      };
      if (mod && !e.altKey && key === 'z') run(e.shiftKey ? a.redo : a.undo);
      else if (mod && key === 'y') run(a.redo);
      else if (mod) return;
      else if (e.altKey && (e.key === 'ArrowLeft' || e.key === 'ArrowRight'))
        run(() => a.moveSelected(e.key === 'ArrowLeft' ? -1 : 1));
      else if (e.altKey) return;
      else if (e.key === ' ' && !(e.target instanceof HTMLButtonElement)) run(a.toggle);
      else if (key === 'l') run(a.forward);
      else if (key === 'j') run(a.backward);
      else if (key === 'k') run(a.stop);
      else if (e.key === 'ArrowLeft' || e.key === 'ArrowRight')
        run(() => a.step(e.key === 'ArrowLeft' ? -1 : 1, e.shiftKey ? 'second' : 'frame'));
      else if (e.key === '+' || e.key === '=') run(() => a.zoom(1.25));
      else if (e.key === '-' || e.key === '_') run(() => a.zoom(0.8));
      else if (e.key === '\\') run(a.fit);
    };
    window.addEventListener('keydown', onKey);
    return () => window.removeEventListener('keydown', onKey);
  }, []);
}
