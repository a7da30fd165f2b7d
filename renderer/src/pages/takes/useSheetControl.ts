/**
 * What the contact sheet's keys and clicks do (issue 17 item 2): the cursor, the take open in the
 * viewer, the takes marked for comparison, the note being written; P picks through the edit
 * (edit.save, renderer/src/state/picks.ts), X / 1-5 / N / marks go to review.set. Nothing is
 * shown as done before the core answers.
 */
import { useState } from 'react';

import type { TakeInfo } from '../../../../shared/contract/review';
import { t } from '../../i18n/strings';
import { mediaUrl } from '../../lib/media';
import type { JobView } from '../../state/jobs';
import type { EditHandle } from '../../state/picks';
import type { Opened } from './Dock';
import type { KeyAction } from './keys';
import { clampFocus, moveFocus, type Cell, type Focus, type Row } from './sheet';
import type { Reviews } from './useReviews';

export interface SheetControl {
  at: Focus;
  cell: Cell | undefined;
  opened: Opened | null;
  compareIds: string[];
  notingId: string | null;
  /** Bumped to put the focus back on the sheet. */
  refocus: number;
  setFocus: (f: Focus) => void;
  onKey: (a: KeyAction) => void;
  onNote: (c: Cell, text: string | null) => void;
  open: (c: Cell) => void;
  openClip: (file: string, title: string) => void;
  pick: (c: Cell) => void;
  setMarks: (jobId: string, marks: { inS: number; outS: number } | null) => void;
  close: () => void;
  closeCompare: () => void;
  /** Compares up to four takes of a row (its playable ones, in take order). */
  compareRow: (row: Row) => void;
}

export function useSheetControl(
  rows: readonly Row[],
  jobs: readonly JobView[],
  dir: string | null,
  review: Reviews,
  edit: EditHandle,
  onError: (e: Error | null) => void,
): SheetControl {
  const [focus, setFocus] = useState<Focus>({ row: 0, col: 0 });
  const [opened, setOpened] = useState<Opened | null>(null);
  const [compareIds, setCompareIds] = useState<string[]>([]);
  const [notingId, setNotingId] = useState<string | null>(null);
  const [refocus, setRefocus] = useState(0);
  const at = clampFocus(rows, focus);
  const cell = rows[at.row]?.cells[at.col];
  const ok = (): void => onError(null);

  const pick = (c: Cell): void => {
    if (c.failed || !c.job.file) return;
    void edit.save({ picks: { [c.job.shotId]: c.picked ? null : c.job.file } }).then(ok, onError);
  };
  const openClip = (file: string, title: string, jobId: string | null = null, info?: TakeInfo, c?: Cell): void => {
    const src = dir ? mediaUrl(file, dir) : null;
    if (!src) return;
    setCompareIds([]);
    // Marks are the core's for a take it knows (review.set keeps them); else the player's own.
    const marks = info && c ? c.review.marks : undefined;
    setOpened((o) => ({
      seq: (o?.seq ?? 0) + 1,
      jobId,
      src,
      title,
      fps: info?.media?.fps,
      durationS: info?.media?.durationS,
      marks,
    }));
  };
  const open = (c: Cell): void => {
    if (c.failed || !c.job.file) return;
    const r = rows.findIndex((x) => x.shotId === c.job.shotId);
    if (r >= 0) setFocus({ row: r, col: Math.max(0, rows[r]?.cells.indexOf(c) ?? 0) });
    openClip(c.job.file, `${c.job.shotId} · ${t.takes.take(c.job.take)}`, c.job.id, review.infos.get(c.job.id), c);
  };
  const setReview = (patch: Parameters<Reviews['set']>[0], unpicks = false): void =>
    void review.set(patch).then(() => {
      ok();
      if (unpicks) edit.reload(); // the core un-picks a rejected take (electron/core/reviews)
    }, onError);
  const compare = (c: Cell): void =>
    setCompareIds((ids) => {
      const id = c.job.id;
      const sameShot = ids.filter((x) => jobs.find((j) => j.id === x)?.shotId === c.job.shotId);
      return sameShot.includes(id) ? sameShot.filter((x) => x !== id) : [...sameShot, id].slice(-4);
    });

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
    else if (!cell.failed) compare(cell);
  };
  const onNote = (c: Cell, text: string | null): void => {
    setNotingId(null);
    setRefocus((n) => n + 1);
    if (text !== null && text !== c.review.note) setReview({ jobId: c.job.id, note: text });
  };
  return {
    at,
    cell,
    opened,
    compareIds,
    notingId,
    refocus,
    setFocus,
    onKey,
    onNote,
    open,
    openClip: (file, title) => openClip(file, title),
    pick,
    // Marks on the picked take become its trim in the core: the edit is read again. The viewer
    // shows the marks the core kept (it refuses marks outside the clip).
    setMarks: (jobId, marks) =>
      void review.set({ jobId, marks }).then((x) => {
        ok();
        edit.reload();
        setOpened((o) => (o && o.jobId === jobId ? { ...o, marks: x.review.marks } : o));
      }, onError),
    close: () => {
      setOpened(null);
      setRefocus((n) => n + 1);
    },
    closeCompare: () => setCompareIds([]),
    compareRow: (row) =>
      setCompareIds(
        row.cells
          .filter((c) => !c.failed)
          .slice(0, 4)
          .map((c) => c.job.id),
      ),
  };
}
