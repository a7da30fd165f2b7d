/**
 * The composition root's services (issue 18 item 1): built once per core by createCore
 * (./index.ts) and handed to the handlers (./handlers/index.ts). Nothing else keeps per-core
 * state: no module-level registry, one secret store, one sandbox, one engine supervisor.
 * The queue and the secret store are opened on first use (the database and the OS keychain
 * are not touched by a core that never needs them).
 */
import { OutputGrants } from './app/dialogs';
import type { CoreContext } from './context';
import { createEngineSupervisor, type EngineSupervisor } from './engine/supervisor';
import { openQueue, type QueueStore } from './queue';
import { createSandboxService, type SandboxService } from './sandbox/service';
import { createSecretStore, type SecretStore } from './secrets';

export interface CoreServices {
  /** The queue store on the core's database (electron/core/queue/index.ts). */
  readonly queue: QueueStore;
  /** The one secret store (the OS keychain, or CoreOptions.secrets). */
  readonly secrets: SecretStore;
  /** The core's Kling simulator. */
  readonly sandbox: SandboxService;
  /** The app's engine: start, stop, resume (electron/core/engine/supervisor.ts). */
  readonly engine: EngineSupervisor;
  /** The output paths chosen in the save dialogs (electron/core/app/dialogs.ts). */
  readonly outputs: OutputGrants;
}

export function createServices(ctx: CoreContext): CoreServices {
  let queue: QueueStore | null = null;
  let secrets: SecretStore | null = ctx.options.secrets ?? null;
  const getQueue = (): QueueStore => (queue ??= openQueue(ctx));
  const getSecrets = (): SecretStore => (secrets ??= createSecretStore());
  const sandbox = createSandboxService(ctx);
  // Created after the sandbox: closers run last registered first, so the engine stops before it.
  const engine = createEngineSupervisor(ctx, { queue: getQueue, secrets: getSecrets, sandbox });
  const outputs = new OutputGrants(ctx);
  return {
    get queue() {
      return getQueue();
    },
    get secrets() {
      return getSecrets();
    },
    sandbox,
    engine,
    outputs,
  };
}
