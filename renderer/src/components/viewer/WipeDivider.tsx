/**
 * The A/B wipe's divider: a slider over the picture, dragged with the pointer or moved with
 * ←/→ (Shift: 10 %), Home/End. Position in percent from the left (A shows left of it).
 */
import { useRef } from 'react';

import { vw } from '../../i18n/viewer';

export function WipeDivider({ pos, onPos }: { pos: number; onPos: (p: number) => void }): React.JSX.Element {
  const dragging = useRef(false);
  const clamp = (p: number): number => Math.min(100, Math.max(0, Math.round(p * 10) / 10));
  const fromPointer = (e: React.PointerEvent<HTMLDivElement>): void => {
    const box = e.currentTarget.parentElement?.getBoundingClientRect();
    if (box && box.width > 0) onPos(clamp(((e.clientX - box.left) / box.width) * 100));
  };
  const onKeyDown = (e: React.KeyboardEvent): void => {
    const by = e.shiftKey ? 10 : 1;
    const next: Record<string, number> = { ArrowLeft: pos - by, ArrowRight: pos + by, Home: 0, End: 100 };
    const p = next[e.key];
    if (p === undefined) return;
    e.preventDefault();
    e.stopPropagation();
    onPos(clamp(p));
  };
  return (
    <div
      className="viewer-wipe-divider"
      role="slider"
      tabIndex={0}
      aria-label={vw.compare.divider}
      aria-orientation="horizontal"
      aria-valuemin={0}
      aria-valuemax={100}
      aria-valuenow={pos}
      aria-valuetext={`${Math.round(pos)} %`}
      style={{ left: `${pos}%` }}
      onKeyDown={onKeyDown}
      onPointerDown={(e) => {
        dragging.current = true;
        e.currentTarget.setPointerCapture(e.pointerId);
        e.currentTarget.focus();
      }}
      onPointerMove={(e) => {
        if (dragging.current) fromPointer(e);
      }}
      onPointerUp={(e) => {
        dragging.current = false;
        e.currentTarget.releasePointerCapture(e.pointerId);
      }}
    />
  );
}
