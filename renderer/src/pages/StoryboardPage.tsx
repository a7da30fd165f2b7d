import { useEffect, useMemo, useRef, useState } from 'react';

import { formatCost } from '../../../shared/kling';
import { OpenStoryboardButton } from '../components/OpenStoryboardButton';
import { ShotEditor } from '../components/ShotEditor';
import { t } from '../i18n/strings';
import { downloadText, safeFileName } from '../lib/download';
import { useStoryboard } from '../state/context';
import { ImportReport } from '../components/ImportReport';
import { formatProblem, type StoryboardProblem } from '../../../shared/storyboard/schema';
import { importStoryboard, ImportProblems } from '../state/import-file';
import { checkDraft, draftUnits, toCsv, toJson, type Shot } from '../state/storyboard';
import { groupOf, sceneGroups } from '../state/storyboard-check';
import { SceneBar } from '../components/SceneBar';
import { ShotCard } from '../components/ShotCard';
import { sc } from '../i18n/scenes';
import '../scenes.css';

const isText = (el: EventTarget | null): boolean => el instanceof HTMLElement && (el.tagName === 'TEXTAREA' || el.tagName === 'INPUT');

export function StoryboardPage(): React.JSX.Element {
  const { history, dispatch } = useStoryboard();
  const sb = history.present;
  const sel = history.selected;
  const shot = sb.shots[sel];
  const [importError, setImportError] = useState<{ message: string; problems: StoryboardProblem[] } | null>(null);
  /** Changes made when a file for retired Kling models was upgraded on import (Undo goes back to the storyboard open before the import). */
  const [upgraded, setUpgraded] = useState<string[] | null>(null);
  const [dragFrom, setDragFrom] = useState<number | null>(null);
  const fileInput = useRef<HTMLInputElement>(null);
  const listRef = useRef<HTMLOListElement>(null);
  // A new shot takes the focus into its prompt, so Alt+N then typing just works.
  const focusPrompt = useRef(false);
  const addShot = (): void => {
    focusPrompt.current = true;
    dispatch({ type: 'add', after: sel });
  };

  // Storyboard shortcuts (the help sheet lists them).
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
  }, [dispatch, sel]);

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
  const total = draftUnits(sb);

  return (
    <section className="page storyboard" aria-labelledby="sb-title">
      <header className="toolbar">
        <h1 id="sb-title">{t.storyboard.title}</h1>
        <label>
          <span className="visually-hidden">{t.storyboard.name}</span>
          <input aria-label={t.storyboard.name} value={sb.name} onChange={(e) => dispatch({ type: 'rename', name: e.target.value })} />
        </label>
        <button type="button" onClick={addShot} aria-keyshortcuts="Alt+N">
          {t.storyboard.add}
        </button>
        <button type="button" disabled={!history.past.length} onClick={() => dispatch({ type: 'undo' })} aria-keyshortcuts="Control+Z">
          {t.storyboard.undo}
        </button>
        <button type="button" disabled={!history.future.length} onClick={() => dispatch({ type: 'redo' })} aria-keyshortcuts="Control+Shift+Z">
          {t.storyboard.redo}
        </button>
        <input
          ref={fileInput}
          type="file"
          accept=".json,.csv,application/json,text/csv"
          className="visually-hidden"
          aria-label="Storyboard file to import"
          onChange={(e) => {
            const f = e.target.files?.[0];
            e.target.value = '';
            if (!f) return;
            void f.text().then((text) => {
              try {
                const { storyboard, changes } = importStoryboard(text, f.name);
                dispatch({ type: 'replace', storyboard });
                setUpgraded(changes.length ? changes : null);
                setImportError(null);
              } catch (err) {
                const problems = err instanceof ImportProblems ? err.problems : [];
                setImportError({ message: problems.length ? t.storyboard.importProblems(f.name, problems.length) : t.storyboard.importError((err as Error).message), problems });
              }
            });
          }}
        />
        <button type="button" onClick={() => fileInput.current?.click()}>
          {t.storyboard.importFile}
        </button>
        <OpenStoryboardButton />
        <button type="button" disabled={!sb.shots.length} onClick={() => downloadText(`${safeFileName(sb.name)}.json`, toJson(sb))}>
          {t.storyboard.exportJson}
        </button>
        <button
          type="button"
          disabled={!sb.shots.length}
          title={sb.elements?.length ? sc.csvNoElements : undefined}
          onClick={() => downloadText(`${safeFileName(sb.name)}.csv`, toCsv(sb), 'text/csv')}
        >
          {t.storyboard.exportCsv}
        </button>
        <span className="total" data-testid="storyboard-total">
          {sb.shots.length} shots · {formatCost(total)}
        </span>
      </header>
      {upgraded && (
        <div className="banner warn" role="status" data-testid="upgrade-banner">
          <strong>{t.storyboard.upgradedTitle(upgraded.length)}</strong>
          <details>
            <summary>{t.storyboard.upgradedShow}</summary>
            <ul>
              {upgraded.map((c, i) => (
                <li key={i}>{c}</li>
              ))}
            </ul>
          </details>
          <button type="button" onClick={() => setUpgraded(null)}>
            {t.storyboard.upgradedKeep}
          </button>
          <button
            type="button"
            onClick={() => {
              dispatch({ type: 'undo' });
              setUpgraded(null);
            }}
          >
            {t.storyboard.upgradedUndo}
          </button>
        </div>
      )}
      {check.general.length > 0 && (
        <ul className="problems error" role="status" data-testid="storyboard-problems" aria-label={sc.storyboardProblems}>
          {check.general.map((p, i) => (
            <li key={i}>{formatProblem(p)}</li>
          ))}
        </ul>
      )}
      {importError && <ImportReport message={importError.message} problems={importError.problems} onClose={() => setImportError(null)} />}
      <div className="sb-body">
        <ol ref={listRef} className="shot-list" aria-label={t.storyboard.shots} data-testid="shot-list">
          {sb.shots.length === 0 && <li className="empty">{t.storyboard.empty}</li>}
          {sb.shots.map((s, i) => {
            const group = groupOf(groups, i);
            if (group && group.indices[0] !== i) return null; // drawn inside its scene's frame
            const members = group ? group.indices : [i];
            const cards = members.map((j) => (
              <ShotCard
                key={`${sb.shots[j]?.id ?? ''}-${j}`}
                shot={sb.shots[j] as Shot}
                index={j}
                count={sb.shots.length}
                selected={j === sel}
                dragging={dragFrom === j}
                bad={(check.perShot[j]?.length ?? 0) > 0}
                dispatch={dispatch}
                onDragStart={() => setDragFrom(j)}
                onDrop={() => {
                  if (dragFrom !== null) dispatch({ type: 'move', from: dragFrom, to: j });
                  setDragFrom(null);
                }}
                onDragEnd={() => setDragFrom(null)}
              />
            ));
            if (!group) return cards;
            return (
              <li key={`scene-${group.scene}-${i}`} className="scene-group" aria-label={sc.group(group.scene)} data-testid="scene-group">
                <SceneBar scene={group.scene} shots={members.map((j) => sb.shots[j] as Shot)} />
                <ol className="shot-list">{cards}</ol>
              </li>
            );
          })}
        </ol>
        <div className="editor-pane">
          {shot ? (
            <ShotEditor
              key={sel}
              shot={shot}
              index={sel}
              shots={sb.shots}
              elements={sb.elements ?? []}
              onElements={(ids, add) => dispatch({ type: 'update', index: sel, patch: { elements: ids }, elements: add })}
              problems={check.perShot[sel] ?? []}
              inScene={groupOf(groups, sel) !== null}
              onChange={(patch, coalesce) => dispatch({ type: 'update', index: sel, patch, coalesce })}
            />
          ) : null}
        </div>
      </div>
    </section>
  );
}
