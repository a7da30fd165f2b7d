/**
 * Black-box helpers: the real `shotline` CLI in a child process (so kill -9 is real) against
 * a sandbox that lives in the test process (so it survives the kill and keeps the record of
 * every create).
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { mkdtempSync, readdirSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';

import Database from 'better-sqlite3';

import { startSandbox, type Sandbox, type SandboxOptions } from '../../../electron/core/sandbox';

export const ROOT = resolve(__dirname, '../../..');
const CLI = join(ROOT, 'electron/cli/index.ts');

/** Short sandbox timings and a small clip set, so a 30-take batch takes seconds. */
export function fastSandbox(o: SandboxOptions = {}): Promise<Sandbox> {
  return startSandbox({ timing: { submittedMs: 100, processingMs: 500 }, recordImages: false, clipVariants: 2, ...o });
}

export function tmp(prefix: string): string {
  return mkdtempSync(join(tmpdir(), `shotline-${prefix}-`));
}

/** A storyboard of `shots` text-to-video shots with `takes` takes each (kling-2.5-turbo 720p 5 s, 1.5 units a take). */
export function writeBoard(
  dir: string,
  name: string,
  shots: number,
  takes: number,
  extra: Record<string, unknown> = {},
): string {
  const file = join(dir, `${name}.json`);
  writeFileSync(
    file,
    JSON.stringify({
      name,
      defaults: { model: 'kling-2.5-turbo', resolution: '720p', duration: 5, aspectRatio: '16:9', takes },
      shots: Array.from({ length: shots }, (_, i) => ({
        id: `shot-${String(i + 1).padStart(2, '0')}`,
        prompt: `shot ${i + 1}: a red kite over the sea`,
        ...extra,
      })),
    }),
  );
  return file;
}

/** Env that makes backoff and polling quick for tests (timings in benchmarks, not here). */
export const FAST_ENV = {
  SHOTLINE_POLL_MIN_MS: '100',
  SHOTLINE_BACKOFF_BASE_MS: '100',
  SHOTLINE_PROBE_UP_MS: '600000',
  SHOTLINE_OUTAGE_PROBE_MS: '300',
  SHOTLINE_OUTAGE_PROBE_MAX_MS: '2000',
};

export interface CliRun {
  child: ChildProcess;
  stdout: () => string;
  stderr: () => string;
  /** Resolves with the exit code (null when killed by a signal). */
  exit: Promise<number | null>;
  /** Resolves when stderr first contains `text`. */
  waitFor: (text: string | RegExp) => Promise<void>;
}

export function startCli(args: string[], env: Record<string, string> = {}): CliRun {
  const child = spawn(process.execPath, ['--import', 'tsx', CLI, ...args], {
    cwd: ROOT,
    env: {
      ...process.env,
      ...FAST_ENV,
      SHOTLINE_ACCESS_KEY: '',
      SHOTLINE_SECRET_KEY: '',
      SHOTLINE_API_KEY: '',
      ...env,
    },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let out = '';
  let err = '';
  const waiters: Array<{ test: (s: string) => boolean; resolve: () => void }> = [];
  child.stdout?.on('data', (d: Buffer) => (out += d.toString()));
  child.stderr?.on('data', (d: Buffer) => {
    err += d.toString();
    for (const w of waiters.splice(0)) (w.test(err) ? w.resolve : () => waiters.push(w))();
  });
  const exit = new Promise<number | null>((res) => child.on('exit', (code) => res(code)));
  return {
    child,
    stdout: () => out,
    stderr: () => err,
    exit,
    waitFor: (text) =>
      new Promise<void>((res, rej) => {
        const test = (s: string): boolean => (typeof text === 'string' ? s.includes(text) : text.test(s));
        if (test(err)) return res();
        waiters.push({ test, resolve: res });
        void exit.then(() =>
          test(err) ? res() : rej(new Error(`CLI exited before printing ${String(text)}:\n${err}`)),
        );
      }),
  };
}

export async function runCli(
  args: string[],
  env: Record<string, string> = {},
): Promise<{ code: number | null; stdout: string; stderr: string }> {
  const r = startCli(args, env);
  const code = await r.exit;
  return { code, stdout: r.stdout(), stderr: r.stderr() };
}

export type Standard = 'new' | 'legacy';

/**
 * The credential decides the standard (providers.ts standardFor): the sandbox's API key speaks
 * the new path-based API, its AK/SK pair the legacy `/v1` one. Given as the headless env vars.
 */
export function credentialEnv(sb: Sandbox, standard: Standard): Record<string, string> {
  return standard === 'new'
    ? { SHOTLINE_API_KEY: sb.credentials.apiKey ?? '' }
    : { SHOTLINE_ACCESS_KEY: sb.credentials.accessKey, SHOTLINE_SECRET_KEY: sb.credentials.secretKey };
}

/** Where the sandbox's records stand now (for standardsSeen). */
export function mark(sb: Sandbox): { creates: number; requests: number } {
  return { creates: sb.creates.length, requests: sb.requests.length };
}

/** The standards and auth kinds of the creates and API requests the sandbox saw since `from`. */
export function standardsSeen(
  sb: Sandbox,
  from: { creates: number; requests: number },
): { creates: string[]; auth: string[]; requests: string[] } {
  const creates = sb.creates.slice(from.creates);
  return {
    creates: [...new Set(creates.map((c) => c.standard))],
    auth: [...new Set(creates.map((c) => c.auth.via))],
    requests: [...new Set(sb.requests.slice(from.requests).flatMap((r) => (r.standard === null ? [] : [r.standard])))],
  };
}

export function sandboxArgs(sb: Sandbox, dataDir: string): string[] {
  return ['--provider', 'sandbox', '--base-url', sb.url, '--data-dir', dataDir];
}

export function walk(dir: string): string[] {
  const out: string[] = [];
  for (const e of readdirSync(dir, { withFileTypes: true })) {
    const p = join(dir, e.name);
    if (e.isDirectory()) out.push(...walk(p));
    else out.push(p);
  }
  return out;
}

/** Successful creates per external task id in the sandbox's record (a duplicate = paid twice). */
export function createsPerExternalId(sb: Sandbox): Map<string, number> {
  const m = new Map<string, number>();
  for (const c of sb.creates)
    if (c.code === 0 && c.externalTaskId) m.set(c.externalTaskId, (m.get(c.externalTaskId) ?? 0) + 1);
  return m;
}

/** Reads the data dir's database after the run (read-only). */
export function readDb<T>(dataDir: string, fn: (db: Database.Database) => T): T {
  const db = new Database(join(dataDir, 'shotline.db'), { readonly: true });
  try {
    return fn(db);
  } finally {
    db.close();
  }
}

export function sizeOf(file: string): number {
  return statSync(file).size;
}

/** Deterministic PRNG for kill moments: the sandbox's own (mulberry32). */
export { rng } from '../../../electron/core/sandbox/faults';
