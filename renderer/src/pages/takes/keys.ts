/**
 * The contact sheet's keys (issue 17 item 2): arrows move between takes and shots, P picks,
 * X rejects, 1-5 rate (0 clears), N writes a note, Enter/Space open the take in the viewer,
 * C adds the take to a comparison. Pure: the page decides what each action does.
 */
export type KeyAction =
  | { kind: 'move'; dir: 'left' | 'right' | 'up' | 'down' }
  | { kind: 'pick' }
  | { kind: 'reject' }
  | { kind: 'rate'; rating: number | null }
  | { kind: 'note' }
  | { kind: 'open' }
  | { kind: 'compare' }
  | { kind: 'clear' };

const ARROWS: Record<string, 'left' | 'right' | 'up' | 'down'> = {
  ArrowLeft: 'left',
  ArrowRight: 'right',
  ArrowUp: 'up',
  ArrowDown: 'down',
};

/** The parts of a key event the mapping reads (a DOM KeyboardEvent or React's). */
export interface KeyPress {
  key: string;
  ctrlKey: boolean;
  metaKey: boolean;
  altKey: boolean;
}

export function keyAction(e: KeyPress): KeyAction | null {
  if (e.ctrlKey || e.metaKey || e.altKey) return null;
  const dir = ARROWS[e.key];
  if (dir) return { kind: 'move', dir };
  if (e.key === 'Enter' || e.key === ' ') return { kind: 'open' };
  if (e.key === 'Escape') return { kind: 'clear' };
  if (/^[0-5]$/.test(e.key)) return { kind: 'rate', rating: e.key === '0' ? null : Number(e.key) };
  switch (e.key.toLowerCase()) {
    case 'p':
      return { kind: 'pick' };
    case 'x':
      return { kind: 'reject' };
    case 'n':
      return { kind: 'note' };
    case 'c':
      return { kind: 'compare' };
    default:
      return null;
  }
}
