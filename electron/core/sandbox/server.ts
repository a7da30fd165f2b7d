/**
 * The Kling sandbox: a real HTTP server on 127.0.0.1 that behaves like Kling's legacy video
 * API (kling-api.md §10), for tests, demos and benchmarks. It never calls Kling.
 *
 * Task state is computed from the sandbox clock (no timers, except for callbacks), so tests
 * can `clock.advance(ms)` instead of sleeping. Every create is recorded for tests to read.
 */
import { createHash, randomBytes, randomUUID } from 'node:crypto';
import { createReadStream, existsSync, mkdirSync, readFileSync, renameSync, statSync, writeFileSync } from 'node:fs';
import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo, Socket } from 'node:net';
import { dirname } from 'node:path';

import { CAPABILITIES, outputFormat, supports, type AspectRatio, type VideoKind } from '../../../shared/kling/capabilities';
import { unitsPerClip } from '../../../shared/kling/prices';
import type { VideoRequest } from '../../../shared/kling/request';
import type { WireBody } from '../../../shared/kling/wire';
import { signWebhook } from '../kling/webhook';
import { ensureClip, type ClipSpec } from './clips';
import { SandboxOutage } from './outage';
import { verifyAuthorization, type SandboxCredential } from './jwt';
import { validateCreate } from './validate';

/**
 * The default account. Public test values: electron/core/secrets uses the same ones for
 * `--provider sandbox`, and the sandbox verifies them as strictly as Kling would.
 */
export const SANDBOX_CREDENTIALS = {
  accessKey: 'sandbox-access-key',
  secretKey: 'sandbox-secret-key',
  apiKey: 'sandbox-api-key-0123456789abcdef',
} as const;

export const RISK_CONTROL_MESSAGE = 'Failure to pass the risk control system';
const DAY_MS = 86_400_000;

export interface SandboxAccountInit extends SandboxCredential {
  /** Units in the resource pack (default 10,000). */
  balance?: number;
  /** Tasks running at once before 1303 (default: options.concurrency). */
  concurrency?: number;
}

export interface SandboxTiming {
  /** Time in `submitted` (ms). */
  submittedMs: number;
  /** Time in `processing` (ms). */
  processingMs: number;
}

export interface SandboxOptions {
  /** 0 (default) = a free port. The host is always 127.0.0.1. */
  port?: number;
  accounts?: SandboxAccountInit[];
  timing?: Partial<SandboxTiming>;
  /** Prompt words that make a task fail with the risk-control message. */
  blockedWords?: string[];
  /** Prompt words refused at create with 1301. */
  rejectedWords?: string[];
  /** Default tasks at once per account (default 5, a guess: Kling does not publish it). */
  concurrency?: number;
  /** Result URLs answer 403 this long after the task finished (default 30 days). */
  urlTtlMs?: number;
  /** `/account/costs` is limited to one call per this many ms per account (default 1000). */
  costsMinIntervalMs?: number;
  /** Accept plain API keys besides AK/SK JWTs (default true). */
  acceptApiKeys?: boolean;
  /** Seconds of clock leeway on nbf/exp (default 0: strict). */
  clockLeewaySec?: number;
  /** Distinct looks for clips (default 8). */
  clipVariants?: number;
  clipCacheDir?: string;
  ffmpegPath?: string;
  /** Real time source; the sandbox clock adds its own offset (clock.advance). */
  now?: () => number;
  /** Seed for fault rates (deterministic tests). */
  seed?: number;
  /**
   * Keep tasks and balances in this JSON file (written atomically after every create), so a
   * sandbox restarted by a resumed CLI run still knows the tasks of the killed one.
   */
  stateFile?: string;
  /** Sign callbacks with this Standard Webhooks secret (`whsec_...`). */
  webhookSecret?: string;
  /**
   * Keep image data in `creates` (default true, for tests). Long-running sandboxes (CLI, app)
   * turn it off: images are then recorded as a length and a hash, not megabytes of base64.
   */
  recordImages?: boolean;
}

export type FaultRoute = 'create' | 'query' | 'list' | 'account' | 'download' | 'any';

export type FaultAction =
  /** A Kling error answer. `httpStatus` defaults to the code's table status (200 simulates the "200 with code != 0" case). */
  | { type: 'error'; code: number; httpStatus?: number; message?: string }
  /**
   * Close the connection without answering. With `after: true` the request is processed
   * first (a create really creates the task) and only the answer is lost: the "unclear
   * answer" case the queue must reconcile by external_task_id.
   */
  | { type: 'drop'; after?: boolean }
  /** Answer late. With `after: true` the work is done at once and only the answer waits. */
  | { type: 'delay'; ms: number; after?: boolean }
  /** Downloads only: send this many bytes (default half), then cut the connection. */
  | { type: 'truncate'; bytes?: number };

