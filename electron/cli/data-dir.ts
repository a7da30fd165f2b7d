import { homedir } from 'node:os';
import { join, resolve } from 'node:path';

import type { CliIO } from './command';

/**
 * --data-dir, else SHOTLINE_DATA_DIR, else the same folder the desktop app uses
 * (Electron's userData for productName "Shotline"), so the CLI and the app share work.
 */
export function resolveDataDir(flag: string | undefined, io: Pick<CliIO, 'env' | 'cwd'>): string {
  if (flag) return resolve(io.cwd, flag);
  if (io.env.SHOTLINE_DATA_DIR) return resolve(io.cwd, io.env.SHOTLINE_DATA_DIR);
  const home = homedir();
  switch (process.platform) {
    case 'darwin':
      return join(home, 'Library', 'Application Support', 'Shotline');
    case 'win32':
      return join(io.env.APPDATA ?? join(home, 'AppData', 'Roaming'), 'Shotline');
    default:
      return join(io.env.XDG_CONFIG_HOME ?? join(home, '.config'), 'Shotline');
  }
}
