/**
 * The edit of the open storyboard, kept in the core (issue 11 item 5; edit.get / edit.save):
 * a timeline of filmstrips with a program monitor, drag to move, trim and crossfade, takes
 * swapped from a tray, undo/redo (issue 17 item 3: ./edit/CutEditor.tsx), and below it
 * the picked take of each shot in cut order, trims and crossfades (a trim outside its clip is
 * refused with the clip's length), the compatibility verdict (stream copy or re-encode, and
 * why), export with a progress bar and cancel, and NLE timelines. Outputs go where the user
 * chose in the system save dialog (dialog.saveOutput); replacing a file asks first.
 * The parts: ./edit/cut.ts (the cut, trims, verdict), ./edit/useExport.ts (writing files),
 * ./edit/TimelineTable.tsx and ./edit/ExportPanel.tsx (what they show).
 */
import { useEffect, useState } from 'react';

import type { TimelineFormat } from '../../../shared/media';
import { p } from '../i18n/project';
import { t } from '../i18n/strings';
import { getDataDir } from '../lib/media';
import { useProject } from '../state/context';
import { useEdit } from '../state/picks';
import { CutEditor } from './edit/CutEditor';
import { usePlan, useCut, useTrimDrafts } from './edit/cut';
import { ExportControls, ExportDone, ReplaceConfirm } from './edit/ExportPanel';
import { useEditHistory } from './edit/history';
import { TimelineTable } from './edit/TimelineTable';
import { useExport } from './edit/useExport';

export function EditPage(): React.JSX.Element {
  const { storyboardId } = useProject();
  const { edit, save } = useEdit(storyboardId);
  // Every change (timeline, typed trims, order, preset) is one undo step.
  const history = useEditHistory(storyboardId, edit, save);
  const [error, setError] = useState<string | null>(null);
  const [dir, setDir] = useState<string | null>(null);
  useEffect(() => void getDataDir().then(setDir, (e: Error) => setError(e.message)), []);
  const [format, setFormat] = useState<TimelineFormat>('fcpxml');
  const cut = useCut(edit);
  const { drafts, trimError, setDraft } = useTrimDrafts(edit, history.apply);
  const plan = usePlan(cut.clips, cut.preset, setError);
  const ex = useExport({
    storyboardId,
    title: edit?.storyboard,
    clips: cut.clips,
    preset: cut.preset,
    format,
    setError,
  });

  const move = (i: number, by: number): void => {
    const next = [...cut.order];
    const [id] = next.splice(i, 1);
    if (id === undefined) return;
    next.splice(i + by, 0, id);
    void history.apply({ order: next }).catch((e: Error) => setError(e.message));
  };

  if (!storyboardId) {
    return (
      <section className="page edit" aria-labelledby="edit-title">
        <h1 id="edit-title">{t.edit.title}</h1>
        <p className="empty">{p.noProject}</p>
      </section>
    );
  }

  return (
    <section className="page edit" aria-labelledby="edit-title">
      <h1 id="edit-title">{edit ? p.edit.of(edit.storyboard) : t.edit.title}</h1>
      {cut.clips.length > 0 && (
        <CutEditor
          storyboardId={storyboardId}
          cut={cut}
          trims={edit?.trims ?? {}}
          plan={plan}
          history={history}
          dir={dir}
        />
      )}
      {cut.shots.length === 0 ? (
        <p className="empty">{t.edit.empty}</p>
      ) : (
        <TimelineTable
          cut={cut}
          trims={edit?.trims ?? {}}
          drafts={drafts}
          trimError={trimError}
          plan={plan}
          setDraft={setDraft}
          move={move}
        />
      )}
      {trimError && (
        <p role="alert" className="error" data-testid="trim-error">
          {trimError}
        </p>
      )}
      {error && (
        <p role="alert" className="error">
          {error}
        </p>
      )}
      {cut.clips.length > 0 && (
        <ExportControls
          preset={cut.preset}
          onPreset={(preset) => void history.apply({ preset }).catch((err: Error) => setError(err.message))}
          format={format}
          onFormat={setFormat}
          ex={ex}
        />
      )}
      <ReplaceConfirm ex={ex} />
      <ExportDone ex={ex} />
    </section>
  );
}
