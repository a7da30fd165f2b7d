/**
 * Every main-side IPC message passes through here (VS Code's ipcMain wrapper, Fiddle's
 * src/main/ipc.ts): the channel must be a contract method, the sender must be our own
 * main frame on app://shotline, then the core validates the payload with zod.
 * Refusals are logged and answered as data, never thrown across the bridge.
 */
import { ipcMain, type IpcMainInvokeEvent, type WebContents } from 'electron';

import { channelFor, EVENT_CHANNEL, methodNames } from '../../shared/contract';
import type { Result } from '../../shared/result';
import type { Core } from '../core';
import { isAppUrl } from './security';

function senderProblem(event: IpcMainInvokeEvent, owned: () => WebContents[]): string | null {
  const frame = event.senderFrame;
  if (!frame) return 'sender frame is gone';
  if (frame !== event.sender.mainFrame) return 'sender is not the main frame';
  if (!isAppUrl(frame.url)) return `sender URL ${frame.url} is not app://shotline`;
  if (!owned().includes(event.sender)) return 'sender is not a Shotline window';
  return null;
}

export function registerIpc(core: Core, ownedWindows: () => WebContents[]): () => void {
  for (const method of methodNames) {
    ipcMain.handle(channelFor(method), async (event, input: unknown): Promise<Result<unknown>> => {
      const problem = senderProblem(event, ownedWindows);
      if (problem) {
        console.warn(`[ipc] refused ${method}: ${problem}`);
        return { ok: false, error: { code: 'forbidden', message: `IPC refused: ${problem}.` } };
      }
      return core.callUnknown(method, input);
    });
  }
  const unsubscribe = core.subscribe((name, payload) => {
    for (const wc of ownedWindows()) if (!wc.isDestroyed()) wc.send(EVENT_CHANNEL, name, payload);
  });
  return () => {
    unsubscribe();
    for (const method of methodNames) ipcMain.removeHandler(channelFor(method));
  };
}
