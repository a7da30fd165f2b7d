/**
 * The contact sheet (issue 17 item 2): shots x takes, one fixed-height row per shot, windowed
 * by scrollTop so only the rows on screen (and two either side) are in the DOM: 200 shots stay
 * as quick as 10. The sheet is one focus stop; its keys (./keys.ts) move a cursor the page owns,
 * and the cursor's row is scrolled into view whenever it moves.
 */
import { useEffect, useLayoutEffect, useRef, useState, type ReactNode } from 'react';

import { tk } from '../../i18n/takes';
import { keyAction, type KeyAction } from './keys';
import { scrollToShow, windowRows, type Cell, type Focus, type Row } from './sheet';
import { TakeCell } from './TakeCell';
import type { Stills } from './usePoster';

/** Row height in px: fixed, so a row's place is its index times this (styles in renderer/src/takes.css). */
export const ROW_HEIGHT = 190;

export interface SheetProps {
  /** Bumped by the page to put the focus back on the sheet (after a note). */
  refocus: number;
  rows: Row[];
  focus: Focus;
  /** The data dir (media URLs are relative to it); null until the core said it. */
  dir: string | null;
  stillsOf: (jobId: string) => Stills | null | undefined;
  openId: string | null;
  compareIds: readonly string[];
  notingId: string | null;
  onFocus: (f: Focus) => void;
  onKey: (a: KeyAction) => void;
  onOpen: (c: Cell) => void;
  onPick: (c: Cell) => void;
  onNote: (c: Cell, text: string | null) => void;
  /** The shot's label column: number, name, scene tag, re-roll (and its question). */
  label: (row: Row) => ReactNode;
}

const typing = (t: EventTarget | null): boolean =>
  t instanceof HTMLElement && (t.isContentEditable || ['INPUT', 'TEXTAREA', 'SELECT'].includes(t.tagName));

export function ContactSheet(props: SheetProps): React.JSX.Element {
  const { rows, focus } = props;
  const box = useRef<HTMLDivElement>(null);
  const [view, setView] = useState({ top: 0, height: 800 });
  useLayoutEffect(() => {
    const el = box.current;
    if (!el) return;
    const measure = (): void => setView({ top: el.scrollTop, height: el.clientHeight || 800 });
    measure();
    const ro = new ResizeObserver(measure);
    ro.observe(el);
    return () => ro.disconnect();
  }, []);
  useEffect(() => {
    if (props.refocus > 0) box.current?.focus();
  }, [props.refocus]);
  // Keep the cursor's row on screen.
  useEffect(() => {
    const el = box.current;
    if (!el) return;
    const top = scrollToShow(focus.row, ROW_HEIGHT, el.scrollTop, el.clientHeight || view.height);
    if (top !== el.scrollTop) el.scrollTop = top;
  }, [focus.row, view.height]);
  const { from, to } = windowRows(rows.length, ROW_HEIGHT, view.top, view.height);
  const onKeyDown = (e: React.KeyboardEvent): void => {
    if (typing(e.target)) return;
    // A button's own Enter/Space (Pick, Re-roll, a confirm) stays the button's.
    if (e.target instanceof HTMLButtonElement && (e.key === 'Enter' || e.key === ' ')) return;
    const a = keyAction(e);
    if (!a) return;
    e.preventDefault();
    props.onKey(a);
  };
  return (
    <div
      ref={box}
      className="sheet"
      role="group"
      tabIndex={0}
      aria-label={tk.sheet}
      data-testid="contact-sheet"
      onKeyDown={onKeyDown}
      onScroll={(e) => setView({ top: e.currentTarget.scrollTop, height: e.currentTarget.clientHeight || 800 })}
    >
      <div className="sheet-space" style={{ height: rows.length * ROW_HEIGHT }}>
        {rows.slice(from, to).map((row, k) => {
          const r = from + k;
          return (
            <section
              key={row.shotId}
              className={`sheet-row${r === focus.row ? ' current' : ''}`}
              aria-label={`Takes of ${row.shotId}`}
              data-testid="sheet-row"
              style={{ top: r * ROW_HEIGHT, height: ROW_HEIGHT }}
            >
              <div className="sheet-label">{props.label(row)}</div>
              <ul className="take-grid">
                {row.cells.map((cell, c) => (
                  <TakeCell
                    key={cell.job.id}
                    cell={cell}
                    dir={props.dir}
                    stills={props.stillsOf(cell.job.id)}
                    focused={r === focus.row && c === focus.col}
                    open={props.openId === cell.job.id}
                    comparing={props.compareIds.includes(cell.job.id)}
                    noting={props.notingId === cell.job.id}
                    onFocus={() => props.onFocus({ row: r, col: c })}
                    onOpen={() => props.onOpen(cell)}
                    onPick={() => props.onPick(cell)}
                    onNote={(text) => props.onNote(cell, text)}
                  />
                ))}
              </ul>
            </section>
          );
        })}
      </div>
    </div>
  );
}
