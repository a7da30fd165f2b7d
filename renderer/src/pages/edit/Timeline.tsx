/**
 * The Edit page's timeline (issue 17 item 3): the picked clips as filmstrips scaled to their
 * trimmed length, in cut order, on one track with a ruler and the program monitor's playhead.
 * With the mouse: drag a clip to move it, drag its edges to trim (frames snap), drag the
 * diamond between two clips to set a crossfade; the change is saved through the page
 * (edit.save) when the button is released. Only the clips on screen are drawn, so a cut of
 * 200 clips scrolls and zooms like one of 5. The numbers are ./timeline-model.ts.
 */
import { useEffect, useRef, useState } from 'react';

import type { ThumbnailSet } from '../../../../shared/media';
import { tl } from '../../i18n/timeline';
import { mediaUrl } from '../../lib/media';
import { useThumbnails } from './filmstrips';
import { dropIndex, fadeFrom, trimEdge, withChange, type TimelineClip } from './timeline-model';

type DragKind = 'move' | 'in' | 'out' | 'fade';
interface Drag {
  kind: DragKind;
  index: number;
  x0: number;
  dx: number;
}

export interface TimelineProps {
  clips: TimelineClip[];
  /** What each clip is called (shot, take, file name), by shot id. */
  labels: Map<string, string>;
  dir: string | null;
  pxPerS: number;
  selected: number;
  onSelect: (index: number) => void;
  playheadS: number;
  onSeek: (s: number) => void;
  onMove: (from: number, to: number) => void;
  onTrim: (index: number, trim: { inS: number; outS: number }) => void;
  onFade: (index: number, fade: number) => void;
  /** The visible width changed (for "fit"). */
  onWidth: (px: number) => void;
}

/** Below this many pixels a press on a clip is a click (select), not a move. */
const CLICK_PX = 4;
/** Seconds drawn beyond each side of the screen, so a quick scroll does not show empty track. */
const MARGIN_S = 4;

/** The clips as they look while `drag` is under way (trims and fades live; a move only slides). */
function dragged(clips: TimelineClip[], drag: Drag | null, pxPerS: number): TimelineClip[] {
  const c = drag ? clips[drag.index] : undefined;
  if (!drag || !c || drag.kind === 'move') return clips;
  const ds = drag.dx / pxPerS;
  if (drag.kind === 'fade') return withChange(clips, drag.index, { fade: fadeFrom(c, ds) });
  return withChange(clips, drag.index, trimEdge(c, drag.kind, ds));
}

