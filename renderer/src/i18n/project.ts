/** Strings of the project surface (issue 11 items 1, 3, 4, 5): project list, batch, takes and edit additions. */
export const p = {
  projects: {
    title: 'Projects',
    empty: 'No storyboard queued yet. Queue one from the Batch page, or open a storyboard file on the Storyboard page.',
    cols: ['Storyboard', 'Shots', 'Batches', 'Done takes', 'Edit', 'Updated', ''],
    open: (name: string) => `Open ${name}`,
    current: 'open now',
    editSaved: (n: number) => (n ? `${n} clip(s)` : '—'),
    opened: (name: string) => `Opened ${name}: its batches, takes and edit are on the Batch, Takes and Edit pages.`,
  },
  noProject:
    'This storyboard has not been queued yet: queue it on the Batch page, or open an earlier one from Projects.',
  openFile: 'Open storyboard file…',
  openProblems: (file: string, n: number) => `${file} was not opened: ${n} problem(s).`,
  openedFile: (file: string) => `Opened ${file}; its images were copied into the data dir.`,
  imageUploading: 'Keeping the image…',
  batch: {
    checking: 'Checking…',
    queueing: 'Queueing…',
    alreadyQueued: (batch: string, takes: number) =>
      `Already queued: all ${takes} take(s) of this storyboard are in batch ${batch}. Nothing new was queued.`,
    openQueue: 'Open the Queue page',
    reportBatch: 'Batch',
    reportOption: (id: string, when: string, done: number, total: number) => `${when} · ${id} · ${done}/${total} done`,
    running: 'still running',
    coreProblems: 'The import check (the same one Queue runs) found:',
  },
  takes: {
    noProject: 'No storyboard is open: queue one on the Batch page or open one from Projects.',
    of: (name: string) => `Takes of ${name}`,
  },
  edit: {
    of: (name: string) => `Edit of ${name}`,
    up: (id: string) => `Move ${id} earlier`,
    down: (id: string) => `Move ${id} later`,
    chooseOutput: 'Choose where…',
    noOutput: 'No output chosen yet.',
    output: (path: string) => `Output: ${path}`,
    exists: (path: string) => `${path} already exists. Replace it?`,
    replace: 'Replace',
    keep: 'Keep it, choose another name',
    percent: (n: number) => `${n.toFixed(0)} %`,
    timelineWritten: (path: string) => `Timeline written: ${path}`,
    saved: 'Saved',
  },
} as const;
