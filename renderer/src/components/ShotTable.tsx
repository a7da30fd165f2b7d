/**
 * The Storyboard page's table view (issue 17 item 6): one row per shot with its pictures and
 * settings, multi-select like a file manager (state/storyboard-selection.ts) and virtualised
 * (only the rows on screen, plus a few, are in the DOM), so 200 shots scroll like 20.
 */
import { memo, useEffect, useLayoutEffect, useRef, useState, type KeyboardEvent, type MouseEvent } from 'react';

import { CAPABILITIES } from '../../../shared/kling';
import { sp } from '../i18n/storyboard-pictures';
import type { PickedTake } from '../lib/posters';
import type { Shot } from '../state/storyboard';
import type { DraftCheck } from '../state/storyboard-check';
import type { Mods } from '../state/storyboard-selection';
import { FrameThumb, PickPoster } from './ShotPictures';

/** Row height in px (storyboard-pictures.css .shot-table tr): the virtual window is computed from it. */
export const ROW_HEIGHT = 44;
const OVERSCAN = 6;

interface Props {
  shots: readonly Shot[];
  /** The shot the editor shows. */
  current: number;
  selection: ReadonlySet<number>;
  check: DraftCheck;
  picks: ReadonlyMap<string, PickedTake>;
  onClick: (index: number, mods: Mods) => void;
  onSelectAll: () => void;
}

const modsOf = (e: MouseEvent | KeyboardEvent): Mods => ({ shift: e.shiftKey, toggle: e.ctrlKey || e.metaKey });

/** A row re-renders only when its own shot or state changes, not on every scroll step. */
const Row = memo(function Row({
  shot: s,
  index: i,
  current,
  selected,
  bad,
  pick,
  onClick,
}: {
  shot: Shot;
  index: number;
  current: boolean;
  selected: boolean;
  bad: boolean;
  pick: PickedTake | undefined;
  onClick: Props['onClick'];
}): React.JSX.Element {
  return (
    <tr
      data-testid="shot-row"
      data-index={i}
      aria-rowindex={i + 2}
      aria-selected={selected}
      aria-current={current ? 'true' : undefined}
      aria-label={sp.rowLabel(i + 1, s.id)}
      className={`${selected ? 'selected' : ''}${current ? ' current' : ''}${bad ? ' bad' : ''}`}
      onMouseDown={(e) => e.shiftKey && e.preventDefault() /* no text selection on Shift+click */}
      onClick={(e) => onClick(i, modsOf(e))}
    >
      <td className="num">{i + 1}</td>
      <td>
        <FrameThumb value={s.startImage} which="start" />
      </td>
      <td>
        <FrameThumb value={s.endImage} which="end" />
      </td>
      <td>{pick && <PickPoster pick={pick} />}</td>
      <td className="id">
        {s.id}
        {bad && (
          <span className="tag bad" title="Kling would refuse this shot">
            !
          </span>
        )}
      </td>
      <td className="prompt" title={s.prompt}>
        {s.prompt}
      </td>
      <td>{CAPABILITIES[s.model]?.label ?? s.model}</td>
      <td>{s.resolution}</td>
      <td>{s.duration} s</td>
      <td>×{s.takes}</td>
    </tr>
  );
});

export function ShotTable({ shots, current, selection, check, picks, onClick, onSelectAll }: Props): React.JSX.Element {
  const scroller = useRef<HTMLDivElement>(null);
  // The first row on screen (not the pixel offset): the window moves, and renders, once per row crossed.
  const [topRow, setTopRow] = useState(0);
  const [height, setHeight] = useState(800);
  useLayoutEffect(() => {
    const el = scroller.current;
    if (!el) return;
    setHeight(el.clientHeight);
    const ro = new ResizeObserver(() => setHeight(el.clientHeight));
    ro.observe(el);
    return () => ro.disconnect();
  }, []);
  // The editor's shot stays in view (keyboard moves, a shot added in the editor).
  useEffect(() => {
    const el = scroller.current;
    if (!el || current < 0) return;
    const y = current * ROW_HEIGHT;
    const head = ROW_HEIGHT;
    if (y < el.scrollTop) el.scrollTop = y;
    else if (y + ROW_HEIGHT > el.scrollTop + el.clientHeight - head)
      el.scrollTop = y + ROW_HEIGHT - el.clientHeight + head;
  }, [current]);
  const first = Math.max(0, topRow - OVERSCAN);
  const last = Math.min(shots.length, topRow + Math.ceil(height / ROW_HEIGHT) + 1 + OVERSCAN);
  const onKeyDown = (e: KeyboardEvent<HTMLDivElement>): void => {
    const mod = e.ctrlKey || e.metaKey;
    if (mod && !e.altKey && e.key.toLowerCase() === 'a') {
      e.preventDefault();
      onSelectAll();
    } else if (!e.altKey && (e.key === 'ArrowDown' || e.key === 'ArrowUp')) {
      e.preventDefault();
      const to = current + (e.key === 'ArrowDown' ? 1 : -1);
      if (to >= 0 && to < shots.length) onClick(to, { shift: e.shiftKey, toggle: false });
    }
  };
  return (
    <div
      ref={scroller}
      className="shot-table-scroll"
      tabIndex={0}
      data-testid="shot-table"
      onScroll={(e) => setTopRow(Math.floor(e.currentTarget.scrollTop / ROW_HEIGHT))}
      onKeyDown={onKeyDown}
    >
      <table
        className="shot-table"
        role="grid"
        aria-label={sp.tableLabel}
        aria-multiselectable="true"
        aria-rowcount={shots.length + 1}
      >
        <colgroup>
          <col className="c-num" />
          <col className="c-pic" />
          <col className="c-pic" />
          <col className="c-pic" />
          <col className="c-id" />
          <col />
          <col className="c-model" />
          <col className="c-short" />
          <col className="c-short" />
          <col className="c-short" />
        </colgroup>
        <thead>
          <tr aria-rowindex={1}>
            {Object.values(sp.col).map((c) => (
              <th key={c} scope="col">
                {c}
              </th>
            ))}
          </tr>
        </thead>
        <tbody>
          {first > 0 && <tr aria-hidden="true" className="spacer" style={{ height: first * ROW_HEIGHT }} />}
          {shots.slice(first, last).map((s, k) => {
            const i = first + k;
            return (
              <Row
                key={`${s.id}-${i}`}
                shot={s}
                index={i}
                current={i === current}
                selected={selection.has(i)}
                bad={(check.perShot[i]?.length ?? 0) > 0}
                pick={picks.get(s.id)}
                onClick={onClick}
              />
            );
          })}
          {last < shots.length && (
            <tr aria-hidden="true" className="spacer" style={{ height: (shots.length - last) * ROW_HEIGHT }} />
          )}
        </tbody>
      </table>
    </div>
  );
}
