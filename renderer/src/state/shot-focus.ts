/**
 * "Open this shot's takes" from another page (the Report page, issue 17 item 5): the shot is
 * kept here and in the URL hash (`#Takes?shot=<id>`), the Takes page is shown, and a
 * `shotline:focus-shot` event tells a Takes page that is already mounted. The Takes page reads
 * it with takeShotFocus() (once) or listens for the event.
 */
const KEY = 'shotline.focusShot';
export const FOCUS_EVENT = 'shotline:focus-shot';

export function focusShot(goTo: (page: string) => void, shotId: string): void {
  sessionStorage.setItem(KEY, shotId);
  goTo('Takes');
  // After App's own hash update for the page change (App.tsx writes `#<page>`).
  setTimeout(() => {
    history.replaceState(null, '', `#Takes?shot=${encodeURIComponent(shotId)}`);
    window.dispatchEvent(new CustomEvent(FOCUS_EVENT, { detail: shotId }));
  }, 0);
}

/** The shot another page asked the Takes page to show, once (null when none). */
export function takeShotFocus(): string | null {
  const fromHash = /[?&]shot=([^&]+)/.exec(window.location.hash)?.[1];
  const id = sessionStorage.getItem(KEY) ?? (fromHash ? decodeURIComponent(fromHash) : null);
  sessionStorage.removeItem(KEY);
  return id;
}
