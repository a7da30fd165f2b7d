/**
 * A run whose estimate passes a threshold asks before it spends (issue 16.7), so a mistyped
 * `takes` or a pasted shot list cannot spend a fortune overnight. The threshold is
 * `--confirm-above UNITS`, else SHOTLINE_CONFIRM_ABOVE_UNITS, else 500 units. No question when
 * the run costs nothing (the sandbox), when --budget caps it at or under the threshold, or with
 * --yes (scripts). Without a terminal to ask on, the run is refused (exit 2) with the fix.
 */
import { UsageError, type CliIO } from './command';

export const DEFAULT_CONFIRM_ABOVE_UNITS = 500;

export interface SpendCheck {
  units: number;
  currency: { currency: string; amount: number };
  threshold: number;
  budget: number | undefined;
  free: boolean;
  yes: boolean;
}

export function confirmThreshold(flag: string | undefined, env: NodeJS.ProcessEnv): number {
  const raw = flag ?? env.SHOTLINE_CONFIRM_ABOVE_UNITS;
  if (raw === undefined || raw === '') return DEFAULT_CONFIRM_ABOVE_UNITS;
  const n = Number(raw);
  if (!Number.isFinite(n) || n < 0)
    throw new UsageError(
      `${flag !== undefined ? '--confirm-above' : 'SHOTLINE_CONFIRM_ABOVE_UNITS'} "${raw}": expected a number of units (0 or more)`,
    );
  return n;
}

export function needsConfirmation(c: SpendCheck): boolean {
  if (c.free || c.yes) return false;
  const spend = c.budget !== undefined ? Math.min(c.budget, c.units) : c.units;
  return spend > c.threshold;
}

/** Resolves when the run may go on; throws UsageError (exit 2) when it may not. */
export async function confirmSpend(io: CliIO, c: SpendCheck): Promise<void> {
  if (!needsConfirmation(c)) return;
  const what = `This run is estimated at ${c.units} units (about ${c.currency.currency} ${c.currency.amount.toFixed(2)}), over the confirmation threshold of ${c.threshold} units`;
  const fix =
    'check takes and duration in the storyboard (`shotline run FILE --dry-run` lists each shot), then pass --yes to confirm, cap the spend with --budget UNITS, or raise --confirm-above UNITS';
  if (!io.confirm) throw new UsageError(`${what}; nothing was queued. No terminal to ask on: ${fix}.`);
  if (!(await io.confirm(`${what}. Go on? [y/N] `)))
    throw new UsageError(`${what}; not confirmed, nothing was queued. To go on: ${fix}.`);
}
