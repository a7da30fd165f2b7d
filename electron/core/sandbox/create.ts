/**
 * One create, on either standard, through the endpoint's descriptor (shared/kling/endpoints.ts):
 * the body's schema, then `decode` back into a VideoRequest, then the very check the client runs
 * (checkVideoRequest, problems named with the descriptor's wire names), then the images, then
 * the account: a reused external id (1201, no task, no charge), the balance (1102) and the
 * running tasks per model (1303). Anything refused leaves no task and costs nothing.
 */
import { randomBytes } from 'node:crypto';

import {
  hasAudio,
  legacyFamilyOf,
  outputFormat,
  type AspectRatio,
  type KlingModel,
  type Standard,
  type VideoKind,
} from '../../../shared/kling/capabilities';
import type { EndpointDescriptor } from '../../../shared/kling/endpoints';
import { checkImage, imageInfo, isRawBase64, looksLikeUrl, type ImageInfo } from '../../../shared/kling/images';
import { checkVideoRequest, formatProblems, type ImageSource, type VideoRequest } from '../../../shared/kling/request';
import type { ZodError } from 'zod';
import { error, success, type Answer } from './http';
import { probeReference, type ReferenceVideo } from './motion';
import { withoutImages } from './persist';
import type { TaskStore } from './store';
import type { SandboxSettings, SandboxTask } from './types';

export const RISK_CONTROL_MESSAGE = 'Failure to pass the risk control system';
export const BAD_BASE64 = 'File is not in a valid base64 format';

export interface CreateContext {
  store: TaskStore;
  settings: SandboxSettings;
  now: () => number;
}

export interface CreateInput {
  standard: Standard;
  endpoint: EndpointDescriptor;
  model: KlingModel;
  body: unknown;
  accessKey: string;
}

export type CreateOutcome = { answer: Answer; task: SandboxTask | null };

function isObject(x: unknown): x is Record<string, unknown> {
  return typeof x === 'object' && x !== null && !Array.isArray(x);
}

/** Image fields of a body, by wire name (before the schema: a `data:` prefix is Kling's own 1201). */
function wireImages(body: Record<string, unknown>): Array<{ field: string; value: unknown }> {
  const out: Array<{ field: string; value: unknown }> = [];
  if (Array.isArray(body.contents)) {
    for (const c of body.contents as unknown[])
      if (isObject(c) && (c.type === 'first_frame' || c.type === 'last_frame'))
        out.push({ field: `contents[${c.type}]`, value: c.url });
  }
  for (const f of ['image', 'image_tail'] as const) if (f in body) out.push({ field: f, value: body[f] });
  if (Array.isArray(body.image_list)) {
    for (const i of body.image_list as unknown[])
      if (isObject(i))
        out.push({ field: `image_list[${typeof i.type === 'string' ? i.type : 'reference'}]`, value: i.image_url });
  }
  return out;
}

function schemaMessage(err: ZodError, endpoint: EndpointDescriptor, model: KlingModel): string {
  return err.issues
    .map((i) => {
      const at = i.path.length ? `${i.path.join('.')}.` : '';
      if (i.code === 'unrecognized_keys') {
        return i.keys
          .map(
            (k) =>
              `${at}${k}: unknown field; ${endpoint.standard === 'new' ? "Kling's new standard has no such field" : `not part of ${endpoint.path(model)}`}`,
          )
          .join('; ');
      }
      return `${i.path.join('.') || '(body)'}: ${i.message}`;
    })
    .join('; ');
}

/** Drops the keys the schema does not know (option `unknownFields: 'ignore'`). */
function dropUnknown(body: Record<string, unknown>, err: ZodError): Record<string, unknown> {
  const copy = structuredClone(body);
  for (const i of err.issues) {
    if (i.code !== 'unrecognized_keys') continue;
    let at: unknown = copy;
    for (const p of i.path)
      at = isObject(at) || Array.isArray(at) ? (at as Record<PropertyKey, unknown>)[p] : undefined;
    if (isObject(at)) for (const k of i.keys) delete at[k];
  }
  return copy;
}

/** Checks one image value: URL (not fetched), or raw base64 of a PNG/JPEG within Kling's limits. */
function checkWireImage(
  field: string,
  src: ImageSource | undefined,
  checkAspect: boolean,
): { problem: string | null; info: ImageInfo | null } {
  if (src === undefined) return { problem: null, info: null };
  const value = typeof src === 'string' ? src : src.base64;
  if (looksLikeUrl(value)) return { problem: null, info: null };
  if (value.startsWith('data:') || !isRawBase64(value)) return { problem: `${field}: ${BAD_BASE64}`, info: null };
  const bytes = Buffer.from(value, 'base64');
  const info = imageInfo(bytes);
  const problems = checkImage(field, bytes.length, info, { checkAspect });
  return { problem: problems.length ? problems.join('; ') : null, info };
}

