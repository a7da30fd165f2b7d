/**
 * The Kling sandbox: a real HTTP server on 127.0.0.1 that behaves like today's Kling
 * (kling-api.md §20): both standards on one host with their auth rules, the live roster,
 * retired models refused in Kling's words, `/tasks`, billing, 1303 and 1102, real MP4s with
 * or without an AAC track, expiring URLs and callbacks. It never calls Kling.
 *
 * This file only wires the parts together (routes.ts -> auth.ts -> new-standard.ts /
 * legacy.ts -> create.ts -> store.ts; media.ts, callbacks.ts, persist.ts) and keeps the
 * records tests read. Task state is computed from the sandbox clock (no timers, except for
 * callbacks), so tests can `clock.advance(ms)` instead of sleeping.
 */
import { createHash } from 'node:crypto';
import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo, Socket } from 'node:net';

import type { VideoKind } from '../../../shared/kling/capabilities';
import { authenticate } from './auth';
import { scheduleCallbacks } from './callbacks';
import type { CreateOutcome } from './create';
import { createElement, deleteElement, listElements, queryElement } from './elements';
import { FaultBook } from './faults';
import type { HandlerContext } from './handlers';
import { error, parseJson, readBody, Replier, type Answer } from './http';
import { accountCosts, createLegacy, listLegacy, queryLegacy } from './legacy';
import { serveMedia } from './media';
import { createNew, getTasks, listTasks } from './new-standard';
import { SandboxOutage } from './outage';
import { loadState, saveState } from './persist';
import { route, stripPrefix, type RouteMatch } from './routes';
import { TaskStore } from './store';
import type { CallbackRecord, CreateRecord, RequestRecord, Sandbox, SandboxOptions, SandboxSettings } from './types';

export { RISK_CONTROL_MESSAGE } from './create';

/**
 * The default account. Public test values: electron/core/secrets uses the same ones for
 * `--provider sandbox`, and the sandbox verifies them as strictly as Kling would.
 */
export const SANDBOX_CREDENTIALS = {
  accessKey: 'sandbox-access-key',
  secretKey: 'sandbox-secret-key',
  apiKey: 'sandbox-api-key-0123456789abcdef',
} as const;

const DAY_MS = 86_400_000;

/** Long image strings in recorded bodies become a length and a hash (option recordImages: false). */
function summariseImages(body: unknown): unknown {
  if (typeof body !== 'object' || body === null || Array.isArray(body)) return body;
  const brief = (v: unknown): unknown =>
    typeof v === 'string' && v.length > 256
      ? `[${v.length} chars, sha256 ${createHash('sha256').update(v).digest('hex').slice(0, 16)}]`
      : v;
  const out: Record<string, unknown> = { ...(body as Record<string, unknown>) };
  for (const k of ['image', 'image_tail', 'image_url']) if (k in out) out[k] = brief(out[k]);
  if (Array.isArray(out.contents))
    out.contents = (out.contents as unknown[]).map((c) =>
      typeof c === 'object' && c && 'url' in c ? { ...c, url: brief(c.url) } : c,
    );
  if (Array.isArray(out.image_list)) {
    out.image_list = (out.image_list as unknown[]).map((c) =>
      typeof c === 'object' && c && 'image_url' in c ? { ...c, image_url: brief(c.image_url) } : c,
    );
  }
  return out;
}

/** The kind a create is for, as far as the path and body say (for the records). */
function kindOf(r: RouteMatch, body: unknown): VideoKind {
  const b = typeof body === 'object' && body !== null ? (body as Record<string, unknown>) : {};
  if (r.route !== 'create' || 'element' in r) return 'text2video';
  if (r.standard === 'new') {
    if (r.product === 'text-to-video') return 'text2video';
    if (r.product === 'motion-control') return 'motion';
    if (r.product === 'omni-video') {
      const frames =
        Array.isArray(b.contents) &&
        (b.contents as Array<{ type?: unknown }>).some((c) => c?.type === 'first_frame' || c?.type === 'last_frame');
      return frames ? 'image2video' : 'text2video';
    }
    return 'image2video';
  }
  if (r.family === 'text2video') return 'text2video';
  if (r.family === 'motion-control') return 'motion';
  if (r.family === 'omni-video')
    return Array.isArray(b.image_list) && b.image_list.length > 0 ? 'image2video' : 'text2video';
  return 'image2video';
}

function externalIdIn(body: unknown): string | null {
  if (typeof body !== 'object' || body === null) return null;
  const b = body as Record<string, unknown>;
  const o = typeof b.options === 'object' && b.options !== null ? (b.options as Record<string, unknown>) : {};
  const v = o.external_task_id ?? b.external_task_id;
  return typeof v === 'string' ? v : null;
}

