/**
 * Starting the engine for a data dir: credentials (keychain profile, env keys, or the
 * sandbox's built-in ones), the Kling client with every request written to the audit log,
 * the PII filter, the engine lock, and the engine itself. Used by the CLI and by the core's
 * engine supervisor (./supervisor.ts), which owns the app's engine.
 */
import type Database from 'better-sqlite3';

import { PROVIDERS, type ProviderId } from '../../../shared/kling/providers';
import { ShotlineError } from '../../../shared/result';
import { accountKey, elementAuditEntry, ElementRunner, openStoryboardsWithElements } from '../elements';
import { createKlingClient, type KlingClient, type KlingRequestInfo } from '../kling/client';
import type { KlingCredentials } from '../kling/auth';
import {
  auditFromKlingRequest,
  auditFromReferenceProbe,
  filterPromptWithSettings,
  recordAudit,
  registerFile,
} from '../privacy';
import { newId, type QueueStore } from '../queue/store';
import { ownerOf, ReviewStore } from '../reviews/store';
import { recordStills } from '../reviews/stills';
import { startSandboxForCli, type CliSandbox } from '../sandbox/cli';
import {
  credentialsFromEnv,
  resolveCredentials,
  SANDBOX_AKSK_CREDENTIALS,
  SANDBOX_CREDENTIALS,
  type SecretStore,
} from '../secrets';
import type { EventPayload } from '../../../shared/contract';
import { Engine, type EngineHealth, type EngineOptions } from './engine';
import { acquireEngineLock, type EngineLock } from './lock';
import { outageLog } from './outage-log';

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
  tuning?: Partial<
    Pick<
      EngineOptions,
      | 'baseDelayMs'
      | 'maxDelayMs'
      | 'pollMs'
      | 'maxPollMs'
      | 'probeUpMs'
      | 'maxTransient'
      | 'write'
      | 'groupPoll'
      | 'outage'
      | 'clock'
    >
  >;
  tools?: EngineOptions['tools'];
  /** Awake time a job may spend in transient trouble before `blocked` (--transient-budget; default the setting, else 12 h). */
  transientBudgetMs?: number | undefined;
  /** The provider went down, a probe failed, or it came back. */
  onHealth?: EngineOptions['onHealth'];
  /** An element of the library changed state (the app emits `elements.changed`). */
  onElementChange?: (key: string) => void;
}

const isoOrNull = (ms: number | null): string | null => (ms === null ? null : new Date(ms).toISOString());

/** The engine's health as the `engine.health` event carries it (shared/contract/engine.ts). */
export function healthWire(h: EngineHealth): EventPayload<'engine.health'> {
  return {
    state: h.state,
    provider: h.provider,
    kind: h.kind,
    since: isoOrNull(h.since),
    nextTryAt: isoOrNull(h.nextTryAt),
    message: h.message,
    lastError: h.lastError,
  };
}

/** Provider names for sentences like "Kling unreachable since 02:14". */
const SHORT_LABEL: Record<ProviderId, string> = { kling: 'Kling', cometapi: 'CometAPI', sandbox: 'Kling sandbox' };

/** engine_state key of the transient budget setting (ms). */
export const TRANSIENT_BUDGET_SETTING = 'setting.transientBudgetMs';

/** The outage probe timing: env overrides (tests), else outage.ts defaults (10 s, then at most every 60 s). */
function outageTuning(env: NodeJS.ProcessEnv): EngineOptions['outage'] {
  const first = envNumber(env, 'SHOTLINE_OUTAGE_PROBE_MS');
  const max = envNumber(env, 'SHOTLINE_OUTAGE_PROBE_MAX_MS');
  const threshold = envNumber(env, 'SHOTLINE_OUTAGE_THRESHOLD');
  return {
    ...(first ? { firstProbeMs: first } : {}),
    ...(max ? { maxProbeMs: max } : {}),
    ...(threshold ? { threshold } : {}),
  };
}

