/**
 * One descriptor per Kling video endpoint (kling-api.md §5 new standard, §6 legacy): its path,
 * body schema, body builder, the decoder the sandbox uses to turn a received body back into a
 * VideoRequest (so it runs the very check the client ran), the wire names problems are reported
 * with, and the price. The client, the validator, the estimate and the sandbox all go through
 * these, so a new model is a row in capabilities.ts and a new endpoint is one descriptor here.
 */
import type { z } from 'zod';

import { ShotlineError } from '../result';
import {
  CAPABILITIES,
  defaultAudio,
  MODE_TO_RESOLUTION,
  RESOLUTION_TO_MODE,
  type KlingModel,
  type LegacyFamily,
  type NewProduct,
  type Resolution,
  type Standard,
  type VideoKind,
} from './capabilities';
import { checkSafeUrl, looksLikeUrl } from './images';
import { unitsPerClip } from './prices';
import { checkVideoRequest, foldNegativePrompt, formatProblems, VideoRequest, type ImageSource, type Problem } from './request';
import {
  LegacyImage2VideoBody,
  LegacyOmniBody,
  LegacyText2VideoBody,
  NewContentsBody,
  NewText2VideoBody,
  type NewContent,
  type WireBody,
} from './wire';

export type EndpointId = `new:${NewProduct}` | `legacy:${LegacyFamily}`;

/** What the sandbox gets back from a body: the request it stands for, or the shape problems. */
export type Decoded = { ok: true; req: VideoRequest } | { ok: false; problems: Problem[] };

export interface EndpointDescriptor {
  id: EndpointId;
  standard: Standard;
  /** `/text-to-video/kling-3.0` or `/v1/videos/text2video` (the legacy model goes in the body). */
  path(model: KlingModel): string;
  /** Strict zod schema of the body. */
  schema: z.ZodType;
  /** Request (images already URLs or raw base64) -> body. */
  build(req: VideoRequest): WireBody;
  /** Body (already schema-checked) -> request; `model` comes from the path (new) or `model_name` (legacy). */
  decode(body: unknown, model: KlingModel): Decoded;
  /** Request field -> wire field, for problems named as Kling names them. */
  names: Readonly<Record<string, string>>;
  /** Units Kling bills for one successful task. */
  price(req: VideoRequest): number;
}

function wireImage(field: string, src: ImageSource): string {
  if (typeof src !== 'string') return src.base64.replace(/^data:[^,]*;base64,/, '');
  if (looksLikeUrl(src)) {
    const bad = checkSafeUrl(field, src);
    if (bad) throw new ShotlineError({ code: 'validation', message: bad, where: field });
    return src;
  }
  throw new ShotlineError({
    code: 'validation',
    message: `${field}: "${src}" is a local file; load it first (the Kling client's createTask does: it checks the image and sends raw base64)`,
    where: field,
  });
}

/** `settings.audio` exists only on models with a choice (3.0 Turbo and 2.5 Turbo have no field). */
function audioSetting(req: VideoRequest): { audio?: 'native' | 'off' } {
  const a = CAPABILITIES[req.model].audio;
  if (!Array.isArray(a)) return {};
  return { audio: req.audio ?? defaultAudio(req.model) };
}

/**
 * `multi_shot` defaults to true on the 3.0 family: a single shot sends false, so Kling does not
 * plan cuts of its own in a shot the storyboard meant as one (kling-api.md §10 [UNCERTAIN]).
 * 3.0 Turbo has no field.
 */
function multiShotSetting(req: VideoRequest, standard: Standard): { multi_shot?: boolean } {
  if (!CAPABILITIES[req.model].multiShot) return {};
  if (standard === 'new' && req.model === 'kling-3.0-turbo') return {};
  return { multi_shot: false };
}

function newOptions(req: VideoRequest): { options: NonNullable<NewText2VideoBody['options']> } {
  return {
    options: {
      external_task_id: req.externalTaskId,
      ...(req.callbackUrl !== undefined ? { callback_url: req.callbackUrl } : {}),
      ...(req.watermark !== undefined ? { watermark_info: { enabled: req.watermark } } : {}),
    },
  };
}

