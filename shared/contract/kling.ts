/**
 * Kling data for the fronts: the capability matrix, prices and providers (so forms and
 * cost estimates read the one table), and a check of one request against it.
 */
import { z } from 'zod';

import {
  allCombos,
  CAMERA_TYPES,
  CAPABILITIES,
  FEATURE_LABELS,
  FEATURES,
  LIMITS,
  MODELS,
  MODES,
  outputFormat,
  PRICES,
  PROVIDERS,
  supports,
  UNIT_PRICE_USD,
} from '../kling';
import { VideoRequest } from '../kling/request';
import { method } from './define';

const Mode = z.enum(MODES);
const Combo = z.object({ mode: Mode, duration: z.number() });
const Output = z.object({ width: z.number(), height: z.number(), fps: z.number() });

export const KlingModelInfo = z.object({
  id: z.enum(MODELS),
  label: z.string(),
  modeless: z.boolean(),
  durations: z.array(z.number()),
  /** For each feature, the (mode, duration) pairs where it works. */
  features: z.record(z.enum(FEATURES), z.array(Combo)),
  cameraTypesImage2Video: z.array(z.enum(CAMERA_TYPES)),
  output: z.object({ std: Output, pro: Output }),
  /** Units for a 5 s clip (kling-v3: 5 x the per-second price). */
  unitsPer5s: z.object({ std: z.number(), pro: z.number() }),
  note: z.string().nullable(),
});
export type KlingModelInfo = z.infer<typeof KlingModelInfo>;

export const KlingProviderInfo = z.object({
  id: z.string(),
  label: z.string(),
  simulator: z.boolean(),
  auth: z.array(z.string()),
  regions: z.array(z.object({ id: z.string(), baseUrl: z.string().nullable(), location: z.string() })),
  defaultRegion: z.string(),
});

export const KlingCapabilities = z.object({
  models: z.array(KlingModelInfo),
  featureLabels: z.record(z.enum(FEATURES), z.string()),
  providers: z.array(KlingProviderInfo),
  unitPriceUsd: z.number(),
  limits: z.object({ promptMax: z.number(), imageMaxBytes: z.number(), imageMinSide: z.number(), dynamicMasksMax: z.number() }),
});
export type KlingCapabilities = z.infer<typeof KlingCapabilities>;

export const KlingCheckResult = z.object({
  problems: z.array(z.object({ field: z.string(), message: z.string() })),
  /** Units one successful clip costs. */
  units: z.number(),
  output: Output,
});

/** Built once from the shared tables (pure data, so the handler and tests share it). */
export function describeCapabilities(): KlingCapabilities {
  return {
    models: MODELS.map((id) => {
      const caps = CAPABILITIES[id];
      const combos = allCombos().filter((c) => c.model === id);
      return {
        id,
        label: caps.label,
        modeless: caps.modeless,
        durations: [...caps.durations],
        features: Object.fromEntries(
          FEATURES.map((f) => [f, combos.filter((c) => supports(id, c.mode, c.duration, f)).map((c) => ({ mode: c.mode, duration: c.duration }))]),
        ) as KlingModelInfo['features'],
        cameraTypesImage2Video: [...caps.cameraTypesImage2Video],
        output: { std: outputFormat(id, 'std', 'image2video'), pro: outputFormat(id, 'pro', 'image2video') },
        unitsPer5s: { std: PRICES[id].std, pro: PRICES[id].pro },
        note: caps.note ?? null,
      };
    }),
    featureLabels: FEATURE_LABELS,
    providers: Object.values(PROVIDERS).map((p) => ({
      id: p.id,
      label: p.label,
      simulator: p.simulator,
      auth: [...p.auth],
      regions: p.regions.map((r) => ({ ...r })),
      defaultRegion: p.defaultRegion,
    })),
    unitPriceUsd: UNIT_PRICE_USD,
    limits: { promptMax: LIMITS.promptMax, imageMaxBytes: LIMITS.imageMaxBytes, imageMinSide: LIMITS.imageMinSide, dynamicMasksMax: LIMITS.dynamicMasksMax },
  };
}

export const klingContract = {
  'kling.capabilities': method(z.object({}).strict(), KlingCapabilities, 'Kling capability matrix, prices and providers (one table for forms and estimates).'),
  'kling.check': method(VideoRequest, KlingCheckResult, 'Checks one video request against the capability matrix and prices it.'),
} as const;

export const klingEvents = {} as const;
