/**
 * The one Kling client, used with every provider (Kling, CometAPI, the sandbox). It speaks the
 * standard the credential decides (providers.ts standardFor): an API key speaks the path-based
 * standard (new-standard.ts) wherever the provider serves it, AK/SK the legacy `/v1`
 * (legacy.ts). Bodies are built only through buildWireBody (shared/kling/endpoints.ts), so the
 * capability matrix, including what a credential cannot reach (3.0 Turbo with AK/SK), is
 * enforced before anything is sent or paid. Transport, envelope and errors: transport.ts;
 * downloads: download.ts.
 *
 * Never pay twice: a create refused with 1201 "External_task_id ... already exists" means an
 * earlier create landed; the task is looked up by that external id and adopted. The engine
 * looks up by external id before any resubmit (findByExternalId). It does not retry business
 * errors (the scheduler decides).
 */
import type { Standard } from '../../../shared/kling/capabilities';
import { buildWireBody, type EndpointId } from '../../../shared/kling/endpoints';
import { standardFor, type ProviderSpec } from '../../../shared/kling/providers';
import type { VideoRequest } from '../../../shared/kling/request';
import { WireAccountCosts, type KlingTask, type WireBody } from '../../../shared/kling/wire';
import type { TokenSource } from './auth';
import { fetchResult } from './download';
import { createElementApi, type ElementApi } from './elements';
import { KlingError } from './errors';
import { resolveImages } from './images';
import { createLegacyStandard, familiesOf, legacyPathOf } from './legacy';
import { createNewStandard, type ListOptions, type TaskPage } from './new-standard';
import { createTransport, isDuplicateExternalId, type KlingClientOptions, type TaskRef } from './transport';

export { resolveBaseUrl } from './transport';
export type { KlingClientOptions, KlingPurpose, KlingRequestInfo, TaskRef } from './transport';
export type { ListOptions, TaskPage } from './new-standard';

export interface ResourcePack {
  name: string;
  id: string;
  type: string;
  total: number;
  remaining: number;
  status: string;
  effectiveTime: number | null;
  invalidTime: number | null;
}

export interface PreparedCreate {
  endpoint: EndpointId;
  path: string;
  body: WireBody;
}

/** Pages of `POST /tasks` a reconcile reads at most (500 tasks each) after GET /tasks missed. */
const RECONCILE_PAGES = 4;

export interface KlingClient {
  readonly provider: ProviderSpec;
  readonly region: string;
  readonly location: string;
  readonly baseUrl: string;
  readonly tokens: TokenSource;
  /** The standard this client speaks (the credential decided). */
  readonly standard: Standard;
  /** Loads local images (checked, raw base64) and builds path + body; throws on any matrix problem. */
  prepare(req: VideoRequest): Promise<PreparedCreate>;
  /** Creates the task; a 1201 "external id already exists" adopts the existing task. */
  createTask(req: VideoRequest, signal?: AbortSignal): Promise<KlingTask>;
  getTask(ref: TaskRef, taskId: string, signal?: AbortSignal): Promise<KlingTask>;
  /**
   * Several tasks in as few requests as the standard allows: new standard `GET /tasks` in groups
   * of at most 20 ids; legacy one list page per endpoint family. Tasks not answered are absent.
   */
  getTasks(
    items: ReadonlyArray<{ ref: TaskRef; taskId: string }>,
    signal?: AbortSignal,
  ): Promise<Map<string, KlingTask>>;
  /** null when Kling has no task with that external id (the submission never landed). */
  getTaskByExternalId(ref: TaskRef, externalTaskId: string, signal?: AbortSignal): Promise<KlingTask | null>;
  /** The reconcile look-up: by external id, then the recent task listing. */
  findByExternalId(ref: TaskRef, externalTaskId: string, signal?: AbortSignal): Promise<KlingTask | null>;
  /** Legacy: one page of the family's list. New: the first page of `POST /tasks` (pageSize = limit). */
  listTasks(ref: TaskRef, page?: { pageNum?: number; pageSize?: number }, signal?: AbortSignal): Promise<KlingTask[]>;
  /** New standard only: one cursor page of `POST /tasks`. */
  listRecent(opts?: ListOptions, signal?: AbortSignal): Promise<TaskPage>;
  accountCosts(
    range: { startTime: number; endTime: number; resourcePackName?: string },
    signal?: AbortSignal,
  ): Promise<ResourcePack[]>;
  /** Kling's element library (elements.ts): legacy routes, on either credential kind. */
  readonly elements: ElementApi;
  /** GET a result URL (download.ts). */
  fetchResult(url: string, opts?: { start?: number; signal?: AbortSignal }): Promise<Response>;
}

