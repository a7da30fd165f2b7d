/**
 * The Takes page's contact sheet model (renderer/src/pages/takes/sheet.ts) and keys (keys.ts):
 * rows in storyboard order with takes by number, the filters, the cursor, the window of rows.
 */
import { describe, expect, it } from 'vitest';

import { keyAction } from '../../../renderer/src/pages/takes/keys';
import {
  buildRows,
  clampFocus,
  moveFocus,
  scrollToShow,
  windowRows,
  type TakeReview,
} from '../../../renderer/src/pages/takes/sheet';
import type { JobView } from '../../../shared/queue';

const fakeJob = (
  j: Pick<JobView, 'id' | 'batchId' | 'storyboard' | 'shotId' | 'take' | 'state' | 'file'>,
): JobView => ({
  storyboardId: 'sb',
  attempts: 1,
  stateSince: '2026-01-01T00:00:00Z',
  priority: 0,
  units: 1,
  model: 'kling-2.5-turbo',
  externalTaskId: `ext-${j.id}`,
  taskId: null,
  error: null,
  errorCode: null,
  fix: null,
  retryable: false,
  expiresAt: null,
  nextAt: null,
  subject: null,
  ...j,
});
const job = (
  shotId: string,
  take: number,
  state: JobView['state'] = 'done',
  file: string | null = `/d/${shotId}-${take}.mp4`,
) => fakeJob({ id: `${shotId}#${take}`, batchId: 'b', storyboard: 's', shotId, take, state, file });

const JOBS = [
  job('b', 2),
  job('a', 1),
  job('b', 1),
  job('a', 2, 'failed', null),
  job('c', 1, 'done', null), // removed from disk
  job('a', 3, 'running', null),
];
const review = (r: Partial<TakeReview>): TakeReview => ({ rejected: false, rating: null, note: '', marks: null, ...r });

describe('contact sheet rows', () => {
  it('keeps storyboard order, sorts takes by number, shows failed takes and counts removed ones', () => {
    const rows = buildRows({ shots: ['b', 'a', 'c'], jobs: JOBS, picks: {}, reviews: new Map(), filter: 'all' });
    expect(
      rows.map((r) => [r.shotId, r.number, r.cells.map((c) => `${c.job.take}${c.failed ? 'F' : ''}`), r.removed]),
    ).toEqual([
      ['b', 1, ['1', '2'], 0],
      ['a', 2, ['1', '2F'], 0],
      ['c', 3, [], 1],
    ]);
  });

  it('filters picked, unrated, rejected and failed takes; rows with nothing left go', () => {
    const reviews = new Map([
      ['b#1', review({ rating: 4 })],
      ['b#2', review({ rejected: true })],
    ]);
    const picks = { a: '/d/a-1.mp4' };
    const of = (filter: Parameters<typeof buildRows>[0]['filter']) =>
      buildRows({ shots: ['b', 'a', 'c'], jobs: JOBS, picks, reviews, filter }).map(
        (r) => `${r.shotId}:${r.cells.map((c) => c.job.take).join('')}`,
      );
    expect(of('picked')).toEqual(['a:1']);
    expect(of('unrated')).toEqual(['a:1']);
    expect(of('rejected')).toEqual(['b:2']);
    expect(of('failed')).toEqual(['a:2']);
  });
});

describe('the cursor and the window', () => {
  const rows = buildRows({ shots: ['b', 'a', 'c'], jobs: JOBS, picks: {}, reviews: new Map(), filter: 'all' });
  it('moves between takes and shots and stays on a cell that exists', () => {
    expect(moveFocus(rows, { row: 0, col: 0 }, 'right')).toEqual({ row: 0, col: 1 });
    expect(moveFocus(rows, { row: 0, col: 1 }, 'right')).toEqual({ row: 0, col: 1 });
    expect(moveFocus(rows, { row: 0, col: 1 }, 'up')).toEqual({ row: 0, col: 1 });
    expect(moveFocus(rows, { row: 0, col: 1 }, 'down')).toEqual({ row: 1, col: 1 });
    expect(moveFocus(rows, { row: 1, col: 1 }, 'left')).toEqual({ row: 1, col: 0 });
    expect(clampFocus(rows.slice(0, 1), { row: 5, col: 5 })).toEqual({ row: 0, col: 1 });
  });
  it('renders the visible rows and two either side, and scrolls as little as needed', () => {
    expect(windowRows(200, 190, 0, 760)).toEqual({ from: 0, to: 6 });
    expect(windowRows(200, 190, 190 * 100, 760)).toEqual({ from: 98, to: 106 });
    expect(windowRows(3, 190, 0, 760)).toEqual({ from: 0, to: 3 });
    expect(scrollToShow(10, 190, 0, 760)).toBe(11 * 190 - 760);
    expect(scrollToShow(2, 190, 1900, 760)).toBe(380);
    expect(scrollToShow(3, 190, 380, 760)).toBe(380);
  });
});

describe('keys', () => {
  const k = (key: string, mods: { ctrlKey?: boolean } = {}) =>
    keyAction({ key, ctrlKey: false, metaKey: false, altKey: false, ...mods });
  it('maps the review keys', () => {
    expect(k('ArrowDown')).toEqual({ kind: 'move', dir: 'down' });
    expect(k('p')).toEqual({ kind: 'pick' });
    expect(k('X')).toEqual({ kind: 'reject' });
    expect(k('3')).toEqual({ kind: 'rate', rating: 3 });
    expect(k('0')).toEqual({ kind: 'rate', rating: null });
    expect(k('n')).toEqual({ kind: 'note' });
    expect(k(' ')).toEqual({ kind: 'open' });
    expect(k('Enter')).toEqual({ kind: 'open' });
    expect(k('c')).toEqual({ kind: 'compare' });
    expect(k('6')).toBeNull();
    expect(k('p', { ctrlKey: true })).toBeNull();
  });
});