function nearestAspect(w: number, h: number): AspectRatio {
  const r = w / h;
  if (r > 1.2) return '16:9';
  if (r < 1 / 1.2) return '9:16';
  return '1:1';
}

export async function createTask(ctx: CreateContext, input: CreateInput): Promise<CreateOutcome> {
  const refuse = (answer: Answer): CreateOutcome => ({ answer, task: null });
  const { endpoint, model, standard, accessKey } = input;
  if (!isObject(input.body)) return refuse(error(1200, 'invalid request parameters: the body must be a JSON object'));
  let body = input.body;

  for (const img of wireImages(body)) {
    if (typeof img.value === 'string' && img.value.startsWith('data:'))
      return refuse(error(1201, `${img.field}: ${BAD_BASE64}`));
  }
  if (endpoint.id === 'legacy:image2video' && (body.image === undefined || body.image === ''))
    return refuse(error(1201, 'image can not be null'));

  let parsed = endpoint.schema.safeParse(body);
  if (!parsed.success && ctx.settings.unknownFields === 'ignore') {
    body = dropUnknown(body, parsed.error);
    parsed = endpoint.schema.safeParse(body);
  }
  if (!parsed.success) return refuse(error(1201, schemaMessage(parsed.error, endpoint, model)));

  const decoded = endpoint.decode(parsed.data, model);
  if (!decoded.ok) return refuse(error(1201, formatProblems(decoded.problems)));
  const req: VideoRequest = decoded.req;
  const problems = checkVideoRequest(req, { standard, names: endpoint.names });
  if (problems.length) return refuse(error(1201, formatProblems(problems)));

  const start = checkWireImage(endpoint.names.startImage ?? 'startImage', req.startImage, true);
  const end = checkWireImage(endpoint.names.endImage ?? 'endImage', req.endImage, false);
  const imageProblems = [start.problem, end.problem].filter((p): p is string => p !== null);
  if (imageProblems.length) return refuse(error(1201, imageProblems.join('; ')));

  // Elements must exist for this account (sandbox/elements.ts); O1 takes multi-image ones only (kling-api.md §5.5, §7).
  for (const e of req.elements ?? []) {
    if (!ctx.store.hasElement(accessKey, e.elementId))
      return refuse(error(1201, `Element id not found: ${e.elementId}`));
    const made = ctx.store.elements.find((x) => x.accessKey === accessKey && x.elementId === e.elementId);
    if (model === 'kling-o1' && made?.referenceType === 'video_refer')
      return refuse(
        error(
          1201,
          `${endpoint.names.elements ?? 'elements'}: kling-o1 takes multi-image elements only; element ${e.elementId} is a video element`,
        ),
      );
  }
  if (model === 'kling-3.0-omni' && req.elements?.length) {
    const kindOf = (id: string): string | undefined =>
      ctx.store.elements.find((x) => x.accessKey === accessKey && x.elementId === id)?.referenceType;
    const video = req.elements.filter((e) => kindOf(e.elementId) === 'video_refer').length;
    const images = req.elements.length - video;
    // 3.0 Omni's count matrix without refer images or a reference video (kling-api.md §5.5).
    if (video > 3 || (video > 0 && images > 4)) {
      return refuse(
        error(
          1201,
          `${endpoint.names.elements ?? 'elements'}: ${video} video-character and ${images} multi-image elements; kling-3.0-omni takes at most 3 video-character elements, and at most 4 multi-image elements alongside them`,
        ),
      );
    }
  }

  // Motion control: the output follows the reference video (kling-api.md §5.6), fetched and probed here.
  let reference: ReferenceVideo | null = null;
  if (req.kind === 'motion' && req.motion) {
    const probed = await probeReference(
      req.motion.video,
      req.motion.orientation,
      endpoint.names['motion.video'] ?? 'video',
    );
    if (!probed.ok) return refuse(error(1201, probed.message));
    reference = probed.ref;
    // Billed on the output's seconds, rounded (kling-api.md §12.1).
    req.duration = Math.max(1, Math.round(reference.durationSec));
  }

  const text = (req.prompt ?? '').toLowerCase() + ' ' + (req.negativePrompt ?? '').toLowerCase();
  if (ctx.settings.rejectedWords.some((w) => w && text.includes(w.toLowerCase()))) {
    return refuse(error(1301, 'content-safety policy triggered: the prompt contains a blocked term'));
  }

  const externalTaskId = externalIdOf(body);
  if (externalTaskId !== null && ctx.store.byExternalId(accessKey, externalTaskId)) {
    return refuse(error(1201, `External_task_id ${externalTaskId} already exists`));
  }
  const units = endpoint.price(req);
  if (ctx.store.state(accessKey).remaining < units) return refuse(error(1102));
  if (ctx.store.running(accessKey, model) >= ctx.store.concurrencyOf(accessKey)) return refuse(error(1303));

  // A scene (new-standard `shot n, m, words;` or legacy multi_prompt) gets one MP4 with hard cuts (kling-api.md §10).
  const shots = req.shots ? req.shots.map((x) => x.duration) : null;
  const task = newTask(ctx, {
    standard,
    model,
    req,
    units,
    accessKey,
    externalTaskId,
    frame: start.info,
    watermark: watermarkOf(body),
    shots,
    reference,
  });
  ctx.store.add(task);
  return { answer: success(null), task };
}

