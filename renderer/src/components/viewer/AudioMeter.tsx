/**
 * Audio level of a <video> (Web Audio AnalyserNode), shown only once the clip turns out to have
 * sound. The graph is made on the first play (a user gesture, so the AudioContext may start)
 * and only for a same-origin source: a MediaElementAudioSource of a cross-origin file without
 * CORS outputs silence, which would mute the clip (the app's media:// is another origin than
 * app://, electron/main/protocol.ts; there the clip plays without a meter).
 */
import { useEffect, useRef, useState, type RefObject } from 'react';

import { vw } from '../../i18n/viewer';

interface Graph {
  ctx: AudioContext;
  analyser: AnalyserNode;
}

// One graph per element: createMediaElementSource may be called once per element.
const graphs = new WeakMap<HTMLMediaElement, Graph>();

function sameOrigin(src: string): boolean {
  try {
    return new URL(src, window.location.href).origin === window.location.origin;
  } catch {
    return false;
  }
}

function tap(v: HTMLMediaElement): Graph | null {
  const known = graphs.get(v);
  if (known) return known;
  if (typeof AudioContext === 'undefined' || !sameOrigin(v.currentSrc || v.src)) return null;
  const ctx = new AudioContext();
  const analyser = ctx.createAnalyser();
  analyser.fftSize = 1024;
  ctx.createMediaElementSource(v).connect(analyser);
  analyser.connect(ctx.destination);
  const g = { ctx, analyser };
  graphs.set(v, g);
  return g;
}

/** Whether the browser has decoded any sound of the element (Chromium, Firefox, Safari each say it their way). */
function hasSound(v: HTMLMediaElement): boolean {
  const m = v as HTMLMediaElement & {
    webkitAudioDecodedByteCount?: number;
    mozHasAudio?: boolean;
    audioTracks?: { length: number };
  };
  return (m.webkitAudioDecodedByteCount ?? 0) > 0 || m.mozHasAudio === true || (m.audioTracks?.length ?? 0) > 0;
}

/** RMS of the last block in dBFS mapped to 0-100 (-60 dB and below = 0). */
function level(a: AnalyserNode, buf: Float32Array<ArrayBuffer>): number {
  a.getFloatTimeDomainData(buf);
  let sum = 0;
  for (const x of buf) sum += x * x;
  const rms = Math.sqrt(sum / buf.length);
  const db = rms > 0 ? 20 * Math.log10(rms) : -Infinity;
  return Math.max(0, Math.min(100, Math.round(((db + 60) / 60) * 100)));
}

export function AudioMeter({
  video,
  playing,
}: {
  video: RefObject<HTMLVideoElement | null>;
  playing: boolean;
}): React.JSX.Element | null {
  const [sound, setSound] = useState(false);
  const bar = useRef<HTMLDivElement | null>(null);
  const box = useRef<HTMLDivElement | null>(null);

  // Close the graph with the element (after StrictMode's mount check, which runs before any play).
  useEffect(() => {
    const v = video.current;
    return () => {
      const g = v && graphs.get(v);
      if (v && g) {
        graphs.delete(v);
        void g.ctx.close();
      }
    };
  }, [video]);

  useEffect(() => {
    const v = video.current;
    if (!v) return;
    const check = (): void => {
      if (hasSound(v)) setSound(true);
    };
    const events = ['loadeddata', 'playing', 'timeupdate', 'seeked'] as const;
    for (const e of events) v.addEventListener(e, check);
    check();
    return () => {
      for (const e of events) v.removeEventListener(e, check);
    };
  }, [video]);

  useEffect(() => {
    const v = video.current;
    if (!v || !playing) return;
    const g = tap(v);
    if (!g) return;
    void g.ctx.resume();
    const buf = new Float32Array(g.analyser.fftSize);
    // The meter appears once sound is found, maybe after this loop starts: the nodes drawn last.
    let meter: HTMLDivElement | null = null;
    let fill: HTMLDivElement | null = null;
    let raf = 0;
    const draw = (): void => {
      const n = level(g.analyser, buf);
      if (n > 0) setSound(true);
      meter = box.current;
      fill = bar.current;
      if (fill) fill.style.width = `${n}%`;
      meter?.setAttribute('aria-valuenow', String(n));
      raf = requestAnimationFrame(draw);
    };
    raf = requestAnimationFrame(draw);
    return () => {
      cancelAnimationFrame(raf);
      if (fill) fill.style.width = '0%';
      meter?.setAttribute('aria-valuenow', '0');
    };
  }, [video, playing]);

  // aria-valuenow is written by the draw loop, not by React (a render would reset it to 0).
  useEffect(() => {
    if (sound && !box.current?.hasAttribute('aria-valuenow')) box.current?.setAttribute('aria-valuenow', '0');
  }, [sound]);

  if (!sound) return null;
  return (
    <div
      ref={box}
      className="viewer-meter"
      role="meter"
      aria-label={vw.meter}
      aria-valuemin={0}
      aria-valuemax={100}
      data-testid="audio-meter"
    >
      <div ref={bar} className="viewer-meter-bar" />
    </div>
  );
}
