/**
 * Kling's element endpoints (kling-api.md §7): create, query by task id or external id, delete.
 * They live on the legacy surface as async tasks on both credential kinds (§4.2: the `/v1`
 * routes take API keys as `Bearer <key>` and AK/SK as a signed JWT; transport.ts decides), so
 * this speaks the legacy standard whatever the client's video standard is. Every request goes
 * through transport.send and so through the audit hook (electron/core/elements/audit.ts names
 * its purpose). A create refused with "External_task_id ... already exists" adopts the task.
 */
import { ElementCreateBody, toElementTask, WireElementTask, type ElementTask } from '../../../shared/elements/wire';
import { KlingError } from './errors';
import { isDuplicateExternalId, isNotFound, type Transport } from './transport';

export const ELEMENTS_PATH = '/v1/general/advanced-custom-elements';
export const DELETE_ELEMENT_PATH = '/v1/general/delete-advanced-elements';

export interface ElementApi {
  /** Creates the element task; a repeated external id adopts the task that landed earlier. */
  create(body: ElementCreateBody, signal?: AbortSignal): Promise<ElementTask>;
  /** By task id or external id; null when Kling has no such task. */
  get(id: string, signal?: AbortSignal): Promise<ElementTask | null>;
  /** Deletes at Kling; `not-found` when Kling no longer has it (already deleted, or never made). */
  delete(elementId: string, externalTaskId: string | null, signal?: AbortSignal): Promise<'deleted' | 'not-found'>;
}

function parse(t: Transport, data: unknown, what: string): ElementTask {
  const r = WireElementTask.safeParse(data);
  if (!r.success)
    throw KlingError.transport(
      'protocol',
      `${t.provider.label} sent an element task Shotline cannot read (${what}): ${r.error.issues[0]?.message ?? 'bad shape'}`,
    );
  return toElementTask(r.data);
}

export function createElementApi(t: Transport): ElementApi {
  const meta = (purpose: 'create' | 'query', externalTaskId: string | null) => ({
    purpose,
    standard: 'legacy' as const,
    ...(externalTaskId ? { externalTaskId } : {}),
  });
  const api: ElementApi = {
    async create(body, signal) {
      const b = ElementCreateBody.parse(body);
      try {
        const { data } = await t.send('POST', ELEMENTS_PATH, b, meta('create', b.external_task_id ?? null), signal);
        const task = parse(t, data, 'create');
        return { ...task, externalTaskId: task.externalTaskId ?? b.external_task_id ?? null };
      } catch (err) {
        if (!b.external_task_id || !isDuplicateExternalId(err)) throw err;
        const found = await api.get(b.external_task_id, signal);
        if (!found) throw err;
        t.log(`${b.external_task_id}: element task already exists at Kling as ${found.taskId}; adopted`);
        return found;
      }
    },
    async get(id, signal) {
      try {
        const { data } = await t.send(
          'GET',
          `${ELEMENTS_PATH}/${encodeURIComponent(id)}`,
          undefined,
          meta('query', /^\d+$/.test(id) ? null : id),
          signal,
        );
        return parse(t, data, 'query');
      } catch (err) {
        if (isNotFound(err)) return null;
        throw err;
      }
    },
    async delete(elementId, externalTaskId, signal) {
      try {
        // Kling's legacy surface takes the id as a number (kling-api.md §7).
        await t.send(
          'POST',
          DELETE_ELEMENT_PATH,
          { element_id: Number(elementId) },
          { ...meta('create', externalTaskId), elementId },
          signal,
        );
        return 'deleted';
      } catch (err) {
        if (err instanceof KlingError && err.code === 1201 && /element id not found/i.test(err.serverMessage ?? ''))
          return 'not-found';
        throw err;
      }
    },
  };
  return api;
}
