/** The storyboard under edit, shared by the Storyboard and Batch pages and kept in localStorage. */
import { createContext, useContext, useEffect, useReducer, type Dispatch, type ReactNode } from 'react';

import { emptyStoryboard, initHistory, reducer, type Action, type History, type Storyboard } from './storyboard';

const KEY = 'shotline.storyboard.v1';

function load(): Storyboard {
  try {
    const raw = localStorage.getItem(KEY);
    if (raw) return JSON.parse(raw) as Storyboard;
  } catch {
    /* a broken save starts a fresh storyboard */
  }
  return emptyStoryboard();
}

const Ctx = createContext<{ history: History; dispatch: Dispatch<Action> } | null>(null);

export function StoryboardProvider({ children }: { children: ReactNode }): React.JSX.Element {
  const [history, dispatch] = useReducer(reducer, undefined, () => initHistory(load()));
  useEffect(() => {
    const id = setTimeout(() => localStorage.setItem(KEY, JSON.stringify(history.present)), 300);
    return () => clearTimeout(id);
  }, [history.present]);
  return <Ctx.Provider value={{ history, dispatch }}>{children}</Ctx.Provider>;
}

export function useStoryboard(): { history: History; dispatch: Dispatch<Action> } {
  const v = useContext(Ctx);
  if (!v) throw new Error('useStoryboard outside StoryboardProvider');
  return v;
}
