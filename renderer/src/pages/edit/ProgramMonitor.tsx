/**
 * The program monitor (issue 17 item 3): plays the cut before anything is rendered, straight
 * from the sources with their trims. Two <video> elements take turns: one plays the current
 * clip, the other waits on the next clip's in point, and at the current clip's out point (less
 * its crossfade) the waiting one starts and the first loads the clip after. Crossfades show as
 * cuts here (the hint says so); the program's length is the render's (./timeline-model.ts).
 * Keys (./useEditKeys.ts): Space play/pause, J back, K stop, L forward, L again faster.
 */
import { forwardRef, useEffect, useImperativeHandle, useRef, useState } from 'react';

import { tl } from '../../i18n/timeline';
import { mediaUrl } from '../../lib/media';
import { baseName } from '../../lib/paths';
import { programLength, sourceAt, timecode, type TimelineClip } from './timeline-model';

export interface MonitorHandle {
  toggle: () => void;
  /** L: forward; again while going forward: twice as fast (up to 8x). */
  forward: () => void;
  /** J: backward (by seeking), again: faster. */
  backward: () => void;
  stop: () => void;
}

interface Props {
  clips: TimelineClip[];
  dir: string | null;
  timeS: number;
  onTime: (s: number) => void;
}

export const ProgramMonitor = forwardRef<MonitorHandle, Props>(function ProgramMonitor(
  { clips, dir, timeS, onTime },
  ref,
) {
  const vids = [useRef<HTMLVideoElement>(null), useRef<HTMLVideoElement>(null)];
  /** Which video shows, and which clip each holds. */
  const active = useRef(0);
  const holds = useRef<[number, number]>([-1, -1]);
  const [shown, setShown] = useState(0);
  const [rate, setRate] = useState(0); // 0 stopped, > 0 forward, < 0 backward
  const loop = useRef(0);
  const time = useRef(timeS);
  time.current = timeS;
  const clipsRef = useRef(clips);
  clipsRef.current = clips;
  const total = programLength(clips);
  const fps = clips[0]?.fps ?? 24;

  const urlOf = (c: TimelineClip | undefined): string | null => (c && dir ? mediaUrl(c.file, dir) : null);

  /** Puts clip `index` at source time `srcS` into video `v`. */
  const load = (v: number, index: number, srcS: number): void => {
    const el = vids[v]?.current;
    const url = urlOf(clipsRef.current[index]);
    if (!el || !url) return;
    if (holds.current[v] !== index || !el.src.endsWith(url)) {
      el.src = url;
      holds.current[v] = index;
    }
    el.dataset.clip = String(index);
    if (Math.abs(el.currentTime - srcS) > 0.001) el.currentTime = srcS;
  };

  const halt = (): void => {
    cancelAnimationFrame(loop.current);
    loop.current = 0;
    for (const v of vids) v.current?.pause();
    setRate(0);
  };

  /** Shows the frame at program time `s` (paused), the next clip waiting in the other video. */
  const cue = (s: number): void => {
    const at = sourceAt(clipsRef.current, s);
    if (!at) return;
    load(active.current, at.index, at.srcS);
    const next = clipsRef.current[at.index + 1];
    if (next) load(1 - active.current, at.index + 1, next.inS);
  };

  const playForward = (speed: number): void => {
    const cs = clipsRef.current;
    if (!cs.length) return;
    cancelAnimationFrame(loop.current);
    if (time.current >= programLength(cs) - 1 / fps) time.current = 0;
    cue(time.current);
    const start = vids[active.current]?.current;
    if (!start) return;
    start.playbackRate = speed;
    void start.play().catch(() => undefined);
    setRate(speed);
    const tick = (): void => {
      const list = clipsRef.current;
      const v = vids[active.current]?.current;
      const idx = holds.current[active.current] ?? -1;
      const c = list[idx];
      if (!v || !c) return halt();
      const t = c.startS + Math.max(0, v.currentTime - c.inS);
      time.current = Math.min(t, c.startS + c.spanS);
      onTime(time.current);
      if (v.currentTime >= c.inS + c.spanS - 0.5 / c.fps || v.ended) {
        const next = list[idx + 1];
        if (!next) {
          v.pause();
          onTime(c.startS + c.spanS);
          return halt();
        }
        // The cut: the waiting video starts, the one that played loads the clip after next.
        const other = 1 - active.current;
        const w = vids[other]?.current;
        if (holds.current[other] !== idx + 1) load(other, idx + 1, next.inS);
        if (w) {
          w.playbackRate = v.playbackRate;
          void w.play().catch(() => undefined);
        }
        v.pause();
        active.current = other;
        setShown(other);
        const after = list[idx + 2];
        if (after) load(1 - other, idx + 2, after.inS);
      }
      loop.current = requestAnimationFrame(tick);
    };
    loop.current = requestAnimationFrame(tick);
  };

  const playBackward = (speed: number): void => {
    cancelAnimationFrame(loop.current);
    for (const v of vids) v.current?.pause();
    setRate(-speed);
    let last = performance.now();
    const tick = (now: number): void => {
      const t = Math.max(0, time.current - ((now - last) / 1000) * speed);
      last = now;
      time.current = t;
      onTime(t);
      cue(t);
      if (t <= 0) return halt();
      loop.current = requestAnimationFrame(tick);
    };
    loop.current = requestAnimationFrame(tick);
  };

  useImperativeHandle(ref, () => ({
    toggle: () => (rate !== 0 ? halt() : playForward(1)),
    forward: () => playForward(rate > 0 ? Math.min(8, rate * 2) : 1),
    backward: () => playBackward(rate < 0 ? Math.min(8, -rate * 2) : 1),
    stop: halt,
  }));

  // Paused: the monitor follows the playhead (a click on the ruler, a trim that moved things).
  useEffect(() => {
    if (rate === 0) cue(timeS);
    // eslint-disable-next-line react-hooks/exhaustive-deps -- cue reads the latest clips through refs
  }, [timeS, clips, dir, rate]);
  useEffect(() => () => cancelAnimationFrame(loop.current), []);

  const here = sourceAt(clips, timeS);
  const current = here ? clips[here.index] : undefined;
  const unplayable = clips.find((c) => dir && !mediaUrl(c.file, dir));
  return (
    <section className="monitor" aria-label={tl.monitor} data-testid="program-monitor">
      <div className="monitor-screen">
        {[0, 1].map((v) => (
          <video
            key={v}
            ref={vids[v]}
            muted={false}
            preload="auto"
            playsInline
            data-testid={`monitor-video-${v}`}
            data-active={shown === v}
            className={shown === v ? 'on' : 'off'}
          />
        ))}
      </div>
      <div className="monitor-bar">
        <button
          type="button"
          onClick={() => (rate !== 0 ? halt() : playForward(1))}
          aria-label={rate !== 0 ? tl.pause : tl.play}
        >
          {rate !== 0 ? '❚❚' : '▶'}
        </button>
        <span className="timecode" data-testid="monitor-timecode">
          {timecode(timeS, fps)} / {timecode(total, fps)}
        </span>
        {rate !== 0 && Math.abs(rate) !== 1 && <span className="muted">{rate}×</span>}
        {current && <span className="muted">{current.id}</span>}
      </div>
      <p className="hint">{tl.monitorHint}</p>
      {unplayable && (
        <p className="hint" role="note">
          {tl.notPlayable(baseName(unplayable.file))}
        </p>
      )}
    </section>
  );
});
