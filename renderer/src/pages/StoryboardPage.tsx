/**
 * The Storyboard page: the toolbar (StoryboardToolbar.tsx), the shot list with its scene groups
 * (ShotList.tsx) or the table view with multi-select and bulk edits (ShotTable.tsx,
 * BulkEditBar.tsx), and the selected shot's editor (ShotEditor.tsx). The draft is checked once per
 * change by the one storyboard model (state/storyboard-check.ts: shared/storyboard/validate.ts).
 * After a batch, each card shows its picked take's poster (the stored edit's picks, state/picks.ts).
 */
import { useCallback, useEffect, useMemo, useRef, useState } from 'react';

import { formatProblem } from '../../../shared/storyboard/schema';
import { BulkEditBar } from '../components/BulkEditBar';
import { ShotEditor } from '../components/ShotEditor';
import { ShotList } from '../components/ShotList';
import { ShotTable } from '../components/ShotTable';
import { StoryboardToolbar } from '../components/StoryboardToolbar';
import { sc } from '../i18n/scenes';
import { sp } from '../i18n/storyboard-pictures';
import { useProject, useStoryboard } from '../state/context';
import { usePicks } from '../lib/posters';
import { useEdit } from '../state/picks';
import { checkDraft, draftUnits } from '../state/storyboard';
import { bulkEdit, type BulkPatch, type BulkRefusal } from '../state/storyboard-bulk';
import { groupOf, sceneGroups } from '../state/storyboard-check';
import { useStoryboardKeys } from '../state/storyboard-keys';
import { clickSelect, ordered, selectAll, single, type Mods, type Selection } from '../state/storyboard-selection';
import '../scenes.css';

const NO_PICKS: Readonly<Record<string, string>> = {};

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

  // The picked take of each shot after a batch, for its poster (the stored edit, edit.get).
  const { storyboardId } = useProject();
  const { edit } = useEdit(storyboardId);
  const picks = usePicks(storyboardId, edit?.picks ?? NO_PICKS);

  const [view, setView] = useState<'list' | 'table'>('list');
  const [selection, setSelection] = useState<Selection>(() => single(sel));
  // A new selection when the shots' order changes (indices would name other shots).
  const order = useMemo(() => sb.shots.map((s) => s.id).join('\n'), [sb.shots]);
  const lastOrder = useRef(order);
  useEffect(() => {
    if (lastOrder.current === order) return;
    lastOrder.current = order;
    setSelection(single(sel));
  }, [order, sel]);
  const showView = (v: 'list' | 'table'): void => {
    setView(v);
    // The table starts from the editor's shot unless it is in the selection already.
    setSelection((cur) => (cur.set.has(sel) ? cur : single(sel)));
  };
  const onRowClick = useCallback(
    (index: number, mods: Mods) => {
      setSelection((cur) => clickSelect(cur, index, mods));
      dispatch({ type: 'select', index });
    },
    [dispatch],
  );
  const onApply = (patch: BulkPatch): BulkRefusal[] | null => {
    const indices = ordered(selection);
    const r = bulkEdit(sb, indices, patch, check);
    if (!r.ok) return r.refusals;
    dispatch({ type: 'bulk', indices, patch });
    return null;
  };

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
      <div className="sb-view" role="group" aria-label={sp.view}>
        {(['list', 'table'] as const).map((v) => (
          <button key={v} type="button" aria-pressed={view === v} onClick={() => showView(v)}>
            {sp[v]}
          </button>
        ))}
        {view === 'table' && <BulkEditBar count={selection.set.size} onApply={onApply} />}
      </div>
      <div className={`sb-body${view === 'table' ? ' table-view' : ''}`}>
        {view === 'list' ? (
          <ShotList
            ref={listRef}
            shots={sb.shots}
            selected={sel}
            groups={groups}
            check={check}
            picks={picks}
            dispatch={dispatch}
          />
        ) : (
          <ShotTable
            shots={sb.shots}
            current={sel}
            selection={selection.set}
            check={check}
            picks={picks}
            onClick={onRowClick}
            onSelectAll={() => setSelection(selectAll(sb.shots.length, sel))}
          />
        )}
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