export interface RunningEngine {
  engine: Engine;
  provider: ProviderId;
  profile: string | undefined;
  client: KlingClient;
  /** The element library's runner for this engine's account (electron/core/elements). */
  elements: ElementRunner;
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
  /** The core's one secret store (electron/core/services.ts); without it, the OS keychain's. */
  secrets?: SecretStore;
}

function origin(url: string): string | null {
  try {
    return new URL(url).origin;
  } catch {
    return null;
  }
}

/**
 * Why an explicit base URL may not receive the run's key, or null when it may: with a named
 * profile only the profile's own host (or the sandbox's test keys, which need no profile);
 * with a keychain or env key for Kling/CometAPI only the provider's official hosts or the
 * profile's own; the sandbox with a --base-url always gets its public test credentials.
 */
export function keyDestinationProblem(
  opts: Pick<RunnerOptions, 'provider' | 'baseUrl' | 'profile'>,
  profileBaseUrl: string | null,
  source: string | null,
): string | null {
  if (!opts.baseUrl) return null;
  const target = origin(opts.baseUrl);
  if (!target)
    return `--base-url "${opts.baseUrl}" is not a URL: give e.g. https://api-singapore.klingai.com or http://127.0.0.1:PORT.`;
  if (opts.provider === 'sandbox') {
    if (opts.profile && profileBaseUrl && origin(profileBaseUrl) !== target) {
      return `--base-url ${target} is not the host of profile "${opts.profile}" (${profileBaseUrl}): a profile's key goes only where the profile points. Drop --base-url to use the profile's host, or drop --profile to use the sandbox's test credentials.`;
    }
    return null;
  }
  const allowed = new Set<string>();
  if (profileBaseUrl) {
    const o = origin(profileBaseUrl);
    if (o) allowed.add(o);
  } else {
    for (const r of PROVIDERS[opts.provider].regions) if (r.baseUrl) allowed.add(new URL(r.baseUrl).origin);
  }
  if (allowed.has(target)) return null;
  const from = source === 'env' ? 'the environment' : opts.profile ? `profile "${opts.profile}"` : 'the keychain';
  return `--base-url ${target} is not where the ${opts.provider} key from ${from} may go (${[...allowed].join(', ')}): a key goes only where its profile points. To use a proxy, save it in a profile (\`shotline keys set --profile NAME --provider ${opts.provider} --base-url ${target}\`) and pass --profile NAME without --base-url.`;
}

/** Where the run's requests go and with which key: the credentials, base URL, region and what to tell the user. */
interface Destination {
  credentials: KlingCredentials;
  baseUrl: string | undefined;
  region: string | undefined;
  /** "Kling sandbox ... at http://127.0.0.1:N" when the built-in sandbox was started. */
  banner: string | null;
  warnings: string[];
}

/**
 * The run's destination: a keychain profile, env keys, or the sandbox's built-in test
 * credentials (the built-in sandbox is started here when asked for without a base URL).
 */
