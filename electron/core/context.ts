/**
 * What every handler gets: the data dir, the options the front chose, a typed event
 * emitter and a place to register clean-up. The services built on it (queue, secrets,
 * sandbox, engine) live in ./services.ts, built once by createCore.
 */
import { mkdirSync } from 'node:fs';
import { join } from 'node:path';

import type Database from 'better-sqlite3';

import type { EventName, EventPayload } from '../../shared/contract';
import type { Dialogs } from './app/dialogs';
import { openDatabase } from './db/open';
import type { SecretStore } from './secrets';

export interface CoreOptions {
  /** Where the database, clips, logs and edits live. Created if missing. */
  dataDir: string;
  /** Explicit tool paths (settings or env); otherwise bundled, then PATH. */
  ffmpegPath?: string;
  ffprobePath?: string;
  /** Set by the Electron front; null under plain Node. */
  electronVersion?: string | null;
  /** better-sqlite3 `nativeBinding` (the Electron-ABI build when running inside Electron). */
  sqliteNativeBinding?: string;
  /** The desktop shell (Electron's `shell`); without it app.showInFolder spawns the platform opener. */
  shell?: { showItemInFolder(path: string): void };
  /** The window's open/save dialogs (Electron's, or the test bridge's fake). Set: outputs go only where the user chose. */
  dialogs?: Dialogs;
  /** The secret store (tests: one on a memory keychain); otherwise the OS keychain's, opened on first use. */
  secrets?: SecretStore;
}

export type CoreListener = <E extends EventName>(event: E, payload: EventPayload<E>) => void;

export interface CoreContext {
  readonly options: CoreOptions;
  readonly dataDir: string;
  /** The one SQLite database (`<dataDir>/shotline.db`), opened and migrated on first use. */
  db(): Database.Database;
  emit<E extends EventName>(event: E, payload: EventPayload<E>): void;
  /** Runs when the core closes, last registered first. */
  onClose(fn: () => void | Promise<void>): void;
}

export function createContext(
  options: CoreOptions,
  listeners: Set<CoreListener>,
): {
  ctx: CoreContext;
  runClose: () => Promise<void>;
} {
  mkdirSync(options.dataDir, { recursive: true, mode: 0o700 });
  const closers: Array<() => void | Promise<void>> = [];
  let db: Database.Database | null = null;
  const ctx: CoreContext = {
    options,
    dataDir: options.dataDir,
    db() {
      if (!db) {
        const opened = openDatabase(join(options.dataDir, 'shotline.db'), {
          nativeBinding: options.sqliteNativeBinding,
        });
        db = opened;
        // Registered first, so it runs last: services that use the db close before it.
        closers.unshift(() => {
          opened.close();
        });
      }
      return db;
    },
    emit(event, payload) {
      for (const l of listeners) l(event, payload);
    },
    onClose(fn) {
      closers.push(fn);
    },
  };
  const runClose = async (): Promise<void> => {
    for (const fn of closers.reverse()) await fn();
  };
  return { ctx, runClose };
}
