/**
 * Strict validation of create bodies, the way section 10 of kling-api.md asks: unknown
 * model -> 1203; anything else wrong -> 1201 with a message naming the wire field. The
 * capability matrix is the shared one (shared/kling), applied to what arrived on the wire.
 */
import {
  checkImage,
  checkMotionBrushImages,
  imageInfo,
  isModel,
  isRawBase64,
  looksLikeUrl,
  type ImageInfo,
  type VideoKind,
} from '../../../shared/kling';
import { CAPABILITIES } from '../../../shared/kling/capabilities';
import { checkVideoRequest, formatProblems, type VideoRequest } from '../../../shared/kling/request';
import { Image2VideoBody, Text2VideoBody, VideoExtendBody, type WireBody } from '../../../shared/kling/wire';

export type Rejection = { code: number; httpStatus: number; message: string };
export type Accepted = { req: VideoRequest; body: WireBody; images: { image: ImageInfo | null } };

const reject = (code: number, httpStatus: number, message: string): Rejection => ({ code, httpStatus, message });

function isObject(x: unknown): x is Record<string, unknown> {
  return typeof x === 'object' && x !== null && !Array.isArray(x);
}

/** Checks one image field value: URL, or raw base64 of a PNG/JPEG within the limits. */
function checkWireImage(field: string, value: string, checkAspect: boolean): { problem: string | null; info: ImageInfo | null } {
  if (looksLikeUrl(value)) return { problem: null, info: null };
  if (value.startsWith('data:') || !isRawBase64(value)) return { problem: `${field}: File is not in a valid base64 format`, info: null };
  const bytes = Buffer.from(value, 'base64');
  const info = imageInfo(bytes);
  const problems = checkImage(field, bytes.length, info, { checkAspect });
  return { problem: problems.length ? problems.join('; ') : null, info };
}

export function validateCreate(kind: VideoKind, raw: unknown): Rejection | Accepted {
  if (!isObject(raw)) return reject(1200, 400, 'invalid request parameters: the body must be a JSON object');
  if (raw.model_name !== undefined && !isModel(raw.model_name)) {
    return reject(1203, 404, `model_name: model ${JSON.stringify(raw.model_name)} does not exist`);
  }
  if (kind === 'image2video') {
    for (const f of ['image', 'image_tail', 'static_mask'] as const) {
      const v = raw[f];
      if (typeof v === 'string' && v.startsWith('data:')) return reject(1201, 400, `${f}: File is not in a valid base64 format`);
    }
    if ((raw.image === undefined || raw.image === '') && (raw.image_tail === undefined || raw.image_tail === '')) {
      return reject(1201, 400, 'image can not be null');
    }
  }
  const schema = kind === 'text2video' ? Text2VideoBody : kind === 'image2video' ? Image2VideoBody : VideoExtendBody;
  const parsed = schema.safeParse(raw);
  if (!parsed.success) {
    const msg = parsed.error.issues
      .map((i) => {
        if (i.code === 'unrecognized_keys') return `unknown field ${i.keys.join(', ')} (not part of ${kind}, or not simulated)`;
        return `${i.path.join('.') || '(body)'}: ${i.message}`;
      })
      .join('; ');
    return reject(1201, 400, msg);
  }
  const body = parsed.data;
  if (kind === 'video-extend') {
    const b = body as VideoExtendBody;
    const req: VideoRequest = {
      kind,
      model: 'kling-v1',
      mode: 'std',
      duration: 5,
      videoId: b.video_id,
      externalTaskId: b.external_task_id ?? 'sandbox',
      ...(b.prompt !== undefined ? { prompt: b.prompt } : {}),
      ...(b.negative_prompt !== undefined ? { negativePrompt: b.negative_prompt } : {}),
      ...(b.cfg_scale !== undefined ? { cfgScale: b.cfg_scale } : {}),
      ...(b.callback_url !== undefined ? { callbackUrl: b.callback_url } : {}),
      ...(b.watermark_info !== undefined ? { watermark: b.watermark_info.enabled } : {}),
    };
    // Model, mode and the source check happen in the server, which knows the source video.
    const problems = checkVideoRequest(req, { names: 'wire' }).filter((p) => p.field !== 'model_name');
    return problems.length ? reject(1201, 400, formatProblems(problems)) : { req, body, images: { image: null } };
  }

  const b = body as Text2VideoBody & Image2VideoBody;
  const model = b.model_name ?? 'kling-v1';
  if (CAPABILITIES[model].modeless && b.mode !== undefined) {
    return reject(1201, 400, `mode: ${model} does not take a mode; leave it out`);
  }
  const req: VideoRequest = {
    kind,
    model,
    mode: b.mode ?? 'std',
    duration: Number(b.duration ?? '5'),
    externalTaskId: b.external_task_id ?? 'sandbox',
    ...(b.aspect_ratio !== undefined ? { aspectRatio: b.aspect_ratio } : {}),
    ...(b.prompt !== undefined ? { prompt: b.prompt } : {}),
    ...(b.negative_prompt !== undefined ? { negativePrompt: b.negative_prompt } : {}),
    ...(b.cfg_scale !== undefined ? { cfgScale: b.cfg_scale } : {}),
    ...(b.camera_control !== undefined ? { camera: b.camera_control } : {}),
    ...(b.image !== undefined ? { startImage: { base64: b.image } } : {}),
    ...(b.image_tail !== undefined ? { endImage: { base64: b.image_tail } } : {}),
    ...(b.static_mask !== undefined ? { staticMask: { base64: b.static_mask } } : {}),
    ...(b.dynamic_masks !== undefined ? { dynamicMasks: b.dynamic_masks.map((m) => ({ mask: { base64: m.mask }, trajectories: m.trajectories })) } : {}),
    ...(b.callback_url !== undefined ? { callbackUrl: b.callback_url } : {}),
    ...(b.watermark_info !== undefined ? { watermark: b.watermark_info.enabled } : {}),
  };
  const problems = checkVideoRequest(req, { names: 'wire' });
  if (problems.length) return reject(1201, 400, formatProblems(problems));

  let image: ImageInfo | null = null;
  if (kind === 'image2video') {
    const issues: string[] = [];
    if (b.image !== undefined) {
      const r = checkWireImage('image', b.image, true);
      if (r.problem) issues.push(r.problem);
      image = r.info;
    }
    if (b.image_tail !== undefined) {
      const r = checkWireImage('image_tail', b.image_tail, false);
      if (r.problem) issues.push(r.problem);
    }
    const masks: Array<{ field: string; info: ImageInfo | null }> = [];
    if (b.static_mask !== undefined) {
      const r = checkWireImage('static_mask', b.static_mask, true);
      if (r.problem) issues.push(r.problem);
      masks.push({ field: 'static_mask', info: r.info });
    }
    (b.dynamic_masks ?? []).forEach((m, i) => {
      const r = checkWireImage(`dynamic_masks[${i}].mask`, m.mask, true);
      if (r.problem) issues.push(r.problem);
      masks.push({ field: `dynamic_masks[${i}].mask`, info: r.info });
    });
    // Kling fails such tasks later; the sandbox refuses them at once (stricter, same outcome).
    issues.push(...checkMotionBrushImages(image, masks));
    if (issues.length) return reject(1201, 400, issues.join('; '));
  }
  return { req, body, images: { image } };
}
