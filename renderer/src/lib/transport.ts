/**
 * Picks how the renderer reaches the core: the preload's `window.shotline` inside Electron,
 * or the loopback test bridge when the page was opened with `?bridge=<token>` (tests only;
 * the app's CSP forbids connecting anywhere but itself).
 */
import type { ShotlineTransport } from '../../../shared/api';
import type { EventName, EventPayload, MethodInput, MethodName, MethodOutput } from '../../../shared/contract';
import type { Result } from '../../../shared/result';

function bridgeTransport(token: string): ShotlineTransport {
  const listeners = new Map<string, Set<(payload: unknown) => void>>();
  let source: EventSource | null = null;
  // Events sent before the stream is open are lost, so the stream opens with the transport and
  // every call waits for it (the bridge subscribes before it answers, electron/core/bridge/test-bridge.ts):
  // a list a call reads is then never older than the events it would have missed. A call made before
  // the first listener (useLiveQueue lists, then subscribes) once went ahead of the stream under CI
  // load, read jobs 'submitting' and missed their 'blocked' events (test/e2e/queue-scene.spec.ts).
  // (Electron's IPC has no such gap.) A stream that does not open in 15 s no longer holds calls back.
  let open: Promise<void> = Promise.resolve();
  const ensureSource = (): void => {
    if (source) return;
    source = new EventSource(`/events?token=${encodeURIComponent(token)}`);
    const es = source;
    open = new Promise<void>((resolve) => {
      es.addEventListener('open', () => resolve(), { once: true });
      setTimeout(resolve, 15_000);
    });
    source.onmessage = (msg: MessageEvent<string>) => {
      const { name, payload } = JSON.parse(msg.data) as { name: string; payload: unknown };
      for (const l of listeners.get(name) ?? []) l(payload);
    };
  };
  ensureSource();
  return {
    async invoke<M extends MethodName>(method: M, input: MethodInput<M>) {
      await open;
      const res = await fetch(`/rpc/${encodeURIComponent(method)}`, {
        method: 'POST',
        headers: { 'content-type': 'application/json', 'x-shotline-token': token },
        body: JSON.stringify(input ?? {}),
      });
      return (await res.json()) as Result<MethodOutput<M>>;
    },
    on<E extends EventName>(event: E, listener: (payload: EventPayload<E>) => void) {
      ensureSource();
      const set = listeners.get(event) ?? new Set();
      set.add(listener as (p: unknown) => void);
      listeners.set(event, set);
      return () => set.delete(listener as (p: unknown) => void);
    },
  };
}

export function pickTransport(): ShotlineTransport | null {
  if (window.shotline) return window.shotline;
  const token = new URLSearchParams(window.location.search).get('bridge');
  return token ? bridgeTransport(token) : null;
}
