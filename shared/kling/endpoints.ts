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
  legacyFamilyOf,
  MODE_TO_RESOLUTION,
  productOf,
  RESOLUTION_TO_MODE,
  type KlingModel,
  type LegacyFamily,
  type NewProduct,
  type Resolution,
  type Standard,
  type VideoKind,
} from './capabilities';
import { checkSafeUrl, looksLikeUrl } from './images';
import { looksMultiShot, parseMultiShotPrompt } from './multi-shot';
import { unitsPerClip } from './prices';
import {
  checkVideoRequest,
  foldNegativePrompt,
  formatProblems,
  multiShotPrompt,
  VideoRequest,
  type ImageSource,
  type Problem,
} from './request';
import {
  LegacyImage2VideoBody,
  LegacyMotionBody,
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
 * plan cuts of its own in a shot the storyboard meant as one (kling-api.md §10 [UNCERTAIN]); a
 * scene (`shots`) sends true. 3.0 Turbo has no field: the `shot n, m, words;` syntax alone drives it.
 */
function multiShotSetting(req: VideoRequest, standard: Standard): { multi_shot?: boolean } {
  if (!CAPABILITIES[req.model].multiShot) return {};
  if (standard === 'new' && req.model === 'kling-3.0-turbo') return {};
  return { multi_shot: req.shots !== undefined };
}

/** The new standard's prompt text: a scene's shots in Kling's syntax, or the prompt with a negative prompt folded in. */
function newPrompt(req: VideoRequest): string {
  return req.shots ? multiShotPrompt(req.shots) : foldNegativePrompt(req.prompt ?? '', req.negativePrompt);
}

/** A received new-standard prompt -> the request's prompt or shots (3.0 family with multi_shot not false). */
function decodePrompt(
  text: string | undefined,
  model: KlingModel,
  settings: { multi_shot?: boolean | undefined } | undefined,
  problems: Problem[],
): Pick<VideoRequest, 'prompt' | 'shots'> {
  if (!CAPABILITIES[model].multiShot || settings?.multi_shot === false || !looksMultiShot(text))
    return text !== undefined ? { prompt: text } : {};
  const parsed = parseMultiShotPrompt(text ?? '');
  if ('problem' in parsed) {
    problems.push({ field: 'prompt', message: parsed.problem });
    return {};
  }
  return { shots: parsed.shots };
}

/** Legacy elements are numbers (kling-api.md §7); ids past 2^53 cannot be sent exactly. */
function legacyElementId(id: string): number {
  const n = Number(id);
  if (!Number.isSafeInteger(n)) {
    throw new ShotlineError({
      code: 'validation',
      where: 'elements',
      message: `element id ${id} is too large for the legacy API's numeric element_id; use an API-key profile (new standard, ids as text)`,
    });
  }
  return n;
}

/** `@alias` -> `<<<element_N>>>` (N = the element's position, from 1) for the legacy prompt (kling-api.md §6.2). */
export function legacyElementPrompt(text: string, elements: VideoRequest['elements']): string {
  if (!elements?.length) return text;
  const order = elements.map((e, i) => ({ alias: e.alias, n: i + 1 })).sort((a, b) => b.alias.length - a.alias.length);
  let out = text;
  for (const { alias, n } of order)
    out = out.replace(new RegExp(`(^|[^A-Za-z0-9_.])@${alias}(?![A-Za-z0-9_])`, 'g'), `$1<<<element_${n}>>>`);
  return out;
}

/** The legacy prompt back into `@element_N` (the sandbox's decode; aliases are positional there). */
function fromLegacyElementPrompt(text: string): string {
  return text.replace(/<<<element_(\d+)>>>/g, '@element_$1');
}

/** Legacy multi-shot fields of a request (kling-api.md §10): `customize` with one item per shot. */
function legacyMultiShot(req: VideoRequest): Record<string, unknown> {
  if (!req.shots) return multiShotSetting(req, 'legacy');
  return {
    multi_shot: true,
    shot_type: 'customize',
    multi_prompt: req.shots.map((s, i) => ({
      index: i + 1,
      prompt: legacyElementPrompt(s.prompt, req.elements),
      duration: String(s.duration),
    })),
  };
}

/** Legacy multi-shot fields -> shots, with the problems of a body that does not hold together. */
function decodeLegacyShots(b: LegacyText2VideoBody, problems: Problem[]): Pick<VideoRequest, 'shots'> {
  if (b.multi_shot !== true) {
    if (b.multi_prompt !== undefined || b.shot_type !== undefined)
      problems.push({ field: 'multi_prompt', message: 'multi_prompt and shot_type need multi_shot: true' });
    return {};
  }
  if (b.shot_type !== 'customize') {
    problems.push({
      field: 'shot_type',
      message:
        b.shot_type === 'intelligence'
          ? 'intelligence lets Kling plan the cuts; the sandbox simulates customize only (give multi_prompt)'
          : 'multi_shot needs shot_type customize (with multi_prompt) or intelligence',
    });
    return {};
  }
  const items = b.multi_prompt ?? [];
  if (items.length === 0)
    problems.push({
      field: 'multi_prompt',
      message: 'shot_type customize needs multi_prompt: [{index, prompt, duration}]',
    });
  items.forEach((it, i) => {
    if (it.index !== i + 1)
      problems.push({
        field: 'multi_prompt',
        message: `item ${i + 1} has index ${it.index}; number the shots 1, 2, 3, ... in order`,
      });
  });
  return { shots: items.map((it) => ({ prompt: fromLegacyElementPrompt(it.prompt), duration: Number(it.duration) })) };
}

function legacyElements(req: VideoRequest): { element_list?: Array<{ element_id: number }> } {
  return req.elements?.length
    ? { element_list: req.elements.map((e) => ({ element_id: legacyElementId(e.elementId) })) }
    : {};
}

function decodeLegacyElements(list: Array<{ element_id: number }> | undefined): Pick<VideoRequest, 'elements'> {
  return list?.length
    ? { elements: list.map((e, i) => ({ elementId: String(e.element_id), alias: `element_${i + 1}` })) }
    : {};
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
  shots: 'prompt',
  elements: 'contents[element]',
  motion: 'contents[video]',
  'motion.video': 'contents[video]',
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
  shots: 'multi_prompt',
  elements: 'element_list',
  motion: 'video_url',
  'motion.video': 'video_url',
} as const;

type Settings = NonNullable<NewText2VideoBody['settings']>;

/** Settings -> request fields, with the problems of fields this model does not have. */
function decodeSettings(
  s: Settings | undefined,
  model: KlingModel,
  kind: VideoKind,
  problems: Problem[],
): Pick<VideoRequest, 'resolution' | 'duration' | 'aspectRatio' | 'audio'> {
  const caps = CAPABILITIES[model];
  const out: Pick<VideoRequest, 'resolution' | 'duration' | 'aspectRatio' | 'audio'> = {
    resolution: s?.resolution ?? '720p',
    duration: s?.duration ?? 5,
  };
  if (s?.aspect_ratio !== undefined) {
    if (kind === 'image2video' && caps.product.image2video === 'image-to-video')
      problems.push({
        field: 'settings.aspect_ratio',
        message: 'image to video takes no aspect ratio: the output follows the first frame',
      });
    else out.aspectRatio = s.aspect_ratio;
  }
  if (s?.audio !== undefined) {
    if (kind === 'motion') {
      if (s.audio === 'native')
        problems.push({
          field: 'settings.audio',
          message: "motion control takes original (the reference video's sound) or off",
        });
      else out.audio = s.audio === 'original' ? 'native' : 'off';
    } else if (!Array.isArray(caps.audio))
      problems.push({ field: 'settings.audio', message: `${model} has no audio setting` });
    else if (s.audio === 'original')
      problems.push({
        field: 'settings.audio',
        message: "original keeps a reference video's sound; this task has no reference video",
      });
    else out.audio = s.audio;
  }
  if (s?.multi_shot !== undefined && (!caps.multiShot || model === 'kling-3.0-turbo' || kind === 'motion'))
    problems.push({
      field: 'settings.multi_shot',
      message: `${kind === 'motion' ? 'motion control' : model} has no multi_shot setting`,
    });
  if (s?.character_orientation !== undefined && kind !== 'motion')
    problems.push({
      field: 'settings.character_orientation',
      message: 'only motion control takes a character orientation',
    });
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
      prompt: newPrompt(req),
      settings: {
        resolution: req.resolution,
        aspect_ratio: req.aspectRatio ?? '16:9',
        duration: req.duration,
        ...audioSetting(req),
        ...multiShotSetting(req, 'new'),
      },
      ...newOptions(req),
    } satisfies NewText2VideoBody;
  },
  decode(raw, model) {
    const body = raw as NewText2VideoBody;
    const problems: Problem[] = [];
    const settings = decodeSettings(body.settings, model, 'text2video', problems);
    const text = decodePrompt(body.prompt, model, body.settings, problems);
    if (problems.length) return { ok: false, problems };
    return {
      ok: true,
      req: {
        kind: 'text2video',
        model,
        ...settings,
        aspectRatio: settings.aspectRatio ?? '16:9',
        ...text,
        externalTaskId: body.options?.external_task_id ?? 'none',
        ...callback(body.options),
      },
    };
  },
};