export interface Fault {
  route?: FaultRoute;
  action: FaultAction;
  /** How many matching requests it hits (default 1; Infinity = until cleared). */
  times?: number;
  /** Probability per matching request (default 1). */
  rate?: number;
}

export interface CreateRecord {
  at: number;
  kind: VideoKind;
  path: string;
  body: unknown;
  accessKey: string | null;
  auth: { via: 'jwt' | 'apiKey' | 'none'; claims: Record<string, unknown> };
  externalTaskId: string | null;
  code: number;
  httpStatus: number;
  taskId: string | null;
}

export interface RequestRecord {
  at: number;
  method: string;
  path: string;
  route: FaultRoute | 'unknown';
  code: number | null;
  httpStatus: number;
}

interface SandboxVideo {
  id: string;
  token: string;
  durationSec: number;
  clip: ClipSpec;
}

export interface SandboxTask {
  taskId: string;
  kind: VideoKind;
  accessKey: string;
  externalTaskId: string | null;
  req: VideoRequest;
  body: WireBody;
  units: number;
  createdAt: number;
  processingAt: number;
  doneAt: number;
  outcome: 'succeed' | 'failed';
  failMessage: string | null;
  video: SandboxVideo;
  parentVideo: SandboxVideo | null;
  callbackUrl: string | null;
}

export interface AccountState {
  accessKey: string;
  balance: number;
  remaining: number;
  concurrency: number;
  running: number;
  tasks: number;
}

export interface Sandbox {
  url: string;
  port: number;
  /** Credentials of the first account, ready for the client. */
  credentials: { accessKey: string; secretKey: string; apiKey: string | undefined };
  creates: CreateRecord[];
  requests: RequestRecord[];
  callbacks: Array<{ at: number; url: string; status: string; ok: boolean }>;
  clock: { now(): number; advance(ms: number): void; readonly offsetMs: number };
  options: Required<Pick<SandboxOptions, 'blockedWords' | 'rejectedWords' | 'concurrency' | 'urlTtlMs' | 'costsMinIntervalMs' | 'acceptApiKeys' | 'clockLeewaySec' | 'clipVariants'>> & {
    timing: SandboxTiming;
  };
  /** Change options for new requests (tasks keep the timing they were created with). */
  setOptions(o: Partial<Omit<SandboxOptions, 'port' | 'accounts' | 'timing'>> & { timing?: Partial<SandboxTiming> }): void;
  inject(fault: Fault): void;
  setFaults(faults: Fault[]): void;
  clearFaults(): void;
  account(accessKey?: string): AccountState;
  setAccount(accessKey: string, patch: { balance?: number; concurrency?: number }): void;
  tasks(): SandboxTask[];
  /** Most tasks that ran at once for an account so far (for scheduler tests and benchmarks). */
  peakRunning(accessKey?: string): number;
  /** Kling status of a task right now. */
  statusOf(task: SandboxTask): 'submitted' | 'processing' | 'succeed' | 'failed';
  /** Outage windows and slow answers (outage.ts). */
  outage: SandboxOutage;
  /** The network disappears: stop listening (connections refused), keeping every task. */
  stop(): Promise<void>;
  /** ... and comes back on the same port. */
  restart(): Promise<void>;
  close(): Promise<void>;
}

function summariseImages(body: unknown): unknown {
  if (typeof body !== 'object' || body === null) return body;
  const out: Record<string, unknown> = { ...(body as Record<string, unknown>) };
  const brief = (v: unknown): unknown =>
    typeof v === 'string' && v.length > 256 ? `[${v.length} chars, sha256 ${createHash('sha256').update(v).digest('hex').slice(0, 16)}]` : v;
  for (const k of ['image', 'image_tail', 'static_mask']) if (k in out) out[k] = brief(out[k]);
  if (Array.isArray(out.dynamic_masks)) {
    out.dynamic_masks = (out.dynamic_masks as unknown[]).map((m) => (typeof m === 'object' && m ? { ...m, mask: brief((m as Record<string, unknown>).mask) } : m));
  }
  return out;
}

