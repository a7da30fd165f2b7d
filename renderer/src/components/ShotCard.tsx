/**
 * One shot in the Storyboard page's list (renderer/src/pages/StoryboardPage.tsx): selection,
 * drag to reorder, arrow keys, move/duplicate/delete buttons, tags for what the shot uses, and its
 * pictures (ShotPictures.tsx: start/end frames, the picked take's poster).
 */
import { t } from '../i18n/strings';
import type { PickedTake } from '../lib/posters';
import type { Action, Shot } from '../state/storyboard';
import { ShotPictures } from './ShotPictures';

interface Props {
  shot: Shot;
  index: number;
  count: number;
  selected: boolean;
  dragging: boolean;
  /** The validator has a problem with this shot. */
  bad: boolean;
  /** The picked take's clip after a batch (edit.get picks), for its poster. */
  pick?: PickedTake | undefined;
  dispatch: (a: Action) => void;
  onDragStart: () => void;
  onDrop: () => void;
  onDragEnd: () => void;
}

export function ShotCard({
  shot: s,
  index: i,
  count,
  selected,
  dragging,
  bad,
  pick,
  dispatch,
  onDragStart,
  onDrop,
  onDragEnd,
}: Props): React.JSX.Element {
  return (
    <li
      data-index={i}
      data-testid="shot-card"
      tabIndex={selected ? 0 : -1}
      aria-current={selected ? 'true' : undefined}
      aria-label={`${t.storyboard.shot} ${i + 1}: ${s.id}`}
      className={`shot-card${selected ? ' selected' : ''}${dragging ? ' dragging' : ''}`}
      draggable
      onDragStart={onDragStart}
      onDragOver={(e) => e.preventDefault()}
      onDrop={(e) => {
        e.preventDefault();
        onDrop();
      }}
      onDragEnd={onDragEnd}
      onClick={() => dispatch({ type: 'select', index: i })}
      onFocus={(e) => {
        if (e.target === e.currentTarget && !selected) dispatch({ type: 'select', index: i });
      }}
      onKeyDown={(e) => {
        if (e.target !== e.currentTarget || e.altKey) return;
        if (e.key === 'ArrowDown' || e.key === 'ArrowUp') {
          e.preventDefault();
          const to = i + (e.key === 'ArrowDown' ? 1 : -1);
          if (to >= 0 && to < count) dispatch({ type: 'select', index: to });
        }
      }}
    >
      <div className="card-head">
        <span className="num">{i + 1}</span>
        <strong>{s.id}</strong>
        {bad && (
          <span className="tag bad" title="Kling would refuse this shot">
            !
          </span>
        )}
        {s.startImage === '@previous' && <span className="tag">chain</span>}
        {s.camera && <span className="tag">cam</span>}
        {s.audio === 'native' && <span className="tag">audio</span>}
        {s.elements?.length ? <span className="tag">{s.elements.map((e) => `@${e}`).join(' ')}</span> : null}
        {s.motionReference && <span className="tag">motion</span>}
      </div>
      <ShotPictures start={s.startImage} end={s.endImage} pick={pick} />
      <div className="card-prompt">{s.prompt || <em className="muted">no prompt</em>}</div>
      <div className="card-meta">
        {s.model} · {s.resolution} · {s.duration} s · {s.aspectRatio} · ×{s.takes}
      </div>
      <div className="card-actions">
        <button
          type="button"
          aria-label={`${t.storyboard.up}: ${s.id}`}
          disabled={i === 0}
          onClick={(e) => (e.stopPropagation(), dispatch({ type: 'move', from: i, to: i - 1 }))}
        >
          ↑
        </button>
        <button
          type="button"
          aria-label={`${t.storyboard.down}: ${s.id}`}
          disabled={i === count - 1}
          onClick={(e) => (e.stopPropagation(), dispatch({ type: 'move', from: i, to: i + 1 }))}
        >
          ↓
        </button>
        <button
          type="button"
          aria-label={`${t.storyboard.duplicate}: ${s.id}`}
          onClick={(e) => (e.stopPropagation(), dispatch({ type: 'duplicate', index: i }))}
        >
          Dup
        </button>
        <button
          type="button"
          aria-label={`${t.storyboard.remove}: ${s.id}`}
          onClick={(e) => (e.stopPropagation(), dispatch({ type: 'remove', index: i }))}
        >
          ✕
        </button>
      </div>
    </li>
  );
}