function callback(o: NewText2VideoBody['options']): Partial<VideoRequest> {
  return o?.callback_url !== undefined ? { callbackUrl: o.callback_url } : {};
}

function contentsOf(req: VideoRequest): NewContent[] {
  const out: NewContent[] = [];
  const text = newPrompt(req);
  if (text !== '') out.push({ type: 'prompt', text });
  if (req.kind === 'motion') {
    if (req.startImage !== undefined) out.push({ type: 'image', url: wireImage('startImage', req.startImage) });
    if (req.motion) out.push({ type: 'video', url: req.motion.video });
  } else {
    if (req.startImage !== undefined) out.push({ type: 'first_frame', url: wireImage('startImage', req.startImage) });
    if (req.endImage !== undefined) out.push({ type: 'last_frame', url: wireImage('endImage', req.endImage) });
  }
  for (const e of req.elements ?? []) out.push({ type: 'element', element_id: e.elementId, id: e.alias });
  return out;
}

type ContentFields = Pick<VideoRequest, 'prompt' | 'startImage' | 'endImage' | 'elements'> & { video?: string };

/** contents[] -> prompt, frames, elements (and motion's image/video), with the problems of types this endpoint does not take. */
function decodeContents(contents: NewContent[], motion: boolean, problems: Problem[]): ContentFields {
  const out: ContentFields = {};
  const seen = new Set<string>();
  const elements: NonNullable<VideoRequest['elements']> = [];
  for (const c of contents) {
    if (seen.has(c.type) && c.type !== 'element')
      problems.push({ field: `contents[${c.type}]`, message: `more than one ${c.type}` });
    seen.add(c.type);
    if (c.type === 'prompt') out.prompt = c.text;
    else if (c.type === 'element') elements.push({ elementId: c.element_id, alias: c.id });
    else if ((c.type === 'image' || c.type === 'video') !== motion) {
      problems.push({
        field: `contents[${c.type}]`,
        message: motion
          ? `motion control takes prompt, image, video and element, not ${c.type}`
          : `${c.type} is motion control's (POST /motion-control/<model>); this endpoint takes first_frame and last_frame`,
      });
    } else if (c.type === 'first_frame' || c.type === 'image') out.startImage = c.url;
    else if (c.type === 'last_frame') out.endImage = c.url;
    else out.video = c.url;
  }
  if (elements.length) out.elements = elements;
  return out;
}

