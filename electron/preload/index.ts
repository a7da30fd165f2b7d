/**
 * Exposes the shared contract as `window.shotline` and nothing else: no ipcRenderer,
 * no Node. Method names are checked against the contract before anything is sent, and
 * listeners never see the IPC event object (Fiddle's preload pattern).
 */
import { contextBridge, ipcRenderer } from 'electron';

import type { ShotlineTransport } from '../../shared/api';
import { channelFor, EVENT_CHANNEL, isEventName, isMethodName } from '../../shared/contract';

const api = {
  invoke(method, input) {
    if (!isMethodName(method)) {
      return Promise.resolve({
        ok: false,
        error: { code: 'unknown_method', message: `Unknown method ${String(method)}` },
      });
    }
    return ipcRenderer.invoke(channelFor(method), input);
  },
  on(event, listener) {
    if (!isEventName(event)) throw new Error(`Unknown event ${String(event)}`);
    const wrapped = (_e: unknown, name: unknown, payload: unknown): void => {
      if (name === event) (listener as (p: unknown) => void)(payload);
    };
    ipcRenderer.on(EVENT_CHANNEL, wrapped);
    return () => ipcRenderer.removeListener(EVENT_CHANNEL, wrapped);
  },
} satisfies ShotlineTransport;

contextBridge.exposeInMainWorld('shotline', api);