function legacyTail(req: VideoRequest): Record<string, unknown> {
  return {
    ...(req.watermark !== undefined ? { watermark_info: { enabled: req.watermark } } : {}),
    ...(req.callbackUrl !== undefined ? { callback_url: req.callbackUrl } : {}),
    external_task_id: req.externalTaskId,
  };
}

function legacySound(req: VideoRequest): { sound?: 'on' | 'off' } {
  const a = CAPABILITIES[req.model].audio;
  if (!Array.isArray(a) || !a.includes('native')) return {};
  return { sound: (req.audio ?? defaultAudio(req.model)) === 'native' ? 'on' : 'off' };
}

const NEW_NAMES = {
  model: 'model (path)',
  resolution: 'settings.resolution',
  duration: 'settings.duration',
  aspectRatio: 'settings.aspect_ratio',
  audio: 'settings.audio',
  prompt: 'prompt',
  negativePrompt: 'negative_prompt',
  startImage: 'contents[first_frame]',
  endImage: 'contents[last_frame]',
  externalTaskId: 'options.external_task_id',
  callbackUrl: 'options.callback_url',
} as const;

const LEGACY_NAMES = {
  model: 'model_name',
  resolution: 'mode',
  duration: 'duration',
  aspectRatio: 'aspect_ratio',
  audio: 'sound',
  prompt: 'prompt',
  negativePrompt: 'negative_prompt',
  startImage: 'image',
  endImage: 'image_tail',
  externalTaskId: 'external_task_id',
  callbackUrl: 'callback_url',
} as const;

type Settings = NonNullable<NewText2VideoBody['settings']>;

/** Settings -> request fields, with the problems of fields this model does not have. */
function decodeSettings(s: Settings | undefined, model: KlingModel, kind: VideoKind, problems: Problem[]): Pick<VideoRequest, 'resolution' | 'duration' | 'aspectRatio' | 'audio'> {
  const caps = CAPABILITIES[model];
  const out: Pick<VideoRequest, 'resolution' | 'duration' | 'aspectRatio' | 'audio'> = { resolution: s?.resolution ?? '720p', duration: s?.duration ?? 5 };
  if (s?.aspect_ratio !== undefined) {
    if (kind === 'image2video' && caps.product.image2video === 'image-to-video') problems.push({ field: 'settings.aspect_ratio', message: 'image to video takes no aspect ratio: the output follows the first frame' });
    else out.aspectRatio = s.aspect_ratio;
  }
  if (s?.audio !== undefined) {
    if (!Array.isArray(caps.audio)) problems.push({ field: 'settings.audio', message: `${model} has no audio setting` });
    else if (s.audio === 'original') problems.push({ field: 'settings.audio', message: 'original keeps a reference video\'s sound; this task has no reference video' });
    else out.audio = s.audio;
  }
  if (s?.multi_shot !== undefined && (!caps.multiShot || model === 'kling-3.0-turbo')) problems.push({ field: 'settings.multi_shot', message: `${model} has no multi_shot setting` });
  return out;
}

const newTextToVideo: EndpointDescriptor = {
  id: 'new:text-to-video',
  standard: 'new',
  path: (model) => `/text-to-video/${model}`,
  schema: NewText2VideoBody,
  names: NEW_NAMES,
  price: (req) => unitsPerClip(req),
  build(req) {
    return {
      prompt: foldNegativePrompt(req.prompt ?? '', req.negativePrompt),
      settings: { resolution: req.resolution, aspect_ratio: req.aspectRatio ?? '16:9', duration: req.duration, ...audioSetting(req), ...multiShotSetting(req, 'new') },
      ...newOptions(req),
    } satisfies NewText2VideoBody;
  },
  decode(raw, model) {
    const body = raw as NewText2VideoBody;
    const problems: Problem[] = [];
    const settings = decodeSettings(body.settings, model, 'text2video', problems);
    if (problems.length) return { ok: false, problems };
    return { ok: true, req: { kind: 'text2video', model, ...settings, aspectRatio: settings.aspectRatio ?? '16:9', prompt: body.prompt, externalTaskId: body.options?.external_task_id ?? 'none', ...callback(body.options) } };
  },
};

