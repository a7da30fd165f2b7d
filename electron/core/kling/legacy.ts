/**
 * Kling's legacy `/v1` standard (kling-api.md §6), the only one AK/SK tokens reach (and the one
 * gateways such as CometAPI expose): create on `/v1/videos/<family>` with `model_name` in the
 * body, query by task id or external id on the same family's path, list with pageNum/pageSize.
 * The family comes from the model (legacyTaskPath): omni models live on `omni-video`, so the
 * caller always passes the model, not only the kind.
 */
import { lookupModel } from '../../../shared/kling/capabilities';
import { legacyTaskPath } from '../../../shared/kling/endpoints';
import type { VideoRequest } from '../../../shared/kling/request';
import { toKlingTask, WireTask, type KlingTask, type WireBody } from '../../../shared/kling/wire';
import { KlingError } from './errors';
import { isNotFound, type TaskRef, type Transport } from './transport';

/** `/v1/videos/<family>` of a task; a name that is no longer live (an old data dir) uses the kind's own family. */
export function legacyPathOf(ref: TaskRef): string {
  const m = lookupModel(ref.model);
  return m.ok ? legacyTaskPath(m.model, ref.kind) : `/v1/videos/${ref.kind === 'motion' ? 'motion-control' : ref.kind}`;
}

function parseLegacy(t: Transport, data: unknown, what: string): KlingTask {
  const r = WireTask.safeParse(data);
  if (!r.success)
    throw KlingError.transport(
      'protocol',
      `${t.provider.label} sent a task Shotline cannot read (${what}): ${r.error.issues[0]?.message ?? 'bad shape'}`,
    );
  return toKlingTask(r.data);
}

export function createLegacyStandard(t: Transport) {
  const meta = (purpose: 'create' | 'query' | 'list', ref: TaskRef, externalTaskId?: string) => {
    const m = lookupModel(ref.model);
    return {
      purpose,
      standard: 'legacy' as const,
      kind: ref.kind,
      ...(m.ok ? { model: m.model } : {}),
      ...(externalTaskId ? { externalTaskId } : {}),
    };
  };

  return {
    async create(req: VideoRequest, path: string, body: WireBody, signal?: AbortSignal): Promise<KlingTask> {
      const m = {
        ...meta('create', req, req.externalTaskId),
        ...(req.motion ? { referenceUrl: req.motion.video } : {}),
      };
      const { data } = await t.send('POST', path, body, m, signal);
      return parseLegacy(t, data, 'create');
    },

    async getTask(ref: TaskRef, taskId: string, signal?: AbortSignal): Promise<KlingTask> {
      const { data } = await t.send(
        'GET',
        `${legacyPathOf(ref)}/${encodeURIComponent(taskId)}`,
        undefined,
        meta('query', ref),
        signal,
      );
      return parseLegacy(t, data, 'query');
    },

    /**
     * null when Kling has no task with that external id. The docs put the external id in the
     * path; some clients use `?external_task_id=` on the list path: the path first, then the
     * query string (which a server may answer with a list).
     */
    async getTaskByExternalId(ref: TaskRef, externalTaskId: string, signal?: AbortSignal): Promise<KlingTask | null> {
      const base = legacyPathOf(ref);
      const m = meta('query', ref, externalTaskId);
      try {
        const { data } = await t.send('GET', `${base}/${encodeURIComponent(externalTaskId)}`, undefined, m, signal);
        const task = parseLegacy(t, data, 'query');
        // A task found under that path segment is ours only if it carries the external id (or says none).
        if (task.externalTaskId === externalTaskId || task.externalTaskId === null) return { ...task, externalTaskId };
      } catch (err) {
        if (!isNotFound(err)) throw err;
      }
      try {
        const { data } = await t.send(
          'GET',
          `${base}?external_task_id=${encodeURIComponent(externalTaskId)}`,
          undefined,
          m,
          signal,
        );
        const list = Array.isArray(data) ? data : data ? [data] : [];
        return list.map((d) => parseLegacy(t, d, 'query')).find((x) => x.externalTaskId === externalTaskId) ?? null;
      } catch (err) {
        if (isNotFound(err)) return null;
        throw err;
      }
    },

    async listTasks(
      ref: TaskRef,
      page: { pageNum?: number; pageSize?: number } = {},
      signal?: AbortSignal,
    ): Promise<KlingTask[]> {
      const q = `pageNum=${page.pageNum ?? 1}&pageSize=${page.pageSize ?? 30}`;
      const { data } = await t.send('GET', `${legacyPathOf(ref)}?${q}`, undefined, meta('list', ref), signal);
      if (!Array.isArray(data))
        throw KlingError.transport(
          'protocol',
          `${t.provider.label} answered the task list with something other than a list`,
        );
      return data.map((d) => parseLegacy(t, d, 'list'));
    },
  };
}

export type LegacyStandard = ReturnType<typeof createLegacyStandard>;

/** The legacy families a set of refs spans (one list request each). */
export function familiesOf(refs: readonly TaskRef[]): Map<string, TaskRef> {
  const out = new Map<string, TaskRef>();
  for (const r of refs) if (!out.has(legacyPathOf(r))) out.set(legacyPathOf(r), r);
  return out;
}
