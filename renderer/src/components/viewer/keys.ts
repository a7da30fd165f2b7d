/**
 * Which viewer action a key press means (issue 17 item 1), pure so test/unit/viewer tests it.
 * Keys not listed here are left to the page (the Takes page's P, X, 1-5, ↑/↓).
 */
export type PlayerAction =
  | 'reverse'
  | 'pause'
  | 'forward'
  | 'playPause'
  | 'prevFrame'
  | 'nextFrame'
  | 'prevSecond'
  | 'nextSecond'
  | 'markIn'
  | 'markOut'
  | 'loop'
  | 'fullScreen'
  | 'start'
  | 'end'
  | 'close';

export interface KeyLike {
  key: string;
  shiftKey: boolean;
  ctrlKey: boolean;
  metaKey: boolean;
  altKey: boolean;
}

export function playerAction(e: KeyLike): PlayerAction | null {
  const key = e.key.length === 1 ? e.key.toLowerCase() : e.key;
  if (e.altKey) return null;
  if (e.ctrlKey || e.metaKey) return key === 'l' && !e.shiftKey ? 'loop' : null;
  if (key === 'ArrowLeft') return e.shiftKey ? 'prevSecond' : 'prevFrame';
  if (key === 'ArrowRight') return e.shiftKey ? 'nextSecond' : 'nextFrame';
  if (e.shiftKey) return null;
  const plain: Record<string, PlayerAction> = {
    j: 'reverse',
    k: 'pause',
    l: 'forward',
    ' ': 'playPause',
    i: 'markIn',
    o: 'markOut',
    f: 'fullScreen',
    Home: 'start',
    End: 'end',
    Escape: 'close',
  };
  return plain[key] ?? null;
}
