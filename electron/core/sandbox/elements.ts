/**
 * Elements in the sandbox (kling-api.md §7, §20 "Resources"): `POST /v1/general/advanced-custom-elements`
 * makes an async legacy task (submitted -> succeed after `elementMs` on the sandbox clock, 0 units)
 * whose result carries a numeric element_id; the task is queried by task id or external id, listed
 * with pageNum/pageSize, and `POST /v1/general/delete-advanced-elements {element_id}` deletes the
 * element. `TaskStore.hasElement` is what a video create checks element ids against (unknown ->
 * 1201 "Element id not found: ..."). Elements live in the state file beside the tasks (persist.ts).
 */
import { createHash } from 'node:crypto';

import { ElementCreateBody } from '../../../shared/elements/wire';
import { checkImage, imageInfo, isRawBase64, looksLikeUrl } from '../../../shared/kling/images';
import { BAD_BASE64 } from './create';
import type { HandlerContext } from './handlers';
import { error, success, type Answer } from './http';

export interface SandboxElement {
  elementId: string;
  taskId: string;
  accessKey: string;
  externalTaskId: string | null;
  name: string;
  description: string;
  referenceType: 'image_refer' | 'video_refer';
  /** URLs as sent, base64 images as `sha256:<hex>` (the state file keeps no image data). */
  references: Array<{ type: 'image' | 'video'; role: 'frontal' | 'refer'; url: string }>;
  tags: string[];
  createdAt: number;
  doneAt: number;
  deletedAt: number | null;
}

/** Status of the element's task: submitted for the first fifth of its time, then processing, then succeed. */
function statusOf(e: SandboxElement, now: number): 'submitted' | 'processing' | 'succeed' {
  if (now >= e.doneAt) return 'succeed';
  return now < e.createdAt + (e.doneAt - e.createdAt) / 5 ? 'submitted' : 'processing';
}

/** One image of the body: a URL (not fetched) or raw base64 of a PNG/JPEG within Kling's limits. */
function checkElementImage(field: string, value: string): string | null {
  if (looksLikeUrl(value)) return null;
  if (value.startsWith('data:') || !isRawBase64(value)) return `${field}: ${BAD_BASE64}`;
  const bytes = Buffer.from(value, 'base64');
  const problems = checkImage(field, bytes.length, imageInfo(bytes), { checkAspect: true });
  return problems.length ? problems.join('; ') : null;
}

const reference = (value: string): string =>
  looksLikeUrl(value) ? value : `sha256:${createHash('sha256').update(value).digest('hex')}`;

function problemsOf(body: ElementCreateBody): string[] {
  const out: string[] = [];
  if (body.reference_type === 'image_refer') {
    const list = body.element_image_list;
    if (!list)
      return ['element_image_list is required when reference_type is image_refer (frontal_image and 1-3 refer_images)'];
    if (body.element_video_list) out.push('element_video_list: not allowed with reference_type image_refer');
    const frontal = checkElementImage('element_image_list.frontal_image', list.frontal_image);
    if (frontal) out.push(frontal);
    list.refer_images.forEach((r, i) => {
      const p = checkElementImage(`element_image_list.refer_images[${i}].image_url`, r.image_url);
      if (p) out.push(p);
    });
  } else {
    const v = body.element_video_list?.refer_videos[0]?.video_url;
    if (!v)
      return ['element_video_list is required when reference_type is video_refer (exactly one mp4/mov URL, 3-8 s)'];
    if (body.element_image_list) out.push('element_image_list: not allowed with reference_type video_refer');
    if (!looksLikeUrl(v)) out.push('element_video_list.refer_videos[0].video_url: video is taken by URL only');
    else if (!/\.(mp4|mov)$/i.test(new URL(v).pathname))
      out.push('element_video_list.refer_videos[0].video_url: must be an .mp4 or .mov file');
  }
  return out;
}

function byExternalId(ctx: HandlerContext, accessKey: string, ext: string): SandboxElement | undefined {
  return ctx.store.elements.find((e) => e.accessKey === accessKey && e.externalTaskId === ext);
}