async function resolveDestination(deps: EngineDeps, opts: RunnerOptions): Promise<Destination> {
  const env = opts.env ?? process.env;
  let credentials: KlingCredentials;
  let baseUrl = opts.baseUrl;
  let region = opts.region;
  let banner: string | null = null;
  const warnings: string[] = [];
  // A sandbox profile may point at a sandbox elsewhere (its base URL); without one, or with
  // no profile, the built-in sandbox is started with its own test credentials.
  const r =
    opts.provider === 'sandbox' && (baseUrl || !opts.profile)
      ? null
      : await resolveCredentials({ provider: opts.provider, profile: opts.profile, env, store: deps.secrets });
  // The key goes only where its profile points (issue 16.1): a caller-chosen base URL never
  // receives a keychain or env key (see keyDestinationProblem below).
  const refused = keyDestinationProblem(opts, r?.profile?.baseUrl ?? null, r?.source ?? null);
  if (refused) throw new ShotlineError({ code: 'usage_base_url', where: '--base-url', message: refused });
  baseUrl = baseUrl ?? r?.profile?.baseUrl ?? undefined;
  if (opts.provider === 'sandbox' && opts.baseUrl) {
    // A sandbox at a URL the caller chose gets the public test credentials, never a real key.
    // Their kind follows the environment's (AK/SK there -> the public AK/SK pair, so the legacy
    // standard can be driven from scripts and tests); the environment's values are never sent.
    const akskInEnv = credentialsFromEnv(env, 'sandbox')?.kind === 'aksk';
    credentials = akskInEnv ? SANDBOX_AKSK_CREDENTIALS : SANDBOX_CREDENTIALS;
    warnings.push(
      `Sandbox at ${opts.baseUrl}: using built-in test credentials (${akskInEnv ? 'access key + secret key: the legacy /v1 standard' : 'API key: the new standard'}); no key from the keychain or environment is sent to a --base-url.`,
    );
  } else if (opts.provider === 'sandbox' && !baseUrl) {
    const sb = await deps.sandbox();
    // The built-in sandbox is spoken to as a new user would speak to Kling today: with an API
    // key, over the path-based standard (its AK/SK pair reaches only the legacy one).
    const apiKey = sb.sandbox.credentials.apiKey;
    credentials = apiKey ? { kind: 'bearer', apiKey } : sb.clientOptions.credentials;
    baseUrl = sb.clientOptions.baseUrl;
    banner = sb.banner;
  } else {
    const resolved =
      r ?? (await resolveCredentials({ provider: opts.provider, profile: opts.profile, env, store: deps.secrets }));
    credentials = resolved.credentials;
    warnings.push(...resolved.warnings);
    region = region ?? resolved.profile?.region ?? undefined;
  }
  return { credentials, baseUrl, region, banner, warnings };
}

