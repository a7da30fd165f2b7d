/**
 * Kling's path-based standard (kling-api.md §5), spoken with an API key: `POST /<product>/<model>`
 * to create (path and body from the endpoint descriptor, shared/kling/endpoints.ts),
 * `GET /tasks?task_ids=` / `?external_task_ids=` (at most LIMITS.tasksQueryMax ids a call,
 * unknown ids simply absent) to query, and `POST /tasks` (cursor pages) to list. Task records
 * have no model or product field; the caller knows them.
 */
import { LIMITS } from '../../../shared/kling/capabilities';
import {
  newTaskToKlingTask,
  WireNewTask,
  WireTaskPage,
  type KlingTask,
  type WireBody,
} from '../../../shared/kling/wire';
import type { VideoRequest } from '../../../shared/kling/request';
import { KlingError } from './errors';
import type { Transport } from './transport';

export interface TaskPage {
  tasks: KlingTask[];
  nextCursor: string | null;
  hasMore: boolean;
}

export interface ListOptions {
  /** Unix ms; Kling's default window is the last 30 days. */
  startTime?: number;
  endTime?: number;
  cursor?: string;
  /** 1-500, default 100. */
  limit?: number;
}

function parseNew(t: Transport, data: unknown, what: string): KlingTask {
  const r = WireNewTask.safeParse(data);
  if (!r.success)
    throw KlingError.transport(
      'protocol',
      `${t.provider.label} sent a task Shotline cannot read (${what}): ${r.error.issues[0]?.message ?? 'bad shape'}`,
    );
  return newTaskToKlingTask(r.data);
}

/** Splits ids into groups Kling accepts in one `GET /tasks` (21 ids are refused with 1201). */
export function groupsOf<T>(items: readonly T[], size = LIMITS.tasksQueryMax): T[][] {
  const out: T[][] = [];
  for (let i = 0; i < items.length; i += size) out.push(items.slice(i, i + size));
  return out;
}

export function createNewStandard(t: Transport) {
  async function query(
    param: 'task_ids' | 'external_task_ids',
    ids: readonly string[],
    signal?: AbortSignal,
    externalTaskId?: string,
  ): Promise<KlingTask[]> {
    const out: KlingTask[] = [];
    for (const group of groupsOf([...new Set(ids)])) {
      const q = `${param}=${group.map(encodeURIComponent).join(',')}`;
      const { data } = await t.send(
        'GET',
        `/tasks?${q}`,
        undefined,
        { purpose: 'query', standard: 'new', ...(externalTaskId ? { externalTaskId } : {}) },
        signal,
      );
      if (!Array.isArray(data))
        throw KlingError.transport(
          'protocol',
          `${t.provider.label} answered GET /tasks with something other than a list`,
        );
      for (const d of data) out.push(parseNew(t, d, 'query'));
    }
    return out;
  }

  return {
    async create(req: VideoRequest, path: string, body: WireBody, signal?: AbortSignal): Promise<KlingTask> {
      const { data } = await t.send(
        'POST',
        path,
        body,
        {
          purpose: 'create',
          standard: 'new',
          kind: req.kind,
          model: req.model,
          externalTaskId: req.externalTaskId,
          ...(req.motion ? { referenceUrl: req.motion.video } : {}),
        },
        signal,
      );
      return parseNew(t, data, 'create');
    },

    /** Tasks by id, in groups of at most 20; ids Kling does not know are absent. */
    getTasks(taskIds: readonly string[], signal?: AbortSignal): Promise<KlingTask[]> {
      return query('task_ids', taskIds, signal);
    },

    async getTask(taskId: string, signal?: AbortSignal): Promise<KlingTask> {
      const found = (await query('task_ids', [taskId], signal)).find((x) => x.taskId === taskId);
      if (found) return found;
      // GET /tasks answers an unknown id with an empty list, not an error: say it as legacy does.
      throw KlingError.business(
        1201,
        200,
        `Task not found by id: ${taskId} (GET /tasks did not return it)`,
        null,
        'taskId',
      );
    },

    async getTaskByExternalId(externalTaskId: string, signal?: AbortSignal): Promise<KlingTask | null> {
      const tasks = await query('external_task_ids', [externalTaskId], signal, externalTaskId);
      return tasks.find((x) => x.externalTaskId === externalTaskId) ?? null;
    },

    /** One page of `POST /tasks` (newest window first; `cursor` overrides the times). */
    async list(o: ListOptions = {}, signal?: AbortSignal): Promise<TaskPage> {
      const body = o.cursor
        ? { cursor: o.cursor, ...(o.limit ? { limit: o.limit } : {}) }
        : {
            ...(o.startTime !== undefined ? { start_time: o.startTime } : {}),
            ...(o.endTime !== undefined ? { end_time: o.endTime } : {}),
            limit: Math.min(500, Math.max(1, o.limit ?? 100)),
            filters: [{ key: 'product_type', values: ['video'] }],
          };
      const { data } = await t.send('POST', '/tasks', body, { purpose: 'list', standard: 'new' }, signal);
      const r = WireTaskPage.safeParse(data);
      if (!r.success)
        throw KlingError.transport(
          'protocol',
          `${t.provider.label} answered POST /tasks with a page Shotline cannot read`,
        );
      return {
        tasks: r.data.result.map((d) => parseNew(t, d, 'list')),
        nextCursor: r.data.next_cursor ?? null,
        hasMore: r.data.has_more ?? false,
      };
    },
  };
}

export type NewStandard = ReturnType<typeof createNewStandard>;
