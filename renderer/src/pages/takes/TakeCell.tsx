/**
 * One cell of the contact sheet: the poster (filmstrip on hover), the take's number, its
 * rating, reject and note marks, Pick and Show in folder; a failed or blocked take shows its
 * error and fix instead. The focused cell is outlined; N opens the note box here.
 */
import { useEffect, useRef, useState } from 'react';

import { el } from '../../i18n/elements';
import { t } from '../../i18n/strings';
import { tk } from '../../i18n/takes';
import { call } from '../../lib/api';
import { mediaUrl } from '../../lib/media';
import { daysLeftOf, type Cell } from './sheet';
import { useStills, type Stills } from './usePoster';

export interface CellProps {
  cell: Cell;
  /** The data dir (media URLs are relative to it); null until the core said it. */
  dir: string | null;
  /** The core's poster and filmstrip; null: none yet; undefined: not answered yet. */
  stills: Stills | null | undefined;
  focused: boolean;
  open: boolean;
  comparing: boolean;
  noting: boolean;
  onFocus: () => void;
  onOpen: () => void;
  onPick: () => void;
  onNote: (text: string | null) => void;
}

function NoteBox({
  initial,
  label,
  onDone,
}: {
  initial: string;
  label: string;
  onDone: (text: string | null) => void;
}) {
  const [text, setText] = useState(initial);
  const ref = useRef<HTMLInputElement>(null);
  // Enter or Escape ends the box once; the blur its removal may cause must not end it again.
  const ended = useRef(false);
  const end = (v: string | null): void => {
    if (ended.current) return;
    ended.current = true;
    onDone(v);
  };
  useEffect(() => ref.current?.focus(), []);
  return (
    <input
      ref={ref}
      className="note-box"
      aria-label={label}
      title={tk.noteHint}
      value={text}
      maxLength={2000}
      onChange={(e) => setText(e.target.value)}
      onKeyDown={(e) => {
        e.stopPropagation();
        if (e.key === 'Enter') end(text);
        else if (e.key === 'Escape') end(null);
      }}
      onBlur={() => end(null)}
    />
  );
}

function FailedCell({ cell }: { cell: Cell }): React.JSX.Element {
  const { job } = cell;
  return (
    <>
      <div className="failed-what">{tk.failedTake(job.take, job.state)}</div>
      {job.error && <div className="error">{job.error}</div>}
      {job.fix && <div className="fix">{tk.fix(job.fix)}</div>}
    </>
  );
}

export function TakeCell(props: CellProps): React.JSX.Element {
  const { cell, dir, focused, open, comparing, noting } = props;
  const { job, review } = cell;
  const [hover, setHover] = useState(false);
  const [revealError, setRevealError] = useState<string | null>(null);
  const file = cell.failed ? null : job.file;
  const { still, error } = useStills(file, props.stills, hover);
  const src = still && dir ? mediaUrl(still, dir) : null;
  const days = daysLeftOf(job.expiresAt);
  const cls = [
    'take',
    cell.picked && 'picked',
    review.rejected && 'rejected',
    cell.failed && 'failed',
    focused && 'focused',
    open && 'open',
    comparing && 'comparing',
  ];
  const line = [
    job.scene ? `${el.takes.scene(job.scene.id)} · ${el.takes.shared(job.scene.shotIds.length)}` : null,
    days === null ? null : t.takes.daysLeft(days),
  ];
  return (
    <li
      className={cls.filter(Boolean).join(' ')}
      data-testid={cell.failed ? 'take-failed' : 'take'}
      data-take={`${job.shotId}#${job.take}`}
      aria-current={focused ? 'true' : undefined}
      onMouseDown={props.onFocus}
    >
      {cell.failed ? (
        <FailedCell cell={cell} />
      ) : (
        <>
          <button
            type="button"
            className="poster"
            tabIndex={-1}
            aria-label={t.takes.play(job.take, job.shotId)}
            onClick={props.onOpen}
            onMouseEnter={() => setHover(true)}
            onMouseLeave={() => setHover(false)}
          >
            {src ? <img src={src} alt="" /> : <span className="muted">{error ?? '…'}</span>}
          </button>
          <div className="row">
            <span className="take-no">{t.takes.take(job.take)}</span>
            {review.rating !== null && (
              <span className="stars" aria-label={tk.rating(review.rating)} data-testid="take-rating">
                {tk.stars(review.rating)}
              </span>
            )}
            {review.rejected && <span className="reject-tag">{tk.rejected}</span>}
            <button type="button" tabIndex={-1} aria-pressed={cell.picked} onClick={props.onPick}>
              {cell.picked ? t.takes.picked : t.takes.pick}
            </button>
            <button
              type="button"
              tabIndex={-1}
              className="reveal"
              aria-label={t.takes.showInFolderOf(job.take, job.shotId)}
              title={t.takes.showInFolder}
              onClick={() =>
                void call('app.showInFolder', { path: job.file ?? '' }).then(
                  () => setRevealError(null),
                  (e: Error) => setRevealError(e.message),
                )
              }
            >
              {t.takes.showInFolder}
            </button>
          </div>
        </>
      )}
      {noting ? (
        <NoteBox initial={review.note} label={tk.noteOf(job.take, job.shotId)} onDone={props.onNote} />
      ) : (
        review.note && (
          <div className="note" title={review.note} data-testid="take-note">
            {review.note}
          </div>
        )
      )}
      <div className="muted small" title={line.filter(Boolean).join(' · ')}>
        {job.scene && (
          <span className="scene-tag" data-testid="take-scene">
            {line[0]}
            {job.taskId ? ` · ${el.takes.sharedTask(job.taskId)}` : ''}
          </span>
        )}{' '}
        {line[1]}
      </div>
      {revealError && (
        <div role="alert" className="error">
          {revealError}
        </div>
      )}
    </li>
  );
}