export function Timeline(props: TimelineProps): React.JSX.Element {
  const { clips, pxPerS, onWidth } = props;
  const [drag, setDrag] = useState<Drag | null>(null);
  const [view, setView] = useState({ left: 0, width: 1200 });
  const scroller = useRef<HTMLDivElement>(null);
  const frame = useRef(0);

  useEffect(() => {
    const el = scroller.current;
    if (!el) return;
    const ro = new ResizeObserver(() => {
      setView((v) => ({ ...v, width: el.clientWidth }));
      onWidth(el.clientWidth);
    });
    ro.observe(el);
    return () => ro.disconnect();
  }, [onWidth]);

  const onScroll = (): void => {
    if (frame.current) return;
    frame.current = requestAnimationFrame(() => {
      frame.current = 0;
      const el = scroller.current;
      if (el) setView({ left: el.scrollLeft, width: el.clientWidth });
    });
  };

  const shown = dragged(clips, drag, pxPerS);
  const total = shown.reduce((s, c) => s + c.spanS, 0);
  const from = view.left / pxPerS - MARGIN_S;
  const to = (view.left + view.width) / pxPerS + MARGIN_S;
  const visible = shown
    .map((c, i) => ({ c, i }))
    .filter(({ c }) => c.startS + c.spanS + c.fade >= from && c.startS <= to);
  const thumbs = useThumbnails([...new Set(visible.map(({ c }) => c.file))]);
  const target = drag?.kind === 'move' ? dropIndex(clips, drag.index, positionOf(clips, drag, pxPerS)) : null;

  const start = (kind: DragKind, index: number, e: React.PointerEvent): void => {
    if (e.button !== 0) return;
    e.stopPropagation();
    e.preventDefault();
    e.currentTarget.setPointerCapture(e.pointerId);
    props.onSelect(index);
    setDrag({ kind, index, x0: e.clientX, dx: 0 });
  };
  const move = (e: React.PointerEvent): void => {
    if (drag) setDrag({ ...drag, dx: e.clientX - drag.x0 });
  };
  const end = (e: React.PointerEvent): void => {
    if (!drag) return;
    const d = { ...drag, dx: e.clientX - drag.x0 };
    setDrag(null);
    commit(d);
  };
  const commit = (d: Drag): void => {
    const c = clips[d.index];
    if (!c || Math.abs(d.dx) < CLICK_PX) return;
    const ds = d.dx / pxPerS;
    if (d.kind === 'move') {
      const to = dropIndex(clips, d.index, positionOf(clips, d, pxPerS));
      if (to !== d.index) props.onMove(d.index, to);
    } else if (d.kind === 'fade') props.onFade(d.index, fadeFrom(c, ds));
    else {
      const tr = trimEdge(c, d.kind, ds);
      if (tr.inS !== c.inS || tr.outS !== c.outS) props.onTrim(d.index, tr);
    }
  };

  const seek = (e: React.PointerEvent<HTMLDivElement>): void => {
    const r = e.currentTarget.getBoundingClientRect();
    props.onSeek(Math.max(0, Math.min(total, (e.clientX - r.left) / pxPerS)));
  };

  return (
    <div
      className="tl-scroll"
      ref={scroller}
      onScroll={onScroll}
      data-testid="tl-scroll"
      onPointerMove={move}
      onPointerUp={end}
      onPointerCancel={() => setDrag(null)}
    >
      <div className="tl-track" style={{ width: `${Math.ceil(total * pxPerS) + 200}px` }}>
        <Ruler total={total} pxPerS={pxPerS} from={from} to={to} onSeek={seek} />
        <div className="tl-clips" role="list" aria-label={tl.timeline} data-testid="tl-clips">
          {visible.map(({ c, i }) => (
            <ClipBlock
              key={c.id}
              clip={c}
              index={i}
              label={props.labels.get(c.id) ?? c.id}
              thumbs={thumbs.get(c.file)}
              dir={props.dir}
              pxPerS={pxPerS}
              selected={i === props.selected}
              slide={drag?.kind === 'move' && drag.index === i ? drag.dx : 0}
              last={i === shown.length - 1}
              onPress={start}
              onSelect={props.onSelect}
            />
          ))}
          {target !== null && (
            <div
              className="tl-drop"
              data-testid="tl-drop"
              style={{ left: `${dropAt(clips, drag?.index ?? 0, target) * pxPerS}px` }}
            />
          )}
        </div>
        <div
          className="tl-playhead"
          data-testid="tl-playhead"
          style={{ transform: `translateX(${props.playheadS * pxPerS}px)` }}
        />
      </div>
    </div>
  );
}

/** The program time under the middle of a clip being moved. */
function positionOf(clips: TimelineClip[], d: Drag, pxPerS: number): number {
  const c = clips[d.index];
  return c ? c.startS + c.spanS / 2 + d.dx / pxPerS : 0;
}

/** Where the drop marker goes: the start of the clip that will follow the moved one. */
function dropAt(clips: TimelineClip[], from: number, to: number): number {
  const others = clips.filter((_, i) => i !== from);
  return others.slice(0, to).reduce((s, c) => s + c.spanS, 0);
}

