/**
 * The sandbox alone, to try Kling's API by hand (docs/readme/kling.md):
 *   npx tsx electron/core/sandbox/serve.ts [--port N]
 * prints its URL and its test credentials and runs until Ctrl-C.
 */
import { startSandboxForCli } from './cli';

const argv = process.argv.slice(2);
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
