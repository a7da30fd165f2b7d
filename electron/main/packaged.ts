/**
 * What a packaged build turns off (issue 16.6), as pure data so tests read it without
 * Electron: DevTools (webPreferences.devTools, electron/main/window.ts) and the default menu
 * (View > Toggle Developer Tools, Reload), replaced on macOS by the app, Edit and Window menus
 * only (Quit, copy/paste and Minimize keep working) and removed elsewhere. The Electron fuses
 * that go with it are set in electron-builder.yml (`electronFuses`).
 */
import type { MenuItemConstructorOptions } from 'electron';

export function devToolsEnabled(packaged: boolean): boolean {
  return !packaged;
}

/** The application menu of a packaged build: null (none) except on macOS. */
export function packagedMenuTemplate(platform: NodeJS.Platform): MenuItemConstructorOptions[] | null {
  if (platform !== 'darwin') return null;
  return [{ role: 'appMenu' }, { role: 'editMenu' }, { role: 'windowMenu' }];
}
