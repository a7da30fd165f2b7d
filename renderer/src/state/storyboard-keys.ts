/**
 * The Storyboard page's shortcuts (renderer/src/components/HelpSheet.tsx lists them): undo/redo,
 * Alt+N add (focus goes to the new prompt), Ctrl+D duplicate, Alt+↑/↓ move, Alt+Delete delete.
 */
import { useEffect, type Dispatch, type MutableRefObject } from 'react';

import type { Action } from './storyboard';

const isText = (el: EventTarget | null): boolean =>
  el instanceof HTMLElement && (el.tagName === 'TEXTAREA' || el.tagName === 'INPUT');

export function useStoryboardKeys(
  dispatch: Dispatch<Action>,
  sel: number,
  focusPrompt: MutableRefObject<boolean>,
): void {
  useEffect(() => {
    const onKey = (e: KeyboardEvent): void => {
      const mod = e.ctrlKey || e.metaKey;
      if (mod && !e.altKey && e.key.toLowerCase() === 'z') {
        e.preventDefault();
        dispatch({ type: e.shiftKey ? 'redo' : 'undo' });
      } else if (mod && e.key.toLowerCase() === 'y') {
        e.preventDefault();
        dispatch({ type: 'redo' });
      } else if (e.altKey && e.key.toLowerCase() === 'n') {
        e.preventDefault();
        focusPrompt.current = true;
        dispatch({ type: 'add', after: sel });
      } else if (mod && e.key.toLowerCase() === 'd' && sel >= 0) {
        e.preventDefault();
        dispatch({ type: 'duplicate', index: sel });
      } else if (e.altKey && (e.key === 'ArrowUp' || e.key === 'ArrowDown') && sel >= 0) {
        e.preventDefault();
        dispatch({ type: 'move', from: sel, to: sel + (e.key === 'ArrowUp' ? -1 : 1) });
      } else if (e.altKey && sel >= 0 && (e.key === 'Delete' || (e.key === 'Backspace' && !isText(e.target)))) {
        // Alt+Backspace deletes a word while typing; it only deletes the shot elsewhere.
        e.preventDefault();
        dispatch({ type: 'remove', index: sel });
      }
    };
    window.addEventListener('keydown', onKey);
    return () => window.removeEventListener('keydown', onKey);
  }, [dispatch, sel, focusPrompt]);
}