/** The contents' prompt read as a scene's shots where the model and settings say so. */
function splitContents(
  content: ContentFields,
  model: KlingModel,
  settings: NewContentsBody['settings'],
  problems: Problem[],
): Omit<ContentFields, 'video'> {
  const { prompt, video: _video, ...rest } = content;
  void _video;
  return { ...rest, ...decodePrompt(prompt, model, settings, problems) };
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
      settings: {
        resolution: req.resolution,
        duration: req.duration,
        ...audioSetting(req),
        ...multiShotSetting(req, 'new'),
      },
      ...newOptions(req),
    } satisfies NewContentsBody;
  },
  decode(raw, model) {
    const body = raw as NewContentsBody;
    const problems: Problem[] = [];
    const content = splitContents(decodeContents(body.contents, false, problems), model, body.settings, problems);
    const settings = decodeSettings(body.settings, model, 'image2video', problems);
    if (problems.length) return { ok: false, problems };
    return {
      ok: true,
      req: {
        kind: 'image2video',
        model,
        ...settings,
        ...content,
        externalTaskId: body.options?.external_task_id ?? 'none',
        ...callback(body.options),
      },
    };
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
    const aspect = req.startImage === undefined ? { aspect_ratio: req.aspectRatio ?? '16:9' } : {};
    return {
      contents: contentsOf(req),
      settings: {
        resolution: req.resolution,
        duration: req.duration,
        ...aspect,
        ...audioSetting(req),
        ...multiShotSetting(req, 'new'),
      },
      ...newOptions(req),
    } satisfies NewContentsBody;
  },
  decode(raw, model) {
    const body = raw as NewContentsBody;
    const problems: Problem[] = [];
    const content = splitContents(decodeContents(body.contents, false, problems), model, body.settings, problems);
    const kind: VideoKind =
      content.startImage !== undefined || content.endImage !== undefined ? 'image2video' : 'text2video';
    const settings = decodeSettings(body.settings, model, kind, problems);
    if (problems.length) return { ok: false, problems };
    return {
      ok: true,
      req: {
        kind,
        model,
        ...settings,
        ...content,
        externalTaskId: body.options?.external_task_id ?? 'none',
        ...callback(body.options),
      },
    };
  },
};

