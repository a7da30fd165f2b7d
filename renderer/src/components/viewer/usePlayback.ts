/**
 * The transport of one <video>: signed shuttle rate (J/K/L), frame steps, loop of a range, and
 * the time of the frame on screen. Browsers cannot play backwards, so reverse steps currentTime
 * back on every animation frame (issue 17 item 1); forward uses the element's playbackRate.
 */
import { useCallback, useEffect, useRef, useState, type RefObject } from 'react';

import { frameAt, frameCount, nextShuttle, seekTimeOf, type Marks } from './timecode';

export interface Playback {
  /** Media time of the frame on screen. */
  time: number;
  duration: number;
  /** Signed shuttle speed: 0 paused, 2 = forwards 2x, -1 = backwards 1x. */
  rate: number;
  shuttle: (key: 'j' | 'k' | 'l') => void;
  togglePlay: () => void;
  /** Pauses and moves `frames` frames (negative = back). */
  step: (frames: number) => void;
  seekFrame: (n: number) => void;
}

/** `loopRange` is the range to loop while playing (null: no loop). */
export function usePlayback(
  ref: RefObject<HTMLVideoElement | null>,
  fps: number,
  loopRange: Marks | null,
  durationHint = 0,
): Playback {
  const [time, setTime] = useState(0);
  const [duration, setDuration] = useState(durationHint);
  const [rate, setRateState] = useState(0);
  const rateRef = useRef(0);
  // The tick and event handlers read the newest range and duration without restarting.
  const loopRef = useRef(loopRange);
  const durRef = useRef(duration);
  useEffect(() => {
    loopRef.current = loopRange;
    durRef.current = duration;
  });

  const setRate = useCallback((r: number) => {
    rateRef.current = r;
    setRateState(r);
  }, []);

  // Paused: show a whole frame, so the timecode, the picture and I/O agree.
  const snap = useCallback(() => {
    const v = ref.current;
    if (!v) return;
    v.currentTime = seekTimeOf(frameAt(v.currentTime, fps), fps, durRef.current || v.duration);
  }, [ref, fps]);

  const seekFrame = useCallback(
    (n: number) => {
      const v = ref.current;
      if (v) v.currentTime = seekTimeOf(n, fps, durRef.current || v.duration);
    },
    [ref, fps],
  );

  // Events of the element: duration, the shown time after seeks and pauses, the end.
  useEffect(() => {
    const v = ref.current;
    if (!v) return;
    const onMeta = (): void => {
      if (Number.isFinite(v.duration)) setDuration(v.duration);
    };
    const onSeeked = (): void => setTime(v.currentTime);
    // Chromium also fires 'ended' after a seek that lands in the last frame: only a forward play ends.
    const onEnded = (): void => {
      if (rateRef.current <= 0) return;
      if (loopRef.current) {
        v.currentTime = seekTimeOf(frameAt(loopRef.current.inS, fps), fps, v.duration);
        void v.play().catch(() => setRate(0));
      } else setRate(0);
    };
    v.addEventListener('loadedmetadata', onMeta);
    v.addEventListener('durationchange', onMeta);
    v.addEventListener('seeked', onSeeked);
    v.addEventListener('ended', onEnded);
    onMeta();
    return () => {
      v.removeEventListener('loadedmetadata', onMeta);
      v.removeEventListener('durationchange', onMeta);
      v.removeEventListener('seeked', onSeeked);
      v.removeEventListener('ended', onEnded);
    };
  }, [ref, fps, setRate]);

  // While the rate is not 0: one tick per animation frame (reverse steps, loop, shown time).
  useEffect(() => {
    const v = ref.current;
    if (!v || rate === 0) return;
    let raf = 0;
    let vfc = 0;
    let last = performance.now();
    let pos = v.currentTime;
    // Not in every browser (Firefox < 132): then the tick reads currentTime.
    const frameCallbacks = typeof v.requestVideoFrameCallback === 'function';
    const range = (): Marks => loopRef.current ?? { inS: 0, outS: v.duration || durRef.current };
    if (rate > 0) {
      const r = loopRef.current;
      if (r && (v.currentTime < r.inS || v.currentTime >= r.outS)) seekFrame(frameAt(r.inS, fps));
      v.playbackRate = rate;
      void v.play().catch(() => setRate(0));
      // The presented frame's own time when the browser says it (requestVideoFrameCallback).
      const onFrame = (_now: number, meta: { mediaTime: number }): void => {
        setTime(meta.mediaTime);
        vfc = v.requestVideoFrameCallback(onFrame);
      };
      if (frameCallbacks) vfc = v.requestVideoFrameCallback(onFrame);
    } else v.pause();
    const tick = (now: number): void => {
      const dt = (now - last) / 1000;
      last = now;
      const r = loopRef.current;
      if (rate > 0) {
        if (r && v.currentTime >= r.outS) seekFrame(frameAt(r.inS, fps));
        if (!frameCallbacks) setTime(v.currentTime);
      } else {
        const { inS, outS } = range();
        pos -= dt * -rate;
        if (pos < inS) {
          if (r) pos = outS - 0.5 / fps;
          else {
            seekFrame(0);
            setRate(0);
            return;
          }
        }
        if (!v.seeking) v.currentTime = pos;
      }
      raf = requestAnimationFrame(tick);
    };
    raf = requestAnimationFrame(tick);
    return () => {
      cancelAnimationFrame(raf);
      if (vfc) v.cancelVideoFrameCallback(vfc);
    };
  }, [ref, rate, fps, seekFrame, setRate]);

  const shuttle = useCallback(
    (key: 'j' | 'k' | 'l') => {
      const next = nextShuttle(rateRef.current, key);
      if (next === 0 || Math.sign(next) !== Math.sign(rateRef.current)) {
        ref.current?.pause();
        if (next === 0) snap();
      }
      setRate(next);
    },
    [ref, snap, setRate],
  );

  const togglePlay = useCallback(() => {
    if (rateRef.current !== 0) shuttle('k');
    else setRate(1);
  }, [shuttle, setRate]);

  const step = useCallback(
    (frames: number) => {
      const v = ref.current;
      if (!v) return;
      if (rateRef.current !== 0) {
        v.pause();
        setRate(0);
      }
      // From the end of the clip (currentTime = duration) count from its last frame.
      const last = Math.max(0, frameCount(durRef.current || v.duration, fps) - 1);
      seekFrame(Math.min(frameAt(v.currentTime, fps), last) + frames);
    },
    [ref, fps, seekFrame, setRate],
  );

  return { time, duration, rate, shuttle, togglePlay, step, seekFrame };
}
