/**
 * The one HTTP client for Kling's legacy video API, used with every provider (Kling,
 * CometAPI, the sandbox). It builds wire bodies only through buildWireBody (so the
 * capability matrix is enforced before anything is sent), checks `code` on every answer
 * (HTTP 200 with code != 0 is an error), maps failures to KlingError, and calls `onRequest`
 * before every outgoing request so the privacy audit log sees each one.
 *
 * It does not retry business errors (the scheduler decides); it only re-signs once after
 * 1003/1004, learning the server's clock from its `Date` header.
 */
import { createHash } from 'node:crypto';

import { PROVIDERS, type ProviderId, type ProviderSpec } from '../../../shared/kling/providers';
import { buildWireBody, KIND_PATH, type VideoRequest } from '../../../shared/kling/request';
import { checkSafeUrl } from '../../../shared/kling/images';
import type { VideoKind } from '../../../shared/kling/capabilities';
import {
  toKlingTask,
  WireAccountCosts,
  WireEnvelope,
  WireTask,
  type KlingTask,
  type WireBody,
} from '../../../shared/kling/wire';
import { ShotlineError } from '../../../shared/result';
import { createTokenSource, type KlingCredentials, type TokenSource } from './auth';
import { KlingError } from './errors';
import { resolveImages } from './images';
import { redactAuthorization } from './redact';

export type KlingPurpose = 'create' | 'query' | 'list' | 'account' | 'download';

/** What the audit log records about each outgoing request (never the body, never a key). */
export interface KlingRequestInfo {
  method: 'GET' | 'POST';
  url: string;
  host: string;
  provider: ProviderId;
  region: string;
  /** Human description of where the data goes. */
  location: string;
  purpose: KlingPurpose;
  kind?: VideoKind;
  externalTaskId?: string;
  /** sha256 hex of the request body ('' for GETs). */
  bodySha256: string;
  at: number;
}

export interface KlingClientOptions {
  provider: ProviderId;
  /** Region id of the provider (kling: singapore | beijing | global-legacy). */
  region?: string;
  /** Overrides the region's URL; required for the sandbox. https, or http on loopback only. */
  baseUrl?: string;
  credentials: KlingCredentials;
  /** Per request; default 30 s. */
  timeoutMs?: number;
  fetch?: typeof fetch;
  onRequest?: (info: KlingRequestInfo) => void;
  /** One redacted line per request. */
  log?: (line: string) => void;
  now?: () => number;
}

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

export interface KlingClient {
  readonly provider: ProviderSpec;
  readonly region: string;
  readonly location: string;
  readonly baseUrl: string;
  readonly tokens: TokenSource;
  /** Loads local images (checked, raw base64) and builds the wire body; throws on any matrix problem. */
  prepare(req: VideoRequest): Promise<WireBody>;
  createTask(req: VideoRequest, signal?: AbortSignal): Promise<KlingTask>;
  getTask(kind: VideoKind, taskId: string, signal?: AbortSignal): Promise<KlingTask>;
  /** null when Kling has no task with that external id (the submission never landed). */
  getTaskByExternalId(kind: VideoKind, externalTaskId: string, signal?: AbortSignal): Promise<KlingTask | null>;
  listTasks(kind: VideoKind, page?: { pageNum?: number; pageSize?: number }, signal?: AbortSignal): Promise<KlingTask[]>;
  accountCosts(range: { startTime: number; endTime: number; resourcePackName?: string }, signal?: AbortSignal): Promise<ResourcePack[]>;
  /**
   * GET a result URL (no auth header: Kling's CDN links are anti-leech, not authenticated),
   * from byte `start` when resuming. Reports it to onRequest like every other request.
   * Resolves with the 200/206 Response (read its body as a stream); a 403/404 is a KlingError
   * of kind `expired` (query the task again); the timeout covers the wait for headers only.
   */
  fetchResult(url: string, opts?: { start?: number; signal?: AbortSignal }): Promise<Response>;
}