function legacyMode(req: VideoRequest): { mode: 'std' | 'pro' | '4k' } {
  return { mode: RESOLUTION_TO_MODE[req.resolution] };
}

/** Legacy common fields -> request fields. */
function decodeLegacy(
  b: LegacyText2VideoBody,
  model: KlingModel,
  problems: Problem[],
): Pick<
  VideoRequest,
  'resolution' | 'duration' | 'audio' | 'negativePrompt' | 'externalTaskId' | 'callbackUrl' | 'shots'
> {
  const caps = CAPABILITIES[model];
  const shotsOut: Pick<VideoRequest, 'shots'> = {};
  if (b.sound !== undefined && !(Array.isArray(caps.audio) && caps.audio.includes('native')))
    problems.push({ field: 'sound', message: `${caps.legacyName} has no sound setting` });
  if (b.multi_shot !== undefined && !caps.multiShot)
    problems.push({ field: 'multi_shot', message: `${caps.legacyName} has no multi_shot` });
  else if (caps.multiShot) Object.assign(shotsOut, decodeLegacyShots(b, problems));
  return {
    resolution: MODE_TO_RESOLUTION[b.mode ?? 'std'] as Resolution,
    duration: Number(b.duration ?? '5'),
    ...(b.sound !== undefined ? { audio: b.sound === 'on' ? ('native' as const) : ('off' as const) } : {}),
    ...(b.negative_prompt !== undefined ? { negativePrompt: b.negative_prompt } : {}),
    externalTaskId: b.external_task_id ?? 'none',
    ...(b.callback_url !== undefined ? { callbackUrl: b.callback_url } : {}),
    ...shotsOut,
  };
}

/** The legacy prompt of a request: none for a scene (multi_prompt carries the shots), elements as `<<<element_N>>>`. */
function legacyPrompt(req: VideoRequest): string | undefined {
  return req.shots ? undefined : legacyElementPrompt(req.prompt ?? '', req.elements);
}

