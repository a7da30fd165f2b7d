/**
 * The renderer's one way to call the core: unwraps Result into value-or-throw, with a
 * timeout so a lost reply never hangs a screen (Signal's sql channel pattern).
 */
import type { EventName, EventPayload, MethodInput, MethodName, MethodOutput } from '../../../shared/contract';
import type { ErrorInfo } from '../../../shared/result';
import { pickTransport } from './transport';

export class ApiError extends Error {
  readonly info: ErrorInfo;
  constructor(info: ErrorInfo) {
    super(info.message);
    this.info = info;
  }
}

const transport = pickTransport();

export const isConnected = (): boolean => transport !== null;

export async function call<M extends MethodName>(
  method: M,
  input: MethodInput<M>,
  timeoutMs = 120_000,
): Promise<MethodOutput<M>> {
  if (!transport) throw new ApiError({ code: 'no_transport', message: 'Not connected to the Shotline core.' });
  let timer: ReturnType<typeof setTimeout> | undefined;
  const timeout = new Promise<never>((_, reject) => {
    timer = setTimeout(
      () =>
        reject(new ApiError({ code: 'timeout', message: `${method} did not answer within ${timeoutMs / 1000} s.` })),
      timeoutMs,
    );
  });
  try {
    const result = await Promise.race([transport.invoke(method, input), timeout]);
    if (!result.ok) throw new ApiError(result.error);
    return result.value;
  } finally {
    clearTimeout(timer);
  }
}

export function subscribe<E extends EventName>(event: E, listener: (payload: EventPayload<E>) => void): () => void {
  return transport ? transport.on(event, listener) : () => undefined;
}