export function createElement(ctx: HandlerContext, body: unknown, accessKey: string): Answer {
  if (typeof body === 'object' && body !== null) {
    const b = body as Record<string, unknown>;
    const list = b.element_image_list as
      { frontal_image?: unknown; refer_images?: Array<{ image_url?: unknown }> } | undefined;
    const values = [
      list?.frontal_image,
      ...(Array.isArray(list?.refer_images) ? list.refer_images.map((r) => r?.image_url) : []),
    ];
    if (values.some((v) => typeof v === 'string' && v.startsWith('data:'))) return error(1201, BAD_BASE64);
  }
  const parsed = ElementCreateBody.safeParse(body);
  if (!parsed.success) {
    return error(
      1201,
      parsed.error.issues
        .map((i) =>
          i.code === 'unrecognized_keys'
            ? `${i.keys.join(', ')}: unknown field`
            : `${i.path.join('.') || '(body)'}: ${i.message}`,
        )
        .join('; '),
    );
  }
  const b = parsed.data;
  const problems = problemsOf(b);
  if (problems.length) return error(1201, problems.join('; '));
  const ext = b.external_task_id ?? null;
  if (ext !== null && (ctx.store.byExternalId(accessKey, ext) || byExternalId(ctx, accessKey, ext)))
    return error(1201, `External_task_id ${ext} already exists`);
  const now = ctx.now();
  const taskId = ctx.store.newTaskId();
  const refs: SandboxElement['references'] =
    b.reference_type === 'image_refer' && b.element_image_list
      ? [
          { type: 'image', role: 'frontal', url: reference(b.element_image_list.frontal_image) },
          ...b.element_image_list.refer_images.map((r) => ({
            type: 'image' as const,
            role: 'refer' as const,
            url: reference(r.image_url),
          })),
        ]
      : (b.element_video_list?.refer_videos ?? []).map((v) => ({
          type: 'video' as const,
          role: 'refer' as const,
          url: v.video_url,
        }));
  const el: SandboxElement = {
    // Kling's element ids are numbers of 15 digits (321922438904313 [LIVE]).
    elementId: `3${taskId.slice(-14)}`,
    taskId,
    accessKey,
    externalTaskId: ext,
    name: b.element_name,
    description: b.element_description,
    referenceType: b.reference_type,
    references: refs,
    tags: (b.tag_list ?? []).map((t) => t.tag_id),
    createdAt: now,
    doneAt: now + ctx.settings.elementMs,
    deletedAt: null,
  };
  ctx.store.elements.push(el);
  ctx.saved();
  return success({
    task_id: taskId,
    task_status: 'submitted',
    task_info: ext ? { external_task_id: ext } : {},
    created_at: now,
    updated_at: now,
  });
}

/** The legacy task record of an element task (kling-api.md §7 query). */
export function elementTaskView(ctx: HandlerContext, e: SandboxElement): Record<string, unknown> {
  const now = ctx.now();
  const status = statusOf(e, now);
  const done = status === 'succeed';
  return {
    task_id: e.taskId,
    task_status: status,
    task_status_msg: '',
    task_info: e.externalTaskId ? { external_task_id: e.externalTaskId } : {},
    task_result: {
      elements: done
        ? [
            {
              element_id: Number(e.elementId),
              element_name: e.name,
              element_description: e.description,
              reference_type: e.referenceType,
              ...(e.referenceType === 'image_refer'
                ? {
                    element_image_list: {
                      frontal_image: e.references.find((r) => r.role === 'frontal')?.url ?? '',
                      refer_images: e.references.filter((r) => r.role === 'refer').map((r) => ({ image_url: r.url })),
                    },
                  }
                : { element_video_list: { refer_videos: e.references.map((r) => ({ video_url: r.url })) } }),
              tag_list: e.tags.map((t) => ({ tag_id: t })),
              owned_by: e.accessKey,
              status: e.deletedAt !== null ? 'deleted' : 'succeed',
            },
          ]
        : [],
    },
    // Elements cost nothing (kling-api.md §7: 0 units [LIVE]).
    final_unit_deduction: '0',
    created_at: e.createdAt,
    updated_at: done ? (e.deletedAt ?? e.doneAt) : e.createdAt,
  };
}

