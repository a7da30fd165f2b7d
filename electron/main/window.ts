/** The one BrowserWindow factory; every webPreference is explicit so audits can read it. */
import { join } from 'node:path';

import { BrowserWindow } from 'electron';

import { devToolsEnabled } from './packaged';

export function createMainWindow(preloadPath: string, opts: { packaged: boolean }): BrowserWindow {
  const win = new BrowserWindow({
    title: 'Shotline',
    width: 1440,
    height: 900,
    minWidth: 1024,
    minHeight: 640,
    show: false,
    backgroundColor: '#121316',
    webPreferences: {
      preload: preloadPath, // eng-disable PRELOAD_JS_CHECK: sandboxed and context-isolated; exposes only contract-checked calls (electron/preload/index.ts)
      contextIsolation: true,
      sandbox: true,
      nodeIntegration: false,
      nodeIntegrationInWorker: false,
      nodeIntegrationInSubFrames: false,
      webSecurity: true,
      allowRunningInsecureContent: false,
      experimentalFeatures: false,
      webviewTag: false,
      spellcheck: false,
      enableWebSQL: false,
      navigateOnDragDrop: false,
      safeDialogs: true,
      // No middle-click: it could open a link in a new window (electronegativity AUXCLICK_JS_CHECK).
      disableBlinkFeatures: 'Auxclick',
      // Off in packaged builds (issue 16.6, electron/main/packaged.ts).
      devTools: devToolsEnabled(opts.packaged),
    },
  });
  win.once('ready-to-show', () => win.show());
  return win;
}

export const preloadFile = (mainDir: string): string => join(mainDir, '../preload/index.cjs');
export const rendererDir = (mainDir: string): string => join(mainDir, '../renderer');
