/**
 * Starting a sandbox from the CLI or the app: a free port on 127.0.0.1, demo-friendly
 * timings, and client options ready to use. To try the API by hand, run ./serve.ts (this module
 * has no start-up side effect, so the bundled CLI can include it: scripts/build-cli.mjs).
 */
import { dirname, join } from 'node:path';

import type { KlingClientOptions } from '../kling/client';
import { startSandbox } from './server';
import type { Sandbox, SandboxOptions } from './types';

export interface CliSandbox {
  sandbox: Sandbox;
  /** Pass to createKlingClient (add onRequest/log as needed). */
  clientOptions: Pick<KlingClientOptions, 'provider' | 'baseUrl' | 'credentials'>;
  /** One line for stderr, e.g. "Sandbox (simulator) at http://127.0.0.1:40123". */
  banner: string;
}

export async function startSandboxForCli(opts: SandboxOptions = {}): Promise<CliSandbox> {
  // With a state file (the app and `run`), the clips live beside it in the data dir (issue 16.7).
  const clipCacheDir = opts.clipCacheDir ?? (opts.stateFile ? join(dirname(opts.stateFile), 'clips') : undefined);
  const sandbox = await startSandbox({
    timing: { submittedMs: 300, processingMs: 1500 },
    recordImages: false,
    ...opts,
    ...(clipCacheDir ? { clipCacheDir } : {}),
  });
  return {
    sandbox,
    clientOptions: {
      provider: 'sandbox',
      baseUrl: sandbox.url,
      // An API key: the client speaks the new standard, as with a real Kling account today (docs/readme/kling.md).
      credentials: { kind: 'bearer', apiKey: sandbox.credentials.apiKey ?? '' },
    },
    banner: `Kling sandbox (local simulator: test clips, no real generation) at ${sandbox.url}`,
  };
}
