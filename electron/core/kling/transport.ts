/**
 * The one way a request reaches Kling, on either standard (kling-api.md §4): base URL rules,
 * the Authorization header (JWT or API key, auth.ts), the audit hook before every request,
 * the `{code, message, request_id, data}` envelope checked on every answer (HTTP 200 with
 * code != 0 is an error), failures mapped to KlingError, and one re-sign after 1003/1004.
 * The standards (new-standard.ts, legacy.ts) and downloads (download.ts) sit on top of it.
 */
import { createHash } from 'node:crypto';

import type { KlingModel, Standard, VideoKind } from '../../../shared/kling/capabilities';
import { checkSafeUrl } from '../../../shared/kling/images';
import { PROVIDERS, type ProviderId, type ProviderSpec } from '../../../shared/kling/providers';
import { WireEnvelope } from '../../../shared/kling/wire';
import { ShotlineError } from '../../../shared/result';
import { createTokenSource, type KlingCredentials, type TokenSource } from './auth';
import { KlingError } from './errors';
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
  /** The API standard the request belongs to (downloads: the client's). */
  standard: Standard;
  kind?: VideoKind;
  model?: KlingModel;
  externalTaskId?: string;
  /** The Kling element id a delete names (electron/core/elements/audit.ts finds its subject by it). */
  elementId?: string;
  /** The reference video URL a motion-control create sends (the audit row lists it). */
  referenceUrl?: string;
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

/** A task's identity for queries: the legacy standard queries per endpoint family. */
export interface TaskRef {
  /** A live id or legacy alias; an unknown (retired) name falls back to the kind's family. */
  model: string;
  kind: VideoKind;
}

export interface RequestMeta {
  purpose: KlingPurpose;
  standard: Standard;
  kind?: VideoKind;
  model?: KlingModel;
  externalTaskId?: string;
  /** See KlingRequestInfo.elementId. */
  elementId?: string;
  /** See KlingRequestInfo.referenceUrl. */
  referenceUrl?: string;
  where?: string;
}

export interface Transport {
  readonly provider: ProviderSpec;
  readonly region: string;
  readonly location: string;
  readonly baseUrl: string;
  readonly host: string;
  readonly tokens: TokenSource;
  readonly timeoutMs: number;
  readonly now: () => number;
  readonly fetch: typeof fetch;
  readonly log: (line: string) => void;
  /** The audit hook, for requests that do not go through send (downloads). */
  notify(info: Omit<KlingRequestInfo, 'provider' | 'region' | 'location' | 'at'>): void;
  /** One API call; resolves with `data` of a code-0 envelope. */
  send(
    method: 'GET' | 'POST',
    path: string,
    body: unknown,
    meta: RequestMeta,
    signal?: AbortSignal,
  ): Promise<{ data: unknown; requestId: string | null }>;
}

export function resolveBaseUrl(
  provider: ProviderSpec,
  region: string | undefined,
  override: string | undefined,
): { baseUrl: string; region: string; location: string } {
  const reg = provider.regions.find((r) => r.id === (region ?? provider.defaultRegion));
  if (!reg) {
    throw new ShotlineError({
      code: 'validation',
      message: `region "${region}" is unknown for ${provider.id}; use ${provider.regions.map((r) => r.id).join(', ')}`,
      where: 'region',
    });
  }
  const raw = override ?? reg.baseUrl;
  if (!raw)
    throw new ShotlineError({
      code: 'validation',
      message: `${provider.id} needs a base URL (start a sandbox and pass its url)`,
      where: 'baseUrl',
    });
  const bad = checkSafeUrl('baseUrl', raw);
  if (bad) throw new ShotlineError({ code: 'validation', message: bad, where: 'baseUrl' });
  // A custom URL on a real provider (a proxy, a test double) is named in the audit trail.
  const location = override && reg.baseUrl ? `${reg.location} via ${new URL(raw).host}` : reg.location;
  return { baseUrl: raw.replace(/\/+$/, ''), region: reg.id, location };
}