/** The engine on explicit dependencies (the core's supervisor, engine/supervisor.ts, and tests). */
export async function startEngineWith(deps: EngineDeps, opts: RunnerOptions): Promise<RunningEngine> {
  const env = opts.env ?? process.env;
  const { credentials, baseUrl, region, banner, warnings } = await resolveDestination(deps, opts);
  const { db, store } = deps;
  const reviews = new ReviewStore(db);
  const lock = acquireEngineLock(deps.dataDir);
  try {
    const audit = (info: KlingRequestInfo): void => {
      const element = elementAuditEntry(db, info);
      if (element) {
        recordAudit(db, element);
        return;
      }
      const job = info.externalTaskId ? store.jobByExternalTaskId(info.externalTaskId) : undefined;
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
    // Elements live per account: provider, host (the built-in sandbox: one per data dir) and profile or key kind.
    const account = accountKey({
      provider: opts.provider,
      host: banner ? null : new URL(client.baseUrl).host,
      profile: opts.profile,
      credentialKind: credentials.kind,
    });
    const elements = new ElementRunner({
      db,
      client,
      account,
      pollMs: fast ? 250 : 2000,
      ...(opts.log ? { log: opts.log } : {}),
      ...(opts.onElementChange ? { onChange: opts.onElementChange } : {}),
    });
    const t = opts.tuning ?? {};
    const budgetSetting = Number(store.getState(TRANSIENT_BUDGET_SETTING));
    const transientBudgetMs =
      opts.transientBudgetMs ??
      envNumber(env, 'SHOTLINE_TRANSIENT_BUDGET_MS') ??
      (budgetSetting > 0 ? budgetSetting : undefined);
    const engine = new Engine({
      store,
      outages: outageLog(db),
      client,
      dataDir: deps.dataDir,
      owner: `engine-${process.pid}-${newId(4)}`,
      concurrency: opts.concurrency ?? 5,
      budgetUnits: opts.budgetUnits ?? null,
      ...(opts.jobIds ? { jobIds: opts.jobIds } : {}),
      pollMs: t.pollMs ?? envNumber(env, 'SHOTLINE_POLL_MIN_MS') ?? (fast ? 250 : 5000),
      // The same ceiling for every provider: long tasks are queried rarely; short ones are
      // caught promptly by the learned task duration (engine.poll).
      maxPollMs: t.maxPollMs ?? envNumber(env, 'SHOTLINE_POLL_MAX_MS') ?? 30_000,
      baseDelayMs: t.baseDelayMs ?? envNumber(env, 'SHOTLINE_BACKOFF_BASE_MS') ?? 1000,
      ...(t.maxDelayMs !== undefined
        ? { maxDelayMs: t.maxDelayMs }
        : envNumber(env, 'SHOTLINE_BACKOFF_BASE_MS')
          ? { maxDelayMs: 10_000 }
          : {}),
      probeUpMs: t.probeUpMs ?? envNumber(env, 'SHOTLINE_PROBE_UP_MS') ?? 60_000,
      ...(t.maxTransient !== undefined ? { maxTransient: t.maxTransient } : {}),
      ...(transientBudgetMs !== undefined ? { transientBudgetMs } : {}),
      outage: { ...outageTuning(env), ...t.outage },
      ...(t.clock ? { clock: t.clock } : {}),
      providerLabel: SHORT_LABEL[opts.provider],
      ...(opts.onHealth ? { onHealth: opts.onHealth } : {}),
      onReferenceProbe: ({ url, at, job }) =>
        recordAudit(db, auditFromReferenceProbe(db, { url, at, subject: job.subject, jobId: job.id })),
      ...(t.groupPoll ? { groupPoll: t.groupPoll } : {}),
      ...(t.write ? { write: t.write } : {}),
      ...(opts.tools ? { tools: opts.tools } : {}),
      ...(env.SHOTLINE_VERIFY === 'probe' ? { verify: 'probe' as const } : {}),
      filterPrompt: (text, job) => {
        const f = filterPromptWithSettings(db, text, store.batchPiiMode(job.batch_id));
        // The prompt as it leaves (the Takes page shows it); the negative prompt is not kept.
        if (!f.blocked && text === (JSON.parse(job.spec) as { prompt?: string }).prompt)
          reviews.putPromptSent(ownerOf(job), f.text);
        return { text: f.text, blocked: f.blocked, reason: f.findings.map((x) => x.kind).join(', ') };
      },
      onVerified: async (job, file) => {
        await recordStills(reviews, ownerOf(job), file, deps.dataDir, opts.tools ?? {});
      },
      elementIds: (job, names) => elements.idsFor(job.storyboard_id, names),
      onClip: (job, file) =>
        registerFile(db, {
          path: file,
          kind: 'take',
          project: store.storyboardName(job.storyboard_id),
          subject: job.subject,
        }),
      // The whole scene clip is a raw take too (retention); erase finds it from every shot's job
      // row (jobs.scene_file), so each shot's subject reaches it (docs/readme/engine.md, Scenes).
      onSceneFile: (file, jobs) => {
        const subjects = new Set(jobs.map((d) => d.job.subject));
        const lead = jobs[0]?.job;
        registerFile(db, {
          path: file,
          kind: 'take',
          project: lead ? store.storyboardName(lead.storyboard_id) : null,
          subject: subjects.size === 1 ? (lead?.subject ?? null) : null,
        });
      },
      ...(opts.log ? { log: opts.log } : {}),
    });
    engine.start();
    elements.start();
    for (const id of openStoryboardsWithElements(db, store.storyboardsWithOpenJobs())) elements.ensure(id);
    let stopped = false;
    return {
      engine,
      provider: opts.provider,
      profile: opts.profile,
      client,
      elements,
      lock,
      banner,
      warnings,
      async stop() {
        if (stopped) return;
        stopped = true;
        await elements.stop();
        await engine.stop();
        lock.release();
      },
    };
  } catch (err) {
    lock.release();
    throw err;
  }
}

export { startSandboxForCli };
