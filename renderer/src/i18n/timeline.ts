/**
 * Strings of the Edit page's timeline, program monitor, take tray and undo (issue 17 item 3).
 * English first, like renderer/src/i18n/strings.ts.
 */
export const tl = {
  timeline: 'Timeline',
  /** As renderer/src/components/ClipLabel.tsx names a clip: shot · T<take> · file name. */
  clip: (id: string, take: number | null, file: string) =>
    take === null ? `${id} · ${file}` : `${id} · T${take} · ${file}`,
  selected: 'Selected clip',
  clipLabel: (id: string) => `Clip ${id}`,
  trimIn: (id: string) => `Trim the start of ${id}`,
  trimOut: (id: string) => `Trim the end of ${id}`,
  fadeHandle: (id: string) => `Transition from ${id} into the next clip: drag right to lengthen`,
  fadeOf: (s: number) => `${s.toFixed(2)} s`,
  ruler: 'Timeline ruler: click to move the playhead',
  zoomIn: 'Zoom in (+)',
  zoomOut: 'Zoom out (−)',
  fit: 'Fit (\\)',
  duration: 'Length of the cut',
  keysHint:
    'Drag a clip to move it (Alt+← / → moves the selected clip), drag its edges to trim (frames snap), drag the diamond between two clips for a crossfade. + / − zoom, \\ fits.',
  monitor: 'Program monitor',
  play: 'Play (Space)',
  pause: 'Pause (Space)',
  monitorHint:
    'Plays the cut with its trims before anything is rendered: Space play/pause, J back, K stop, L forward (again: faster). Crossfades show as cuts here; the export dissolves them.',
  notPlayable: (file: string) => `${file} is outside the data folder, so it cannot be previewed here.`,
  tray: (id: string) => `Other takes of ${id}`,
  trayHint: 'Drag a take onto the clip, or press its button, to swap it in.',
  noOtherTakes: (id: string) => `${id} has no other finished take.`,
  take: (n: number) => `Take ${n}`,
  useTake: (n: number, id: string) => `Use take ${n} for ${id}`,
  inUse: 'in the cut',
  wrongShot: (take: number, of: string, on: string) =>
    `Take ${take} is a take of ${of}, not of ${on}: drop it on ${of}'s clip.`,
  undo: 'Undo (Ctrl+Z)',
  redo: 'Redo (Shift+Ctrl+Z)',
  numbers: 'In and out points in seconds',
};
