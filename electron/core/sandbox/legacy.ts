/**
 * The legacy `/v1` standard (kling-api.md §6): creates on `/v1/videos/<family>` with
 * `model_name` (default kling-v1, discontinued), query by task id or external id (unknown ->
 * 400/1201 "Task not found by id/external id"), pages (pageNum 1-1000, pageSize 1-500, newest
 * first), and `/account/costs` (double-wrapped, 1 call per second).
 */
import { createTask, type CreateOutcome } from './create';
import type { HandlerContext } from './handlers';
import { error, success, type Answer } from './http';
import { legacyModel } from './models';
import type { LegacyRouteFamily } from './routes';
import { legacyTaskView } from './views';

const DAY_MS = 86_400_000;

export async function createLegacy(
  ctx: HandlerContext,
  family: LegacyRouteFamily,
  body: unknown,
  accessKey: string,
): Promise<CreateOutcome> {
  const modelName =
    typeof body === 'object' && body !== null ? (body as Record<string, unknown>).model_name : undefined;
  const m = legacyModel(family, modelName, ctx.settings);
  if (!m.ok) return { answer: m.answer, task: null };
  const out = await createTask(ctx, { standard: 'legacy', endpoint: m.endpoint, model: m.model, body, accessKey });
  if (!out.task) return out;
  ctx.created(out.task);
  const t = out.task;
  return {
    task: t,
    answer: success({
      task_id: t.taskId,
      task_status: 'submitted',
      task_info: t.externalTaskId ? { external_task_id: t.externalTaskId } : {},
      created_at: t.createdAt,
      updated_at: t.createdAt,
    }),
  };
}

/** `GET /v1/videos/<family>/<task_id or external_task_id>`. */
export function queryLegacy(ctx: HandlerContext, family: LegacyRouteFamily, id: string, accessKey: string): Answer {
  const t = ctx.store.byId(accessKey, id) ?? ctx.store.byExternalId(accessKey, id);
  if (!t || t.family !== family) return error(1201, `Task not found by id/external id: ${id}`);
  return success(legacyTaskView(ctx, t));
}

/** `GET /v1/videos/<family>?pageNum&pageSize` (or `?external_task_id=`). */
export function listLegacy(ctx: HandlerContext, family: LegacyRouteFamily, url: URL, accessKey: string): Answer {
  const ext = url.searchParams.get('external_task_id');
  if (ext !== null) return queryLegacy(ctx, family, ext, accessKey);
  const pageNum = Number(url.searchParams.get('pageNum') ?? '1');
  const pageSize = Number(url.searchParams.get('pageSize') ?? '30');
  if (!Number.isInteger(pageNum) || pageNum < 1 || pageNum > 1000)
    return error(1201, 'pageNum: must be an integer from 1 to 1000');
  if (!Number.isInteger(pageSize) || pageSize < 1 || pageSize > 500)
    return error(1201, 'pageSize: must be an integer from 1 to 500');
  const mine = ctx.store
    .mine(accessKey)
    .filter((t) => t.family === family)
    .reverse();
  return success(mine.slice((pageNum - 1) * pageSize, pageNum * pageSize).map((t) => legacyTaskView(ctx, t)));
}

/** `GET /account/costs?start_time&end_time[&resource_pack_name]`: free, at most one call per interval. */
export function accountCosts(ctx: HandlerContext, url: URL, accessKey: string): Answer {
  const acc = ctx.store.account(accessKey);
  const start = Number(url.searchParams.get('start_time'));
  const end = Number(url.searchParams.get('end_time'));
  if (
    !url.searchParams.get('start_time') ||
    !url.searchParams.get('end_time') ||
    !Number.isInteger(start) ||
    !Number.isInteger(end) ||
    end < start
  ) {
    return error(1201, 'start_time and end_time are required, in milliseconds, with start_time <= end_time');
  }
  if (ctx.now() - acc.lastCosts < ctx.settings.costsMinIntervalMs)
    return error(1302, 'requests too fast: /account/costs allows 1 query per second');
  acc.lastCosts = ctx.now();
  const st = ctx.store.state(accessKey);
  const name = url.searchParams.get('resource_pack_name');
  const pack = {
    resource_pack_name: 'Sandbox video pack',
    resource_pack_id: `sandbox-${accessKey}`,
    resource_pack_type: 'decreasing_total',
    total_quantity: st.balance,
    remaining_quantity: Math.max(0, st.remaining),
    purchase_time: acc.packTime,
    effective_time: acc.packTime,
    invalid_time: acc.packTime + 365 * DAY_MS,
    status: st.remaining > 0 ? 'online' : 'runOut',
  };
  return success({
    code: 0,
    msg: 'success',
    resource_pack_subscribe_infos: name && name !== pack.resource_pack_name ? [] : [pack],
  });
}
