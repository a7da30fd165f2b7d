/**
 * The core: implements the shared contract once, for every front. A front calls
 * `core.call(method, unknownInput)` and gets a Result back; it never sees a handler.
 */
import {
  contract,
  isMethodName,
  type EventName,
  type Implementation,
  type MethodName,
  type MethodOutput,
} from '../../shared/contract';
import { toErrorInfo, type Result } from '../../shared/result';
import { createContext, type CoreListener, type CoreOptions, type CoreContext } from './context';
import { createHandlers } from './handlers';
import { createServices, type CoreServices } from './services';

export type { CoreOptions, CoreContext, CoreListener, CoreServices };

export interface Core {
  readonly ctx: CoreContext;
  /** The services built once for this core (./services.ts): fronts and tests reach the engine and sandbox here. */
  readonly services: CoreServices;
  call<M extends MethodName>(method: M, input: unknown): Promise<Result<MethodOutput<M>>>;
  /** Untyped entry for fronts that receive a method name from outside. */
  callUnknown(method: unknown, input: unknown): Promise<Result<unknown>>;
  subscribe(listener: CoreListener): () => void;
  close(): Promise<void>;
}

export function createCore(options: CoreOptions): Core {
  const listeners = new Set<CoreListener>();
  const { ctx, runClose } = createContext(options, listeners);
  // The composition root: every service once, handed down to the handlers.
  const services = createServices(ctx);
  const handlers: Implementation = createHandlers(ctx, services);
  let closed = false;

  async function call<M extends MethodName>(method: M, input: unknown): Promise<Result<MethodOutput<M>>> {
    try {
      if (closed) throw new Error('Shotline is shutting down; try again after it restarts.');
      const spec = contract[method];
      const parsed = spec.input.parse(input ?? {});
      const handler = handlers[method] as (i: unknown) => Promise<unknown>;
      const raw = await handler(parsed);
      // Output validation keeps the contract honest in both directions.
      return { ok: true, value: spec.output.parse(raw) as MethodOutput<M> };
    } catch (err) {
      return { ok: false, error: toErrorInfo(err) };
    }
  }

  return {
    ctx,
    services,
    call,
    async callUnknown(method, input) {
      if (!isMethodName(method)) {
        return {
          ok: false,
          error: { code: 'unknown_method', message: `Unknown method ${JSON.stringify(method)}; see shared/contract.` },
        };
      }
      return call(method, input);
    },
    subscribe(listener) {
      listeners.add(listener);
      return () => listeners.delete(listener);
    },
    async close() {
      if (closed) return;
      closed = true;
      await runClose();
      listeners.clear();
    },
  };
}

export type { EventName };
