/**
 * Takes as dailies (issue 17 item 2): a contact sheet of shots x takes (renderer/src/pages/takes/
 * ContactSheet.tsx, windowed), the viewer and the focused take's details docked beside it, and
 * review from the keyboard: arrows, P pick, X reject, 1-5 rate, N note, Enter open, C compare
 * (takes/useSheetControl.ts). Picks are the edit's (edit.save through renderer/src/state/picks.ts,
 * so the Edit page has them at once); reject, rating, note and marks are the core's review data
 * (review.set). A take of a shot of a multi-shot scene says the task it shares, and every
 * re-roll asks first with its cost (takes/useReroll.ts).
 */
import { useEffect, useMemo, useState } from 'react';

import { p } from '../i18n/project';
import { t } from '../i18n/strings';
import { tk } from '../i18n/takes';
import { call } from '../lib/api';
import { getDataDir, mediaUrl } from '../lib/media';
import { useProject } from '../state/context';
import { sceneOfShot, useJobs } from '../state/jobs';
import { useEdit } from '../state/picks';
import { FOCUS_EVENT, takeShotFocus } from '../state/shot-focus';
import { ContactSheet } from './takes/ContactSheet';
import { Dock } from './takes/Dock';
import { RerollConfirm } from './takes/RerollConfirm';
import { buildRows, FILTERS, type Filter } from './takes/sheet';
import { ShotLabel } from './takes/ShotLabel';
import { useReroll } from './takes/useReroll';
import { useReviews } from './takes/useReviews';
import { useSheetControl } from './takes/useSheetControl';

function Tools({
  filter,
  onFilter,
  onPickFirst,
}: {
  filter: Filter;
  onFilter: (f: Filter) => void;
  onPickFirst: () => void;
}): React.JSX.Element {
  return (
    <div className="takes-tools">
      <label>
        {tk.filter}{' '}
        <select aria-label={tk.filter} value={filter} onChange={(e) => onFilter(e.target.value as Filter)}>
          {FILTERS.map((f) => (
            <option key={f} value={f}>
              {tk.filters[f]}
            </option>
          ))}
        </select>
      </label>
      <button type="button" onClick={onPickFirst}>
        {tk.pickFirst}
      </button>
      <span className="muted small">{tk.keys}</span>
    </div>
  );
}

