/**
 * Electron entry: a thin shell around the core. Everything here is glue that cannot run
 * without Electron; the logic lives in electron/core and is tested under Node.
 */
import { fileURLToPath } from 'node:url';

import { app, BrowserWindow, dialog, Menu, shell } from 'electron';

import { createCore, type Core } from '../core';
import { watchBatches } from './batch-watch';
import { electronDialogs } from './dialogs';
import { registerIpc } from './ipc';
import { electronSqliteBinding } from './native';
import { packagedMenuTemplate } from './packaged';
import { handleProtocols, registerSchemesAsPrivileged } from './protocol';
import { installCspHeader, installSecurityGuards } from './security';
import { createMainWindow, preloadFile, rendererDir } from './window';

const mainDir = fileURLToPath(new URL('.', import.meta.url));

// Tests give each run its own data dir (Actual's e2e fixture pattern).
if (process.env.SHOTLINE_DATA_DIR) app.setPath('userData', process.env.SHOTLINE_DATA_DIR);

registerSchemesAsPrivileged();

if (!app.requestSingleInstanceLock()) {
  // Only one instance may work a data dir (docs/architecture.md, "What the queue guarantees").
  app.quit();
} else {
  let core: Core | null = null;
  let win: BrowserWindow | null = null;
  let unwatch: (() => void) | null = null;

  const focusWindow = (): void => {
    if (win) {
      if (win.isMinimized()) win.restore();
      win.focus();
    }
  };

  app.on('second-instance', focusWindow);

  void app.whenReady().then(() => {
    installSecurityGuards();
    if (app.isPackaged) {
      installCspHeader();
      // No default menu (View > Toggle Developer Tools, Reload) in a packaged build (issue 16.6).
      const template = packagedMenuTemplate(process.platform);
      Menu.setApplicationMenu(template ? Menu.buildFromTemplate(template) : null);
    }
    const dataDir = app.getPath('userData');
    const binding = electronSqliteBinding();
    if ('error' in binding) console.warn(`[native] ${binding.error}`);
    core = createCore({
      dataDir,
      electronVersion: process.versions.electron ?? null,
      shell: { showItemInFolder: (path: string) => shell.showItemInFolder(path) },
      // The main process owns the file dialogs; the renderer gets only what the user chose.
      dialogs: electronDialogs(() => win),
      ...('path' in binding ? { sqliteNativeBinding: binding.path } : {}),
    });
    handleProtocols(rendererDir(mainDir), dataDir);
    registerIpc(core, () => BrowserWindow.getAllWindows().map((w) => w.webContents));
    // Keep-awake while a batch runs, a notification when one finishes.
    unwatch = watchBatches(core, focusWindow);
    // An overnight batch survives a restart or a crash: open batches go on at start.
    void core.services.engine
      .resumeOpen()
      .catch((err: unknown) => console.warn(`[queue] not resumed: ${(err as Error).message}`));
    win = createMainWindow(preloadFile(mainDir), { packaged: app.isPackaged });
    win.on('closed', () => (win = null));
    if (process.env.ELECTRON_RENDERER_URL && !app.isPackaged) {
      void win.loadURL(process.env.ELECTRON_RENDERER_URL);
    } else {
      void win.loadURL('app://shotline/index.html');
    }
    if ('error' in binding) void dialog.showMessageBox(win, { type: 'warning', message: binding.error });
  });

  app.on('window-all-closed', () => {
    if (process.platform !== 'darwin') app.quit();
  });

  app.on('will-quit', () => {
    unwatch?.();
    void core?.close();
  });
}
