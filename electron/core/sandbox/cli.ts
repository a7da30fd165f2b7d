/**
 * Starting a sandbox from the CLI or the app: a free port on 127.0.0.1, demo-friendly
 * timings, and client options ready to use. Run it alone to try the API by hand:
 *   npx tsx electron/core/sandbox/cli.ts [--port N]
 */
import { dirname, join } from 'node:path';
import { pathToFileURL } from 'node:url';

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
  const sandbox = await startSandbox({ timing: { submittedMs: 300, processingMs: 1500 }, recordImages: false, ...opts, ...(clipCacheDir ? { clipCacheDir } : {}) });
  return {
    sandbox,
    clientOptions: {
      provider: 'sandbox',
      baseUrl: sandbox.url,
      // An API key: the client speaks the new standard, as with a real Kling account today (DESIGN.md §4).
      credentials: { kind: 'bearer', apiKey: sandbox.credentials.apiKey ?? '' },
    },
    banner: `Kling sandbox (local simulator: test clips, no real generation) at ${sandbox.url}`,
  };
}

async function main(argv: string[]): Promise<void> {
  const i = argv.indexOf('--port');
  const port = i >= 0 ? Number(argv[i + 1]) : 0;
  const { sandbox, banner } = await startSandboxForCli({ port });
  process.stderr.write(
    `${banner}\n` +
      `  access key ${sandbox.credentials.accessKey}\n  secret key ${sandbox.credentials.secretKey}\n` +
      `  API key    ${sandbox.credentials.apiKey ?? '-'}\n  Ctrl-C to stop\n`,
  );
  const stop = (): void => {
    void sandbox.close().then(() => process.exit(0));
  };
  process.on('SIGINT', stop);
  process.on('SIGTERM', stop);
}

if (process.argv[1] && import.meta.url === pathToFileURL(process.argv[1]).href) {
  void main(process.argv.slice(2));
}