/** `options.external_task_id` (new) or `external_task_id` (legacy); an empty string is none. */
export function externalIdOf(body: unknown): string | null {
  if (!isObject(body)) return null;
  const opts = isObject(body.options) ? body.options : {};
  const v = opts.external_task_id ?? body.external_task_id;
  return typeof v === 'string' && v !== '' ? v : null;
}

/** `options.watermark_info.enabled` (new) or `watermark_info.enabled` (legacy). */
function watermarkOf(body: Record<string, unknown>): boolean {
  const holder = isObject(body.options) ? body.options : body;
  return isObject(holder.watermark_info) && holder.watermark_info.enabled === true;
}

function newTask(
  ctx: CreateContext,
  t: {
    standard: Standard;
    model: KlingModel;
    req: VideoRequest;
    units: number;
    accessKey: string;
    externalTaskId: string | null;
    frame: ImageInfo | null;
    watermark: boolean;
    shots: number[] | null;
    reference: ReferenceVideo | null;
  },
): SandboxTask {
  const { req, model } = t;
  const kind: VideoKind = req.kind;
  const created = ctx.now();
  const taskId = ctx.store.newTaskId();
  const variants = ctx.settings.clipVariants;
  // Image to video follows the first frame (kling-api.md §3); a URL frame is not fetched: 16:9.
  // Motion control follows the reference video's orientation and length, and keeps its sound (audio original).
  const ref = t.reference;
  const aspect = ref
    ? nearestAspect(ref.width, ref.height)
    : kind === 'image2video'
      ? t.frame
        ? nearestAspect(t.frame.width, t.frame.height)
        : '16:9'
      : (req.aspectRatio ?? '16:9');
  const f = outputFormat(model, req.resolution, aspect);
  const sound = ref ? req.audio !== 'off' && ref.hasAudio : hasAudio(model, req.audio);
  const durationSec = ref ? ref.durationSec : Math.round((req.duration + ctx.settings.extraSec) * 1000) / 1000;
  const text = `${req.prompt ?? ''} ${req.negativePrompt ?? ''}`.toLowerCase();
  const blocked = ctx.settings.blockedWords.some((w) => w && text.includes(w.toLowerCase()));
  const { timing } = ctx.settings;
  return {
    taskId,
    standard: t.standard,
    kind,
    family: legacyFamilyOf(model, kind),
    model,
    resolution: req.resolution,
    audio: req.audio ?? null,
    sound,
    accessKey: t.accessKey,
    externalTaskId: t.externalTaskId,
    req: withoutImages(req),
    units: t.units,
    createdAt: created,
    processingAt: created + timing.submittedMs,
    doneAt: created + timing.submittedMs + timing.processingMs,
    outcome: blocked ? 'failed' : 'succeed',
    failMessage: blocked ? RISK_CONTROL_MESSAGE : null,
    video: {
      id: `${taskId}-v1`,
      token: randomBytes(16).toString('hex'),
      durationSec,
      // A multi-shot prompt (multi-shot.ts) gets one MP4 with hard cuts at the declared shots (§10).
      clip: {
        width: f.width,
        height: f.height,
        fps: f.fps,
        durationSec,
        variant: Number(BigInt(taskId) % BigInt(variants)),
        variants,
        audio: sound,
        ...(t.shots ? { shots: t.shots } : {}),
        ...(ref && sound && req.motion ? { audioFrom: req.motion.video } : {}),
      },
    },
    callbackUrl: req.callbackUrl ?? null,
    watermark: t.watermark,
  };
}