/** A received legacy prompt: ignored with multi_shot (kling-api.md §10), `<<<element_N>>>` read back as `@element_N`. */
function decodeLegacyPrompt(prompt: string | undefined, shots: VideoRequest['shots']): Pick<VideoRequest, 'prompt'> {
  return prompt !== undefined && prompt !== '' && !shots ? { prompt: fromLegacyElementPrompt(prompt) } : {};
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
      ...(req.shots ? {} : { prompt: req.prompt ?? '' }),
      ...(req.negativePrompt ? { negative_prompt: req.negativePrompt } : {}),
      ...legacyMode(req),
      aspect_ratio: req.aspectRatio ?? '16:9',
      duration: String(req.duration) as LegacyText2VideoBody['duration'],
      ...legacySound(req),
      ...legacyMultiShot(req),
      ...legacyTail(req),
    } satisfies LegacyText2VideoBody;
  },
  decode(raw, model) {
    const b = raw as LegacyText2VideoBody;
    const problems: Problem[] = [];
    const common = decodeLegacy(b, model, problems);
    if (problems.length) return { ok: false, problems };
    return {
      ok: true,
      req: {
        kind: 'text2video',
        model,
        ...common,
        aspectRatio: b.aspect_ratio ?? '16:9',
        ...decodeLegacyPrompt(b.prompt, common.shots),
      },
    };
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
      ...(legacyPrompt(req) ? { prompt: legacyPrompt(req) } : {}),
      ...(req.negativePrompt ? { negative_prompt: req.negativePrompt } : {}),
      ...legacyElements(req),
      ...legacyMode(req),
      duration: String(req.duration) as LegacyImage2VideoBody['duration'],
      ...legacySound(req),
      ...legacyMultiShot(req),
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
      req: {
        kind: 'image2video',
        model,
        ...common,
        ...decodeLegacyPrompt(b.prompt, common.shots),
        ...(b.image !== undefined ? { startImage: b.image } : {}),
        ...(b.image_tail !== undefined ? { endImage: b.image_tail } : {}),
        ...decodeLegacyElements(b.element_list),
      },
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
      ...(req.startImage !== undefined
        ? [{ image_url: wireImage('startImage', req.startImage), type: 'first_frame' as const }]
        : []),
      ...(req.endImage !== undefined
        ? [{ image_url: wireImage('endImage', req.endImage), type: 'end_frame' as const }]
        : []),
    ];
    return {
      model_name: CAPABILITIES[req.model].legacyName as string,
      ...(req.shots ? {} : { prompt: legacyPrompt(req) ?? '' }),
      ...(images.length ? { image_list: images } : { aspect_ratio: req.aspectRatio ?? '16:9' }),
      ...legacyElements(req),
      ...legacyMode(req),
      duration: String(req.duration) as LegacyOmniBody['duration'],
      ...legacySound(req),
      ...legacyMultiShot(req),
      ...legacyTail(req),
    } satisfies LegacyOmniBody;
  },
  decode(raw, model) {
    const b = raw as LegacyOmniBody;
    const problems: Problem[] = [];
    const common = decodeLegacy(b, model, problems);
    const first = b.image_list?.filter((i) => i.type === 'first_frame') ?? [];
    const end = b.image_list?.filter((i) => i.type === 'end_frame') ?? [];
    if ((b.image_list ?? []).some((i) => i.type === undefined))
      problems.push({
        field: 'image_list',
        message: 'reference images (no type) are not part of this task; give first_frame or end_frame',
      });
    if (first.length > 1 || end.length > 1)
      problems.push({ field: 'image_list', message: 'at most one first_frame and one end_frame' });
    if (problems.length) return { ok: false, problems };
    const kind: VideoKind = first.length || end.length ? 'image2video' : 'text2video';
    return {
      ok: true,
      req: {
        kind,
        model,
        ...common,
        ...(kind === 'text2video' ? { aspectRatio: b.aspect_ratio ?? '16:9' } : {}),
        ...decodeLegacyPrompt(b.prompt, common.shots),
        ...(first[0] ? { startImage: first[0].image_url } : {}),
        ...(end[0] ? { endImage: end[0].image_url } : {}),
        ...decodeLegacyElements(b.element_list),
      },
    };
  },
};

/**
 * Motion control's reference length is unknown until the video is fetched: a decoded motion
 * request gets the longest its orientation allows (kling-api.md §5.6); the sandbox replaces it
 * with the probed length before pricing.
 */
export function motionMaxSeconds(orientation: 'image' | 'video'): number {
  return orientation === 'image' ? 10 : 30;
}

/** `settings.audio` of motion control: `original` keeps the reference's sound (the request's `native`), or `off`. */
function motionAudio(req: VideoRequest): 'original' | 'off' {
  return req.audio === 'off' ? 'off' : 'original';
}

const newMotionControl: EndpointDescriptor = {
  id: 'new:motion-control',
  standard: 'new',
  path: (model) => `/motion-control/${model}`,
  schema: NewContentsBody,
  names: { ...NEW_NAMES, startImage: 'contents[image]', resolution: 'settings.resolution' },
  price: (req) => unitsPerClip(req),
  build(req) {
    return {
      contents: contentsOf(req),
      settings: {
        resolution: req.resolution,
        character_orientation: req.motion?.orientation ?? 'image',
        audio: motionAudio(req),
      },
      ...newOptions(req),
    } satisfies NewContentsBody;
  },
  decode(raw, model) {
    const body = raw as NewContentsBody;
    const problems: Problem[] = [];
    const content = decodeContents(body.contents, true, problems);
    const s = body.settings;
    const settings = decodeSettings(s, model, 'motion', problems);
    if (s?.duration !== undefined)
      problems.push({
        field: 'settings.duration',
        message: 'motion control takes no duration: the output follows the reference video',
      });
    if (s?.aspect_ratio !== undefined)
      problems.push({
        field: 'settings.aspect_ratio',
        message: 'motion control takes no aspect ratio: the output follows the reference video',
      });
    if (s?.character_orientation === undefined)
      problems.push({
        field: 'settings.character_orientation',
        message: 'required: image (reference video at most 10 s) or video (at most 30 s)',
      });
    if (content.video === undefined)
      problems.push({
        field: 'contents[video]',
        message: 'motion control needs the reference video (type video, a URL)',
      });
    if (problems.length || content.video === undefined || s?.character_orientation === undefined)
      return { ok: false, problems };
    const orientation = s.character_orientation;
    const { video, ...rest } = content;
    return {
      ok: true,
      req: {
        kind: 'motion',
        model,
        resolution: settings.resolution,
        duration: motionMaxSeconds(orientation),
        audio: settings.audio ?? 'native',
        ...rest,
        motion: { video, orientation },
        externalTaskId: body.options?.external_task_id ?? 'none',
        ...callback(body.options),
      },
    };
  },
};

