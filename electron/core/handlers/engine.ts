/**
 * engine.*: the provider's health as the running engine sees it (the Queue page banner), the
 * outages it waited out (the morning report), and the transient budget setting (issue 14).
 */
import type { engineContract, Handlers } from '../../../shared/contract';
import type { CoreContext } from '../context';
import { DEFAULT_TRANSIENT_BUDGET_MS } from '../engine/engine';
import { alive } from '../engine/lock';
import { describeOutage } from '../engine/outage';
import { currentOutage, listOutages } from '../engine/outage-log';
import { healthWire, TRANSIENT_BUDGET_SETTING } from '../engine/runner';
import type { CoreServices } from '../services';

const HOUR = 3_600_000;

export function createEngineHandlers(ctx: CoreContext, s: CoreServices): Handlers<typeof engineContract> {
  const budgetHours = (): number => {
    const v = Number(s.queue.getState(TRANSIENT_BUDGET_SETTING));
    return (v > 0 ? v : DEFAULT_TRANSIENT_BUDGET_MS) / HOUR;
  };
  return {
    'engine.health'() {
      const running = s.engine.running();
      if (running) return Promise.resolve(healthWire(running.engine.healthNow));
      // No engine in this process: a CLI run on the same data dir may be waiting out an outage.
      const o = currentOutage(ctx.db(), alive);
      if (!o)
        return Promise.resolve({
          state: 'up' as const,
          provider: null,
          kind: null,
          since: null,
          nextTryAt: null,
          message: null,
          lastError: null,
        });
      const since = Date.parse(o.startedAt);
      const next = o.nextTryAt ? Date.parse(o.nextTryAt) : null;
      return Promise.resolve({
        state: 'down' as const,
        provider: o.provider,
        kind: o.kind,
        since: o.startedAt,
        nextTryAt: o.nextTryAt,
        message: describeOutage({ provider: o.provider, kind: o.kind, since, nextTryAt: next }),
        lastError: o.lastError,
      });
    },
    'engine.outages'(input) {
      const outages = listOutages(ctx.db(), input.since ?? null, input.batchId).map(
        ({ pid: _pid, nextTryAt: _n, ...o }) => o,
      );
      return Promise.resolve({ outages });
    },
    'engine.settings.get'() {
      return Promise.resolve({ transientBudgetHours: budgetHours() });
    },
    'engine.settings.set'(input) {
      if (input.transientBudgetHours !== undefined)
        s.queue.setState(TRANSIENT_BUDGET_SETTING, String(Math.round(input.transientBudgetHours * HOUR)));
      return Promise.resolve({ transientBudgetHours: budgetHours() });
    },
  };
}
