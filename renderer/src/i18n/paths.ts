/** Strings of the path and clip labels (issue 17 item 4: no file path typed or shown raw). */
export const paths = {
  showInFolder: 'Show in folder',
  showInFolderOf: (name: string) => `Show ${name} in its folder`,
  shownIn: (where: string) => `Shown in the file manager: ${where}`,
  take: (n: number) => `T${n}`,
  none: '—',
  collectMedia: 'Collect media beside the timeline',
};
