/**
 * Takes as dailies (issue 17 item 2): a contact sheet of shots x takes (renderer/src/pages/takes/
 * ContactSheet.tsx, windowed), the viewer and the focused take's details docked beside it, and
 * review from the keyboard: arrows, P pick, X reject, 1-5 rate, N note, Enter open, C compare.
 * Picks are the edit's (edit.save through renderer/src/state/picks.ts, so the Edit page has them
 * at once); reject, rating, note and marks are the core's review data (review.set). A take of a
 * shot of a multi-shot scene says the task it shares, and every re-roll asks first with its cost.
 */
import { useEffect, useMemo, useRef, useState } from 'react';

import { el } from '../i18n/elements';
import { p } from '../i18n/project';
import { t } from '../i18n/strings';
import { tk } from '../i18n/takes';
import { call } from '../lib/api';
import { getDataDir, mediaUrl } from '../lib/media';
import { useProject } from '../state/context';
import { sceneOfShot, useJobs } from '../state/jobs';
import { useEdit } from '../state/picks';
import { ContactSheet } from './takes/ContactSheet';
import { Dock, type Opened } from './takes/Dock';
import type { KeyAction } from './takes/keys';
import { RerollConfirm, type RerollAsk } from './takes/RerollConfirm';
import { buildRows, clampFocus, FILTERS, moveFocus, type Cell, type Filter, type Focus } from './takes/sheet';
import { ShotLabel } from './takes/ShotLabel';
import { takeFocusRequest } from './takes/focus-request';
import { useReviews } from './takes/useReviews';