function callback(o: NewText2VideoBody['options']): Partial<VideoRequest> {
  return o?.callback_url !== undefined ? { callbackUrl: o.callback_url } : {};
}

function contentsOf(req: VideoRequest): NewContent[] {
  const out: NewContent[] = [];
  const text = foldNegativePrompt(req.prompt ?? '', req.negativePrompt);
  if (text !== '') out.push({ type: 'prompt', text });
  if (req.startImage !== undefined) out.push({ type: 'first_frame', url: wireImage('startImage', req.startImage) });
  if (req.endImage !== undefined) out.push({ type: 'last_frame', url: wireImage('endImage', req.endImage) });
  return out;
}

/** contents[] -> prompt and frames, with the problems of types this endpoint does not take. */
function decodeContents(contents: NewContent[], problems: Problem[]): Pick<VideoRequest, 'prompt' | 'startImage' | 'endImage'> {
  const out: Pick<VideoRequest, 'prompt' | 'startImage' | 'endImage'> = {};
  const seen = new Set<string>();
  for (const c of contents) {
    if (seen.has(c.type)) problems.push({ field: `contents[${c.type}]`, message: `more than one ${c.type}` });
    seen.add(c.type);
    if (c.type === 'prompt') out.prompt = c.text;
    else if (c.type === 'first_frame') out.startImage = c.url;
    else out.endImage = c.url;
  }
  return out;
}

const newImageToVideo: EndpointDescriptor = {
  id: 'new:image-to-video',
  standard: 'new',
  path: (model) => `/image-to-video/${model}`,
  schema: NewContentsBody,
  names: NEW_NAMES,
  price: (req) => unitsPerClip(req),
  build(req) {
    return {
      contents: contentsOf(req),
      settings: { resolution: req.resolution, duration: req.duration, ...audioSetting(req), ...multiShotSetting(req, 'new') },
      ...newOptions(req),
    } satisfies NewContentsBody;
  },
  decode(raw, model) {
    const body = raw as NewContentsBody;
    const problems: Problem[] = [];
    const content = decodeContents(body.contents, problems);
    const settings = decodeSettings(body.settings, model, 'image2video', problems);
    if (problems.length) return { ok: false, problems };
    return { ok: true, req: { kind: 'image2video', model, ...settings, ...content, externalTaskId: body.options?.external_task_id ?? 'none', ...callback(body.options) } };
  },
};

const newOmniVideo: EndpointDescriptor = {
  id: 'new:omni-video',
  standard: 'new',
  path: (model) => `/omni-video/${model}`,
  schema: NewContentsBody,
  names: NEW_NAMES,
  price: (req) => unitsPerClip(req),
  build(req) {
    // aspect_ratio is "required" with no first frame (kling-api.md §5.5, §19.5): sent then, never with a frame.
    const aspect = req.startImage === undefined ? { aspect_ratio: req.aspectRatio ?? ('16:9') } : {};
    return {
      contents: contentsOf(req),
      settings: { resolution: req.resolution, duration: req.duration, ...aspect, ...audioSetting(req), ...multiShotSetting(req, 'new') },
      ...newOptions(req),
    } satisfies NewContentsBody;
  },
  decode(raw, model) {
    const body = raw as NewContentsBody;
    const problems: Problem[] = [];
    const content = decodeContents(body.contents, problems);
    const kind: VideoKind = content.startImage !== undefined || content.endImage !== undefined ? 'image2video' : 'text2video';
    const settings = decodeSettings(body.settings, model, kind, problems);
    if (problems.length) return { ok: false, problems };
    return { ok: true, req: { kind, model, ...settings, ...content, externalTaskId: body.options?.external_task_id ?? 'none', ...callback(body.options) } };
  },
};

function legacyMode(req: VideoRequest): { mode: 'std' | 'pro' | '4k' } {
  return { mode: RESOLUTION_TO_MODE[req.resolution] };
}