/** Seeded PRNG (mulberry32) so fault rates are repeatable. */
function rng(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

const CODE_HTTP: Record<number, number> = {
  1000: 401, 1001: 401, 1002: 401, 1003: 401, 1004: 401,
  1100: 429, 1101: 429, 1102: 429, 1103: 403,
  1200: 400, 1201: 400, 1202: 404, 1203: 404,
  1300: 400, 1301: 400, 1302: 429, 1303: 429, 1304: 429,
  5000: 500, 5001: 503, 5002: 504,
};
const CODE_MESSAGE: Record<number, string> = {
  1102: 'Account balance not enough',
  1302: 'requests too fast',
  1303: 'parallel task over resource pack limit',
  5000: 'internal server error',
  5001: 'service temporarily unavailable',
  5002: 'internal timeout',
};

function nearestAspect(w: number, h: number): AspectRatio {
  const r = w / h;
  if (r > 1.2) return '16:9';
  if (r < 1 / 1.2) return '9:16';
  return '1:1';
}

export async function startSandbox(opts: SandboxOptions = {}): Promise<Sandbox> {
  const realNow = opts.now ?? Date.now;
  let offset = 0;
  const now = (): number => realNow() + offset;
  const random = rng(opts.seed ?? 42);

  const options: Sandbox['options'] = {
    blockedWords: opts.blockedWords ?? ['blockedword'],
    rejectedWords: opts.rejectedWords ?? ['rejectedword'],
    concurrency: opts.concurrency ?? 5,
    urlTtlMs: opts.urlTtlMs ?? 30 * DAY_MS,
    costsMinIntervalMs: opts.costsMinIntervalMs ?? 1000,
    acceptApiKeys: opts.acceptApiKeys ?? true,
    clockLeewaySec: opts.clockLeewaySec ?? 0,
    clipVariants: opts.clipVariants ?? 8,
    timing: { submittedMs: 500, processingMs: 2000, ...opts.timing },
  };

  const inits = opts.accounts?.length ? opts.accounts : [{ ...SANDBOX_CREDENTIALS }];
  const creds = new Map<string, SandboxCredential>(inits.map((a) => [a.accessKey, a]));
  const accounts = new Map(
    inits.map((a) => [a.accessKey, { balance: a.balance ?? 10_000, concurrency: a.concurrency, lastCosts: -Infinity, packTime: realNow() }]),
  );
  const tasks: SandboxTask[] = [];
  const startedAt = realNow();
  const byToken = new Map<string, { task: SandboxTask; video: SandboxVideo }>();
  const creates: CreateRecord[] = [];
  const requests: RequestRecord[] = [];
  const callbacks: Sandbox['callbacks'] = [];
  let faults: Array<Fault & { left: number }> = [];
  const timers = new Set<NodeJS.Timeout>();
  const sockets = new Set<Socket>();
  let seq = 0;
  const outage = new SandboxOutage(now);

  const statusOf = (t: SandboxTask, at?: number): 'submitted' | 'processing' | 'succeed' | 'failed' => {
    const n = at ?? now();
    if (n < t.processingAt) return 'submitted';
    if (n < t.doneAt) return 'processing';
    return t.outcome;
  };
  const accountTasks = (ak: string): SandboxTask[] => tasks.filter((t) => t.accessKey === ak);
  const accountState = (ak: string): AccountState => {
    const acc = accounts.get(ak);
    if (!acc) throw new Error(`no sandbox account ${ak}`);
    const mine = accountTasks(ak);
    // Units are reserved at create and given back when a task fails (failed tasks are free).
    const spent = mine.filter((t) => statusOf(t) !== 'failed').reduce((s, t) => s + t.units, 0);
    return {
      accessKey: ak,
      balance: acc.balance,
      remaining: Math.round((acc.balance - spent) * 1000) / 1000,
      concurrency: acc.concurrency ?? options.concurrency,
      running: mine.filter((t) => ['submitted', 'processing'].includes(statusOf(t))).length,
      tasks: mine.length,
    };
  };

  function newTaskId(): string {
    // 18 digits like Kling's examples: start time + sequence, unique across restarts.
    seq++;
    return `8${String(startedAt).slice(-9)}${String(seq).padStart(8, '0')}`;
  }

  function wireVideo(v: SandboxVideo): { id: string; url: string; duration: string } {
    return { id: v.id, url: `${baseUrl}/media/${v.token}.mp4`, duration: String(v.durationSec) };
  }

  /** The task as Kling shows it now, or as of `at` (a callback describes the change it announces). */
  function taskJson(t: SandboxTask, at?: number): Record<string, unknown> {
    const status = statusOf(t, at);
    const updated = status === 'submitted' ? t.createdAt : status === 'processing' ? t.processingAt : t.doneAt;
    return {
      task_id: t.taskId,
      task_status: status,
      task_status_msg: status === 'failed' ? (t.failMessage ?? '') : '',
      task_info: {
        ...(t.externalTaskId ? { external_task_id: t.externalTaskId } : {}),
        ...(t.parentVideo ? { parent_video: wireVideo(t.parentVideo) } : {}),
      },
      task_result:
        status === 'succeed'
          ? { videos: [{ ...wireVideo(t.video), ...(t.req.watermark ? { watermark_url: `${baseUrl}/media/${t.video.token}.mp4?watermark=1` } : {}) }] }
          : { videos: [] },
      watermark_info: { enabled: t.req.watermark === true },
      final_unit_deduction: status === 'succeed' ? String(t.units) : '0',
      created_at: t.createdAt,
      updated_at: updated,
    };
  }

  function takeFault(route: FaultRoute): FaultAction[] {
    const hit: FaultAction[] = [];
    for (const f of faults) {
      if (f.left <= 0) continue;
      if ((f.route ?? 'any') !== 'any' && f.route !== route) continue;
      if (f.rate !== undefined && random() >= f.rate) continue;
      f.left--;
      hit.push(f.action);
    }
    faults = faults.filter((f) => f.left > 0);
    return hit;
  }

  function scheduleCallbacks(t: SandboxTask): void {
    if (!t.callbackUrl) return;
    const url = t.callbackUrl;
    for (const at of [t.createdAt, t.processingAt, t.doneAt]) {
      const timer = setTimeout(() => {
        timers.delete(timer);
        // Each callback describes the change it announces (a timer may fire a little early or late).
        const payload = taskJson(t, at);
        const text = JSON.stringify(payload);
        const headers: Record<string, string> = { 'Content-Type': 'application/json' };
        if (opts.webhookSecret) {
          const id = randomUUID();
          const ts = Math.floor(now() / 1000);
          Object.assign(headers, { 'webhook-id': id, 'webhook-timestamp': String(ts), 'webhook-signature': signWebhook(opts.webhookSecret, id, ts, text) });
        }
        fetch(url, { method: 'POST', headers, body: text, signal: AbortSignal.timeout(5000) })
          .then((r) => callbacks.push({ at: now(), url, status: String(payload.task_status), ok: r.ok }))
          .catch(() => callbacks.push({ at: now(), url, status: String(payload.task_status), ok: false }));
      }, Math.max(0, at - now()));
      timer.unref();
      timers.add(timer);
    }
  }

  // ---------- persistence (optional) ----------

  /** Images are not kept: the state file holds what queries need, not what was uploaded. */
  const stripImages = (req: VideoRequest): VideoRequest => {
    const { startImage: _s, endImage: _e, staticMask: _m, dynamicMasks: _d, ...rest } = req;
    return rest;
  };

  function saveState(): void {
    if (!opts.stateFile) return;
    const state = {
      version: 1,
      accounts: [...accounts.entries()].map(([ak, a]) => ({ accessKey: ak, balance: a.balance, concurrency: a.concurrency })),
      tasks: tasks.map((t) => ({ ...t, req: stripImages(t.req), body: null })),
    };
    const tmp = `${opts.stateFile}.${process.pid}.tmp`;
    mkdirSync(dirname(opts.stateFile), { recursive: true });
    writeFileSync(tmp, JSON.stringify(state));
    renameSync(tmp, opts.stateFile);
  }

  function loadState(): void {
    if (!opts.stateFile || !existsSync(opts.stateFile)) return;
    try {
      const state = JSON.parse(readFileSync(opts.stateFile, 'utf8')) as {
        accounts: Array<{ accessKey: string; balance: number; concurrency?: number }>;
        tasks: SandboxTask[];
      };
      for (const a of state.accounts) {
        const acc = accounts.get(a.accessKey);
        if (acc) {
          acc.balance = a.balance;
          acc.concurrency = a.concurrency;
        }
      }
      for (const t of state.tasks) {
        if (!accounts.has(t.accessKey)) continue;
        tasks.push(t);
        byToken.set(t.video.token, { task: t, video: t.video });
      }
    } catch {
      // A damaged state file is ignored: the sandbox starts empty, as a fresh Kling account would.
    }
  }
  loadState();

  // ---------- HTTP ----------

  /** Answers to lose or hold back (faults with `after: true`). */
  const afterFaults = new WeakMap<ServerResponse, FaultAction>();

  function send(res: ServerResponse, httpStatus: number, body: unknown): void {
    const after = afterFaults.get(res);
    if (after?.type === 'drop') {
      res.socket?.destroy();
      return;
    }
    if (after?.type === 'delay') {
      afterFaults.delete(res);
      const timer = setTimeout(() => {
        timers.delete(timer);
        send(res, httpStatus, body);
      }, after.ms);
      timers.add(timer);
      return;
    }
    const text = JSON.stringify(body);
    res.writeHead(httpStatus, {
      'Content-Type': 'application/json; charset=utf-8',
      'Content-Length': Buffer.byteLength(text),
      Date: new Date(now()).toUTCString(),
    });
    res.end(text);
  }
  const ok = (res: ServerResponse, data: unknown): void => send(res, 200, { code: 0, message: 'SUCCEED', request_id: randomUUID(), data });
  const fail = (res: ServerResponse, code: number, message?: string, httpStatus?: number): number => {
    const status = httpStatus ?? CODE_HTTP[code] ?? 400;
    send(res, status, { code, message: message ?? CODE_MESSAGE[code] ?? 'error', request_id: randomUUID(), data: null });
    return status;
  };

  async function readBody(req: IncomingMessage): Promise<string> {
    const chunks: Buffer[] = [];
    let size = 0;
    for await (const chunk of req as AsyncIterable<Buffer>) {
      size += chunk.length;
      if (size > 80 * 1024 * 1024) throw new Error('body too large');
      chunks.push(chunk);
    }
    return Buffer.concat(chunks).toString('utf8');
  }

  function route(method: string, path: string): { route: FaultRoute | 'unknown'; kind?: VideoKind; id?: string } {
    if (path.startsWith('/media/')) return { route: 'download' };
    if (path === '/account/costs') return { route: 'account' };
    const m = /^\/v1\/videos\/(text2video|image2video|video-extend)(?:\/([^/]+))?$/.exec(path);
    if (!m) return { route: 'unknown' };
    const kind = m[1] as VideoKind;
    if (m[2]) return { route: 'query', kind, id: decodeURIComponent(m[2]) };
    return { route: method === 'POST' ? 'create' : 'list', kind };
  }

  async function handle(req: IncomingMessage, res: ServerResponse): Promise<void> {
    const method = req.method ?? 'GET';
    const u = new URL(req.url ?? '/', 'http://127.0.0.1');
    // CometAPI-style clients put everything under /kling.
    const path = u.pathname.startsWith('/kling/') ? u.pathname.slice('/kling'.length) : u.pathname;
    const r = route(method, path);
    const record = (code: number | null, httpStatus: number): void => {
      requests.push({ at: now(), method, path: u.pathname + u.search, route: r.route, code, httpStatus });
    };

    if (await outage.intercept(req, res, r.route === 'download')) return;
    if (r.route !== 'unknown') {
      for (const action of takeFault(r.route)) {
        if ((action.type === 'delay' || action.type === 'drop') && action.after) afterFaults.set(res, action);
        else if (action.type === 'delay') await new Promise((resolve) => setTimeout(resolve, action.ms));
        else if (action.type === 'drop') {
          record(null, 0);
          req.socket.destroy();
          return;
        } else if (action.type === 'error') {
          record(action.code, fail(res, action.code, action.message, action.httpStatus));
          return;
        } else if (action.type === 'truncate' && r.route === 'download') {
          await serveMedia(req, res, path, method, action.bytes ?? -1, record);
          return;
        }
      }
    }
    if (r.route === 'download') {
      await serveMedia(req, res, path, method, null, record);
      return;
    }
    if (r.route === 'unknown' || (r.route === 'query' && method !== 'GET') || (r.route === 'account' && method !== 'GET') || (r.route === 'list' && method !== 'GET')) {
      record(1202, fail(res, 1202, r.route === 'unknown' ? `no such endpoint ${method} ${u.pathname} in the sandbox` : `invalid request method ${method}`));
      return;
    }
    const auth = verifyAuthorization(req.headers.authorization, creds, Math.floor(now() / 1000), {
      acceptApiKeys: options.acceptApiKeys,
      leewaySec: options.clockLeewaySec,
    });
    if (r.route === 'create') {
      const text = await readBody(req);
      let body: unknown = null;
      try {
        body = JSON.parse(text);
      } catch {
        body = text;
      }
      const rec: CreateRecord = {
        at: now(),
        kind: r.kind as VideoKind,
        path: u.pathname,
        body: opts.recordImages === false ? summariseImages(body) : body,
        accessKey: auth.ok ? auth.accessKey : null,
        auth: auth.ok ? { via: auth.via, claims: auth.claims } : { via: 'none', claims: {} },
        externalTaskId: typeof body === 'object' && body && typeof (body as Record<string, unknown>).external_task_id === 'string' ? String((body as Record<string, unknown>).external_task_id) : null,
        code: 0,
        httpStatus: 200,
        taskId: null,
      };
      creates.push(rec);
      const answer = (code: number, httpStatus: number): void => {
        rec.code = code;
        rec.httpStatus = httpStatus;
        record(code, httpStatus);
      };
      if (!auth.ok) return answer(auth.code, fail(res, auth.code, auth.message));
      if (typeof body !== 'object' || body === null) return answer(1200, fail(res, 1200, 'invalid request parameters: the body is not JSON'));
      createTask(res, r.kind as VideoKind, body, auth.accessKey, rec, answer);
      return;
    }
    if (!auth.ok) {
      record(auth.code, fail(res, auth.code, auth.message));
      return;
    }
    if (r.route === 'account') return accountCosts(res, u, auth.accessKey, record);
    const kind = r.kind as VideoKind;
    const lookup = (id: string): SandboxTask | undefined =>
      tasks.find((t) => t.accessKey === auth.accessKey && t.kind === kind && t.taskId === id) ??
      tasks.find((t) => t.accessKey === auth.accessKey && t.kind === kind && t.externalTaskId === id);
    if (r.route === 'query' || u.searchParams.has('external_task_id')) {
      const id = r.id ?? u.searchParams.get('external_task_id') ?? '';
      const t = r.route === 'query' ? lookup(id) : tasks.find((x) => x.accessKey === auth.accessKey && x.kind === kind && x.externalTaskId === id);
      if (!t) {
        record(1203, fail(res, 1203, `task ${id} does not exist`));
        return;
      }
      ok(res, taskJson(t));
      record(0, 200);
      return;
    }
    // List: pageNum [1,1000], pageSize [1,500], newest first.
    const pageNum = Number(u.searchParams.get('pageNum') ?? '1');
    const pageSize = Number(u.searchParams.get('pageSize') ?? '30');
    if (!Number.isInteger(pageNum) || pageNum < 1 || pageNum > 1000) {
      record(1201, fail(res, 1201, 'pageNum: must be an integer from 1 to 1000'));
      return;
    }
    if (!Number.isInteger(pageSize) || pageSize < 1 || pageSize > 500) {
      record(1201, fail(res, 1201, 'pageSize: must be an integer from 1 to 500'));
      return;
    }
    const mine = tasks.filter((t) => t.accessKey === auth.accessKey && t.kind === kind).reverse();
    ok(res, mine.slice((pageNum - 1) * pageSize, pageNum * pageSize).map((t) => taskJson(t)));
    record(0, 200);
  }

  function createTask(
    res: ServerResponse,
    kind: VideoKind,
    body: unknown,
    accessKey: string,
    rec: CreateRecord,
    answer: (code: number, httpStatus: number) => void,
  ): void {
    const v = validateCreate(kind, body);
    if ('code' in v) return answer(v.code, fail(res, v.code, v.message, v.httpStatus));
    const { req } = v;
    const ext = (body as Record<string, unknown>).external_task_id;
    const externalTaskId = typeof ext === 'string' ? ext : null;
    if (externalTaskId) {
      const dup = accountTasks(accessKey).find((t) => t.externalTaskId === externalTaskId);
      if (dup) {
        return answer(1201, fail(res, 1201, `external_task_id: ${externalTaskId} is already used by task ${dup.taskId}; it must be unique within the account`));
      }
    }
    // Extend: model, mode and size come from the source video.
    let parent: { task: SandboxTask; video: SandboxVideo } | null = null;
    if (kind === 'video-extend') {
      const vid = req.videoId ?? '';
      parent = [...byToken.values()].find((x) => x.video.id === vid && x.task.accessKey === accessKey) ?? null;
      if (!parent || statusOf(parent.task) !== 'succeed') return answer(1203, fail(res, 1203, `video_id: video ${vid} does not exist`));
      const src = parent.task.req;
      if (!supports(src.model, src.mode, CAPABILITIES[src.model].durations[0] ?? 5, 'extend')) {
        return answer(1201, fail(res, 1201, `video_id: videos made with ${src.model} cannot be extended (only kling-v1, kling-v1-5, kling-v1-6)`));
      }
      if (now() - parent.task.doneAt > 30 * DAY_MS) return answer(1201, fail(res, 1201, 'video_id: only videos from the last 30 days can be extended'));
      if (parent.video.durationSec + 5 > 180) return answer(1201, fail(res, 1201, 'video_id: the extended video would pass 3 minutes'));
      req.model = src.model;
      req.mode = src.mode;
    }
    const text = `${req.prompt ?? ''} ${req.negativePrompt ?? ''}`.toLowerCase();
    if (options.rejectedWords.some((w) => w && text.includes(w.toLowerCase()))) {
      return answer(1301, fail(res, 1301, 'content-safety policy triggered: the prompt contains a blocked term'));
    }
    const units = unitsPerClip({ kind, model: req.model, mode: req.mode, duration: req.duration });
    const acc = accountState(accessKey);
    if (acc.remaining < units) return answer(1102, fail(res, 1102));
    if (acc.running >= acc.concurrency) return answer(1303, fail(res, 1303));

    const created = now();
    const taskId = newTaskId();
    const variant = Number(BigInt(taskId) % BigInt(options.clipVariants));
    let clip: ClipSpec;
    let durationSec: number;
    if (parent) {
      durationSec = parent.video.durationSec + 5;
      clip = { ...parent.video.clip, durationSec, variant };
    } else {
      const aspect = kind === 'image2video' && v.images.image ? nearestAspect(v.images.image.width, v.images.image.height) : (req.aspectRatio ?? '16:9');
      const f = outputFormat(req.model, req.mode, kind, aspect);
      durationSec = req.duration;
      clip = { width: f.width, height: f.height, fps: f.fps, durationSec, variant, variants: options.clipVariants };
    }
    const blocked = options.blockedWords.some((w) => w && text.includes(w.toLowerCase()));
    const task: SandboxTask = {
      taskId,
      kind,
      accessKey,
      externalTaskId,
      req,
      body: v.body,
      units,
      createdAt: created,
      processingAt: created + options.timing.submittedMs,
      doneAt: created + options.timing.submittedMs + options.timing.processingMs,
      outcome: blocked ? 'failed' : 'succeed',
      failMessage: blocked ? RISK_CONTROL_MESSAGE : null,
      video: { id: `${taskId}-v1`, token: randomBytes(16).toString('hex'), durationSec, clip },
      parentVideo: parent ? parent.video : null,
      callbackUrl: req.callbackUrl ?? null,
    };
    tasks.push(task);
    saveState();
    byToken.set(task.video.token, { task, video: task.video });
    rec.taskId = taskId;
    scheduleCallbacks(task);
    ok(res, {
      task_id: taskId,
      task_info: externalTaskId ? { external_task_id: externalTaskId } : {},
      task_status: 'submitted',
      created_at: created,
      updated_at: created,
    });
    answer(0, 200);
  }

  function accountCosts(res: ServerResponse, u: URL, accessKey: string, record: (code: number | null, s: number) => void): void {
    const acc = accounts.get(accessKey);
    if (!acc) return;
    const start = Number(u.searchParams.get('start_time'));
    const end = Number(u.searchParams.get('end_time'));
    if (!u.searchParams.get('start_time') || !u.searchParams.get('end_time') || !Number.isInteger(start) || !Number.isInteger(end) || end < start) {
      record(1201, fail(res, 1201, 'start_time and end_time are required, in milliseconds, with start_time <= end_time'));
      return;
    }
    if (now() - acc.lastCosts < options.costsMinIntervalMs) {
      record(1302, fail(res, 1302, 'requests too fast: /account/costs allows 1 query per second'));
      return;
    }
    acc.lastCosts = now();
    const st = accountState(accessKey);
    const name = u.searchParams.get('resource_pack_name');
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
    ok(res, { code: 0, msg: 'success', resource_pack_subscribe_infos: name && name !== pack.resource_pack_name ? [] : [pack] });
    record(0, 200);
  }

  async function serveMedia(
    req: IncomingMessage,
    res: ServerResponse,
    path: string,
    method: string,
    truncateTo: number | null,
    record: (code: number | null, s: number) => void,
  ): Promise<void> {
    const plain = (status: number, text: string): void => {
      res.writeHead(status, { 'Content-Type': 'text/plain; charset=utf-8', Date: new Date(now()).toUTCString() });
      res.end(text);
      record(null, status);
    };
    const m = /^\/media\/([0-9a-f]+)\.mp4$/.exec(path);
    const hit = m?.[1] ? byToken.get(m[1]) : undefined;
    if (!hit || statusOf(hit.task) !== 'succeed') return plain(404, 'Not Found');
    if (method !== 'GET' && method !== 'HEAD') return plain(405, 'Method Not Allowed');
    if (now() > hit.task.doneAt + options.urlTtlMs) return plain(403, 'Forbidden: this link has expired');
    let file: string;
    try {
      file = await ensureClip(hit.video.clip, { ...(opts.clipCacheDir ? { cacheDir: opts.clipCacheDir } : {}), ...(opts.ffmpegPath ? { ffmpegPath: opts.ffmpegPath } : {}) });
    } catch (err) {
      return plain(500, err instanceof Error ? err.message : String(err));
    }
    const size = statSync(file).size;
    let start = 0;
    let end = size - 1;
    let status = 200;
    const range = req.headers.range;
    if (range) {
      const rm = /^bytes=(\d*)-(\d*)$/.exec(range.trim());
      if (!rm || (rm[1] === '' && rm[2] === '')) return plain(416, 'Range Not Satisfiable');
      if (rm[1] === '') {
        start = Math.max(0, size - Number(rm[2]));
      } else {
        start = Number(rm[1]);
        end = rm[2] === '' ? size - 1 : Math.min(size - 1, Number(rm[2]));
      }
      if (start >= size || start > end) {
        res.writeHead(416, { 'Content-Range': `bytes */${size}`, Date: new Date(now()).toUTCString() });
        res.end();
        record(null, 416);
        return;
      }
      status = 206;
    }
    const length = end - start + 1;
    res.writeHead(status, {
      'Content-Type': 'video/mp4',
      'Content-Length': length,
      'Accept-Ranges': 'bytes',
      ETag: `"${hit.video.token}-${size}"`,
      Date: new Date(now()).toUTCString(),
      ...(status === 206 ? { 'Content-Range': `bytes ${start}-${end}/${size}` } : {}),
    });
    record(null, status);
    if (method === 'HEAD') {
      res.end();
      return;
    }
    if (truncateTo !== null) {
      const cut = truncateTo < 0 ? Math.floor(length / 2) : Math.min(truncateTo, length);
      const stream = createReadStream(file, { start, end: start + Math.max(0, cut - 1) });
      stream.on('data', (c) => res.write(c));
      stream.on('end', () => res.destroy());
      return;
    }
    createReadStream(file, { start, end }).pipe(res);
  }

  const server = createServer((req, res) => {
    handle(req, res).catch((err: unknown) => {
      if (!res.headersSent) fail(res, 5000, `sandbox error: ${err instanceof Error ? err.message : String(err)}`);
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
  const baseUrl = `http://127.0.0.1:${port}`;
  const first = inits[0] ?? SANDBOX_CREDENTIALS;

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
    options,
    setOptions(o) {
      const { timing, ...rest } = o;
      for (const [k, val] of Object.entries(rest)) if (val !== undefined && k in options) (options as Record<string, unknown>)[k] = val;
      if (timing) options.timing = { ...options.timing, ...timing };
    },
    inject(fault) {
      faults.push({ ...fault, left: fault.times ?? 1 });
    },
    setFaults(list) {
      faults = list.map((f) => ({ ...f, left: f.times ?? 1 }));
    },
    clearFaults() {
      faults = [];
    },
    account(accessKey = first.accessKey) {
      return accountState(accessKey);
    },
    setAccount(accessKey, patch) {
      const acc = accounts.get(accessKey);
      if (!acc) throw new Error(`no sandbox account ${accessKey}`);
      if (patch.balance !== undefined) acc.balance = patch.balance;
      if (patch.concurrency !== undefined) acc.concurrency = patch.concurrency;
      saveState();
    },
    tasks: () => [...tasks],
    peakRunning(accessKey = first.accessKey) {
      // Sweep over [createdAt, doneAt) intervals; an end at the same instant frees the slot first.
      const edges = accountTasks(accessKey).flatMap((t) => [
        { at: t.createdAt, d: 1 },
        { at: t.doneAt, d: -1 },
      ]);
      edges.sort((a, b) => a.at - b.at || a.d - b.d);
      let cur = 0;
      let peak = 0;
      for (const e of edges) peak = Math.max(peak, (cur += e.d));
      return peak;
    },
    statusOf,
    outage,
    async stop() {
      await new Promise<void>((resolve) => {
        server.close(() => resolve());
        for (const s of sockets) s.destroy();
      });
    },
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
      await new Promise<void>((resolve) => {
        server.close(() => resolve());
        for (const s of sockets) s.destroy();
      });
    },
  };
}
