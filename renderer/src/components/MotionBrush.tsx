/**
 * Motion brush on the start frame: up to six dynamic areas and one static area, each a mask
 * painted at the image's own resolution; each dynamic area has a trajectory of 2-77 points.
 * Exported as Kling wants: masks as PNG base64 (white = area), points with a bottom-left origin.
 * Keyboard: arrows move the cursor, Space paints at it, Enter adds a path point.
 */
import { useEffect, useMemo, useRef, useState } from 'react';

import { LIMITS } from '../../../shared/kling';
import { t } from '../i18n/strings';
import type { MotionBrush as Brush } from '../state/storyboard';

const COLORS = ['#ff5a5a', '#5bd1ff', '#ffd24a', '#7dff7a', '#d27aff', '#ff9a4a'];
const STATIC_COLOR = '#9aa0aa';
const RADIUS_FRACTION = 0.04;

interface Props {
  image: string;
  value: Brush | undefined;
  disabledReason: string | null;
  onChange: (value: Brush | undefined) => void;
}

type AreaKey = number | 'static';

function loadImage(src: string): Promise<HTMLImageElement> {
  return new Promise((ok, ko) => {
    const img = new Image();
    img.onload = () => ok(img);
    img.onerror = () => ko(new Error('image failed to load'));
    img.src = src;
  });
}

/** Painted colour strokes -> white-on-black PNG base64. */
function exportMask(stroke: HTMLCanvasElement): string {
  const tmp = document.createElement('canvas');
  tmp.width = stroke.width;
  tmp.height = stroke.height;
  const tc = tmp.getContext('2d');
  if (!tc) return '';
  tc.drawImage(stroke, 0, 0);
  tc.globalCompositeOperation = 'source-in';
  tc.fillStyle = '#fff';
  tc.fillRect(0, 0, tmp.width, tmp.height);
  const out = document.createElement('canvas');
  out.width = stroke.width;
  out.height = stroke.height;
  const oc = out.getContext('2d');
  if (!oc) return '';
  oc.fillStyle = '#000';
  oc.fillRect(0, 0, out.width, out.height);
  oc.drawImage(tmp, 0, 0);
  return out.toDataURL('image/png').replace(/^data:image\/png;base64,/, '');
}

