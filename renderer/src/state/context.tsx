/**
 * The storyboard under edit, shared by the Storyboard and Batch pages and kept in localStorage,
 * and the project it belongs to: the stored storyboard's id (issue 11 item 4), which keys its
 * batches, takes and edit in the core. Set when the storyboard is queued, opened from the
 * project list, or opened from a file the core already knows.
 */
import {
  createContext,
  useCallback,
  useContext,
  useEffect,
  useReducer,
  useState,
  type Dispatch,
  type ReactNode,
} from 'react';

import { emptyStoryboard, fromText, initHistory, reducer, type Action, type History, type Storyboard } from './storyboard';

const KEY = 'shotline.storyboard.v1';
const PROJECT_KEY = 'shotline.project.v1';

function load(): Storyboard {
  try {
    const raw = localStorage.getItem(KEY);
    // Read like a file, so a draft saved before the live-model upgrade (mode, kling-v1) comes back on live models.
    if (raw) {
      try {
        return fromText(raw, 'draft.json');
      } catch {
        return JSON.parse(raw) as Storyboard;
      }
    }
  } catch {
    /* a broken save starts a fresh storyboard */
  }
  return emptyStoryboard();
}

const Ctx = createContext<{ history: History; dispatch: Dispatch<Action> } | null>(null);

export interface Project {
  /** The stored storyboard's id, or null before it was ever queued or opened. */
  storyboardId: string | null;
  setStoryboardId: (id: string | null) => void;
}
const ProjectCtx = createContext<Project | null>(null);

/** The app's pages, for a page that offers to go to another (e.g. Batch -> Queue). */
const NavCtx = createContext<((page: string) => void) | null>(null);
export const NavProvider = NavCtx.Provider;

export function StoryboardProvider({ children }: { children: ReactNode }): React.JSX.Element {
  const [history, dispatch] = useReducer(reducer, undefined, () => initHistory(load()));
  const [storyboardId, setId] = useState<string | null>(() => localStorage.getItem(PROJECT_KEY));
  const setStoryboardId = useCallback((id: string | null) => {
    setId(id);
    if (id) localStorage.setItem(PROJECT_KEY, id);
    else localStorage.removeItem(PROJECT_KEY);
  }, []);
  useEffect(() => {
    const id = setTimeout(() => localStorage.setItem(KEY, JSON.stringify(history.present)), 300);
    return () => clearTimeout(id);
  }, [history.present]);
  return (
    <Ctx.Provider value={{ history, dispatch }}>
      <ProjectCtx.Provider value={{ storyboardId, setStoryboardId }}>{children}</ProjectCtx.Provider>
    </Ctx.Provider>
  );
}

export function useStoryboard(): { history: History; dispatch: Dispatch<Action> } {
  const v = useContext(Ctx);
  if (!v) throw new Error('useStoryboard outside StoryboardProvider');
  return v;
}

export function useProject(): Project {
  const v = useContext(ProjectCtx);
  if (!v) throw new Error('useProject outside StoryboardProvider');
  return v;
}

export function useGoTo(): (page: string) => void {
  return useContext(NavCtx) ?? (() => undefined);
}