export const sha256 = (s: string): string => createHash('sha256').update(s).digest('hex');

/** The cause of a fetch failure in words. */
export function causeOf(err: unknown): string {
  return err instanceof Error ? ((err.cause as Error | undefined)?.message ?? err.message) : String(err);
}

export function createTransport(opts: KlingClientOptions): Transport {
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
  const log = opts.log ?? ((): void => undefined);

  const notify: Transport['notify'] = (info) => {
    opts.onRequest?.({ ...info, provider: provider.id, region, location, at: now() });
  };

  async function send(
    method: 'GET' | 'POST',
    path: string,
    body: unknown,
    meta: RequestMeta,
    signal?: AbortSignal,
  ): Promise<{ data: unknown; requestId: string | null }> {
    const url = `${baseUrl}${provider.pathPrefix}${path}`;
    const text = body === undefined ? '' : JSON.stringify(body);
    let resent = false;
    for (let attempt = 0; ; attempt++) {
      const authorization = tokens.authorization();
      notify({
        method,
        url,
        host,
        purpose: meta.purpose,
        standard: meta.standard,
        ...(meta.kind ? { kind: meta.kind } : {}),
        ...(meta.model ? { model: meta.model } : {}),
        ...(meta.externalTaskId ? { externalTaskId: meta.externalTaskId } : {}),
        ...(meta.elementId ? { elementId: meta.elementId } : {}),
        ...(meta.referenceUrl ? { referenceUrl: meta.referenceUrl } : {}),
        bodySha256: sha256(text),
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
        log(
          `${method} ${url} auth=${redactAuthorization(authorization)} -> ${timedOut ? 'timeout' : 'network error'} ${ms}ms`,
        );
        if (timedOut)
          throw KlingError.transport(
            'timeout',
            `${provider.label} did not answer ${method} ${path} within ${timeoutMs} ms; it will be retried`,
            null,
            meta.where,
          );
        // A GET that died on a stale keep-alive connection is safe to send once more at once;
        // a POST is not (the task may exist): the queue reconciles it by external_task_id.
        // POST /tasks is a read, but it is sent once too: the caller retries it.
        if (method === 'GET' && !resent) {
          resent = true;
          attempt--;
          continue;
        }
        throw KlingError.transport(
          'network',
          `could not reach ${host} (${causeOf(err)}); check the network, it will be retried`,
          null,
          meta.where,
        );
      }
      const ms = Math.round(performance.now() - started);
      let env: WireEnvelope | null = null;
      try {
        env = WireEnvelope.parse(JSON.parse(raw));
      } catch {
        env = null;
      }
      log(
        `${method} ${url} auth=${redactAuthorization(authorization)} -> ${res.status} code=${env?.code ?? '-'} ${ms}ms`,
      );
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
        throw KlingError.transport(
          'protocol',
          `${provider.label} answered HTTP ${res.status} with code 0 to ${method} ${path}`,
          res.status,
          meta.where,
        );
      }
      return { data: env.data, requestId: env.request_id ?? null };
    }
  }

  return { provider, region, location, baseUrl, host, tokens, timeoutMs, now, fetch: doFetch, log, notify, send };
}

/** Kling's answer to an unknown task: legacy 400/1201 "Task not found by id/external id" (gateways: 1203). */
export function isNotFound(err: unknown): boolean {
  return (
    err instanceof KlingError &&
    (err.code === 1203 || (err.code === 1201 && /not\s*found/i.test(err.serverMessage ?? '')))
  );
}

/** 1201 "External_task_id <id> already exists" (kling-api.md §4.4): the task was made earlier. */
export function isDuplicateExternalId(err: unknown): boolean {
  return (
    err instanceof KlingError && err.code === 1201 && /external_task_id.*already exists/i.test(err.serverMessage ?? '')
  );
}
