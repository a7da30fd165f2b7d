/**
 * The storyboard under edit, shared by the Storyboard and Batch pages and kept by the core,
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

import { call } from '../lib/api';
import {
  draftFromSave,
  emptyStoryboard,
  initHistory,
  reducer,
  type Action,
  type History,
  type Storyboard,
} from './storyboard';

/** Where older versions kept the draft; read once to move it into the core, then removed. */
const LEGACY_KEY = 'shotline.storyboard.v1';
const PROJECT_KEY = 'shotline.project.v1';

/**
 * The draft lives in the core (storyboard.draft.get/set, issue 16.5), where erase and
 * retention reach it; Chromium's localStorage is not used for it. A draft an older version
 * left in localStorage is moved into the core once and removed here.
 */
async function loadDraft(): Promise<Storyboard | null> {
  let legacy: string | null = null;
  try {
    legacy = localStorage.getItem(LEGACY_KEY);
  } catch {
    /* no storage: nothing to move */
  }
  if (legacy !== null) {
    await call('storyboard.draft.set', { content: legacy });
    localStorage.removeItem(LEGACY_KEY);
  }
  const { content } = await call('storyboard.draft.get', {});
  if (!content) return null;
  try {
    // As saved; a draft saved before the live-model upgrade (mode, kling-v1) comes back on live models.
    return draftFromSave(content);
  } catch {
    /* not a clean storyboard file: the draft as it was saved */
  }
  try {
    return JSON.parse(content) as Storyboard;
  } catch {
    return null; // a broken save starts a fresh storyboard
  }
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
  const [history, dispatch] = useReducer(reducer, undefined, () => initHistory(emptyStoryboard()));
  // Nothing is saved until the core's draft is loaded, so an empty start never overwrites it.
  const [loaded, setLoaded] = useState(false);
  useEffect(() => {
    let live = true;
    loadDraft()
      .then((sb) => {
        if (live && sb) dispatch({ type: 'load', storyboard: sb });
      })
      .catch(() => undefined)
      .finally(() => live && setLoaded(true));
    return () => {
      live = false;
    };
  }, []);
  const [storyboardId, setId] = useState<string | null>(() => localStorage.getItem(PROJECT_KEY));
  const setStoryboardId = useCallback((id: string | null) => {
    setId(id);
    if (id) localStorage.setItem(PROJECT_KEY, id);
    else localStorage.removeItem(PROJECT_KEY);
  }, []);
  useEffect(() => {
    if (!loaded) return;
    const id = setTimeout(
      () => void call('storyboard.draft.set', { content: JSON.stringify(history.present) }).catch(() => undefined),
      300,
    );
    return () => clearTimeout(id);
  }, [history.present, loaded]);
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