/** Legacy common fields -> request fields. */
function decodeLegacy(b: LegacyText2VideoBody, model: KlingModel, problems: Problem[]): Pick<VideoRequest, 'resolution' | 'duration' | 'audio' | 'negativePrompt' | 'externalTaskId' | 'callbackUrl'> {
  const caps = CAPABILITIES[model];
  if (b.sound !== undefined && !(Array.isArray(caps.audio) && caps.audio.includes('native'))) problems.push({ field: 'sound', message: `${caps.legacyName} has no sound setting` });
  if (b.multi_shot !== undefined && !caps.multiShot) problems.push({ field: 'multi_shot', message: `${caps.legacyName} has no multi_shot` });
  return {
    resolution: MODE_TO_RESOLUTION[b.mode ?? 'std'] as Resolution,
    duration: Number(b.duration ?? '5'),
    ...(b.sound !== undefined ? { audio: b.sound === 'on' ? ('native' as const) : ('off' as const) } : {}),
    ...(b.negative_prompt !== undefined ? { negativePrompt: b.negative_prompt } : {}),
    externalTaskId: b.external_task_id ?? 'none',
    ...(b.callback_url !== undefined ? { callbackUrl: b.callback_url } : {}),
  };
}

const legacyText2Video: EndpointDescriptor = {
  id: 'legacy:text2video',
  standard: 'legacy',
  path: () => '/v1/videos/text2video',
  schema: LegacyText2VideoBody,
  names: LEGACY_NAMES,
  price: (req) => unitsPerClip(req),
  build(req) {
    return {
      model_name: CAPABILITIES[req.model].legacyName as string,
      prompt: req.prompt ?? '',
      ...(req.negativePrompt ? { negative_prompt: req.negativePrompt } : {}),
      ...legacyMode(req),
      aspect_ratio: req.aspectRatio ?? '16:9',
      duration: String(req.duration) as LegacyText2VideoBody['duration'],
      ...legacySound(req),
      ...multiShotSetting(req, 'legacy'),
      ...legacyTail(req),
    } satisfies LegacyText2VideoBody;
  },
  decode(raw, model) {
    const b = raw as LegacyText2VideoBody;
    const problems: Problem[] = [];
    const common = decodeLegacy(b, model, problems);
    if (problems.length) return { ok: false, problems };
    return { ok: true, req: { kind: 'text2video', model, ...common, aspectRatio: b.aspect_ratio ?? '16:9', ...(b.prompt !== undefined ? { prompt: b.prompt } : {}) } };
  },
};

const legacyImage2Video: EndpointDescriptor = {
  id: 'legacy:image2video',
  standard: 'legacy',
  path: () => '/v1/videos/image2video',
  schema: LegacyImage2VideoBody,
  names: LEGACY_NAMES,
  price: (req) => unitsPerClip(req),
  build(req) {
    return {
      model_name: CAPABILITIES[req.model].legacyName as string,
      ...(req.startImage !== undefined ? { image: wireImage('startImage', req.startImage) } : {}),
      ...(req.endImage !== undefined ? { image_tail: wireImage('endImage', req.endImage) } : {}),
      ...(req.prompt ? { prompt: req.prompt } : {}),
      ...(req.negativePrompt ? { negative_prompt: req.negativePrompt } : {}),
      ...legacyMode(req),
      duration: String(req.duration) as LegacyImage2VideoBody['duration'],
      ...legacySound(req),
      ...multiShotSetting(req, 'legacy'),
      ...legacyTail(req),
    } satisfies LegacyImage2VideoBody;
  },
  decode(raw, model) {
    const b = raw as LegacyImage2VideoBody;
    const problems: Problem[] = [];
    const common = decodeLegacy(b, model, problems);
    if (problems.length) return { ok: false, problems };
    return {
      ok: true,
      req: { kind: 'image2video', model, ...common, ...(b.prompt !== undefined ? { prompt: b.prompt } : {}), ...(b.image !== undefined ? { startImage: b.image } : {}), ...(b.image_tail !== undefined ? { endImage: b.image_tail } : {}) },
    };
  },
};

