/**
 * The edit of the open storyboard, kept in the core (issue 11 item 5; edit.get / edit.save):
 * the picked take of each shot in cut order, trims and crossfades (a trim outside its clip is
 * refused with the clip's length), the compatibility verdict (stream copy or re-encode, and
 * why), export with a progress bar and cancel, and NLE timelines. Outputs go where the user
 * chose in the system save dialog (dialog.saveOutput); replacing a file asks first.
 * The parts: ./edit/cut.ts (the cut, trims, verdict), ./edit/useExport.ts (writing files),
 * ./edit/TimelineTable.tsx and ./edit/ExportPanel.tsx (what they show).
 */
import { useState } from 'react';

import type { TimelineFormat } from '../../../shared/media';
import { p } from '../i18n/project';
import { t } from '../i18n/strings';
import { useProject } from '../state/context';
import { useEdit } from '../state/picks';
import { usePlan, useCut, useTrimDrafts } from './edit/cut';
import { ExportControls, ExportDone, ReplaceConfirm } from './edit/ExportPanel';
import { TimelineTable, Verdict } from './edit/TimelineTable';
import { useExport } from './edit/useExport';

export function EditPage(): React.JSX.Element {
  const { storyboardId } = useProject();
  const { edit, save } = useEdit(storyboardId);
  const [error, setError] = useState<string | null>(null);
  const [format, setFormat] = useState<TimelineFormat>('fcpxml');
  const cut = useCut(edit);
  const { drafts, trimError, setDraft } = useTrimDrafts(edit, save);
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
    void save({ order: next }).catch((e: Error) => setError(e.message));
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
      {plan && <Verdict plan={plan} />}
      {error && (
        <p role="alert" className="error">
          {error}
        </p>
      )}
      {cut.clips.length > 0 && (
        <ExportControls
          preset={cut.preset}
          onPreset={(preset) => void save({ preset }).catch((err: Error) => setError(err.message))}
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
