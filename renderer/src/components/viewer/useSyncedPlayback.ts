/**
 * One transport for 2-4 <video>s (issue 17 item 2, compare). Play starts every take from the
 * same frame: all are paused, seeked to the lead's frame, and started once every one has that
 * frame. While they play, each follower is checked against the lead on every animation frame:
 * past half a frame (./timecode.ts drifted) a small drift is taken up with playbackRate (no
 * stall), a large one (> 0.25 s, or a follower that stalled) with a seek.
 */
import { useCallback, useEffect, useRef, useState } from 'react';

import { drifted, frameAt, frameCount, seekTimeOf } from './timecode';

export interface SyncedPlayback {
  playing: boolean;
  /** Media time of the lead's frame on screen. */
  time: number;
  duration: number;
  togglePlay: () => void;
  pause: () => void;
  /** Pauses every take and moves them all `frames` frames. */
  step: (frames: number) => void;
}

const seeked = (v: HTMLVideoElement): Promise<void> =>
  new Promise((ok) => {
    if (!v.seeking && v.readyState >= HTMLMediaElement.HAVE_CURRENT_DATA) ok();
    else {
      const done = (): void => {
        v.removeEventListener('seeked', done);
        v.removeEventListener('loadeddata', done);
        ok();
      };
      v.addEventListener('seeked', done);
      v.addEventListener('loadeddata', done);
    }
  });

/** `videos()` gives the elements now on screen, the lead first. */
export function useSyncedPlayback(videos: () => HTMLVideoElement[], fps: number, key: string): SyncedPlayback {
  const [playing, setPlaying] = useState(false);
  const [time, setTime] = useState(0);
  const [duration, setDuration] = useState(0);
  const run = useRef(0);

  const durationOf = (vs: HTMLVideoElement[]): number =>
    Math.min(...vs.map((v) => (Number.isFinite(v.duration) ? v.duration : Infinity)));

  const alignAll = useCallback(
    (frame: number): Promise<void[]> => {
      const vs = videos();
      const d = durationOf(vs);
      for (const v of vs) {
        v.pause();
        v.playbackRate = 1;
        v.currentTime = seekTimeOf(frame, fps, Number.isFinite(d) ? d : v.duration);
      }
      return Promise.all(vs.map(seeked));
    },
    [videos, fps],
  );

  const pause = useCallback(() => {
    run.current++;
    setPlaying(false);
    const lead = videos()[0];
    if (lead) void alignAll(frameAt(lead.currentTime, fps)).then(() => setTime(lead.currentTime));
  }, [videos, alignAll, fps]);

  const play = useCallback(() => {
    const lead = videos()[0];
    if (!lead) return;
    const id = ++run.current;
    const d = durationOf(videos());
    const last = Math.max(0, frameCount(d, fps) - 1);
    const from = frameAt(lead.currentTime, fps) >= last ? 0 : frameAt(lead.currentTime, fps);
    setPlaying(true);
    void alignAll(from).then(async () => {
      if (run.current !== id) return;
      await Promise.all(videos().map((v) => v.play().catch(() => undefined)));
    });
  }, [videos, alignAll, fps]);

  const togglePlay = useCallback(() => (playing ? pause() : play()), [playing, pause, play]);

  const step = useCallback(
    (frames: number) => {
      run.current++;
      setPlaying(false);
      const lead = videos()[0];
      if (!lead) return;
      void alignAll(frameAt(lead.currentTime, fps) + frames).then(() => setTime(lead.currentTime));
    },
    [videos, alignAll, fps],
  );

  // Duration and the shown time while paused; a new set of takes (`key`) starts at frame 0.
  useEffect(() => {
    const vs = videos();
    const lead = vs[0];
    if (!lead) return;
    const onMeta = (): void => {
      const d = durationOf(videos());
      if (Number.isFinite(d)) setDuration(d);
    };
    const onSeeked = (): void => setTime(lead.currentTime);
    for (const v of vs) v.addEventListener('loadedmetadata', onMeta);
    lead.addEventListener('seeked', onSeeked);
    onMeta();
    return () => {
      for (const v of vs) v.removeEventListener('loadedmetadata', onMeta);
      lead.removeEventListener('seeked', onSeeked);
    };
  }, [videos, key]);

  // Drift correction and the lead's time while playing.
  useEffect(() => {
    if (!playing) return;
    let raf = 0;
    const tick = (): void => {
      const [lead, ...rest] = videos();
      if (!lead) return;
      if (lead.ended) {
        setPlaying(false);
        return;
      }
      setTime(lead.currentTime);
      if (!lead.paused && !lead.seeking) {
        for (const f of rest) {
          const d = f.currentTime - lead.currentTime;
          if (f.seeking) continue;
          if (!drifted(f.currentTime, lead.currentTime, fps)) f.playbackRate = 1;
          else if (Math.abs(d) > 0.25 || f.paused) {
            f.currentTime = lead.currentTime;
            if (f.paused && !f.ended) void f.play().catch(() => undefined);
          } else f.playbackRate = Math.min(1.25, Math.max(0.75, 1 - d * 4));
        }
      }
      raf = requestAnimationFrame(tick);
    };
    raf = requestAnimationFrame(tick);
    return () => cancelAnimationFrame(raf);
  }, [playing, videos, fps]);

  return { playing, time, duration, togglePlay, pause, step };
}
