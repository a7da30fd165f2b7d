/**
 * Callbacks (kling-api.md §15): on each status change the bare task record is POSTed to the
 * task's callback URL, in the shape of the standard it was created on; signed with Standard
 * Webhooks headers when a secret is set, unsigned otherwise. Timers fire on the real clock at
 * the sandbox-clock time of each change; each payload describes the change it announces.
 */
import { randomUUID } from 'node:crypto';

import { signWebhook } from '../kling/webhook';
import type { CallbackRecord, SandboxTask } from './types';
import { taskView, type ViewContext } from './views';

export interface CallbackContext extends ViewContext {
  now: () => number;
  timers: Set<NodeJS.Timeout>;
  records: CallbackRecord[];
  webhookSecret: string | undefined;
}

export function scheduleCallbacks(ctx: CallbackContext, t: SandboxTask): void {
  if (!t.callbackUrl) return;
  const url = t.callbackUrl;
  for (const at of [t.createdAt, t.processingAt, t.doneAt]) {
    const timer = setTimeout(
      () => {
        ctx.timers.delete(timer);
        const payload = taskView(ctx, t, t.standard, at);
        const status = String(t.standard === 'new' ? payload.status : payload.task_status);
        const text = JSON.stringify(payload);
        const headers: Record<string, string> = { 'Content-Type': 'application/json' };
        if (ctx.webhookSecret) {
          const id = randomUUID();
          const ts = Math.floor(ctx.now() / 1000);
          Object.assign(headers, {
            'webhook-id': id,
            'webhook-timestamp': String(ts),
            'webhook-signature': signWebhook(ctx.webhookSecret, id, ts, text),
          });
        }
        const done = (ok: boolean): void => {
          ctx.records.push({ at: ctx.now(), url, standard: t.standard, status, ok });
        };
        fetch(url, { method: 'POST', headers, body: text, signal: AbortSignal.timeout(5000) })
          .then((r) => done(r.ok))
          .catch(() => done(false));
      },
      Math.max(0, at - ctx.now()),
    );
    timer.unref();
    ctx.timers.add(timer);
  }
}
