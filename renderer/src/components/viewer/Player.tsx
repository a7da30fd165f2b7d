/**
 * The one player of the app (issue 17 item 1): J/K/L shuttle, Space, ←/→ a frame, Shift+←/→ a
 * second, I/O marks (frame edges, see ./timecode.ts), loop of the marked range (Ctrl+L),
 * F full screen, timecode and frame number, an audio meter when the clip has sound, and a
 * button for every key. Keys act while the player has focus; keys it does not use bubble to the
 * page. The <video> gets its URL at once with preload="auto": nothing is fetched before it shows.
 */
import { useCallback, useEffect, useRef, useState } from 'react';

import { vw } from '../../i18n/viewer';
import { AudioMeter } from './AudioMeter';
import { playerAction, type PlayerAction } from './keys';
import { Scrubber } from './Scrubber';
import { DEFAULT_FPS, frameAt, frameCount, markIn, markOut, timecode, type Marks } from './timecode';
import { Transport } from './Transport';
import { usePlayback } from './usePlayback';

export interface PlayerProps {
  /** Media URL (renderer/src/lib/media.ts mediaUrl). */
  src: string;
  title: string;
  fps?: number;
  durationS?: number;
  /** In/out marks; when given, the player shows these and reports changes through onMarks. */
  marks?: Marks | null;
  onMarks?: (m: Marks | null) => void;
  autoFocus?: boolean;
  onClose?: () => void;
}

function useFullScreen(box: React.RefObject<HTMLElement | null>): [boolean, () => void] {
  const [on, setOn] = useState(false);
  useEffect(() => {
    const change = (): void => setOn(document.fullscreenElement === box.current && !!box.current);
    document.addEventListener('fullscreenchange', change);
    return () => document.removeEventListener('fullscreenchange', change);
  }, [box]);
  const toggle = useCallback(() => {
    if (document.fullscreenElement) void document.exitFullscreen().catch(() => undefined);
    else void box.current?.requestFullscreen().catch(() => undefined);
  }, [box]);
  return [on, toggle];
}

/** Controlled when the caller gives `marks` (it keeps them from onMarks); else the player keeps its own. */
function useMarks(
  given: Marks | null | undefined,
  onMarks?: (m: Marks | null) => void,
): [Marks | null, (m: Marks | null) => void] {
  const [own, setOwn] = useState<Marks | null>(null);
  const set = useCallback(
    (m: Marks | null) => {
      setOwn(m);
      onMarks?.(m);
    },
    [onMarks],
  );
  return [given !== undefined ? given : own, set];
}

export function Player({
  src,
  title,
  fps = DEFAULT_FPS,
  durationS,
  marks: given,
  onMarks,
  autoFocus,
  onClose,
}: PlayerProps): React.JSX.Element {
  const box = useRef<HTMLDivElement | null>(null);
  const video = useRef<HTMLVideoElement | null>(null);
  const [marks, setMarks] = useMarks(given, onMarks);
  const [loop, setLoop] = useState(false);
  // An error belongs to the source it came from: another src starts clean.
  const [failed, setError] = useState<{ src: string; message: string } | null>(null);
  const error = failed?.src === src ? failed.message : null;
  const [fullScreen, toggleFullScreen] = useFullScreen(box);
  const pb = usePlayback(video, fps, loop ? (marks ?? null) : null, durationS);
  const duration = pb.duration || durationS || 0;
  const count = frameCount(duration, fps);
  const frame = Math.min(frameAt(pb.time, fps), Math.max(0, count - 1));

  useEffect(() => {
    if (autoFocus) box.current?.focus();
  }, [autoFocus]);

  const act = (a: PlayerAction): void => {
    const t = video.current?.currentTime ?? 0;
    const second = Math.round(fps);
    const actions: Record<PlayerAction, () => void> = {
      reverse: () => pb.shuttle('j'),
      pause: () => pb.shuttle('k'),
      forward: () => pb.shuttle('l'),
      playPause: pb.togglePlay,
      prevFrame: () => pb.step(-1),
      nextFrame: () => pb.step(1),
      prevSecond: () => pb.step(-second),
      nextSecond: () => pb.step(second),
      markIn: () => setMarks(markIn(t, fps, duration, marks)),
      markOut: () => setMarks(markOut(t, fps, duration, marks)),
      loop: () => setLoop((l) => !l),
      fullScreen: toggleFullScreen,
      start: () => pb.step(-frameAt(t, fps)),
      end: () => pb.step(count - 1 - frameAt(t, fps)),
      close: () => onClose?.(),
    };
    actions[a]();
  };

  const onKeyDown = (e: React.KeyboardEvent): void => {
    const target = e.target as HTMLElement;
    // The scrubber moves by its own arrows; text fields keep their keys.
    if (target.tagName === 'INPUT' && (target as HTMLInputElement).type !== 'range') return;
    if (target.tagName === 'INPUT' && /^(Arrow|Home|End|Page)/.test(e.key)) return;
    if (target.tagName === 'TEXTAREA' || target.tagName === 'SELECT') return;
    const a = playerAction(e);
    if (!a || (a === 'close' && (!onClose || fullScreen))) return;
    e.preventDefault();
    e.stopPropagation();
    act(a);
  };

  const playing = pb.rate !== 0;
  const markFrames = marks ? Math.round((marks.outS - marks.inS) * fps) : 0;
  return (
    <div
      ref={box}
      className={`viewer-player${fullScreen ? ' full' : ''}`}
      role="group"
      aria-label={vw.player(title)}
      tabIndex={0}
      onKeyDown={onKeyDown}
      data-testid="player"
    >
      <div className="viewer-stage">
        <video
          ref={video}
          src={src}
          preload="auto"
          playsInline
          aria-label={vw.video(title)}
          onClick={() => act('playPause')}
          onError={(e) =>
            setError({
              src,
              message: vw.loadError(title, e.currentTarget.error?.message || 'the file could not be read'),
            })
          }
        />
      </div>
      <Scrubber frame={frame} count={count} fps={fps} marks={marks} onSeek={pb.seekFrame} />
      <div className="viewer-info">
        <span className="viewer-title">{title}</span>
        <output className="viewer-tc" aria-label={vw.timecode} data-testid="timecode">
          {timecode(frame / fps, fps)}
        </output>
        <span className="muted" data-testid="frame">
          {vw.frame(frame, count)}
        </span>
        <span className="muted" data-testid="rate">
          {vw.rate(pb.rate)}
        </span>
        <span className="muted" data-testid="marks">
          {marks ? vw.marks(timecode(marks.inS, fps), timecode(marks.outS - 0.5 / fps, fps), markFrames) : vw.noMarks}
        </span>
        <AudioMeter video={video} playing={playing} />
      </div>
      <Transport
        playing={playing}
        loop={loop}
        fullScreen={fullScreen}
        onAction={act}
        onClear={() => setMarks(null)}
        onClose={onClose}
      />
      {error && (
        <p role="alert" className="error">
          {error}
        </p>
      )}
    </div>
  );
}