export function TakesPage(): React.JSX.Element {
  // Keyed by the stored storyboard's id, not the editor's name (issue 11 item 4).
  const { storyboardId } = useProject();
  const jobs = useJobs();
  const { edit, save, reload } = useEdit(storyboardId);
  const [dir, setDir] = useState<string | null>(null);
  const [error, setError] = useState<string | null>(null);
  const [status, setStatus] = useState<string | null>(null);
  const [filter, setFilter] = useState<Filter>('all');
  const [focus, setFocus] = useState<Focus>({ row: 0, col: 0 });
  const [opened, setOpened] = useState<Opened | null>(null);
  const [compareIds, setCompareIds] = useState<string[]>([]);
  const [notingId, setNotingId] = useState<string | null>(null);
  const [asking, setAsking] = useState<RerollAsk | null>(null);
  const [rerolling, setRerolling] = useState(false);
  const sheet = useRef<HTMLDivElement>(null);
  useEffect(() => void getDataDir().then(setDir, (e: Error) => setError(e.message)), []);

  const mine = useMemo(() => jobs.filter((j) => j.storyboardId === storyboardId), [jobs, storyboardId]);
  const settledKey = useMemo(
    () =>
      mine
        .filter((j) => j.state === 'done' || j.state === 'failed' || j.state === 'blocked')
        .map((j) => `${j.id}:${j.state}:${j.file ? 1 : 0}`)
        .join(','),
    [mine],
  );
  const review = useReviews(storyboardId, settledKey);
  const shots = useMemo(() => edit?.shots.map((s) => s.id) ?? [...new Set(mine.map((j) => j.shotId))], [edit, mine]);
  const picks = edit?.picks ?? {};
  const rows = useMemo(
    () => buildRows({ shots, jobs: mine, picks, reviews: review.reviews, filter }),
    // picks is a new object only when the edit changes.
    // eslint-disable-next-line react-hooks/exhaustive-deps
    [shots, mine, edit, review.reviews, filter],
  );
  const at = clampFocus(rows, focus);
  const cell: Cell | undefined = rows[at.row]?.cells[at.col];

  // A shot asked for from elsewhere (the morning report's link): put the cursor on its row.
  useEffect(() => {
    const want = takeFocusRequest.take();
    if (!want) return;
    const r = rows.findIndex((x) => x.shotId === want);
    if (r >= 0) setFocus({ row: r, col: 0 });
    else takeFocusRequest.ask(want); // not loaded yet: ask again on the next rows
  }, [rows]);

  const fail = (e: Error): void => setError(e.message);
  const done = (): void => setError(null);
  const pick = (c: Cell): void => {
    if (c.failed || !c.job.file) return;
    void save({ picks: { [c.job.shotId]: c.picked ? null : c.job.file } }).then(done, fail);
  };
  const open = (c: Cell): void => {
    if (c.failed || !c.job.file || !dir) return;
    const src = mediaUrl(c.job.file, dir);
    if (!src) return setError(t.takes.player);
    const info = review.infos.get(c.job.id);
    setCompareIds([]);
    setOpened({
      jobId: c.job.id,
      src,
      title: `${c.job.shotId} · ${t.takes.take(c.job.take)}`,
      fps: info?.media?.fps,
      durationS: info?.media?.durationS,
      marks: c.review.marks,
    });
  };
  const setReview = (patch: Parameters<typeof review.set>[0], unpicks = false): void =>
    void review.set(patch).then(() => {
      done();
      if (unpicks) reload(); // the core un-picks a rejected take (electron/core/reviews)
    }, fail);

  const onKey = (a: KeyAction): void => {
    if (a.kind === 'move') return setFocus(moveFocus(rows, at, a.dir));
    if (a.kind === 'clear') return setCompareIds([]);
    if (!cell) return;
    const id = cell.job.id;
    if (a.kind === 'pick') pick(cell);
    else if (a.kind === 'open') open(cell);
    else if (a.kind === 'reject') setReview({ jobId: id, rejected: !cell.review.rejected }, cell.picked);
    else if (a.kind === 'rate') setReview({ jobId: id, rating: a.rating });
    else if (a.kind === 'note') setNotingId(id);
    else if (a.kind === 'compare' && !cell.failed) {
      setCompareIds((ids) => {
        const sameShot = ids.filter((x) => mine.find((j) => j.id === x)?.shotId === cell.job.shotId);
        return sameShot.includes(id) ? sameShot.filter((x) => x !== id) : [...sameShot, id].slice(-4);
      });
    }
  };
  const onNote = (c: Cell, text: string | null): void => {
    setNotingId(null);
    sheet.current?.focus();
    if (text !== null && text !== c.review.note) setReview({ jobId: c.job.id, note: text });
  };

  // Every re-roll asks first with its cost; it joins the batch of the shot's newest take.
  const askReroll = (shotId: string): void => {
    const newest = mine.filter((j) => j.shotId === shotId).sort((a, b) => b.take - a.take)[0];
    setAsking({ shotId, scene: sceneOfShot(mine, shotId), units: newest?.units ?? 0 });
  };
  const reroll = (ask: RerollAsk): void => {
    const newest = mine.filter((j) => j.shotId === ask.shotId).sort((a, b) => b.take - a.take)[0];
    setRerolling(true);
    void call('queue.reroll', {
      shotId: ask.shotId,
      ...(storyboardId ? { storyboardId } : {}),
      ...(newest ? { batchId: newest.batchId } : {}),
    })
      .then((r) => {
        done();
        setAsking(null);
        setStatus(ask.scene ? el.takes.queued(ask.scene.id, r.take) : tk.reroll.queued(ask.shotId, r.take));
      }, fail)
      .finally(() => setRerolling(false));
  };
  const pickFirst = (): void => {
    if (!storyboardId) return;
    void call('review.pickFirst', { storyboardId }).then((e) => {
      const before = Object.keys(picks).length;
      reload();
      done();
      setStatus(tk.pickedFirst(Object.keys(e.picks).length - before));
    }, fail);
  };

  const any = rows.length > 0 || filter !== 'all';
  const compared = compareIds.flatMap((id) => {
    const j = mine.find((x) => x.id === id);
    const src = j?.file && dir ? mediaUrl(j.file, dir) : null;
    return j && src ? [{ src, title: `${j.shotId} · ${t.takes.take(j.take)}`, fps: review.infos.get(id)?.media?.fps }] : [];
  });

  return (
    <section className="page takes" aria-labelledby="takes-title">
      <header className="takes-head">
        <h1 id="takes-title">{edit ? p.takes.of(edit.storyboard) : t.takes.title}</h1>
        {storyboardId && any && (
          <div className="takes-tools">
            <label>
              {tk.filter}{' '}
              <select value={filter} onChange={(e) => setFilter(e.target.value as Filter)}>
                {FILTERS.map((f) => (
                  <option key={f} value={f}>
                    {tk.filters[f]}
                  </option>
                ))}
              </select>
            </label>
            <button type="button" onClick={pickFirst}>
              {tk.pickFirst}
            </button>
            <span className="muted small">{tk.keys}</span>
          </div>
        )}
      </header>
      {(error ?? review.error) && (
        <p role="alert" className="error">
          {error ?? review.error}
        </p>
      )}
      {status && (
        <p role="status" data-testid="takes-note">
          {status}
        </p>
      )}
      {!storyboardId ? (
        <p className="empty">{p.takes.noProject}</p>
      ) : !any || !dir ? (
        <p className="empty">{t.takes.empty}</p>
      ) : (
        <div className="takes-body">
          {rows.length === 0 ? (
            <p className="empty">{tk.nothingHere}</p>
          ) : (
            <ContactSheet
              sheetRef={sheet}
              rows={rows}
              focus={at}
              dir={dir}
              stillsOf={(id) => {
                const x = review.infos.get(id);
                return x?.poster ? { poster: x.poster, filmstrip: x.filmstrip } : null;
              }}
              openId={opened?.jobId ?? null}
              compareIds={compareIds}
              notingId={notingId}
              onFocus={setFocus}
              onKey={onKey}
              onOpen={(c) => {
                setFocus(rows.flatMap((r, i) => (r.shotId === c.job.shotId ? [{ row: i, col: r.cells.indexOf(c) }] : []))[0] ?? at);
                open(c);
              }}
              onPick={pick}
              onNote={onNote}
              label={(row) => (
                <ShotLabel
                  row={row}
                  scene={sceneOfShot(mine, row.shotId)}
                  rerolling={rerolling}
                  onPlayScene={(file) => {
                    const src = dir ? mediaUrl(file, dir) : null;
                    if (src) setOpened({ jobId: null, src, title: row.shotId, marks: null });
                  }}
                  onReroll={() => askReroll(row.shotId)}
                  confirm={
                    asking?.shotId === row.shotId ? (
                      <RerollConfirm
                        ask={asking}
                        busy={rerolling}
                        onYes={() => reroll(asking)}
                        onNo={() => setAsking(null)}
                      />
                    ) : null
                  }
                />
              )}
            />
          )}
          <Dock
            opened={opened}
            compared={compared}
            marked={compareIds.length}
            focused={cell ? { job: cell.job, info: review.infos.get(cell.job.id) ?? null } : null}
            onMarks={(jobId, marks) => setReview({ jobId, marks })}
            onClose={() => setOpened(null)}
            onCloseCompare={() => setCompareIds([])}
          />
        </div>
      )}
    </section>
  );
}
