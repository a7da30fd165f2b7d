/**
 * better-sqlite3 is not ABI-stable between Node and Electron. node_modules holds the Node
 * build (tests, CLI); scripts/electron-native.mjs builds a second copy for Electron's ABI
 * into native/electron/, and electron-builder ships it under resources/native/. The app
 * hands that file to better-sqlite3 through its `nativeBinding` option.
 * keytar is built on N-API, so one binary serves both runtimes.
 */
import { existsSync } from 'node:fs';
import { join } from 'node:path';

import { app } from 'electron';

export const SQLITE_BINARY = 'better_sqlite3.node';

export function electronSqliteBinding(): { path: string } | { error: string } {
  const candidates = app.isPackaged
    ? [join(process.resourcesPath, 'native', SQLITE_BINARY)]
    : [join(app.getAppPath(), 'native', 'electron', SQLITE_BINARY)];
  for (const p of candidates) if (existsSync(p)) return { path: p };
  return {
    error:
      `The Electron build of better-sqlite3 is missing (looked in ${candidates.join(', ')}). ` +
      'Run `npm run rebuild:electron` on a machine with internet access, then start again.',
  };
}
