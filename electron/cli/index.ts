#!/usr/bin/env node
import { createInterface } from 'node:readline/promises';

import { runCli } from './main';

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

runCli(process.argv.slice(2), io).then(
  (code) => {
    process.exitCode = code;
  },
  (err: unknown) => {
    process.stderr.write(`shotline: ${String(err)}\n`);
    process.exitCode = 1;
  },
);