export function MotionBrush({ image, value, disabledReason, onChange }: Props): React.JSX.Element {
  const canvas = useRef<HTMLCanvasElement>(null);
  const layers = useRef(new Map<AreaKey, HTMLCanvasElement>());
  const [img, setImg] = useState<HTMLImageElement | null>(null);
  const [area, setArea] = useState<AreaKey>(0);
  const [tool, setTool] = useState<'paint' | 'path'>('paint');
  const [cursor, setCursor] = useState({ x: 0.5, y: 0.5 });
  const [tick, setTick] = useState(0);
  const painting = useRef(false);
  const brush: Brush = useMemo(() => value ?? { dynamicMasks: [] }, [value]);

  // Load the frame and rebuild the stroke layers from the saved masks.
  useEffect(() => {
    let live = true;
    void (async () => {
      const im = await loadImage(image);
      if (!live) return;
      layers.current.clear();
      const make = async (key: AreaKey, b64: string | undefined, color: string): Promise<void> => {
        const c = document.createElement('canvas');
        c.width = im.naturalWidth;
        c.height = im.naturalHeight;
        if (b64) {
          const m = await loadImage(`data:image/png;base64,${b64}`);
          const cx = c.getContext('2d');
          if (cx) {
            cx.drawImage(m, 0, 0);
            // keep only the white part, in the area's colour
            const d = cx.getImageData(0, 0, c.width, c.height);
            for (let i = 0; i < d.data.length; i += 4) d.data[i + 3] = (d.data[i] ?? 0) > 127 ? 255 : 0;
            cx.putImageData(d, 0, 0);
            cx.globalCompositeOperation = 'source-in';
            cx.fillStyle = color;
            cx.fillRect(0, 0, c.width, c.height);
          }
        }
        layers.current.set(key, c);
      };
      await make('static', value?.staticMask, STATIC_COLOR);
      for (const [i, d] of (value?.dynamicMasks ?? []).entries()) await make(i, d.mask, COLORS[i] ?? '#fff');
      if (live) {
        setImg(im);
        setTick((n) => n + 1);
      }
    })();
    return () => {
      live = false;
    };
    // Rebuild only when the frame changes; strokes are kept live in the layers.
    // eslint-disable-next-line react-hooks/exhaustive-deps
  }, [image]);

  const layer = (key: AreaKey): HTMLCanvasElement | null => {
    if (!img) return null;
    let c = layers.current.get(key);
    if (!c) {
      c = document.createElement('canvas');
      c.width = img.naturalWidth;
      c.height = img.naturalHeight;
      layers.current.set(key, c);
    }
    return c;
  };

  // Draw the frame, the areas and the paths.
  useEffect(() => {
    const cv = canvas.current;
    const cx = cv?.getContext('2d');
    if (!cv || !cx || !img) return;
    cv.width = img.naturalWidth;
    cv.height = img.naturalHeight;
    cx.drawImage(img, 0, 0);
    cx.globalAlpha = 0.45;
    for (const c of layers.current.values()) cx.drawImage(c, 0, 0);
    cx.globalAlpha = 1;
    cx.lineWidth = Math.max(2, cv.width / 200);
    brush.dynamicMasks.forEach((d, i) => {
      cx.strokeStyle = COLORS[i] ?? '#fff';
      cx.fillStyle = COLORS[i] ?? '#fff';
      cx.beginPath();
      d.trajectories.forEach((p, j) => {
        const y = cv.height - p.y;
        if (j === 0) cx.moveTo(p.x, y);
        else cx.lineTo(p.x, y);
      });
      cx.stroke();
      for (const p of d.trajectories) cx.fillRect(p.x - 3, cv.height - p.y - 3, 6, 6);
    });
    cx.strokeStyle = '#fff';
    cx.strokeRect(cursor.x * cv.width - 4, cursor.y * cv.height - 4, 8, 8);
  }, [img, brush, cursor, tick]);

  const commitMasks = (): void => {
    const next: Brush = { ...brush, dynamicMasks: [...brush.dynamicMasks] };
    const c = layers.current.get(area);
    if (!c) return;
    const b64 = exportMask(c);
    if (area === 'static') next.staticMask = b64;
    else {
      const prev = next.dynamicMasks[area];
      next.dynamicMasks[area] = { mask: b64, trajectories: prev?.trajectories ?? [] };
    }
    onChange(next);
  };

  const paintAt = (fx: number, fy: number): void => {
    const c = layer(area);
    const cx = c?.getContext('2d');
    if (!c || !cx) return;
    cx.fillStyle = area === 'static' ? STATIC_COLOR : (COLORS[area] ?? '#fff');
    cx.beginPath();
    cx.arc(fx * c.width, fy * c.height, Math.max(c.width, c.height) * RADIUS_FRACTION, 0, Math.PI * 2);
    cx.fill();
    setTick((n) => n + 1);
  };

  const addPoint = (fx: number, fy: number): void => {
    if (area === 'static' || !img) return;
    const d = brush.dynamicMasks[area];
    if (!d) return; // paint the area first
    if (d.trajectories.length >= LIMITS.trajectoryPoints[1]) return;
    const pt = { x: Math.round(fx * img.naturalWidth), y: Math.round((1 - fy) * img.naturalHeight) };
    const dynamicMasks = brush.dynamicMasks.map((m, i) => (i === area ? { ...m, trajectories: [...m.trajectories, pt] } : m));
    onChange({ ...brush, dynamicMasks });
  };

  const frac = (e: React.PointerEvent<HTMLCanvasElement>): { x: number; y: number } => {
    const r = e.currentTarget.getBoundingClientRect();
    return { x: Math.min(1, Math.max(0, (e.clientX - r.left) / r.width)), y: Math.min(1, Math.max(0, (e.clientY - r.top) / r.height)) };
  };

  const clearArea = (): void => {
    layers.current.delete(area);
    if (area === 'static') onChange({ ...brush, staticMask: undefined });
    else onChange({ ...brush, dynamicMasks: brush.dynamicMasks.filter((_, i) => i !== area) });
    setArea(0);
    setTick((n) => n + 1);
  };

  const areas: AreaKey[] = [...brush.dynamicMasks.map((_, i) => i), ...(brush.dynamicMasks.length < LIMITS.dynamicMasksMax ? [brush.dynamicMasks.length] : []), 'static'];
  const current = typeof area === 'number' ? brush.dynamicMasks[area] : undefined;

  return (
    <fieldset className="brush" disabled={disabledReason !== null}>
      <legend>{t.storyboard.motionBrush}</legend>
      {disabledReason ? (
        <p className="why">{disabledReason}</p>
      ) : (
        <>
          <p className="hint">{t.brush.help}</p>
          <div className="row" role="radiogroup" aria-label="Brush area">
            {areas.map((k) => (
              <label key={String(k)} className="chip" style={{ borderColor: k === 'static' ? STATIC_COLOR : COLORS[k] }}>
                <input type="radio" name="brush-area" checked={area === k} onChange={() => setArea(k)} />
                {k === 'static' ? t.brush.staticArea : t.brush.area(k)}
              </label>
            ))}
          </div>
          <div className="row" role="radiogroup" aria-label="Brush tool">
            <label>
              <input type="radio" name="brush-tool" checked={tool === 'paint'} onChange={() => setTool('paint')} /> {t.brush.paint}
            </label>
            <label>
              <input type="radio" name="brush-tool" checked={tool === 'path'} disabled={area === 'static'} onChange={() => setTool('path')} /> {t.brush.path}
            </label>
            <button type="button" onClick={clearArea}>
              {t.brush.clearArea}
            </button>
            {current && <span data-testid="brush-points">{t.brush.points(current.trajectories.length)}</span>}
          </div>
          <canvas
            ref={canvas}
            className="brush-canvas"
            tabIndex={0}
            role="img"
            aria-label="Motion brush canvas: arrows move the cursor, Space paints, Enter adds a path point"
            data-testid="brush-canvas"
            data-ready={img ? 'true' : 'false'}
            onPointerDown={(e) => {
              const p = frac(e);
              setCursor(p);
              if (tool === 'paint') {
                painting.current = true;
                e.currentTarget.setPointerCapture(e.pointerId);
                paintAt(p.x, p.y);
              } else addPoint(p.x, p.y);
            }}
            onPointerMove={(e) => {
              if (painting.current) paintAt(frac(e).x, frac(e).y);
            }}
            onPointerUp={() => {
              if (painting.current) {
                painting.current = false;
                commitMasks();
              }
            }}
            onKeyDown={(e) => {
              const step = e.shiftKey ? 0.1 : 0.02;
              const move: Record<string, [number, number]> = { ArrowLeft: [-step, 0], ArrowRight: [step, 0], ArrowUp: [0, -step], ArrowDown: [0, step] };
              const m = move[e.key];
              if (m) {
                e.preventDefault();
                setCursor((c) => ({ x: Math.min(1, Math.max(0, c.x + m[0])), y: Math.min(1, Math.max(0, c.y + m[1])) }));
              } else if (e.key === ' ') {
                e.preventDefault();
                paintAt(cursor.x, cursor.y);
                commitMasks();
              } else if (e.key === 'Enter') {
                e.preventDefault();
                addPoint(cursor.x, cursor.y);
              }
            }}
          />
          {current && current.trajectories.length === 1 && <p className="why">A trajectory needs at least {LIMITS.trajectoryPoints[0]} points.</p>}
        </>
      )}
    </fieldset>
  );
}