/** The element task in the new standard's shape (kling-api.md §5.8: `GET /tasks` returns legacy-created element tasks too, with an `element` output). */
export function elementNewView(ctx: HandlerContext, e: SandboxElement): Record<string, unknown> {
  const status = statusOf(e, ctx.now());
  const done = status === 'succeed';
  return {
    id: e.taskId,
    status: done ? 'succeeded' : status,
    message: '',
    create_time: e.createdAt,
    update_time: done ? (e.deletedAt ?? e.doneAt) : e.createdAt,
    external_id: e.externalTaskId ?? '',
    outputs: done
      ? [
          {
            type: 'element',
            id: e.elementId,
            name: e.name,
            description: e.description,
            element_type: e.referenceType === 'image_refer' ? 'multi_image_elements' : 'video_character_elements',
            references: e.references.map((r) => ({ type: r.type, role: r.role, url: r.url })),
            owned_by: e.accessKey,
            status: e.deletedAt !== null ? 'deleted' : 'succeeded',
            tags: e.tags.map((t) => ({ id: t, name: t, description: '' })),
          },
        ]
      : [],
    billing: [],
  };
}

/** Element tasks among the ids of a `GET /tasks` (by task id or by external id). */
export function elementTasksFor(
  ctx: HandlerContext,
  accessKey: string,
  ids: readonly string[],
  byExternal: boolean,
): Array<Record<string, unknown>> {
  return ids
    .map((id) =>
      ctx.store.elements.find(
        (e) => e.accessKey === accessKey && (byExternal ? e.externalTaskId === id : e.taskId === id),
      ),
    )
    .filter((e): e is SandboxElement => e !== undefined)
    .map((e) => elementNewView(ctx, e));
}

/** `GET /v1/general/advanced-custom-elements/{task_id or external_task_id}`. */
export function queryElement(ctx: HandlerContext, id: string, accessKey: string): Answer {
  const e =
    ctx.store.elements.find((x) => x.accessKey === accessKey && x.taskId === id) ?? byExternalId(ctx, accessKey, id);
  if (!e) return error(1201, `Task not found by id/external id: ${id}`);
  return success(elementTaskView(ctx, e));
}

/** `GET /v1/general/advanced-custom-elements?pageNum&pageSize` (or `?external_task_id=`), newest first. */
export function listElements(ctx: HandlerContext, url: URL, accessKey: string): Answer {
  const ext = url.searchParams.get('external_task_id');
  if (ext !== null) return queryElement(ctx, ext, accessKey);
  const pageNum = Number(url.searchParams.get('pageNum') ?? '1');
  const pageSize = Number(url.searchParams.get('pageSize') ?? '30');
  if (!Number.isInteger(pageNum) || pageNum < 1 || pageNum > 1000)
    return error(1201, 'pageNum: must be an integer from 1 to 1000');
  if (!Number.isInteger(pageSize) || pageSize < 1 || pageSize > 500)
    return error(1201, 'pageSize: must be an integer from 1 to 500');
  const mine = ctx.store.elements.filter((e) => e.accessKey === accessKey).reverse();
  return success(mine.slice((pageNum - 1) * pageSize, pageNum * pageSize).map((e) => elementTaskView(ctx, e)));
}

/** `POST /v1/general/delete-advanced-elements {element_id}`: custom elements only; a deleted one is not found again. */
export function deleteElement(ctx: HandlerContext, body: unknown, accessKey: string): Answer {
  const raw = typeof body === 'object' && body !== null ? (body as Record<string, unknown>).element_id : undefined;
  if ((typeof raw !== 'string' && typeof raw !== 'number') || !/^\d+$/.test(String(raw)))
    return error(1201, 'element_id is required (the number Kling gave the element)');
  const id = String(raw);
  const e = ctx.store.elements.find(
    (x) =>
      x.accessKey === accessKey && x.elementId === id && x.deletedAt === null && statusOf(x, ctx.now()) === 'succeed',
  );
  if (!e) return error(1201, `Element id not found: ${id}`);
  e.deletedAt = ctx.now();
  ctx.saved();
  return success({ task_id: ctx.store.newTaskId(), task_status: 'succeed' });
}
