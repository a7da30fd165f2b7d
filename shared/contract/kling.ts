/**
 * Kling data for the fronts: the capability matrix, prices and providers (so forms and
 * cost estimates read the one table), and a check of one request against it.
 */
import { z } from 'zod';

import {
  AUDIO_SETTINGS,
  CAMERA_PRESETS,
  CAPABILITIES,
  DEFAULT_MODEL,
  LIMITS,
  LIVE_MODELS,
  outputFormat,
  PRICES,
  PROVIDERS,
  RESOLUTIONS,
  RETIRED_MODELS,
  standardsOf,
  UNIT_PRICE_USD,
} from '../kling';
import { VideoRequest } from '../kling/request';
import { method } from './define';

const Output = z.object({ width: z.number(), height: z.number(), fps: z.number() });
const Resolution = z.enum(RESOLUTIONS);
const PerResolution = z.partialRecord(Resolution, z.number());

/** One live model as the forms need it (shared/kling/capabilities.ts, prices.ts). */
export const KlingModelInfo = z.object({
  id: z.enum(LIVE_MODELS),
  label: z.string(),
  legacyName: z.string().nullable(),
  standards: z.array(z.enum(['new', 'legacy'])),
  durations: z.array(z.number()),
  resolutions: z.array(Resolution),
  /** Values of `audio` the model takes, or always/never (no choice). */
  audio: z.union([z.array(z.enum(AUDIO_SETTINGS)), z.enum(['always', 'never'])]),
  audioResolutions: z.array(Resolution).nullable(),
  endFrame: z.object({ resolutions: z.array(Resolution), silentOnly: z.boolean() }).nullable(),
  promptMax: z.object({ text2video: z.number(), image2video: z.number() }),
  multiShot: z.boolean(),
  elementsMax: z.number(),
  motionControl: z.boolean(),
  negativePrompt: z.boolean(),
  output: z.partialRecord(Resolution, Output),
  /** Units per second, silent and with native audio. */
  unitsPerSecond: z.object({ silent: PerResolution, audio: PerResolution }),
  note: z.string().nullable(),
});
export type KlingModelInfo = z.infer<typeof KlingModelInfo>;

export const KlingProviderInfo = z.object({
  id: z.string(),
  label: z.string(),
  simulator: z.boolean(),
  auth: z.array(z.string()),
  standards: z.array(z.string()),
  regions: z.array(z.object({ id: z.string(), baseUrl: z.string().nullable(), location: z.string() })),
  defaultRegion: z.string(),
});

export const KlingCapabilities = z.object({
  models: z.array(KlingModelInfo),
  defaultModel: z.enum(LIVE_MODELS),
  /** Retired names with the live model to use instead (for the upgrade offer). */
  retired: z.array(
    z.object({ name: z.string(), label: z.string(), replacement: z.enum(LIVE_MODELS), why: z.string() }),
  ),
  cameraPresets: z.record(z.string(), z.string()),
  providers: z.array(KlingProviderInfo),
  unitPriceUsd: z.number(),
  limits: z.object({
    promptMax: z.number(),
    negativePromptMax: z.number(),
    imageMaxBytes: z.number(),
    imageMinSide: z.number(),
  }),
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
    models: LIVE_MODELS.map((id) => {
      const caps = CAPABILITIES[id];
      return {
        id,
        label: caps.label,
        legacyName: caps.legacyName,
        standards: standardsOf(id),
        durations: [...caps.durations],
        resolutions: [...caps.resolutions],
        audio: Array.isArray(caps.audio)
          ? [...(caps.audio as readonly (typeof AUDIO_SETTINGS)[number][])]
          : (caps.audio as 'always' | 'never'),
        audioResolutions: caps.audioResolutions ? [...caps.audioResolutions] : null,
        endFrame: caps.endFrame
          ? { resolutions: [...caps.endFrame.resolutions], silentOnly: caps.endFrame.silentOnly ?? false }
          : null,
        promptMax: { ...caps.promptMax },
        multiShot: caps.multiShot,
        elementsMax: caps.elementsMax,
        motionControl: caps.motionControl,
        negativePrompt: caps.negativePrompt,
        output: Object.fromEntries(caps.resolutions.map((r) => [r, outputFormat(id, r)])),
        unitsPerSecond: { silent: { ...PRICES[id].silent }, audio: { ...PRICES[id].audio } },
        note: caps.note ?? null,
      };
    }),
    defaultModel: DEFAULT_MODEL,
    retired: Object.entries(RETIRED_MODELS).map(([name, r]) => ({ name, ...r })),
    cameraPresets: { ...CAMERA_PRESETS },
    providers: Object.values(PROVIDERS).map((p) => ({
      id: p.id,
      label: p.label,
      simulator: p.simulator,
      auth: [...p.auth],
      standards: [...p.standards],
      regions: p.regions.map((r) => ({ ...r })),
      defaultRegion: p.defaultRegion,
    })),
    unitPriceUsd: UNIT_PRICE_USD,
    limits: {
      promptMax: LIMITS.promptMax,
      negativePromptMax: LIMITS.negativePromptMax,
      imageMaxBytes: LIMITS.imageMaxBytes,
      imageMinSide: LIMITS.imageMinSide,
    },
  };
}

export const klingContract = {
  'kling.capabilities': method(
    z.object({}).strict(),
    KlingCapabilities,
    'Kling capability matrix, prices and providers (one table for forms and estimates).',
  ),
  'kling.check': method(
    VideoRequest,
    KlingCheckResult,
    'Checks one video request against the capability matrix and prices it.',
  ),
} as const;

export const klingEvents = {} as const;
