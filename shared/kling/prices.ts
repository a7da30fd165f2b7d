/**
 * What a clip costs in Kling resource-pack units (kling-api.md §12.1, per second, by model,
 * resolution and audio), with a currency view. Kling bills rate x requested duration
 * (3 s x 0.8 = 2.4 u although the file is 3.041 s); failed tasks are not charged.
 */
import {
  CAPABILITIES,
  hasAudio,
  type AudioSetting,
  type KlingModel,
  type Resolution,
  type VideoKind,
} from './capabilities';

/** US dollars per unit in Kling's official table (1 unit ~ $0.14). */
export const UNIT_PRICE_USD = 0.14;

/** Units per second: silent and with native audio, per resolution (null = not offered). */
interface ModelPrice {
  silent: Partial<Record<Resolution, number>>;
  audio: Partial<Record<Resolution, number>>;
}

export const PRICES: Record<KlingModel, ModelPrice> = {
  // Always with audio: the one row is the audio row.
  'kling-3.0-turbo': { silent: {}, audio: { '720p': 0.8, '1080p': 1.0 } },
  'kling-3.0': { silent: { '720p': 0.6, '1080p': 0.8, '4k': 3.0 }, audio: { '720p': 0.9, '1080p': 1.2, '4k': 3.0 } },
  // "No video input" rows (reference videos come with the Kling 3.x storyboard features).
  'kling-3.0-omni': {
    silent: { '720p': 0.6, '1080p': 0.8, '4k': 3.0 },
    audio: { '720p': 0.8, '1080p': 1.0, '4k': 3.0 },
  },
  'kling-o1': { silent: { '720p': 0.6, '1080p': 0.8 }, audio: {} },
  'kling-2.6': { silent: { '720p': 0.3, '1080p': 0.5 }, audio: { '1080p': 1.0 } },
  'kling-2.5-turbo': { silent: { '720p': 0.3, '1080p': 0.5 }, audio: {} },
};

/**
 * Motion control per second of output (kling-api.md §12.1), whatever the audio (the reference's
 * sound costs nothing extra). Kling bills the output's seconds, rounded; the output follows the
 * reference video, so an estimate uses the shot's duration as an upper bound.
 */
export const MOTION_PRICES: Partial<Record<KlingModel, Partial<Record<Resolution, number>>>> = {
  'kling-3.0': { '720p': 0.9, '1080p': 1.2 },
  'kling-2.6': { '720p': 0.5, '1080p': 0.8 },
};

const round = (n: number): number => Math.round(n * 1000) / 1000;

export interface PricedRequest {
  model: KlingModel;
  resolution: Resolution;
  duration: number;
  audio?: AudioSetting | undefined;
  /** Motion control has its own rows; omitted: text or image to video. */
  kind?: VideoKind | undefined;
}

/** Units per second for this model, resolution and audio, or null when Kling has no such price. */
export function unitsPerSecond(req: Omit<PricedRequest, 'duration'>): number | null {
  if (req.kind === 'motion') return MOTION_PRICES[req.model]?.[req.resolution] ?? null;
  const p = PRICES[req.model];
  const row = hasAudio(req.model, req.audio) ? p.audio : p.silent;
  return row[req.resolution] ?? null;
}

/** Units Kling charges for one successful clip (0 when the combination has no price: the validator refuses it). */
export function unitsPerClip(req: PricedRequest): number {
  return round((unitsPerSecond(req) ?? 0) * req.duration);
}

/** "0.8 u/s at 1080p with sound". */
export function describeRate(req: Omit<PricedRequest, 'duration'>): string {
  const rate = unitsPerSecond(req);
  const sound =
    req.kind === 'motion'
      ? ' (motion control)'
      : CAPABILITIES[req.model].audio === 'never'
        ? ''
        : hasAudio(req.model, req.audio)
          ? ' with sound'
          : ' silent';
  return rate === null ? 'no price' : `${rate} u/s at ${req.resolution}${sound}`;
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
