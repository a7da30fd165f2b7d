/**
 * The Storyboard page: the toolbar (StoryboardToolbar.tsx), the shot list with its scene groups
 * (ShotList.tsx) and the selected shot's editor (ShotEditor.tsx). The draft is checked once per
 * change by the one storyboard model (state/storyboard-check.ts: shared/storyboard/validate.ts).
 */
import { useEffect, useMemo, useRef } from 'react';

import { formatProblem } from '../../../shared/storyboard/schema';
import { ShotEditor } from '../components/ShotEditor';
import { ShotList } from '../components/ShotList';
import { StoryboardToolbar } from '../components/StoryboardToolbar';
import { sc } from '../i18n/scenes';
import { useStoryboard } from '../state/context';
import { checkDraft, draftUnits } from '../state/storyboard';
import { groupOf, sceneGroups } from '../state/storyboard-check';
import { useStoryboardKeys } from '../state/storyboard-keys';
import '../scenes.css';

export function StoryboardPage(): React.JSX.Element {
  const { history, dispatch } = useStoryboard();
  const sb = history.present;
  const sel = history.selected;
  const shot = sb.shots[sel];
  const listRef = useRef<HTMLOListElement>(null);
  // A new shot takes the focus into its prompt, so Alt+N then typing just works.
  const focusPrompt = useRef(false);
  const addShot = (): void => {
    focusPrompt.current = true;
    dispatch({ type: 'add', after: sel });
  };
  useStoryboardKeys(dispatch, sel, focusPrompt);

  // The selected card stays in view in the list (which scrolls on its own; the editor stays put).
  useEffect(() => {
    listRef.current?.querySelector<HTMLElement>(`[data-index="${sel}"]`)?.scrollIntoView({ block: 'nearest' });
  }, [sel]);

  // Keep focus on the selected card when it moves in the list.
  useEffect(() => {
    if (focusPrompt.current) {
      focusPrompt.current = false;
      document.getElementById(`shot-${sel}-prompt`)?.focus();
      return;
    }
    const el = listRef.current?.querySelector<HTMLElement>(`[data-index="${sel}"]`);
    if (el && listRef.current?.contains(document.activeElement)) el.focus();
  }, [sel, sb.shots]);

  // The one storyboard model's verdict on the draft (shared/storyboard/validate.ts), once per change.
  const check = useMemo(() => checkDraft(sb), [sb]);
  const groups = useMemo(() => sceneGroups(sb.shots), [sb.shots]);

  return (
    <section className="page storyboard" aria-labelledby="sb-title">
      <StoryboardToolbar history={history} dispatch={dispatch} units={draftUnits(sb)} onAdd={addShot} />
      {check.general.length > 0 && (
        <ul
          className="problems error"
          role="status"
          data-testid="storyboard-problems"
          aria-label={sc.storyboardProblems}
        >
          {check.general.map((p, i) => (
            <li key={i}>{formatProblem(p)}</li>
          ))}
        </ul>
      )}
      <div className="sb-body">
        <ShotList ref={listRef} shots={sb.shots} selected={sel} groups={groups} check={check} dispatch={dispatch} />
        <div className="editor-pane">
          {shot ? (
            <ShotEditor
              key={sel}
              shot={shot}
              index={sel}
              shots={sb.shots}
              elements={sb.elements ?? []}
              onElements={(ids, add) =>
                dispatch({ type: 'update', index: sel, patch: { elements: ids }, elements: add })
              }
              problems={check.perShot[sel] ?? []}
              scene={groupOf(groups, sel)}
              onChange={(patch, coalesce) => dispatch({ type: 'update', index: sel, patch, coalesce })}
            />
          ) : null}
        </div>
      </div>
    </section>
  );
}
