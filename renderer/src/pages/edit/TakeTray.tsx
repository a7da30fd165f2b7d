/**
 * The take tray under the timeline (issue 17 item 3): the selected clip's shot's other finished
 * takes, as posters. Drag one onto the clip (the pointer is released over a timeline clip:
 * data-shot on ./Timeline.tsx's blocks) or press its button to swap it into the cut; the page
 * saves the pick (edit.save picks, one undo step). A take dropped on another shot's clip is
 * refused in words.
 */
import { useRef, useState } from 'react';

import type { JobView } from '../../../../shared/queue';
import { tl } from '../../i18n/timeline';
import { mediaUrl } from '../../lib/media';
import { useThumbnails } from './filmstrips';

interface Props {
  shotId: string;
  /** The file in the cut now. */
  current: string | undefined;
  takes: JobView[];
  dir: string | null;
  onUse: (file: string) => void;
  onError: (message: string) => void;
}

interface Carry {
  job: JobView;
  x: number;
  y: number;
  moved: boolean;
}

export function TakeTray({ shotId, current, takes, dir, onUse, onError }: Props): React.JSX.Element {
  const others = takes.filter((j) => j.file && j.file !== current);
  const thumbs = useThumbnails(others.map((j) => j.file ?? ''));
  // The carried take lives in a ref too: a release can come before React renders the last move.
  const [carry, setCarry] = useState<Carry | null>(null);
  const held = useRef<Carry | null>(null);
  const hold = (c: Carry | null): void => {
    held.current = c;
    setCarry(c);
  };

  const drop = (c: Carry, x: number, y: number): void => {
    const hit = document.elementFromPoint(x, y)?.closest<HTMLElement>('[data-testid="tl-clip"]');
    const on = hit?.dataset.shot;
    if (!on || !c.job.file) return;
    if (on !== shotId) return onError(tl.wrongShot(c.job.take, shotId, on));
    onUse(c.job.file);
  };

  return (
    <section className="tray" aria-label={tl.tray(shotId)} data-testid="take-tray">
      <h2>{tl.tray(shotId)}</h2>
      {others.length === 0 ? (
        <p className="muted">{tl.noOtherTakes(shotId)}</p>
      ) : (
        <>
          <p className="hint">{tl.trayHint}</p>
          <ul className="tray-takes">
            {others.map((j) => {
              const set = thumbs.get(j.file ?? '');
              const src = set && !(set instanceof Error) && dir ? mediaUrl(set.poster, dir) : null;
              return (
                <li
                  key={j.id}
                  className="tray-take"
                  data-testid="tray-take"
                  onPointerDown={(e) => {
                    if (e.button !== 0 || (e.target as HTMLElement).closest('button')) return;
                    e.currentTarget.setPointerCapture(e.pointerId);
                    hold({ job: j, x: e.clientX, y: e.clientY, moved: false });
                  }}
                  onPointerMove={(e) => {
                    if (held.current) hold({ ...held.current, x: e.clientX, y: e.clientY, moved: true });
                  }}
                  onPointerUp={(e) => {
                    if (held.current?.moved) drop(held.current, e.clientX, e.clientY);
                    hold(null);
                  }}
                  onPointerCancel={() => hold(null)}
                >
                  {src ? <img src={src} alt="" draggable={false} /> : <span className="poster-empty" />}
                  <span>{tl.take(j.take)}</span>
                  <button type="button" onClick={() => j.file && onUse(j.file)}>
                    {tl.useTake(j.take, shotId)}
                  </button>
                </li>
              );
            })}
          </ul>
        </>
      )}
      {carry?.moved && (
        <div className="tray-ghost" style={{ left: `${carry.x + 8}px`, top: `${carry.y + 8}px` }} aria-hidden>
          {tl.take(carry.job.take)}
        </div>
      )}
    </section>
  );
}
