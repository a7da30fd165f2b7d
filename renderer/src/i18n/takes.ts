/**
 * Strings of the Takes page's dailies (issue 17 item 2): the contact sheet, its keys, the dock
 * and the re-roll question. English first, like renderer/src/i18n/strings.ts.
 */
export const tk = {
  sheet: 'Contact sheet: arrows move, P pick, X reject, 1-5 rate, N note, Enter open, C compare',
  keys: '← → takes · ↑ ↓ shots · P pick · X reject · 1-5 rate (0 clears) · N note · Enter/Space open · C compare',
  filter: 'Show',
  filters: { all: 'All', picked: 'Picked', unrated: 'Unrated', rejected: 'Rejected', failed: 'Failed' } as Record<
    string,
    string
  >,
  nothingHere: 'No take matches this filter.',
  // Not "... nothing is picked": a name containing "Picked" would read as a picked take's button.
  pickFirst: 'Pick take 1 for every shot without a pick',
  pickedFirst: (n: number) => (n === 0 ? 'Every shot already had a pick.' : `Picked the first take of ${n} shot(s).`),
  rating: (n: number) => `Rated ${n} of 5`,
  stars: (n: number) => '★'.repeat(n) + '☆'.repeat(5 - n),
  rejected: 'Rejected',
  reject: 'Reject',
  note: 'Note',
  noteOf: (take: number, shot: string) => `Note on take ${take} of ${shot}`,
  noteHint: 'Enter saves, Escape cancels',
  failedTake: (take: number, state: string) => `Take ${take} ${state}`,
  fix: (fix: string) => `Fix: ${fix}`,
  dock: 'Viewer and take details',
  openHint: 'Press Enter (or click a poster) to play the focused take here.',
  details: {
    title: (take: number, shot: string) => `Take ${take} of ${shot}`,
    prompt: 'Prompt as sent',
    promptQueued: 'Prompt (before the PII filter)',
    model: 'Model',
    resolution: 'Resolution',
    aspect: 'Aspect ratio',
    audio: 'Audio',
    audioYes: 'with sound',
    audioNo: 'silent',
    duration: 'Length',
    units: 'Units',
    unitsValue: (est: number, billed: number | null | undefined) =>
      billed === null || billed === undefined
        ? `${fmt(est)} u estimated`
        : `${fmt(billed)} u billed (${fmt(est)} estimated)`,
    task: 'Kling task',
    kept: 'On Kling',
    clip: 'Clip',
    marks: 'Marks',
    marksValue: (i: number, o: number) => `in ${i.toFixed(2)} s, out ${o.toFixed(2)} s`,
    none: '—',
  },
  compare: (n: number) => `Compare ${n} takes`,
  compareHint: (n: number) => `${n} take(s) marked for comparison: press C on 1-3 more takes of this shot.`,
  closeCompare: 'Close comparison',
  reroll: {
    title: (shot: string) => `Re-roll ${shot}?`,
    body: (units: string) => `A new take of this shot, with its settings as stored: ${units} u at list price.`,
    yes: (units: string) => `Re-roll (${units} u)`,
    no: 'Cancel',
    queued: (shot: string, take: number) => `${shot}: take ${take} queued.`,
  },
} as const;

function fmt(n: number): string {
  return String(Math.round(n * 100) / 100);
}
