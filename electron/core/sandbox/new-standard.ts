/**
 * The path-based standard (kling-api.md §5): `POST /<product>/<model>` creates, `GET /tasks`
 * by ids or external ids (at most 20 together, unknown ids left out, tasks of both standards
 * in this standard's shape), `POST /tasks` cursor listing (limit <= 500, status and
 * product_type filters, opaque next_cursor, has_more).
 */
import { z } from 'zod';

import { LIMITS } from '../../../shared/kling/capabilities';
import { createTask, type CreateOutcome } from './create';
import type { HandlerContext } from './handlers';
import { elementTasksFor } from './elements';
import { error, success, type Answer } from './http';
import { newStandardModel } from './models';
import type { NewRouteProduct } from './routes';
import type { SandboxTask } from './types';
import { newTaskView } from './views';

export async function createNew(
  ctx: HandlerContext,
  product: NewRouteProduct,
  pathModel: string,
  body: unknown,
  accessKey: string,
): Promise<CreateOutcome> {
  const m = newStandardModel(product, pathModel, ctx.settings);
  if (!m.ok) return { answer: m.answer, task: null };
  const out = await createTask(ctx, { standard: 'new', endpoint: m.endpoint, model: m.model, body, accessKey });
  if (!out.task) return out;
  ctx.created(out.task);
  const t = out.task;
  return {
    task: t,
    answer: success({
      id: t.taskId,
      status: 'submitted',
      create_time: t.createdAt,
      update_time: t.createdAt,
      external_id: t.externalTaskId ?? '',
    }),
  };
}

const idList = (v: string | null): string[] =>
  (v ?? '')
    .split(',')
    .map((s) => s.trim())
    .filter(Boolean);

/** `GET /tasks?task_ids=a,b` or `?external_task_ids=x,y`. */
export function getTasks(ctx: HandlerContext, url: URL, accessKey: string): Answer {
  const ids = idList(url.searchParams.get('task_ids'));
  const ext = idList(url.searchParams.get('external_task_ids'));
  if (ids.length && ext.length)
    return error(1201, 'task_ids and external_task_ids cannot be used together; query one kind of id per call');
  if (!ids.length && !ext.length) return error(1201, 'task_ids or external_task_ids is required (comma-separated)');
  if (ids.length + ext.length > LIMITS.tasksQueryMax) {
    return error(
      1201,
      `The number of task_ids and external_task_ids cannot exceed ${LIMITS.tasksQueryMax} in total (got ${ids.length + ext.length})`,
    );
  }
  const found = ids.length
    ? ids.map((id) => ctx.store.byId(accessKey, id))
    : ext.map((id) => ctx.store.byExternalId(accessKey, id));
  // Element tasks (created on the legacy surface) answer here too, in the new shape (elements.ts).
  const elements = ids.length
    ? elementTasksFor(ctx, accessKey, ids, false)
    : elementTasksFor(ctx, accessKey, ext, true);
  return success([
    ...found.filter((t): t is SandboxTask => t !== undefined).map((t) => newTaskView(ctx, t)),
    ...elements,
  ]);
}

const NEW_STATUSES = ['submitted', 'processing', 'succeeded', 'failed'] as const;
const PRODUCT_TYPES = ['video', 'image', 'try_on'] as const;
const timeValue = z.union([z.number().int(), z.string().regex(/^\d+$/, 'a time in milliseconds').transform(Number)]);

/** `POST /tasks` body (kling-api.md §5.9): times as numbers or strings [LIVE]. */
const TaskListBody = z.strictObject({
  start_time: timeValue.optional(),
  end_time: timeValue.optional(),
  cursor: z.string().min(1).optional(),
  limit: z.number().int().min(1).max(500).optional(),
  filters: z
    .array(
      z.discriminatedUnion('key', [
        z.strictObject({ key: z.literal('status'), values: z.array(z.enum(NEW_STATUSES)).min(1) }),
        z.strictObject({ key: z.literal('product_type'), values: z.array(z.enum(PRODUCT_TYPES)).min(1) }),
      ]),
    )
    .optional(),
});
type TaskListBody = z.infer<typeof TaskListBody>;

/** What a cursor carries: the window and filters of the first page, and the last task seen (newest first). */
const Cursor = z.strictObject({
  start: z.number(),
  end: z.number(),
  filters: z.array(z.strictObject({ key: z.string(), values: z.array(z.string()) })),
  after: z.strictObject({ time: z.number(), id: z.string() }),
});
type Cursor = z.infer<typeof Cursor>;

const encodeCursor = (c: Cursor): string => Buffer.from(JSON.stringify(c)).toString('base64url');
function decodeCursor(s: string): Cursor | null {
  try {
    const r = Cursor.safeParse(JSON.parse(Buffer.from(s, 'base64url').toString('utf8')));
    return r.success ? r.data : null;
  } catch {
    return null;
  }
}

const DAY_MS = 86_400_000;

/** Newest first; ties by id, so a keyset cursor is exact even when tasks share a millisecond. */
const newestFirst = (a: SandboxTask, b: SandboxTask): number =>
  b.createdAt - a.createdAt || (a.taskId < b.taskId ? 1 : a.taskId > b.taskId ? -1 : 0);
const olderThan = (t: SandboxTask, k: Cursor['after']): boolean =>
  t.createdAt < k.time || (t.createdAt === k.time && t.taskId < k.id);

/** `POST /tasks`: this account's tasks in a window, newest first, page by page. */
export function listTasks(ctx: HandlerContext, raw: unknown, accessKey: string): Answer {
  const parsed = TaskListBody.safeParse(raw ?? {});
  if (!parsed.success)
    return error(1201, parsed.error.issues.map((i) => `${i.path.join('.') || '(body)'}: ${i.message}`).join('; '));
  const body: TaskListBody = parsed.data;
  let window: { start: number; end: number; filters: Cursor['filters'] };
  let after: Cursor['after'] | null = null;
  if (body.cursor !== undefined) {
    const c = decodeCursor(body.cursor);
    if (!c) return error(1201, 'cursor: not a cursor this API gave (pass next_cursor unchanged)');
    window = { start: c.start, end: c.end, filters: c.filters };
    after = c.after;
  } else {
    const end = body.end_time ?? ctx.now();
    const start = body.start_time ?? end - 30 * DAY_MS;
    if (start > end) return error(1201, 'start_time: must not be after end_time');
    window = { start, end, filters: body.filters ?? [] };
  }
  const limit = body.limit ?? 100;
  const statusOk = (t: SandboxTask): boolean => {
    const f = window.filters.find((x) => x.key === 'status');
    if (!f) return true;
    const s = ctx.store.statusOf(t);
    return f.values.includes(s === 'succeed' ? 'succeeded' : s);
  };
  const productOk = (): boolean => {
    const f = window.filters.find((x) => x.key === 'product_type');
    return !f || f.values.includes('video');
  };
  const all = ctx.store
    .mine(accessKey)
    .filter((t) => t.createdAt >= window.start && t.createdAt <= window.end && statusOk(t) && productOk())
    .sort(newestFirst)
    .filter((t) => after === null || olderThan(t, after));
  const page = all.slice(0, limit);
  const last = page.at(-1);
  const hasMore = all.length > page.length;
  return success({
    result: page.map((t) => newTaskView(ctx, t)),
    count: page.length,
    next_cursor: hasMore && last ? encodeCursor({ ...window, after: { time: last.createdAt, id: last.taskId } }) : '',
    has_more: hasMore,
  });
}
