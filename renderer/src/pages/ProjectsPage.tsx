/**
 * Earlier storyboards (issue 11 item 4): storyboard.list with each one's batches, done takes
 * and saved edit; Open puts it back in the editor (storyboard.get) and makes it the project
 * the Batch, Takes and Edit pages show.
 */
import { useEffect, useState } from 'react';

import type { StoryboardInfo, StoredEdit } from '../../../shared/contract';
import type { BatchSummary } from '../../../shared/queue';
import { p } from '../i18n/project';
import { call } from '../lib/api';
import { useGoTo, useProject, useStoryboard } from '../state/context';
import { refreshEdit } from '../state/picks';
import { fromText } from '../state/storyboard';

interface Row {
  info: StoryboardInfo;
  batches: BatchSummary[];
  edit: StoredEdit | null;
}

export function ProjectsPage(): React.JSX.Element {
  const { dispatch } = useStoryboard();
  const { storyboardId, setStoryboardId } = useProject();
  const goTo = useGoTo();
  const [rows, setRows] = useState<Row[] | null>(null);
  const [error, setError] = useState<string | null>(null);
  const [opened, setOpened] = useState<string | null>(null);

  useEffect(() => {
    void (async () => {
      const [{ storyboards }, { batches }] = await Promise.all([
        call('storyboard.list', {}),
        call('queue.batches', {}),
      ]);
      const edits = await Promise.all(
        storyboards.map((s) => call('edit.get', { storyboardId: s.id }).catch(() => null)),
      );
      setRows(
        storyboards.map((info, i) => ({
          info,
          batches: batches.filter((b) => b.storyboardId === info.id),
          edit: edits[i] ?? null,
        })),
      );
    })().catch((e: Error) => setError(e.message));
  }, []);

  const open = async (info: StoryboardInfo): Promise<void> => {
    try {
      const r = await call('storyboard.get', { storyboardId: info.id });
      dispatch({ type: 'replace', storyboard: fromText(r.content, `${r.name}.json`) });
      setStoryboardId(r.storyboardId);
      refreshEdit(r.storyboardId);
      setOpened(p.projects.opened(r.name));
      setError(null);
    } catch (e) {
      setError((e as Error).message);
    }
  };

  return (
    <section className="page projects" aria-labelledby="projects-title">
      <h1 id="projects-title">{p.projects.title}</h1>
      {error && (
        <p role="alert" className="error">
          {error}
        </p>
      )}
      {opened && (
        <p role="status">
          {opened}{' '}
          <button type="button" onClick={() => goTo('Takes')}>
            Takes
          </button>{' '}
          <button type="button" onClick={() => goTo('Edit')}>
            Edit
          </button>
        </p>
      )}
      {rows && rows.length === 0 && <p className="empty">{p.projects.empty}</p>}
      {rows && rows.length > 0 && (
        <table className="dense" data-testid="projects">
          <thead>
            <tr>
              {p.projects.cols.map((c, i) => (
                <th key={i} scope="col">
                  {c}
                </th>
              ))}
            </tr>
          </thead>
          <tbody>
            {rows.map(({ info, batches, edit }) => (
              <tr key={info.id} data-testid="project-row" aria-current={info.id === storyboardId ? 'true' : undefined}>
                <td>
                  {info.name}
                  {info.id === storyboardId && <span className="tag"> {p.projects.current}</span>}
                </td>
                <td>{info.shots}</td>
                <td>{batches.length}</td>
                <td>{batches.reduce((n, b) => n + b.counts.done, 0)}</td>
                <td>{p.projects.editSaved(Object.keys(edit?.picks ?? {}).length)}</td>
                <td>{new Date(info.updatedAt).toLocaleString()}</td>
                <td>
                  <button type="button" aria-label={p.projects.open(info.name)} onClick={() => void open(info)}>
                    Open
                  </button>
                </td>
              </tr>
            ))}
          </tbody>
        </table>
      )}
    </section>
  );
}
