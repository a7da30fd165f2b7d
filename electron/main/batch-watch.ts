/**
 * Glue only: BatchWatch (electron/core/app/batch-watch.ts, tested under Node) decides;
 * this holds Electron's power-save blocker and shows the notifications.
 */
import { Notification, powerSaveBlocker } from 'electron';

import type { EventPayload } from '../../shared/contract';
import { BatchWatch } from '../core/app/batch-watch';
import type { Core } from '../core';

export function watchBatches(core: Core, onNoticeClick: () => void): () => void {
  const watch = new BatchWatch();
  let blocker: number | null = null;
  // Kept until closed, so a notification is not collected before it is clicked.
  const shown = new Set<Notification>();
  const release = (): void => {
    if (blocker !== null && powerSaveBlocker.isStarted(blocker)) powerSaveBlocker.stop(blocker);
    blocker = null;
  };
  const unsubscribe = core.subscribe((name, payload) => {
    if (name !== 'batch.progress') return;
    const { keepAwake, notify } = watch.update((payload as EventPayload<'batch.progress'>).batch);
    // The app keeps running (downloads, polling); the screen may still turn off.
    if (keepAwake === 'start' && blocker === null) blocker = powerSaveBlocker.start('prevent-app-suspension');
    if (keepAwake === 'stop') release();
    if (notify && Notification.isSupported()) {
      const n = new Notification({ title: notify.title, body: notify.body });
      shown.add(n);
      n.on('click', onNoticeClick);
      n.on('close', () => shown.delete(n));
      n.show();
    }
  });
  return () => {
    unsubscribe();
    release();
  };
}
