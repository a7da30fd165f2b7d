/**
 * The exact type of `window.shotline` (exposed by the preload) and of the test bridge
 * client: both are a ShotlineApi, so the renderer does not know which one it talks to.
 */
import type { EventName, EventPayload, MethodName, MethodInput, MethodOutput } from './contract';
import type { Result } from './result';

export interface ShotlineTransport {
  invoke<M extends MethodName>(method: M, input: MethodInput<M>): Promise<Result<MethodOutput<M>>>;
  on<E extends EventName>(event: E, listener: (payload: EventPayload<E>) => void): () => void;
}

declare global {
  interface Window {
    shotline?: ShotlineTransport;
  }
}
