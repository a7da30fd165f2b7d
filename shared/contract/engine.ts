/**
 * The engine's view of the provider (issue 14): whether Kling answers, the outage in progress
 * ("Kling unreachable since 02:14; next try in 40 s"), past outages for the morning report,
 * and the transient budget setting.
 */
import { z } from 'zod';

import { method } from './define';

export const OutageKind = z.enum(['server', 'unreachable', 'network']);

export const EngineHealthView = z.object({
  /** up; down (an outage: nothing is sent but a probe); checking (after a wake from sleep). */
  state: z.enum(['up', 'down', 'checking']),
  provider: z.string().nullable(),
  kind: OutageKind.nullable(),
  /** ISO times: the first failure of the outage, and the next probe. */
  since: z.string().nullable(),
  nextTryAt: z.string().nullable(),
  /** The sentence to show, null when up. */
  message: z.string().nullable(),
  lastError: z.string().nullable(),
});
export type EngineHealthView = z.infer<typeof EngineHealthView>;

export const OutageView = z.object({
  id: z.number().int(),
  provider: z.string(),
  kind: OutageKind,
  startedAt: z.string(),
  /** null: still going, or its engine stopped before it ended. */
  endedAt: z.string().nullable(),
  lastError: z.string().nullable(),
  probes: z.number().int(),
  /** Takes that waited. */
  jobsWaiting: z.number().int(),
  batches: z.array(z.string()),
});
export type OutageView = z.infer<typeof OutageView>;

export const EngineSettings = z.object({
  /** How long a take may wait out outages and transient errors before it is blocked (hours of awake time). */
  transientBudgetHours: z
    .number()
    .min(0.01)
    .max(24 * 30),
});

export const engineContract = {
  'engine.health': method(
    z.object({}).strict(),
    EngineHealthView,
    'Whether the provider answers; the outage in progress, if any.',
  ),
  'engine.outages': method(
    z.object({ batchId: z.string().max(200).optional(), since: z.string().max(40).optional() }).strict(),
    z.object({ outages: z.array(OutageView) }),
    'Outages the engine waited out (start, end, what waited), oldest first; of one batch or since a time.',
  ),
  'engine.settings.get': method(z.object({}).strict(), EngineSettings, 'The transient budget (default 12 h).'),
  'engine.settings.set': method(
    EngineSettings.partial().strict(),
    EngineSettings,
    'Changes the transient budget; applies to the next engine start.',
  ),
} as const;

export const engineEvents = {
  /** The provider went down, a probe failed (next try moved), or it answers again. */
  'engine.health': EngineHealthView,
} as const;
