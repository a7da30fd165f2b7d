/**
 * The contact sheet's model (issue 17 item 2), pure so it is tested without a page: rows are the
 * storyboard's shots in storyboard order, cells are their takes by take number; filters keep the
 * cells a reviewer asks for; focus moves like a spreadsheet's cursor.
 */
import type { JobView } from '../../../../shared/queue';

/** What the page knows of a take's review (the core's review data, or nothing yet). */
export interface TakeReview {
  rejected: boolean;
  rating: number | null;
  note: string;
  marks: { inS: number; outS: number } | null;
}

export const NO_REVIEW: TakeReview = { rejected: false, rating: null, note: '', marks: null };

/** One cell: a done take with a clip, or a take that failed or was blocked (shown with its error and fix). */
export interface Cell {
  job: JobView;
  review: TakeReview;
  picked: boolean;
  /** failed or blocked: nothing to play, the error and the fix to show. */
  failed: boolean;
}

export interface Row {
  shotId: string;
  /** 1-based place in the storyboard (kept when a filter hides rows above). */
  number: number;
  cells: Cell[];
  /** Done takes whose clip is gone from disk (retention, or deleted by hand). */
  removed: number;
}

export const FILTERS = ['all', 'picked', 'unrated', 'rejected', 'failed'] as const;
export type Filter = (typeof FILTERS)[number];

function keep(c: Cell, filter: Filter): boolean {
  switch (filter) {
    case 'all':
      return true;
    case 'picked':
      return c.picked;
    case 'unrated':
      return !c.failed && !c.review.rejected && c.review.rating === null;
    case 'rejected':
      return c.review.rejected;
    case 'failed':
      return c.failed;
  }
}

export interface SheetInput {
  /** Shot ids in storyboard order (the edit's shots), or those the jobs name when the edit is not loaded. */
  shots: readonly string[];
  /** The storyboard's jobs (any state). */
  jobs: readonly JobView[];
  picks: Readonly<Record<string, string>>;
  reviews: ReadonlyMap<string, TakeReview>;
  filter: Filter;
}

/**
 * Rows of the sheet. A shot with no cell left after the filter is not a row, except under "all"
 * where a shot whose takes were all removed from disk keeps its row (with the removed hint).
 */
export function buildRows({ shots, jobs, picks, reviews, filter }: SheetInput): Row[] {
  const byShot = new Map<string, JobView[]>();
  for (const j of jobs) {
    const list = byShot.get(j.shotId);
    if (list) list.push(j);
    else byShot.set(j.shotId, [j]);
  }
  const rows: Row[] = [];
  shots.forEach((shotId, i) => {
    const mine = byShot.get(shotId) ?? [];
    let removed = 0;
    const cells: Cell[] = [];
    for (const job of mine) {
      const done = job.state === 'done';
      if (done && !job.file) removed += 1;
      const failed = job.state === 'failed' || job.state === 'blocked';
      if (!(done && job.file) && !failed) continue;
      const cell: Cell = {
        job,
        review: reviews.get(job.id) ?? NO_REVIEW,
        picked: done && picks[shotId] === job.file,
        failed,
      };
      if (keep(cell, filter)) cells.push(cell);
    }
    cells.sort((a, b) => a.job.take - b.job.take);
    if (cells.length > 0 || (filter === 'all' && removed > 0)) rows.push({ shotId, number: i + 1, cells, removed });
  });
  return rows;
}

/** The widest row: how many take columns the sheet has. */
export const columnCount = (rows: readonly Row[]): number => rows.reduce((n, r) => Math.max(n, r.cells.length), 1);

export interface Focus {
  row: number;
  col: number;
}

/** The focus moved by an arrow key, kept on a cell that exists (a row of fewer takes clamps the column). */
export function moveFocus(rows: readonly Row[], f: Focus, d: 'left' | 'right' | 'up' | 'down'): Focus {
  if (rows.length === 0) return { row: 0, col: 0 };
  const row = Math.max(0, Math.min(rows.length - 1, f.row + (d === 'down' ? 1 : d === 'up' ? -1 : 0)));
  const width = rows[row]?.cells.length ?? 0;
  const col = Math.max(0, Math.min(width - 1, f.col + (d === 'right' ? 1 : d === 'left' ? -1 : 0)));
  return { row, col };
}

/** The focus kept inside the rows after they changed (a filter, a new take). */
export function clampFocus(rows: readonly Row[], f: Focus): Focus {
  const row = Math.max(0, Math.min(rows.length - 1, f.row));
  const col = Math.max(0, Math.min((rows[row]?.cells.length ?? 1) - 1, f.col));
  return { row, col };
}

/** Rows to render for a scroll position: the visible ones and `overscan` either side. */
export function windowRows(
  count: number,
  rowHeight: number,
  scrollTop: number,
  viewHeight: number,
  overscan = 2,
): { from: number; to: number } {
  const from = Math.max(0, Math.floor(scrollTop / rowHeight) - overscan);
  const to = Math.min(count, Math.ceil((scrollTop + viewHeight) / rowHeight) + overscan);
  return { from, to };
}

/** The scrollTop that shows row `i` whole, moving as little as possible. */
export function scrollToShow(i: number, rowHeight: number, scrollTop: number, viewHeight: number): number {
  const top = i * rowHeight;
  if (top < scrollTop) return top;
  if (top + rowHeight > scrollTop + viewHeight) return Math.max(0, top + rowHeight - viewHeight);
  return scrollTop;
}

/** Days before Kling deletes the result (its URLs live 30 days), or null when not known. */
export function daysLeftOf(iso: string | null | undefined, now = Date.now()): number | null {
  if (!iso) return null;
  return Math.ceil((Date.parse(iso) - now) / 86_400_000);
}
