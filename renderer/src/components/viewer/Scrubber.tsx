/** The position bar under the picture: a frame slider with the marked range drawn behind it. */
import { vw } from '../../i18n/viewer';
import { timecode, type Marks } from './timecode';

export function Scrubber({
  frame,
  count,
  fps,
  marks,
  onSeek,
}: {
  frame: number;
  count: number;
  fps: number;
  marks: Marks | null;
  onSeek: (frame: number) => void;
}): React.JSX.Element {
  const total = count / fps;
  const pct = (s: number): string => `${total > 0 ? Math.min(100, Math.max(0, (s / total) * 100)) : 0}%`;
  return (
    <div className="viewer-scrub">
      {marks && (
        <div
          className="viewer-marked"
          data-testid="marked-range"
          style={{ left: pct(marks.inS), width: `calc(${pct(marks.outS)} - ${pct(marks.inS)})` }}
        />
      )}
      <input
        type="range"
        aria-label={vw.position}
        aria-valuetext={timecode(frame / fps, fps)}
        min={0}
        max={Math.max(0, count - 1)}
        step={1}
        value={frame}
        disabled={count === 0}
        onChange={(e) => onSeek(Number(e.currentTarget.value))}
      />
    </div>
  );
}