const legacyOmniVideo: EndpointDescriptor = {
  id: 'legacy:omni-video',
  standard: 'legacy',
  path: () => '/v1/videos/omni-video',
  schema: LegacyOmniBody,
  names: { ...LEGACY_NAMES, startImage: 'image_list[first_frame]', endImage: 'image_list[end_frame]' },
  price: (req) => unitsPerClip(req),
  build(req) {
    const images = [
      ...(req.startImage !== undefined ? [{ image_url: wireImage('startImage', req.startImage), type: 'first_frame' as const }] : []),
      ...(req.endImage !== undefined ? [{ image_url: wireImage('endImage', req.endImage), type: 'end_frame' as const }] : []),
    ];
    return {
      model_name: CAPABILITIES[req.model].legacyName as string,
      prompt: req.prompt ?? '',
      ...(images.length ? { image_list: images } : { aspect_ratio: req.aspectRatio ?? '16:9' }),
      ...legacyMode(req),
      duration: String(req.duration) as LegacyOmniBody['duration'],
      ...legacySound(req),
      ...multiShotSetting(req, 'legacy'),
      ...legacyTail(req),
    } satisfies LegacyOmniBody;
  },
  decode(raw, model) {
    const b = raw as LegacyOmniBody;
    const problems: Problem[] = [];
    const common = decodeLegacy(b, model, problems);
    const first = b.image_list?.filter((i) => i.type === 'first_frame') ?? [];
    const end = b.image_list?.filter((i) => i.type === 'end_frame') ?? [];
    if ((b.image_list ?? []).some((i) => i.type === undefined)) problems.push({ field: 'image_list', message: 'reference images (no type) are not part of this task; give first_frame or end_frame' });
    if (first.length > 1 || end.length > 1) problems.push({ field: 'image_list', message: 'at most one first_frame and one end_frame' });
    if (problems.length) return { ok: false, problems };
    const kind: VideoKind = first.length || end.length ? 'image2video' : 'text2video';
    return {
      ok: true,
      req: {
        kind,
        model,
        ...common,
        ...(kind === 'text2video' ? { aspectRatio: b.aspect_ratio ?? '16:9' } : {}),
        ...(b.prompt !== undefined ? { prompt: b.prompt } : {}),
        ...(first[0] ? { startImage: first[0].image_url } : {}),
        ...(end[0] ? { endImage: end[0].image_url } : {}),
      },
    };
  },
};

export const ENDPOINTS: Readonly<Record<EndpointId, EndpointDescriptor>> = {
  'new:text-to-video': newTextToVideo,
  'new:image-to-video': newImageToVideo,
  'new:omni-video': newOmniVideo,
  'legacy:text2video': legacyText2Video,
  'legacy:image2video': legacyImage2Video,
  'legacy:omni-video': legacyOmniVideo,
};

/** The endpoint a (model, kind) is created on under a standard. */
export function endpointFor(standard: Standard, model: KlingModel, kind: VideoKind): EndpointDescriptor {
  const caps = CAPABILITIES[model];
  return standard === 'new' ? ENDPOINTS[`new:${caps.product[kind]}`] : ENDPOINTS[`legacy:${caps.legacyFamily[kind]}`];
}

/** Legacy query/list path of a (model, kind): `/v1/videos/<family>`. */
export function legacyTaskPath(model: KlingModel, kind: VideoKind): string {
  return `/v1/videos/${CAPABILITIES[model].legacyFamily[kind]}`;
}

/**
 * The body for a request whose images are already URLs or base64, on the given standard.
 * Throws a ShotlineError (code `validation`, every problem listed) for anything the table
 * forbids, so no invalid combination is ever sent.
 */
export function buildWireBody(req: VideoRequest, standard: Standard): { endpoint: EndpointDescriptor; path: string; body: WireBody } {
  const parsed = VideoRequest.parse(req);
  const problems = checkVideoRequest(parsed, { standard });
  if (problems.length) throw new ShotlineError({ code: 'validation', message: formatProblems(problems), where: problems[0]?.field });
  const endpoint = endpointFor(standard, parsed.model, parsed.kind);
  return { endpoint, path: endpoint.path(parsed.model), body: endpoint.build(parsed) };
}