function Ruler(props: {
  total: number;
  pxPerS: number;
  from: number;
  to: number;
  onSeek: (e: React.PointerEvent<HTMLDivElement>) => void;
}): React.JSX.Element {
  const { pxPerS } = props;
  // A tick every 1, 2, 5, 10, 30 or 60 s: labels at least ~60 px apart.
  const step = [1, 2, 5, 10, 30, 60, 300].find((s) => s * pxPerS >= 60) ?? 600;
  const ticks: number[] = [];
  for (let s = Math.max(0, Math.floor(props.from / step) * step); s <= Math.min(props.to, props.total); s += step)
    ticks.push(s);
  return (
    <div className="tl-ruler" aria-label={tl.ruler} data-testid="tl-ruler" onPointerDown={props.onSeek}>
      {ticks.map((s) => (
        <span key={s} className="tl-tick" style={{ left: `${s * pxPerS}px` }}>
          {s >= 60 ? `${Math.floor(s / 60)}:${String(s % 60).padStart(2, '0')}` : `${s}s`}
        </span>
      ))}
    </div>
  );
}

interface ClipProps {
  clip: TimelineClip;
  index: number;
  label: string;
  thumbs: ThumbnailSet | Error | undefined;
  dir: string | null;
  pxPerS: number;
  selected: boolean;
  slide: number;
  last: boolean;
  onPress: (kind: DragKind, index: number, e: React.PointerEvent) => void;
  onSelect: (index: number) => void;
}

function ClipBlock(p: ClipProps): React.JSX.Element {
  const { clip: c, index: i, pxPerS } = p;
  const width = Math.max(2, c.spanS * pxPerS);
  return (
    <>
      <div
        role="listitem"
        tabIndex={0}
        aria-label={tl.clipLabel(c.id)}
        aria-current={p.selected}
        title={p.label}
        data-testid="tl-clip"
        data-shot={c.id}
        className={`tl-clip${p.selected ? ' selected' : ''}${p.slide ? ' moving' : ''}`}
        style={{ left: `${c.startS * pxPerS}px`, width: `${width}px`, transform: `translateX(${p.slide}px)` }}
        onPointerDown={(e) => p.onPress('move', i, e)}
        onFocus={() => p.onSelect(i)}
      >
        <Filmstrip clip={c} thumbs={p.thumbs} dir={p.dir} pxPerS={pxPerS} />
        <span className="tl-label">{p.label}</span>
        <span
          className="tl-edge in"
          aria-label={tl.trimIn(c.id)}
          data-testid="tl-trim-in"
          onPointerDown={(e) => p.onPress('in', i, e)}
        />
        <span
          className="tl-edge out"
          aria-label={tl.trimOut(c.id)}
          data-testid="tl-trim-out"
          onPointerDown={(e) => p.onPress('out', i, e)}
        />
      </div>
      {!p.last && (
        <>
          {c.fade > 0 && (
            <div
              className="tl-fade-band"
              style={{ left: `${(c.startS + c.spanS) * pxPerS}px`, width: `${c.fade * pxPerS}px` }}
            >
              {tl.fadeOf(c.fade)}
            </div>
          )}
          <span
            className="tl-fade-handle"
            aria-label={tl.fadeHandle(c.id)}
            data-testid="tl-fade-handle"
            data-shot={c.id}
            style={{ left: `${(c.startS + c.spanS) * pxPerS}px` }}
            onPointerDown={(e) => p.onPress('fade', i, e)}
          />
        </>
      )}
    </>
  );
}

/** The frames of the clip's file that fall inside its trim, each where its time is. */
function Filmstrip(props: {
  clip: TimelineClip;
  thumbs: ThumbnailSet | Error | undefined;
  dir: string | null;
  pxPerS: number;
}): React.JSX.Element | null {
  const { clip: c, thumbs, dir, pxPerS } = props;
  if (!thumbs || thumbs instanceof Error || !dir) return null;
  const n = thumbs.filmstrip.length;
  if (!n) return null;
  const each = c.lenS / n;
  return (
    <>
      {thumbs.filmstrip.map((f, k) => {
        const t0 = k * each;
        if (t0 + each <= c.inS || t0 >= c.inS + c.spanS) return null;
        const src = mediaUrl(f, dir);
        return src ? (
          <img
            key={f}
            className="tl-frame"
            src={src}
            alt=""
            draggable={false}
            style={{ left: `${(t0 - c.inS) * pxPerS}px`, width: `${each * pxPerS}px` }}
          />
        ) : null;
      })}
    </>
  );
}