const legacyMotionControl: EndpointDescriptor = {
  id: 'legacy:motion-control',
  standard: 'legacy',
  path: () => '/v1/videos/motion-control',
  schema: LegacyMotionBody,
  names: {
    ...LEGACY_NAMES,
    startImage: 'image_url',
    audio: 'keep_original_sound',
    'motion.video': 'video_url',
    motion: 'video_url',
  },
  price: (req) => unitsPerClip(req),
  build(req) {
    return {
      model_name: CAPABILITIES[req.model].legacyName as string,
      ...(req.prompt ? { prompt: legacyElementPrompt(req.prompt, req.elements) } : {}),
      ...(req.startImage !== undefined ? { image_url: wireImage('startImage', req.startImage) } : {}),
      video_url: req.motion?.video ?? '',
      character_orientation: req.motion?.orientation ?? 'image',
      keep_original_sound: motionAudio(req) === 'original' ? 'yes' : 'no',
      ...legacyElements(req),
      mode: req.resolution === '1080p' ? 'pro' : 'std',
      ...legacyTail(req),
    } satisfies LegacyMotionBody;
  },
  decode(raw, model) {
    const b = raw as LegacyMotionBody;
    return {
      ok: true,
      req: {
        kind: 'motion',
        model,
        resolution: MODE_TO_RESOLUTION[b.mode] as Resolution,
        duration: motionMaxSeconds(b.character_orientation),
        audio: b.keep_original_sound === 'no' ? 'off' : 'native',
        ...(b.prompt !== undefined && b.prompt !== '' ? { prompt: fromLegacyElementPrompt(b.prompt) } : {}),
        ...(b.image_url !== undefined ? { startImage: b.image_url } : {}),
        motion: { video: b.video_url, orientation: b.character_orientation },
        ...decodeLegacyElements(b.element_list),
        externalTaskId: b.external_task_id ?? 'none',
        ...(b.callback_url !== undefined ? { callbackUrl: b.callback_url } : {}),
      },
    };
  },
};

export const ENDPOINTS: Readonly<Record<EndpointId, EndpointDescriptor>> = {
  'new:text-to-video': newTextToVideo,
  'new:image-to-video': newImageToVideo,
  'new:omni-video': newOmniVideo,
  'new:motion-control': newMotionControl,
  'legacy:text2video': legacyText2Video,
  'legacy:image2video': legacyImage2Video,
  'legacy:omni-video': legacyOmniVideo,
  'legacy:motion-control': legacyMotionControl,
};

/** The endpoint a (model, kind) is created on under a standard. */
export function endpointFor(standard: Standard, model: KlingModel, kind: VideoKind): EndpointDescriptor {
  return standard === 'new'
    ? ENDPOINTS[`new:${productOf(model, kind)}`]
    : ENDPOINTS[`legacy:${legacyFamilyOf(model, kind)}`];
}

/** Legacy query/list path of a (model, kind): `/v1/videos/<family>`. */
export function legacyTaskPath(model: KlingModel, kind: VideoKind): string {
  return `/v1/videos/${legacyFamilyOf(model, kind)}`;
}

/**
 * The body for a request whose images are already URLs or base64, on the given standard.
 * Throws a ShotlineError (code `validation`, every problem listed) for anything the table
 * forbids, so no invalid combination is ever sent.
 */
export function buildWireBody(
  req: VideoRequest,
  standard: Standard,
): { endpoint: EndpointDescriptor; path: string; body: WireBody } {
  const parsed = VideoRequest.parse(req);
  const problems = checkVideoRequest(parsed, { standard });
  if (problems.length)
    throw new ShotlineError({ code: 'validation', message: formatProblems(problems), where: problems[0]?.field });
  const endpoint = endpointFor(standard, parsed.model, parsed.kind);
  return { endpoint, path: endpoint.path(parsed.model), body: endpoint.build(parsed) };
}
