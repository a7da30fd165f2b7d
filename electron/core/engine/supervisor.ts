/**
 * The app's engine: one per core, owned here and nowhere else (issue 18 item 1). Handlers ask
 * the supervisor to start, stop or resume it; they never start or stop an engine themselves.
 * Built once by the composition root (electron/core/services.ts) with the core's queue, secret
 * store and sandbox; the engine itself is started by startEngineWith (./runner.ts), as the CLI's is.
 */
import { isProviderId, type ProviderId } from '../../../shared/kling/providers';
import { ShotlineError } from '../../../shared/result';
import type { CoreContext } from '../context';
import type { QueueStore } from '../queue/store';
import type { SandboxService } from '../sandbox/service';
import type { SecretStore } from '../secrets';
import { chooseProvider, type ProviderChoice } from './provider';
import { healthWire, startEngineWith, type RunnerOptions, type RunningEngine } from './runner';

export interface EngineSupervisorDeps {
  queue: () => QueueStore;
  secrets: () => SecretStore;
  sandbox: SandboxService;
}

export interface EngineSupervisor {
  /** The running engine, or null. */
  running(): RunningEngine | null;
  /** Which provider a batch runs on (./provider.ts), with the core's secret store. */
  choose(opts: { provider?: ProviderId | undefined; profile?: string | undefined }): Promise<ProviderChoice>;
  /**
   * The engine for this provider and profile. A batch queued on another provider or profile
   * restarts an idle engine; a busy one is never cut short (its tasks are at the other
   * provider), so that batch waits with a clear message instead.
   */
  start(opts: RunnerOptions): Promise<RunningEngine>;
  /** Stops the engine, if one runs (erase does this, after checking nothing is in flight). */
  stop(): Promise<void>;
  /**
   * The app at start, and queue actions with no engine running: picks up the newest batch that
   * still has work (not paused) on the provider and profile it was queued with, so an overnight
   * run survives an app restart or a crash. Returns the running engine, or null if nothing is open.
   */
  resumeOpen(): Promise<RunningEngine | null>;
}

export function createEngineSupervisor(ctx: CoreContext, deps: EngineSupervisorDeps): EngineSupervisor {
  let current: RunningEngine | null = null;
  // Starts and stops run one at a time, so two queue actions never start two engines and a
  // start still under way when the core closes is stopped before the database closes.
  let turn: Promise<unknown> = Promise.resolve();
  let closed = false;
  const inTurn = <T>(fn: () => Promise<T>): Promise<T> => {
    const next = turn.then(fn, fn);
    turn = next.catch(() => undefined);
    return next;
  };
  const stopNow = async (): Promise<void> => {
    const handle = current;
    if (!handle) return;
    current = null;
    await handle.stop();
  };
  const stop = (): Promise<void> => inTurn(stopNow);
  ctx.onClose(() => {
    closed = true;
    return stop();
  });
  const choose: EngineSupervisor['choose'] = (opts) => chooseProvider({ ...opts, store: deps.secrets() });
  const startNow = async (opts: RunnerOptions): Promise<RunningEngine> => {
    if (closed)
      throw new ShotlineError({ code: 'closed', message: 'Shotline is shutting down; try again after it restarts.' });
    const existing = current;
    if (existing && existing.provider === opts.provider && existing.profile === opts.profile) return existing;
    if (existing) {
      if (existing.engine.activeJobs > 0) {
        throw new ShotlineError({
          code: 'busy',
          where: 'profile',
          message: `The engine is working ${existing.engine.activeJobs} take(s) on ${existing.provider}${existing.profile ? ` (profile "${existing.profile}")` : ''}. The new batch is queued; queue it again (or press Resume) once those finish, or use the same profile.`,
        });
      }
      await stopNow();
    }
    current = await startEngineWith(
      {
        db: ctx.db(),
        store: deps.queue(),
        dataDir: ctx.dataDir,
        sandbox: () => deps.sandbox.ensure(),
        secrets: deps.secrets(),
      },
      {
        ...opts,
        onHealth: (h) => ctx.emit('engine.health', healthWire(h)),
        onElementChange: (key) => ctx.emit('elements.changed', { key }),
      },
    );
    return current;
  };
  const start = (opts: RunnerOptions): Promise<RunningEngine> => inTurn(() => startNow(opts));
  return {
    running: () => current,
    choose,
    start,
    stop,
    async resumeOpen() {
      if (current) return current;
      const open = deps.queue().newestOpenBatch();
      if (!open) return null;
      const choice = await choose({
        provider: isProviderId(open.provider) ? open.provider : undefined,
        profile: open.profile ?? undefined,
      });
      return start({ provider: choice.provider, profile: choice.profile });
    },
  };
}
