/** A visible button for every key of the player (mouse users; issue 17 item 1). */
import { vw } from '../../i18n/viewer';
import type { PlayerAction } from './keys';

interface Button {
  action: PlayerAction;
  label: string;
  glyph: string;
}

const BUTTONS: Button[] = [
  { action: 'reverse', label: vw.reverse, glyph: '◀◀' },
  { action: 'pause', label: vw.pause, glyph: '❚❚' },
  { action: 'forward', label: vw.forward, glyph: '▶▶' },
  { action: 'prevSecond', label: vw.prevSecond, glyph: '−1s' },
  { action: 'prevFrame', label: vw.prevFrame, glyph: '−1f' },
  { action: 'nextFrame', label: vw.nextFrame, glyph: '+1f' },
  { action: 'nextSecond', label: vw.nextSecond, glyph: '+1s' },
  { action: 'markIn', label: vw.markIn, glyph: 'I' },
  { action: 'markOut', label: vw.markOut, glyph: 'O' },
];

export function Transport({
  playing,
  loop,
  fullScreen,
  onAction,
  onClear,
  onClose,
}: {
  playing: boolean;
  loop: boolean;
  fullScreen: boolean;
  onAction: (a: PlayerAction) => void;
  onClear: () => void;
  onClose?: () => void;
}): React.JSX.Element {
  return (
    <div className="viewer-transport" role="toolbar" aria-label={vw.transport}>
      <button
        type="button"
        className="viewer-play"
        aria-label={playing ? vw.pauseSpace : vw.play}
        title={vw.playPause}
        onClick={() => onAction('playPause')}
      >
        {playing ? '❚❚' : '▶'}
      </button>
      {BUTTONS.map((b) => (
        <button key={b.action} type="button" aria-label={b.label} title={b.label} onClick={() => onAction(b.action)}>
          {b.glyph}
        </button>
      ))}
      <button type="button" aria-label={vw.clearMarks} title={vw.clearMarks} onClick={onClear}>
        ⌫
      </button>
      <button type="button" aria-label={vw.loop} title={vw.loop} aria-pressed={loop} onClick={() => onAction('loop')}>
        ⟲
      </button>
      <button
        type="button"
        aria-label={vw.fullScreen}
        title={vw.fullScreen}
        aria-pressed={fullScreen}
        onClick={() => onAction('fullScreen')}
      >
        ⛶
      </button>
      {onClose && (
        <button type="button" aria-label={vw.close} title={vw.close} onClick={onClose}>
          ✕
        </button>
      )}
    </div>
  );
}
