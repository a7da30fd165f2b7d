/**
 * The Storyboard page's toolbar and what it reports (renderer/src/pages/StoryboardPage.tsx):
 * name, add, undo/redo, import (a file for retired models upgraded with Keep/Undo; a file with
 * problems refused with every one of them listed), open, export JSON/CSV, and the estimate.
 */
import { useRef, useState, type Dispatch } from 'react';

import { formatCost } from '../../../shared/kling';
import type { StoryboardProblem } from '../../../shared/storyboard/schema';
import { sc } from '../i18n/scenes';
import { t } from '../i18n/strings';
import { downloadText, safeFileName } from '../lib/download';
import { importStoryboard, ImportProblems } from '../state/import-file';
import { toCsv, toJson, type Action, type History } from '../state/storyboard';
import { ImportReport } from './ImportReport';
import { OpenStoryboardButton } from './OpenStoryboardButton';

interface Props {
  history: History;
  dispatch: Dispatch<Action>;
  /** Kling units of the whole storyboard as drafted (a scene take once). */
  units: number;
  onAdd: () => void;
}

export function StoryboardToolbar({ history, dispatch, units, onAdd }: Props): React.JSX.Element {
  const sb = history.present;
  const [importError, setImportError] = useState<{ message: string; problems: StoryboardProblem[] } | null>(null);
  /** Changes made when a file for retired Kling models was upgraded on import (Undo goes back to the storyboard open before the import). */
  const [upgraded, setUpgraded] = useState<string[] | null>(null);
  const fileInput = useRef<HTMLInputElement>(null);
  const importFile = (f: File): void => {
    void f.text().then((text) => {
      try {
        const { storyboard, changes } = importStoryboard(text, f.name);
        dispatch({ type: 'replace', storyboard });
        setUpgraded(changes.length ? changes : null);
        setImportError(null);
      } catch (err) {
        const problems = err instanceof ImportProblems ? err.problems : [];
        setImportError({
          message: problems.length
            ? t.storyboard.importProblems(f.name, problems.length)
            : t.storyboard.importError((err as Error).message),
          problems,
        });
      }
    });
  };
  return (
    <>
      <header className="toolbar">
        <h1 id="sb-title">{t.storyboard.title}</h1>
        <label>
          <span className="visually-hidden">{t.storyboard.name}</span>
          <input
            aria-label={t.storyboard.name}
            value={sb.name}
            onChange={(e) => dispatch({ type: 'rename', name: e.target.value })}
          />
        </label>
        <button type="button" onClick={onAdd} aria-keyshortcuts="Alt+N">
          {t.storyboard.add}
        </button>
        <button
          type="button"
          disabled={!history.past.length}
          onClick={() => dispatch({ type: 'undo' })}
          aria-keyshortcuts="Control+Z"
        >
          {t.storyboard.undo}
        </button>
        <button
          type="button"
          disabled={!history.future.length}
          onClick={() => dispatch({ type: 'redo' })}
          aria-keyshortcuts="Control+Shift+Z"
        >
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
            if (f) importFile(f);
          }}
        />
        <button type="button" onClick={() => fileInput.current?.click()}>
          {t.storyboard.importFile}
        </button>
        <OpenStoryboardButton />
        <button
          type="button"
          disabled={!sb.shots.length}
          onClick={() => downloadText(`${safeFileName(sb.name)}.json`, toJson(sb))}
        >
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
          {sb.shots.length} shots · {formatCost(units)}
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
      {importError && (
        <ImportReport
          message={importError.message}
          problems={importError.problems}
          onClose={() => setImportError(null)}
        />
      )}
    </>
  );
}
