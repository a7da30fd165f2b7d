/**
 * What a clip costs in Kling resource-pack units (kling-api.md §6), with a currency view.
 * Legacy per-clip prices (§6.2) are linear in duration (5 s -> 10 s doubles), so they are
 * stored as the 5 s price; kling-v3 is priced per second (§6.1, no audio: std = 720p,
 * pro = 1080p). Failed tasks are not charged (community report).
 */
import { CAPABILITIES, type KlingMode, type KlingModel, type VideoKind } from './capabilities';

/** US dollars per unit in Kling's official table (1 unit ~ $0.14). */
export const UNIT_PRICE_USD = 0.14;

interface ModelPrice {
  /** Units for a 5 s clip (per second x 5 for per-second models). */
  std: number;
  pro: number;
  /** Units for one video-extend of a clip made by this model. */
  extend?: { std: number; pro: number };
  /** The sources disagree (e.g. v1.x pro: 3.5 u vs 7 u per 5 s). */
  uncertain?: string;
}

export const PRICES: Record<KlingModel, ModelPrice> = {
  'kling-v1': { std: 1, pro: 3.5, extend: { std: 1, pro: 3.5 }, uncertain: 'pro price 3.5 u per 5 s is unconfirmed (a gateway says 7 u)' },
  'kling-v1-5': { std: 2, pro: 3.5, extend: { std: 2, pro: 3.5 }, uncertain: 'pro price 3.5 u per 5 s is unconfirmed' },
  'kling-v1-6': { std: 2, pro: 3.5, extend: { std: 2, pro: 3.5 }, uncertain: 'pro price 3.5 u per 5 s is unconfirmed' },
  'kling-v2-master': { std: 10, pro: 10 },
  'kling-v2-1': { std: 2, pro: 3.5 },
  'kling-v2-1-master': { std: 10, pro: 10 },
  'kling-v2-5-turbo': { std: 1.5, pro: 2.5 },
  'kling-v2-6': { std: 1.5, pro: 2.5 },
  'kling-v3': { std: 3, pro: 4 },
};

const round = (n: number): number => Math.round(n * 1000) / 1000;

/** Units Kling charges for one successful clip; extend is a flat price per extension. */
export function unitsPerClip(req: { kind?: VideoKind; model: KlingModel; mode: KlingMode; duration: number }): number {
  const p = PRICES[req.model];
  const mode = CAPABILITIES[req.model].modeless ? 'std' : req.mode;
  if (req.kind === 'video-extend') return p.extend ? p.extend[mode] : 0;
  return round((p[mode] / 5) * req.duration);
}

export interface CurrencyView {
  currency: string;
  /** Price of one unit in that currency. */
  perUnit: number;
}

export const DEFAULT_CURRENCY: CurrencyView = { currency: 'USD', perUnit: UNIT_PRICE_USD };

export function unitsToCurrency(units: number, view: CurrencyView = DEFAULT_CURRENCY): number {
  return Math.round(units * view.perUnit * 100) / 100;
}

/** "3.5 u (~USD 0.49)". */
export function formatCost(units: number, view: CurrencyView = DEFAULT_CURRENCY): string {
  return `${round(units)} u (~${view.currency} ${unitsToCurrency(units, view).toFixed(2)})`;
}
