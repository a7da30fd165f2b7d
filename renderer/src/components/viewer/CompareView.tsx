/**
 * 2-4 takes of a shot together (issue 17 item 2): side by side, or an A/B wipe of two (A over B,
 * clipped at a draggable divider), with one synced transport (./useSyncedPlayback.ts). Keys while
 * it has focus: Space play/pause, K pause, L play, ←/→ a frame, Shift+←/→ a second, Esc closes.
 * Only one take is heard (the first, or A in the wipe): four soundtracks at once help nobody.
 */
import { useCallback, useRef, useState } from 'react';

import { vw } from '../../i18n/viewer';
import { playerAction } from './keys';
import { DEFAULT_FPS, frameAt, frameCount, timecode } from './timecode';
import { useSyncedPlayback } from './useSyncedPlayback';
import { WipeDivider } from './WipeDivider';

export interface CompareTake {
  src: string;
  title: string;
  fps?: number;
}

export interface CompareViewProps {
  takes: CompareTake[];
  onClose?: () => void;
}

function TakePicker({
  label,
  name,
  takes,
  value,
  onChange,
}: {
  label: string;
  name: string;
  takes: CompareTake[];
  value: number;
  onChange: (i: number) => void;
}): React.JSX.Element {
  return (
    <label className="viewer-pick">
      {label}{' '}
      <select aria-label={name} value={value} onChange={(e) => onChange(Number(e.currentTarget.value))}>
        {takes.map((t, i) => (
          <option key={`${t.src}-${i}`} value={i}>
            {t.title}
          </option>
        ))}
      </select>
    </label>
  );
}

export function CompareView({ takes, onClose }: CompareViewProps): React.JSX.Element {
  const [mode, setMode] = useState<'side' | 'wipe'>('side');
  const [a, setA] = useState(0);
  const [b, setB] = useState(1);
  const [pos, setPos] = useState(50);
  const box = useRef<HTMLDivElement | null>(null);
  const fps = takes[0]?.fps ?? DEFAULT_FPS;
  const shown = mode === 'side' ? takes.map((_, i) => i) : [a, b];
  const key = `${mode}:${shown.join(',')}:${takes.map((t) => t.src).join('|')}`;
  // The elements on screen in `shown` order (the lead first), read from the DOM at call time.
  const videos = useCallback(
    () =>
      Array.from(box.current?.querySelectorAll<HTMLVideoElement>('video[data-lead]') ?? []).sort(
        (x, y) => Number(x.dataset.lead) - Number(y.dataset.lead),
      ),
    [],
  );
  const sync = useSyncedPlayback(videos, fps, key);
  const count = frameCount(sync.duration, fps);
  const frame = Math.min(frameAt(sync.time, fps), Math.max(0, count - 1));

  if (takes.length < 2 || takes.length > 4)
    return (
      <p role="alert" className="error">
        {vw.compare.tooFew(takes.length)}
      </p>
    );

  const onKeyDown = (e: React.KeyboardEvent): void => {
    if ((e.target as HTMLElement).tagName === 'SELECT') return;
    const act = playerAction(e);
    const second = Math.round(fps);
    const actions: Partial<Record<NonNullable<typeof act>, () => void>> = {
      playPause: sync.togglePlay,
      pause: sync.pause,
      forward: () => !sync.playing && sync.togglePlay(),
      prevFrame: () => sync.step(-1),
      nextFrame: () => sync.step(1),
      prevSecond: () => sync.step(-second),
      nextSecond: () => sync.step(second),
      start: () => sync.step(-frame),
      close: () => onClose?.(),
    };
    const run = act && actions[act];
    if (!run || (act === 'close' && !onClose)) return;
    e.preventDefault();
    e.stopPropagation();
    run();
  };

  const video = (i: number, lead: number, extra?: React.CSSProperties): React.JSX.Element => {
    const take = takes[i];
    return (
      <video
        key={`${i}-${take?.src ?? ''}`}
        src={take?.src}
        preload="auto"
        playsInline
        muted={lead !== 0}
        data-lead={lead}
        aria-label={vw.video(take?.title ?? '')}
        style={extra}
      />
    );
  };

  return (
    <div
      ref={box}
      className="viewer-compare"
      role="group"
      aria-label={vw.compare.title(takes.length)}
      tabIndex={0}
      onKeyDown={onKeyDown}
      data-testid="compare-view"
    >
      <div className="viewer-compare-modes" role="toolbar" aria-label={vw.compare.title(takes.length)}>
        <button type="button" aria-pressed={mode === 'side'} onClick={() => setMode('side')}>
          {vw.compare.sideBySide}
        </button>
        <button type="button" aria-pressed={mode === 'wipe'} onClick={() => setMode('wipe')}>
          {vw.compare.wipe}
        </button>
        {mode === 'wipe' && (
          <>
            <TakePicker label={vw.compare.a} name={vw.compare.pickA} takes={takes} value={a} onChange={setA} />
            <TakePicker label={vw.compare.b} name={vw.compare.pickB} takes={takes} value={b} onChange={setB} />
          </>
        )}
        {onClose && (
          <button type="button" aria-label={vw.compare.close} title={vw.compare.close} onClick={onClose}>
            ✕
          </button>
        )}
      </div>
      {mode === 'side' ? (
        <div className={`viewer-compare-grid n${takes.length}`}>
          {takes.map((t, i) => (
            <figure key={`${t.src}-${i}`} className="viewer-stage">
              {video(i, i)}
              <figcaption>{t.title}</figcaption>
            </figure>
          ))}
        </div>
      ) : (
        <div className="viewer-stage viewer-wipe" data-testid="wipe">
          {video(b, 1)}
          {video(a, 0, { clipPath: `inset(0 ${100 - pos}% 0 0)` })}
          <span className="viewer-wipe-tag a">{takes[a]?.title}</span>
          <span className="viewer-wipe-tag b">{takes[b]?.title}</span>
          <WipeDivider pos={pos} onPos={setPos} />
        </div>
      )}
      <div className="viewer-info">
        <button
          type="button"
          className="viewer-play"
          aria-label={sync.playing ? vw.pauseSpace : vw.play}
          onClick={sync.togglePlay}
        >
          {sync.playing ? '❚❚' : '▶'}
        </button>
        <button type="button" aria-label={vw.prevFrame} title={vw.prevFrame} onClick={() => sync.step(-1)}>
          −1f
        </button>
        <button type="button" aria-label={vw.nextFrame} title={vw.nextFrame} onClick={() => sync.step(1)}>
          +1f
        </button>
        <output className="viewer-tc" aria-label={vw.timecode} data-testid="timecode">
          {timecode(frame / fps, fps)}
        </output>
        <span className="muted" data-testid="frame">
          {vw.frame(frame, count)}
        </span>
        <span className="muted">{vw.compare.sound(takes[mode === 'side' ? 0 : a]?.title ?? '')}</span>
      </div>
    </div>
  );
}
