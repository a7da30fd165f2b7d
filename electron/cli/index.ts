#!/usr/bin/env node
import { createInterface } from 'node:readline/promises';

import { APP_VERSION } from '../core/version';

async function ask(question: string): Promise<boolean> {
  const rl = createInterface({ input: process.stdin, output: process.stderr });
  try {
    return /^y(es)?$/i.test((await rl.question(question)).trim());
  } finally {
    rl.close();
  }
}

const io = {
  stdout: (t: string) => void process.stdout.write(t),
  stderr: (t: string) => void process.stderr.write(t),
  readStdin: async () => {
    const chunks: Buffer[] = [];
    for await (const c of process.stdin) chunks.push(c as Buffer);
    return Buffer.concat(chunks).toString('utf8');
  },
  env: process.env,
  // Through `npm run cli` (or `npm --prefix`), npm starts the script in the package root and
  // keeps the caller's directory in INIT_CWD: relative paths are the caller's.
  cwd: process.env.npm_lifecycle_event === 'cli' && process.env.INIT_CWD ? process.env.INIT_CWD : process.cwd(),
  ...(process.stdin.isTTY && process.stderr.isTTY ? { confirm: ask } : {}),
};

const argv = process.argv.slice(2);
// `--version` answers before the commands (and the core behind them) are even loaded.
const run =
  argv.length === 1 && (argv[0] === '--version' || argv[0] === '-v')
    ? Promise.resolve(void io.stdout(`${APP_VERSION}\n`)).then(() => 0)
    : import('./main').then(({ runCli }) => runCli(argv, io));
run.then(
  (code) => {
    process.exitCode = code;
  },
  (err: unknown) => {
    process.stderr.write(`shotline: ${String(err)}\n`);
    process.exitCode = 1;
  },
);