// long-function: the simulator's state (clock, tasks, faults, accounts) shared by its routes; routes and rules live in their own modules (./routes.ts, ./create.ts, ./elements.ts, ./faults.ts); what stays here is the wiring over that state.
export async function startSandbox(opts: SandboxOptions = {}): Promise<Sandbox> {
  const realNow = opts.now ?? Date.now;
  let offset = 0;
  const now = (): number => realNow() + offset;

  const settings: SandboxSettings = {
    blockedWords: opts.blockedWords ?? ['blockedword'],
    rejectedWords: opts.rejectedWords ?? ['rejectedword'],
    concurrency: opts.concurrency ?? 5,
    urlTtlMs: opts.urlTtlMs ?? 30 * DAY_MS,
    costsMinIntervalMs: opts.costsMinIntervalMs ?? 1000,
    acceptApiKeys: opts.acceptApiKeys ?? true,
    clockLeewaySec: opts.clockLeewaySec ?? 0,
    clipVariants: opts.clipVariants ?? 8,
    retiredAnswer: opts.retiredAnswer ?? { httpStatus: 400, code: 1201 },
    legacyModels: opts.legacyModels ?? {},
    unknownFields: opts.unknownFields ?? 'reject',
    extraSec: opts.extraSec ?? 0.041,
    elementMs: opts.elementMs ?? 2000,
    timing: { submittedMs: 500, processingMs: 2000, ...opts.timing },
  };

  const inits = opts.accounts?.length ? opts.accounts : [{ ...SANDBOX_CREDENTIALS }];
  const store = new TaskStore(inits, now, settings);
  loadState(opts.stateFile, store);
  const creates: CreateRecord[] = [];
  const requests: RequestRecord[] = [];
  const callbacks: CallbackRecord[] = [];
  const faults = new FaultBook(opts.seed ?? 42);
  const timers = new Set<NodeJS.Timeout>();
  const sockets = new Set<Socket>();
  const outage = new SandboxOutage(now);
  const replier = new Replier(now, timers);
  let baseUrl = '';

  const ctx: HandlerContext = {
    store,
    settings,
    now,
    get baseUrl() {
      return baseUrl;
    },
    saved() {
      saveState(opts.stateFile, store);
    },
    created(task) {
      saveState(opts.stateFile, store);
      scheduleCallbacks({ store, baseUrl, now, timers, records: callbacks, webhookSecret: opts.webhookSecret }, task);
    },
  };
  const media = {
    store,
    now,
    urlTtlMs: () => settings.urlTtlMs,
    clipCacheDir: opts.clipCacheDir,
    ffmpegPath: opts.ffmpegPath,
  };

  async function handle(req: IncomingMessage, res: ServerResponse): Promise<void> {
    const method = req.method ?? 'GET';
    const u = new URL(req.url ?? '/', 'http://127.0.0.1');
    const r = route(method, stripPrefix(u.pathname));
    const record = (code: number | null, httpStatus: number): void => {
      requests.push({
        at: now(),
        method,
        path: u.pathname + u.search,
        standard: r.standard,
        route: r.route,
        code,
        httpStatus,
      });
    };
    const reply = (a: Answer): { code: number; httpStatus: number } => {
      const sent = replier.answer(res, a);
      record(sent.code, sent.httpStatus);
      return sent;
    };

    if (await outage.intercept(req, res, r.route === 'download')) return;
    if (r.route !== 'unknown') {
      for (const action of faults.take(r.route)) {
        if (action.type !== 'truncate' && action.after) replier.setAfter(res, action);
        else if (action.type === 'delay') await new Promise((resolve) => setTimeout(resolve, action.ms));
        else if (action.type === 'drop') {
          record(null, 0);
          req.socket.destroy();
          return;
        } else if (action.type === 'error') {
          reply(error(action.code, action.message, action.httpStatus));
          return;
        } else if (action.type === 'truncate' && r.route === 'download') {
          record(null, await serveMedia(media, req, res, r.token, action.bytes ?? -1));
          return;
        }
      }
    }
    if (r.route === 'download') {
      record(null, await serveMedia(media, req, res, r.token, null));
      return;
    }
    if (r.route === 'unknown' || ('methodOk' in r && !r.methodOk)) {
      reply(
        error(
          1202,
          r.route === 'unknown'
            ? `no such endpoint ${method} ${u.pathname} in the sandbox`
            : `invalid request method ${method}`,
        ),
      );
      return;
    }
    const auth = authenticate(r.standard, req.headers.authorization, store.credentials, Math.floor(now() / 1000), {
      acceptApiKeys: settings.acceptApiKeys,
      leewaySec: settings.clockLeewaySec,
    });
    const body = method === 'POST' ? parseJson(await readBody(req)) : undefined;

    if ('element' in r) {
      // Elements (elements.ts): their own records (`elements()`), not video `creates`.
      if (!auth.ok) reply(error(auth.code, auth.message));
      else if (r.element === 'create') reply(createElement(ctx, body, auth.accessKey));
      else if (r.element === 'delete') reply(deleteElement(ctx, body, auth.accessKey));
      else if (r.element === 'query') reply(queryElement(ctx, r.id ?? '', auth.accessKey));
      else reply(listElements(ctx, u, auth.accessKey));
      return;
    }
    if (r.route === 'create') {
      const rec: CreateRecord = {
        at: now(),
        standard: r.standard,
        kind: kindOf(r, body),
        path: u.pathname,
        model:
          r.standard === 'new'
            ? r.model
            : typeof (body as { model_name?: unknown } | null)?.model_name === 'string'
              ? String((body as { model_name: string }).model_name)
              : null,
        body: opts.recordImages === false ? summariseImages(body) : body,
        accessKey: auth.ok ? auth.accessKey : null,
        auth: auth.ok ? { via: auth.via, claims: auth.claims } : { via: 'none', claims: {} },
        externalTaskId: externalIdIn(body),
        code: 0,
        httpStatus: 200,
        message: '',
        taskId: null,
      };
      creates.push(rec);
      let out: CreateOutcome;
      if (!auth.ok) out = { answer: error(auth.code, auth.message), task: null };
      else if (typeof body !== 'object' || body === null)
        out = { answer: error(1200, 'invalid request parameters: the body is not a JSON object'), task: null };
      else
        out = await (r.standard === 'new'
          ? createNew(ctx, r.product, r.model, body, auth.accessKey)
          : createLegacy(ctx, r.family, body, auth.accessKey));
      rec.taskId = out.task?.taskId ?? null;
      rec.message = out.answer.ok ? 'SUCCEED' : out.answer.message;
      const sent = reply(out.answer);
      rec.code = sent.code;
      rec.httpStatus = sent.httpStatus;
      return;
    }
    if (!auth.ok) {
      reply(error(auth.code, auth.message));
      return;
    }
    if (r.route === 'account') reply(accountCosts(ctx, u, auth.accessKey));
    else if (r.standard === 'new')
      reply(r.route === 'query' ? getTasks(ctx, u, auth.accessKey) : listTasks(ctx, body, auth.accessKey));
    else if (r.route === 'query') reply(queryLegacy(ctx, r.family, r.id, auth.accessKey));
    else reply(listLegacy(ctx, r.family, u, auth.accessKey));
  }

  const server = createServer((req, res) => {
    handle(req, res).catch((err: unknown) => {
      if (!res.headersSent)
        replier.answer(res, error(5000, `sandbox error: ${err instanceof Error ? err.message : String(err)}`));
      else res.destroy();
    });
  });
  // Longer than clients keep idle sockets, so a reused connection is never closed under them.
  server.keepAliveTimeout = 65_000;
  server.headersTimeout = 66_000;
  server.on('connection', (s) => {
    sockets.add(s);
    s.on('close', () => sockets.delete(s));
  });
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(opts.port ?? 0, '127.0.0.1', () => resolve());
  });
  const port = (server.address() as AddressInfo).port;
  baseUrl = `http://127.0.0.1:${port}`;
  const first = inits[0] ?? SANDBOX_CREDENTIALS;
  const closeServer = (): Promise<void> =>
    new Promise<void>((resolve) => {
      server.close(() => resolve());
      for (const s of sockets) s.destroy();
    });

  return {
    url: baseUrl,
    port,
    credentials: { accessKey: first.accessKey, secretKey: first.secretKey, apiKey: first.apiKey },
    creates,
    requests,
    callbacks,
    clock: {
      now,
      advance(ms: number) {
        offset += ms;
      },
      get offsetMs() {
        return offset;
      },
    },
    options: settings,
    setOptions(o) {
      const { timing, ...rest } = o;
      for (const [k, val] of Object.entries(rest))
        if (val !== undefined && k in settings) (settings as unknown as Record<string, unknown>)[k] = val;
      if (timing) settings.timing = { ...settings.timing, ...timing };
    },
    inject: (fault) => faults.inject(fault),
    setFaults: (list) => faults.set(list),
    clearFaults: () => faults.clear(),
    account: (accessKey = first.accessKey) => store.state(accessKey),
    setAccount(accessKey, patch) {
      const acc = store.account(accessKey);
      if (patch.balance !== undefined) acc.balance = patch.balance;
      if (patch.concurrency !== undefined) acc.concurrency = patch.concurrency;
      saveState(opts.stateFile, store);
    },
    tasks: () => [...store.tasks],
    elements: () => [...store.elements],
    peakRunning: (accessKey = first.accessKey, model) => store.peakRunning(accessKey, model),
    statusOf: (t) => store.statusOf(t),
    outage,
    stop: closeServer,
    async restart() {
      await new Promise<void>((resolve, reject) => {
        server.once('error', reject);
        server.listen(port, '127.0.0.1', () => {
          server.off('error', reject);
          resolve();
        });
      });
    },
    async close() {
      for (const t of timers) clearTimeout(t);
      timers.clear();
      await closeServer();
    },
  };
}