export function TakesPage(): React.JSX.Element {
  // Keyed by the stored storyboard's id, not the editor's name (issue 11 item 4).
  const { storyboardId } = useProject();
  const jobs = useJobs();
  const edit = useEdit(storyboardId);
  const [dir, setDir] = useState<string | null>(null);
  const [error, setError] = useState<string | null>(null);
  const [status, setStatus] = useState<string | null>(null);
  const [filter, setFilter] = useState<Filter>('all');
  const fail = (e: Error | null): void => setError(e ? e.message : null);
  useEffect(() => void getDataDir().then(setDir, fail), []);

  const mine = useMemo(() => jobs.filter((j) => j.storyboardId === storyboardId), [jobs, storyboardId]);
  // Changes when a take settles (a row the core's review list gains).
  const settledKey = useMemo(
    () =>
      mine
        .filter((j) => j.state === 'done' || j.state === 'failed' || j.state === 'blocked')
        .map((j) => `${j.id}:${j.state}:${j.file ? 1 : 0}`)
        .join(','),
    [mine],
  );
  const review = useReviews(storyboardId, settledKey);
  const storedEdit = edit.edit;
  const rows = useMemo(() => {
    const shots = storedEdit?.shots.map((s) => s.id) ?? [...new Set(mine.map((j) => j.shotId))];
    return buildRows({ shots, jobs: mine, picks: storedEdit?.picks ?? {}, reviews: review.reviews, filter });
  }, [storedEdit, mine, review.reviews, filter]);
  const ctl = useSheetControl(rows, mine, dir, review, edit, fail);
  const reroll = useReroll(mine, storyboardId, setStatus, fail);

  // A shot asked for from elsewhere (the Report page's "Takes of <shot>", renderer/src/state/
  // shot-focus.ts): the cursor goes to its row once the rows have it.
  const [wanted, setWanted] = useState<string | null>(takeShotFocus);
  useEffect(() => {
    const on = (e: Event): void => setWanted((e as CustomEvent<string>).detail);
    window.addEventListener(FOCUS_EVENT, on);
    return () => window.removeEventListener(FOCUS_EVENT, on);
  }, []);
  // Adjusted while rendering (React's pattern for state that follows other state): no extra pass.
  const wantedRow = wanted ? rows.findIndex((x) => x.shotId === wanted) : -1;
  if (wantedRow >= 0) {
    setWanted(null);
    ctl.setFocus({ row: wantedRow, col: 0 });
  }

  const pickFirst = (): void => {
    if (!storyboardId) return;
    const before = Object.keys(storedEdit?.picks ?? {}).length;
    void call('review.pickFirst', { storyboardId }).then((e) => {
      edit.reload();
      setError(null);
      setStatus(tk.pickedFirst(Object.keys(e.picks).length - before));
    }, fail);
  };
  const any = rows.length > 0 || filter !== 'all';
  const compared = ctl.compareIds.flatMap((id) => {
    const j = mine.find((x) => x.id === id);
    const src = j?.file && dir ? mediaUrl(j.file, dir) : null;
    const fps = review.infos.get(id)?.media?.fps;
    // One shot's takes: each is named by its number.
    return j && src ? [{ src, title: t.takes.take(j.take), fps }] : [];
  });
  const shown = error ?? review.error;

  return (
    <section className="page takes" aria-labelledby="takes-title">
      <header className="takes-head">
        <h1 id="takes-title">{storedEdit ? p.takes.of(storedEdit.storyboard) : t.takes.title}</h1>
        {storyboardId && any && <Tools filter={filter} onFilter={setFilter} onPickFirst={pickFirst} />}
      </header>
      {shown && (
        <p role="alert" className="error">
          {shown}
        </p>
      )}
      {status && (
        <p role="status" data-testid="takes-note">
          {status}
        </p>
      )}
      {!storyboardId ? (
        <p className="empty">{p.takes.noProject}</p>
      ) : !any ? (
        <p className="empty">{t.takes.empty}</p>
      ) : (
        <div className="takes-body">
          {rows.length === 0 ? (
            <p className="empty">{tk.nothingHere}</p>
          ) : (
            <ContactSheet
              refocus={ctl.refocus}
              rows={rows}
              focus={ctl.at}
              dir={dir}
              stillsOf={(id) => {
                // The core's stills; a take it lists without them yet gets them made in the
                // background (review.changed says when); only a take it does not list makes its own.
                if (!review.ready) return undefined;
                const x = review.infos.get(id);
                if (!x) return null;
                return x.poster ? { poster: x.poster, filmstrip: x.filmstrip } : undefined;
              }}
              openId={ctl.opened?.jobId ?? null}
              compareIds={ctl.compareIds}
              notingId={ctl.notingId}
              onFocus={ctl.setFocus}
              onKey={ctl.onKey}
              onOpen={ctl.open}
              onPick={ctl.pick}
              onNote={ctl.onNote}
              label={(row) => (
                <ShotLabel
                  row={row}
                  scene={sceneOfShot(mine, row.shotId)}
                  rerolling={reroll.busy}
                  onPlayScene={(file) => ctl.openClip(file, row.shotId)}
                  onReroll={() => reroll.ask(row.shotId)}
                  onCompare={row.cells.filter((c) => !c.failed).length >= 2 ? () => ctl.compareRow(row) : null}
                  confirm={
                    reroll.asking?.shotId === row.shotId ? (
                      <RerollConfirm
                        ask={reroll.asking}
                        busy={reroll.busy}
                        onYes={reroll.confirm}
                        onNo={reroll.cancel}
                      />
                    ) : null
                  }
                />
              )}
            />
          )}
          <Dock
            opened={ctl.opened}
            compared={compared}
            marked={ctl.compareIds.length}
            focused={ctl.cell ? { job: ctl.cell.job, info: review.infos.get(ctl.cell.job.id) ?? null } : null}
            onMarks={ctl.setMarks}
            onClose={ctl.close}
            onCloseCompare={ctl.closeCompare}
          />
        </div>
      )}
    </section>
  );
}