// long-function: one object literal of short methods closing over one transport (./transport.ts); each method is its endpoint's few lines, and splitting would pass the transport around instead.
export function createKlingClient(opts: KlingClientOptions): KlingClient {
  const t = createTransport(opts);
  const standard = standardFor(t.provider, opts.credentials.kind);
  const fresh = createNewStandard(t);
  const legacy = createLegacyStandard(t);

  const client: KlingClient = {
    provider: t.provider,
    region: t.region,
    location: t.location,
    baseUrl: t.baseUrl,
    tokens: t.tokens,
    standard,
    elements: createElementApi(t),

    async prepare(req) {
      const { endpoint, path, body } = buildWireBody(await resolveImages(req), standard);
      return { endpoint: endpoint.id, path, body };
    },

    async createTask(req, signal) {
      const { path, body } = await client.prepare(req);
      let task: KlingTask;
      try {
        task =
          standard === 'new'
            ? await fresh.create(req, path, body, signal)
            : await legacy.create(req, path, body, signal);
      } catch (err) {
        if (!isDuplicateExternalId(err)) throw err;
        // An earlier create with this external id landed (Kling makes no second task, charges
        // nothing): adopt it. Not found by the look-up either: the refusal stands.
        const found = await client.findByExternalId(req, req.externalTaskId, signal);
        if (!found) throw err;
        t.log(`${req.externalTaskId}: already exists at Kling as task ${found.taskId}; adopted`);
        return { ...found, externalTaskId: found.externalTaskId ?? req.externalTaskId };
      }
      return { ...task, externalTaskId: task.externalTaskId ?? req.externalTaskId };
    },

    getTask(ref, taskId, signal) {
      return standard === 'new' ? fresh.getTask(taskId, signal) : legacy.getTask(ref, taskId, signal);
    },

    async getTasks(items, signal) {
      const out = new Map<string, KlingTask>();
      if (items.length === 0) return out;
      if (standard === 'new') {
        for (const task of await fresh.getTasks(
          items.map((i) => i.taskId),
          signal,
        ))
          out.set(task.taskId, task);
        return out;
      }
      const wanted = new Set(items.map((i) => i.taskId));
      for (const [path, ref] of familiesOf(items.map((i) => i.ref))) {
        const n = items.filter((i) => legacyPathOf(i.ref) === path).length;
        for (const task of await legacy.listTasks(
          ref,
          { pageNum: 1, pageSize: Math.min(500, Math.max(50, n * 2)) },
          signal,
        )) {
          if (wanted.has(task.taskId)) out.set(task.taskId, task);
        }
      }
      return out;
    },

    getTaskByExternalId(ref, externalTaskId, signal) {
      return standard === 'new'
        ? fresh.getTaskByExternalId(externalTaskId, signal)
        : legacy.getTaskByExternalId(ref, externalTaskId, signal);
    },

    async findByExternalId(ref, externalTaskId, signal) {
      const one = await client.getTaskByExternalId(ref, externalTaskId, signal);
      if (one) return one;
      // A second look in the listing (some services index external ids late).
      if (standard === 'legacy') {
        return (
          (await legacy.listTasks(ref, { pageNum: 1, pageSize: 500 }, signal)).find(
            (x) => x.externalTaskId === externalTaskId,
          ) ?? null
        );
      }
      let cursor: string | undefined;
      for (let page = 0; page < RECONCILE_PAGES; page++) {
        const p = await fresh.list({ limit: 500, ...(cursor ? { cursor } : {}) }, signal);
        const hit = p.tasks.find((x) => x.externalTaskId === externalTaskId);
        if (hit) return hit;
        if (!p.hasMore || !p.nextCursor) break;
        cursor = p.nextCursor;
      }
      return null;
    },

    async listTasks(ref, page = {}, signal) {
      if (standard === 'legacy') return legacy.listTasks(ref, page, signal);
      return (await fresh.list({ limit: page.pageSize ?? 30 }, signal)).tasks;
    },

    async listRecent(o = {}, signal) {
      if (standard !== 'new') {
        throw new KlingError({
          kind: 'business',
          code: null,
          httpStatus: null,
          message:
            "POST /tasks is part of Kling's new API, which takes an API key; this client speaks the legacy API (AK/SK or a gateway): use listTasks",
          retryable: false,
          needsUser: false,
          category: 'params',
        });
      }
      return fresh.list(o, signal);
    },

    fetchResult(url, o = {}) {
      return fetchResult(t, standard, url, o);
    },

    async accountCosts(range, signal) {
      if (!t.provider.supportsAccountCosts) {
        throw new KlingError({
          kind: 'business',
          code: 1202,
          httpStatus: null,
          message: `${t.provider.label} does not offer /account/costs; check the balance on its own site`,
          retryable: false,
          needsUser: true,
          category: 'params',
        });
      }
      const q = new URLSearchParams({ start_time: String(range.startTime), end_time: String(range.endTime) });
      if (range.resourcePackName) q.set('resource_pack_name', range.resourcePackName);
      const { data } = await t.send(
        'GET',
        `/account/costs?${q.toString()}`,
        undefined,
        { purpose: 'account', standard: 'legacy' },
        signal,
      );
      const r = WireAccountCosts.safeParse(data);
      if (!r.success)
        throw KlingError.transport('protocol', `${t.provider.label} sent account costs Shotline cannot read`);
      if (r.data.code !== 0) throw KlingError.business(r.data.code, 200, r.data.msg ?? null, null);
      return r.data.resource_pack_subscribe_infos.map((p) => ({
        name: p.resource_pack_name,
        id: p.resource_pack_id,
        type: p.resource_pack_type,
        total: p.total_quantity,
        remaining: p.remaining_quantity,
        status: p.status,
        effectiveTime: p.effective_time ?? null,
        invalidTime: p.invalid_time ?? null,
      }));
    },
  };
  return client;
}
