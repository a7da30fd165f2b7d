/**
 * Electron's open/save dialogs as the core's `Dialogs` (electron/core/app/dialogs.ts), shown
 * on the app window. macOS and Windows ask "replace it?" themselves; on Linux the app asks.
 */
import { dialog, type BrowserWindow } from 'electron';

import type { Dialogs } from '../core/app/dialogs';

export function electronDialogs(window: () => BrowserWindow | null): Dialogs {
  const nativeAsksToReplace = process.platform === 'darwin' || process.platform === 'win32';
  return {
    async open({ title, filters, defaultPath }) {
      const w = window();
      const opts = { title, filters, properties: ['openFile' as const], ...(defaultPath ? { defaultPath } : {}) };
      const r = w ? await dialog.showOpenDialog(w, opts) : await dialog.showOpenDialog(opts);
      return r.canceled ? null : (r.filePaths[0] ?? null);
    },
    async save({ title, defaultPath, filters }) {
      const w = window();
      const opts = { title, defaultPath, filters };
      const r = w ? await dialog.showSaveDialog(w, opts) : await dialog.showSaveDialog(opts);
      return r.canceled || !r.filePath ? null : { path: r.filePath, overwriteConfirmed: nativeAsksToReplace };
    },
  };
}
