/**
 * Starting the engine for a data dir: credentials (keychain profile, env keys, or the
 * sandbox's built-in ones), the Kling client with every request written to the audit log,
 * the PII filter, the engine lock, and the engine itself. Used by the CLI and queue.enqueue.
 */
import type Database from 'better-sqlite3';

import type { ProviderId } from '../../../shared/kling/providers';
import type { CoreContext } from '../context';
import { createKlingClient, type KlingClient, type KlingRequestInfo } from '../kling/client';
import type { KlingCredentials } from '../kling/auth';
import { auditFromKlingRequest, filterPromptWithSettings, recordAudit, registerFile } from '../privacy';
import { queueFor } from '../queue';
import { newId, type QueueStore } from '../queue/store';
import { ensureSandbox } from '../sandbox/service';
import { startSandboxForCli, type CliSandbox } from '../sandbox/cli';
import { resolveCredentials } from '../secrets';
import { Engine, type EngineOptions } from './engine';
import { acquireEngineLock, type EngineLock } from './lock';

export interface RunnerOptions {
  provider: ProviderId;
  baseUrl?: string | undefined;
  profile?: string | undefined;
  region?: string | undefined;
  concurrency?: number | undefined;
  budgetUnits?: number | null | undefined;
  jobIds?: readonly string[];
  env?: NodeJS.ProcessEnv;
  log?: (line: string) => void;
  /** Tests and benchmarks: faster polling/backoff, fault hooks. */
  tuning?: Partial<Pick<EngineOptions, 'baseDelayMs' | 'maxDelayMs' | 'pollMs' | 'maxPollMs' | 'probeUpMs' | 'maxTransient' | 'write'>>;
  tools?: EngineOptions['tools'];
}

export interface RunningEngine {
  engine: Engine;
  client: KlingClient;
  lock: EngineLock;
  /** "Kling sandbox ... at http://127.0.0.1:N" when a sandbox was started for this run. */
  banner: string | null;
  warnings: string[];
  stop(): Promise<void>;
}

function envNumber(env: NodeJS.ProcessEnv, name: string): number | undefined {
  const v = Number(env[name]);
  return env[name] !== undefined && Number.isFinite(v) && v > 0 ? v : undefined;
}

export interface EngineDeps {
  db: Database.Database;
  store: QueueStore;
  dataDir: string;
  /** Starts a sandbox when the provider is sandbox and no base URL is given. */
  sandbox: () => Promise<CliSandbox>;
}

/** The engine on explicit dependencies (the CLI opens the db itself; the app uses a core). */
export async function startEngineWith(deps: EngineDeps, opts: RunnerOptions): Promise<RunningEngine> {
  const env = opts.env ?? process.env;
  let credentials: KlingCredentials;
  let baseUrl = opts.baseUrl;
  let region = opts.region;
  let banner: string | null = null;
  const warnings: string[] = [];
  if (opts.provider === 'sandbox' && !baseUrl) {
    const sb = await deps.sandbox();
    credentials = sb.clientOptions.credentials;
    baseUrl = sb.clientOptions.baseUrl;
    banner = sb.banner;
  } else {
    const r = await resolveCredentials({ provider: opts.provider, profile: opts.profile, env });
    credentials = r.credentials;
    warnings.push(...r.warnings);
    baseUrl = baseUrl ?? r.profile?.baseUrl ?? undefined;
    region = region ?? r.profile?.region ?? undefined;
  }
  const { db, store } = deps;
  const lock = acquireEngineLock(deps.dataDir);
  try {
    const jobByExt = db.prepare<[string], { id: string; subject: string | null }>('SELECT id, subject FROM jobs WHERE external_task_id = ?');
    const audit = (info: KlingRequestInfo): void => {
      const job = info.externalTaskId ? jobByExt.get(info.externalTaskId) : undefined;
      recordAudit(db, auditFromKlingRequest(db, info, { subject: job?.subject ?? null, jobId: job?.id ?? null }));
    };
    const client = createKlingClient({
      provider: opts.provider,
      credentials,
      ...(baseUrl ? { baseUrl } : {}),
      ...(region ? { region } : {}),
      onRequest: audit,
    });
    const fast = opts.provider === 'sandbox';
    const t = opts.tuning ?? {};
    const engine = new Engine({
      store,
      client,
      dataDir: deps.dataDir,
      owner: `engine-${process.pid}-${newId(4)}`,
      concurrency: opts.concurrency ?? 5,
      budgetUnits: opts.budgetUnits ?? null,
      ...(opts.jobIds ? { jobIds: opts.jobIds } : {}),
      pollMs: t.pollMs ?? envNumber(env, 'SHOTLINE_POLL_MIN_MS') ?? (fast ? 250 : 5000),
      maxPollMs: t.maxPollMs ?? (fast ? 2000 : 30_000),
      baseDelayMs: t.baseDelayMs ?? envNumber(env, 'SHOTLINE_BACKOFF_BASE_MS') ?? 1000,
      ...(t.maxDelayMs !== undefined ? { maxDelayMs: t.maxDelayMs } : envNumber(env, 'SHOTLINE_BACKOFF_BASE_MS') ? { maxDelayMs: 10_000 } : {}),
      probeUpMs: t.probeUpMs ?? envNumber(env, 'SHOTLINE_PROBE_UP_MS') ?? 60_000,
      ...(t.maxTransient !== undefined ? { maxTransient: t.maxTransient } : {}),
      ...(t.write ? { write: t.write } : {}),
      ...(opts.tools ? { tools: opts.tools } : {}),
      ...(env.SHOTLINE_VERIFY === 'probe' ? { verify: 'probe' as const } : {}),
      filterPrompt: (text) => {
        const f = filterPromptWithSettings(db, text);
        return { text: f.text, blocked: f.blocked, reason: f.findings.map((x) => x.kind).join(', ') };
      },
      onClip: (job, file) => registerFile(db, { path: file, kind: 'take', project: store.storyboardName(job.storyboard_id), subject: job.subject }),
      ...(opts.log ? { log: opts.log } : {}),
    });
    engine.start();
    let stopped = false;
    return {
      engine,
      client,
      lock,
      banner,
      warnings,
      async stop() {
        if (stopped) return;
        stopped = true;
        await engine.stop();
        lock.release();
      },
    };
  } catch (err) {
    lock.release();
    throw err;
  }
}

const running = new WeakMap<CoreContext, RunningEngine>();

export function runningEngine(ctx: CoreContext): RunningEngine | null {
  return running.get(ctx) ?? null;
}

/** One engine per core (the app): works every job until the core closes. */
export async function startEngine(ctx: CoreContext, opts: RunnerOptions): Promise<RunningEngine> {
  const existing = running.get(ctx);
  if (existing) return existing;
  const handle = await startEngineWith({ db: ctx.db(), store: queueFor(ctx), dataDir: ctx.dataDir, sandbox: () => ensureSandbox(ctx) }, opts);
  running.set(ctx, handle);
  ctx.onClose(async () => {
    running.delete(ctx);
    await handle.stop();
  });
  return handle;
}

export { startSandboxForCli };
