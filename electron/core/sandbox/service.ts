/**
 * One sandbox per core, started on first use and closed with the core: what the app and the
 * CLI use for `--provider sandbox` (or when no keys are set), always labelled a simulator.
 * Built once by the composition root (electron/core/services.ts) and handed to whoever needs it.
 */
import { join } from 'node:path';

import type { CoreContext } from '../context';
import { startSandboxForCli, type CliSandbox } from './cli';
import type { SandboxOptions } from './types';

export interface SandboxService {
  /** The core's simulator, started on the first call (later options are ignored). */
  ensure(opts?: SandboxOptions): Promise<CliSandbox>;
  /**
   * Closes the simulator (erase does this first, so the simulator's task records are read
   * again from the cleaned state file instead of being written back from memory).
   */
  stop(): Promise<void>;
}

export function createSandboxService(ctx: CoreContext): SandboxService {
  let running: Promise<CliSandbox> | null = null;
  const stop = async (): Promise<void> => {
    const p = running;
    if (!p) return;
    running = null;
    await (await p).sandbox.close();
  };
  ctx.onClose(stop);
  return {
    ensure(opts = {}) {
      // Tasks survive a restart of the process (a resumed run sees the tasks it submitted).
      running ??= startSandboxForCli({ stateFile: join(ctx.dataDir, 'sandbox', 'state.json'), ...opts });
      return running;
    },
    stop,
  };
}
