/**
 * Which model a create is for, as Kling decides it (kling-api.md §2, §20): on the new standard
 * the path names a live id and the product must be one the model is offered on; on the legacy
 * standard `model_name` (default `kling-v1`, discontinued) is an alias of a live model. Retired
 * models are answered with Kling's own words, with the status and code the options say
 * (400/1201 by default: Kling's were not recorded, §19.1). video-extend and multi-image2video
 * only ever served retired models: dead.
 */
import {
  CAPABILITIES,
  discontinuedMessage,
  isModel,
  MODEL_ALIASES,
  RETIRED_MODELS,
  type KlingModel,
} from '../../../shared/kling/capabilities';
import { ENDPOINTS, type EndpointDescriptor } from '../../../shared/kling/endpoints';
import { error, type Answer } from './http';
import type { LegacyRouteFamily, NewRouteProduct } from './routes';
import type { SandboxSettings } from './types';

export type ModelResolution =
  { ok: true; model: KlingModel; endpoint: EndpointDescriptor } | { ok: false; answer: Answer };

const refuse = (answer: Answer): ModelResolution => ({ ok: false, answer });

function discontinued(name: string, settings: SandboxSettings): Answer {
  return error(settings.retiredAnswer.code, discontinuedMessage(name), settings.retiredAnswer.httpStatus);
}

export function newStandardModel(product: NewRouteProduct, name: string, settings: SandboxSettings): ModelResolution {
  if (RETIRED_MODELS[name]) return refuse(discontinued(name, settings));
  if (!isModel(name))
    return refuse(
      error(
        1203,
        `model ${name} does not exist; the path takes a model id such as ${Object.keys(CAPABILITIES).join(', ')}`,
      ),
    );
  const caps = CAPABILITIES[name];
  if (product === 'motion-control')
    return caps.motionControl
      ? { ok: true, model: name, endpoint: ENDPOINTS['new:motion-control'] }
      : refuse(error(1203, `model ${name} is not offered on /motion-control; use kling-3.0 or kling-2.6`));
  if (!Object.values(caps.product).includes(product)) {
    return refuse(
      error(
        1203,
        `model ${name} is not offered on /${product}; it is on /${[...new Set(Object.values(caps.product))].join(', /')}`,
      ),
    );
  }
  return { ok: true, model: name, endpoint: ENDPOINTS[`new:${product}`] };
}

/** `model_name` when the body leaves it out (kling-api.md §6.1: kling-v1 is the legacy default; omni's is kling-video-o1). */
const LEGACY_DEFAULT: Record<LegacyRouteFamily, string> = {
  text2video: 'kling-v1',
  image2video: 'kling-v1',
  'omni-video': 'kling-video-o1',
  'motion-control': 'kling-v2-6',
  'video-extend': 'kling-v1',
  'multi-image2video': 'kling-v1-6',
};

export function legacyModel(family: LegacyRouteFamily, modelName: unknown, settings: SandboxSettings): ModelResolution {
  const name = typeof modelName === 'string' && modelName !== '' ? modelName : LEGACY_DEFAULT[family];
  if (family === 'video-extend' || family === 'multi-image2video') {
    if (RETIRED_MODELS[name] || name === LEGACY_DEFAULT[family]) return refuse(discontinued(name, settings));
    return refuse(
      error(1201, `${family} was offered only by retired models (kling-v1 to kling-v1-6); no live model takes it`),
    );
  }
  const model = settings.legacyModels[name] ?? MODEL_ALIASES[name];
  if (!model) {
    if (RETIRED_MODELS[name]) return refuse(discontinued(name, settings));
    return refuse(
      error(
        1203,
        `model_name: model ${JSON.stringify(name)} does not exist; use ${Object.keys(MODEL_ALIASES).join(', ')}`,
      ),
    );
  }
  if (family === 'motion-control')
    return CAPABILITIES[model].motionControl
      ? { ok: true, model, endpoint: ENDPOINTS['legacy:motion-control'] }
      : refuse(error(1201, `model_name: ${name} does not take motion control; use kling-v3 or kling-v2-6`));
  const fams = new Set(Object.values(CAPABILITIES[model].legacyFamily));
  if (!fams.has(family))
    return refuse(
      error(
        1201,
        `model_name: ${name} is not offered on /v1/videos/${family}; use /v1/videos/${[...fams].join(', /v1/videos/')}`,
      ),
    );
  return { ok: true, model, endpoint: ENDPOINTS[`legacy:${family}`] };
}