export function resolveBaseUrl(provider: ProviderSpec, region: string | undefined, override: string | undefined): { baseUrl: string; region: string; location: string } {
  const reg = provider.regions.find((r) => r.id === (region ?? provider.defaultRegion));
  if (!reg) {
    throw new ShotlineError({
      code: 'validation',
      message: `region "${region}" is unknown for ${provider.id}; use ${provider.regions.map((r) => r.id).join(', ')}`,
      where: 'region',
    });
  }
  const raw = override ?? reg.baseUrl;
  if (!raw) throw new ShotlineError({ code: 'validation', message: `${provider.id} needs a base URL (start a sandbox and pass its url)`, where: 'baseUrl' });
  const bad = checkSafeUrl('baseUrl', raw);
  if (bad) throw new ShotlineError({ code: 'validation', message: bad, where: 'baseUrl' });
  // A custom URL on a real provider (a proxy, a test double) is named in the audit trail.
  const location = override && reg.baseUrl ? `${reg.location} via ${new URL(raw).host}` : reg.location;
  return { baseUrl: raw.replace(/\/+$/, ''), region: reg.id, location };
}

const sha256 = (s: string): string => createHash('sha256').update(s).digest('hex');

export function createKlingClient(opts: KlingClientOptions): KlingClient {
  const provider = PROVIDERS[opts.provider];
  if (!provider.auth.includes(opts.credentials.kind)) {
    throw new ShotlineError({
      code: 'validation',
      message: `${provider.label} takes ${provider.auth.join(' or ')} credentials, not ${opts.credentials.kind}`,
      where: 'credentials',
    });
  }
  const { baseUrl, region, location } = resolveBaseUrl(provider, opts.region, opts.baseUrl);
  const now = opts.now ?? Date.now;
  const doFetch = opts.fetch ?? globalThis.fetch;
  const timeoutMs = opts.timeoutMs ?? 30_000;
  const tokens = createTokenSource(opts.credentials, { now });
  const host = new URL(baseUrl).host;

  async function send(
    method: 'GET' | 'POST',
    path: string,
    body: unknown,
    meta: { purpose: KlingPurpose; kind?: VideoKind; externalTaskId?: string; where?: string },
    signal?: AbortSignal,
  ): Promise<{ data: unknown; requestId: string | null }> {
    const url = `${baseUrl}${provider.pathPrefix}${path}`;
    const text = body === undefined ? '' : JSON.stringify(body);
    let resent = false;
    for (let attempt = 0; ; attempt++) {
      const authorization = tokens.authorization();
      opts.onRequest?.({
        method,
        url,
        host,
        provider: provider.id,
        region,
        location,
        purpose: meta.purpose,
        ...(meta.kind ? { kind: meta.kind } : {}),
        ...(meta.externalTaskId ? { externalTaskId: meta.externalTaskId } : {}),
        bodySha256: sha256(text),
        at: now(),
      });
      const started = performance.now();
      const timeout = AbortSignal.timeout(timeoutMs);
      let res: Response;
      let raw: string;
      try {
        res = await doFetch(url, {
          method,
          headers: { Authorization: authorization, 'Content-Type': 'application/json', Accept: 'application/json' },
          ...(method === 'POST' ? { body: text } : {}),
          signal: signal ? AbortSignal.any([signal, timeout]) : timeout,
        });
        raw = await res.text();
      } catch (err) {
        const ms = Math.round(performance.now() - started);
        if (signal?.aborted) throw err;
        const timedOut = timeout.aborted || (err instanceof Error && err.name === 'TimeoutError');
        opts.log?.(`${method} ${url} auth=${redactAuthorization(authorization)} -> ${timedOut ? 'timeout' : 'network error'} ${ms}ms`);
        if (timedOut) throw KlingError.transport('timeout', `${provider.label} did not answer ${method} ${path} within ${timeoutMs} ms; it will be retried`, null, meta.where);
        // A GET that died on a stale keep-alive connection is safe to send once more at once;
        // a POST is not (the task may exist): the queue reconciles it by external_task_id.
        if (method === 'GET' && !resent) {
          resent = true;
          attempt--;
          continue;
        }
        const cause = err instanceof Error ? ((err.cause as Error | undefined)?.message ?? err.message) : String(err);
        throw KlingError.transport('network', `could not reach ${host} (${cause}); check the network, it will be retried`, null, meta.where);
      }
      const ms = Math.round(performance.now() - started);
      let env: WireEnvelope | null = null;
      try {
        env = WireEnvelope.parse(JSON.parse(raw));
      } catch {
        env = null;
      }
      opts.log?.(`${method} ${url} auth=${redactAuthorization(authorization)} -> ${res.status} code=${env?.code ?? '-'} ${ms}ms`);
      if (!env) {
        throw KlingError.transport(
          'protocol',
          `${provider.label} answered ${method} ${path} with HTTP ${res.status} and no Kling JSON envelope; it will be retried`,
          res.status,
          meta.where,
        );
      }
      if (env.code !== 0) {
        // One re-sign after nbf/exp trouble, on the server's clock when it tells us its time.
        if ((env.code === 1003 || env.code === 1004) && attempt === 0 && opts.credentials.kind === 'aksk') {
          const date = Date.parse(res.headers.get('date') ?? '');
          if (Number.isFinite(date)) tokens.setClockOffsetMs(date - now());
          else tokens.invalidate();
          continue;
        }
        throw KlingError.business(env.code, res.status, env.message ?? null, env.request_id ?? null, meta.where);
      }
      if (!res.ok) {
        throw KlingError.transport('protocol', `${provider.label} answered HTTP ${res.status} with code 0 to ${method} ${path}`, res.status, meta.where);
      }
      return { data: env.data, requestId: env.request_id ?? null };
    }
  }

  function parseTask(data: unknown, what: string): KlingTask {
    const r = WireTask.safeParse(data);
    if (!r.success) {
      throw KlingError.transport('protocol', `${provider.label} sent a task Shotline cannot read (${what}): ${r.error.issues[0]?.message ?? 'bad shape'}`);
    }
    return toKlingTask(r.data);
  }

  const videosPath = (kind: VideoKind): string => `/v1/videos/${KIND_PATH[kind]}`;

  const client: KlingClient = {
    provider,
    region,
    location,
    baseUrl,
    tokens,

    async prepare(req) {
      return buildWireBody(await resolveImages(req));
    },

    async createTask(req, signal) {
      const body = await client.prepare(req);
      const { data } = await send('POST', videosPath(req.kind), body, { purpose: 'create', kind: req.kind, externalTaskId: req.externalTaskId }, signal);
      const task = parseTask(data, 'create');
      return { ...task, externalTaskId: task.externalTaskId ?? req.externalTaskId };
    },

    async getTask(kind, taskId, signal) {
      const { data } = await send('GET', `${videosPath(kind)}/${encodeURIComponent(taskId)}`, undefined, { purpose: 'query', kind }, signal);
      return parseTask(data, 'query');
    },

    async getTaskByExternalId(kind, externalTaskId, signal) {
      // The docs allow the external id in place of the task id; community clients use a
      // query string on the list path. Try the query string, then the path; 1203 = none.
      const matches = (t: KlingTask): boolean => t.externalTaskId === null || t.externalTaskId === externalTaskId;
      const meta = { purpose: 'query' as const, kind, externalTaskId };
      try {
        const { data } = await send('GET', `${videosPath(kind)}?external_task_id=${encodeURIComponent(externalTaskId)}`, undefined, meta, signal);
        if (Array.isArray(data)) {
          const found = data.map((d) => parseTask(d, 'query')).find((t) => t.externalTaskId === externalTaskId);
          if (found) return found;
        } else if (data) {
          const t = parseTask(data, 'query');
          if (matches(t)) return { ...t, externalTaskId };
        }
      } catch (err) {
        if (!(err instanceof KlingError && err.code === 1203)) throw err;
      }
      try {
        const { data } = await send('GET', `${videosPath(kind)}/${encodeURIComponent(externalTaskId)}`, undefined, meta, signal);
        const t = parseTask(data, 'query');
        return matches(t) ? { ...t, externalTaskId } : null;
      } catch (err) {
        if (err instanceof KlingError && err.code === 1203) return null;
        throw err;
      }
    },

    async listTasks(kind, page = {}, signal) {
      const q = `pageNum=${page.pageNum ?? 1}&pageSize=${page.pageSize ?? 30}`;
      const { data } = await send('GET', `${videosPath(kind)}?${q}`, undefined, { purpose: 'list', kind }, signal);
      if (!Array.isArray(data)) throw KlingError.transport('protocol', `${provider.label} answered the task list with something other than a list`);
      return data.map((d) => parseTask(d, 'list'));
    },

    async fetchResult(url, o = {}) {
      // Every hop, the first and each redirect, must pass the https/loopback rule and is
      // written to the audit log with the host actually reached (issue 16.2).
      let hopUrl = url;
      let target!: URL;
      let res: Response | null = null;
      for (let hop = 0; ; hop++) {
        const bad = checkSafeUrl(hop === 0 ? 'url' : 'redirect', hopUrl);
        if (bad) throw new ShotlineError({ code: 'validation', message: hop === 0 ? bad : `the result link redirected to an unsafe place (${bad}); nothing was downloaded`, where: 'url' });
        target = new URL(hopUrl);
        opts.onRequest?.({
          method: 'GET',
          url: `${target.origin}${target.pathname}`,
          host: target.host,
          provider: provider.id,
          region,
          location,
          purpose: 'download',
          bodySha256: sha256(''),
          at: now(),
        });
        res = null;
        for (let tries = 0; !res; tries++) {
          const headersTimeout = new AbortController();
          const timer = setTimeout(() => headersTimeout.abort(new DOMException('no answer', 'TimeoutError')), timeoutMs);
          try {
            res = await doFetch(hopUrl, {
              headers: o.start ? { Range: `bytes=${o.start}-` } : {},
              redirect: 'manual',
              signal: o.signal ? AbortSignal.any([o.signal, headersTimeout.signal]) : headersTimeout.signal,
            });
          } catch (err) {
            if (o.signal?.aborted) throw err;
            if (headersTimeout.signal.aborted) throw KlingError.transport('timeout', `${target.host} did not start sending the video within ${timeoutMs} ms; it will be retried`);
            if (tries > 0) {
              const cause = err instanceof Error ? ((err.cause as Error | undefined)?.message ?? err.message) : String(err);
              throw KlingError.transport('network', `could not download from ${target.host} (${cause}); it will be retried`);
            }
            // Once more at once: a stale keep-alive connection is the usual cause.
          } finally {
            clearTimeout(timer);
          }
        }
        const next = res.status >= 300 && res.status < 400 ? res.headers.get('location') : null;
        if (!next) break;
        await res.body?.cancel();
        if (hop >= 5) throw KlingError.transport('protocol', `the result link redirected more than 5 times (last ${target.host}); it will be retried`, res.status);
        hopUrl = new URL(next, hopUrl).href;
      }
      opts.log?.(`GET ${target.origin}${target.pathname} (result${o.start ? ` from byte ${o.start}` : ''}) -> ${res.status}`);
      if (res.status === 403 || res.status === 404 || res.status === 410) {
        await res.body?.cancel();
        throw new KlingError({
          kind: 'expired',
          code: null,
          httpStatus: res.status,
          message: `the result link answered ${res.status}: it has expired or moved; query the task for a fresh link (Kling deletes results after 30 days)`,
          retryable: true,
          needsUser: false,
          category: 'transport',
        });
      }
      if (res.status !== 200 && res.status !== 206) {
        await res.body?.cancel();
        throw KlingError.transport('protocol', `the result download answered HTTP ${res.status}; it will be retried`, res.status);
      }
      return res;
    },

    async accountCosts(range, signal) {
      if (!provider.supportsAccountCosts) {
        throw new KlingError({
          kind: 'business',
          code: 1202,
          httpStatus: null,
          message: `${provider.label} does not offer /account/costs; check the balance on its own site`,
          retryable: false,
          needsUser: true,
          category: 'params',
        });
      }
      const q = new URLSearchParams({ start_time: String(range.startTime), end_time: String(range.endTime) });
      if (range.resourcePackName) q.set('resource_pack_name', range.resourcePackName);
      const { data } = await send('GET', `/account/costs?${q.toString()}`, undefined, { purpose: 'account' }, signal);
      const r = WireAccountCosts.safeParse(data);
      if (!r.success) throw KlingError.transport('protocol', `${provider.label} sent account costs Shotline cannot read`);
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
