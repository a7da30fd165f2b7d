/**
 * One sandbox per core, started on first use and closed with the core: what the app and the
 * CLI use for `--provider sandbox` (or when no keys are set), always labelled a simulator.
 */
import { join } from 'node:path';

import type { CoreContext } from '../context';
import { startSandboxForCli, type CliSandbox } from './cli';
import type { SandboxOptions } from './types';

const running = new WeakMap<CoreContext, Promise<CliSandbox>>();

export function ensureSandbox(ctx: CoreContext, opts: SandboxOptions = {}): Promise<CliSandbox> {
  let p = running.get(ctx);
  if (!p) {
    // Tasks survive a restart of the process (a resumed run sees the tasks it submitted).
    p = startSandboxForCli({ stateFile: join(ctx.dataDir, 'sandbox', 'state.json'), ...opts });
    running.set(ctx, p);
    const started = p;
    ctx.onClose(async () => {
      running.delete(ctx);
      await (await started).sandbox.close();
    });
  }
  return p;
}

/**
 * Closes this core's sandbox (erase does this first, so the simulator's task records are read
 * again from the cleaned state file instead of being written back from memory).
 */
export async function stopSandbox(ctx: CoreContext): Promise<void> {
  const p = running.get(ctx);
  if (!p) return;
  running.delete(ctx);
  await (await p).sandbox.close();
}
