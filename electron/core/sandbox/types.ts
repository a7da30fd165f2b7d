/**
 * The sandbox's public shapes: options, fault injection, the records tests read, the task it
 * keeps and the handle `startSandbox` returns (server.ts). Everything else in this folder is
 * one job each: auth.ts, routes.ts, store.ts, create.ts, new-standard.ts, legacy.ts, media.ts,
 * callbacks.ts, persist.ts, views.ts.
 */
import type { AudioSetting, KlingModel, Resolution, Standard, VideoKind } from '../../../shared/kling/capabilities';
import type { VideoRequest } from '../../../shared/kling/request';
import type { ClipSpec } from './clips';
import type { SandboxCredential } from './jwt';
import type { SandboxElement } from './elements';
import type { SandboxOutage } from './outage';

export interface SandboxAccountInit extends SandboxCredential {
  /** Units in the video resource pack (default 10,000). */
  balance?: number;
  /** Tasks running at once per model before 1303 (default: options.concurrency). */
  concurrency?: number;
}

export interface SandboxTiming {
  /** Time in `submitted` (ms). */
  submittedMs: number;
  /** Time in `processing` (ms). */
  processingMs: number;
}

/** How a retired model is refused (kling-api.md §19.1: Kling's status and code were not recorded). */
export interface RetiredAnswer {
  httpStatus: number;
  code: number;
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
  /** Tasks at once per account and model (default 5: Kling's trial video pack, kling-api.md §13). */
  concurrency?: number;
  /** Result URLs answer 404 this long after the task finished (default 30 days). */
  urlTtlMs?: number;
  /** `/account/costs` is limited to one call per this many ms per account (default 1000). */
  costsMinIntervalMs?: number;
  /** Accept plain API keys on the legacy `/v1` routes besides AK/SK JWTs (default true, as Kling does). */
  acceptApiKeys?: boolean;
  /** Seconds of clock leeway on nbf/exp (default 0: strict). */
  clockLeewaySec?: number;
  /** Distinct looks for clips (default 8). */
  clipVariants?: number;
  /** How a retired model is answered (default HTTP 400, code 1201). */
  retiredAnswer?: RetiredAnswer;
  /**
   * Extra legacy `model_name`s the sandbox serves, each as a live model's row (kling-api.md §2:
   * `kling-v2-master` is uncertain; capabilities.ts refuses it, a test can make the sandbox
   * serve it as e.g. `{ 'kling-v2-master': 'kling-2.6' }`).
   */
  legacyModels?: Readonly<Record<string, KlingModel>>;
  /**
   * Fields a body must not have (`negative_prompt` on the new standard, ...): `reject` (default,
   * 1201 naming them) or `ignore` (dropped). Kling's real behaviour is unknown (kling-api.md §20).
   */
  unknownFields?: 'reject' | 'ignore';
  /** Time an element task takes from create to `succeed` (default 2000 ms; Kling: about 5 s [LIVE]). */
  elementMs?: number;
  /** Seconds added to every clip over the requested duration (default 0.041, as Kling's 3 s -> 3.041 s). */
  extraSec?: number;
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

/** The options in force (setOptions changes them for new requests). */
export type SandboxSettings = Required<
  Pick<
    SandboxOptions,
    | 'blockedWords'
    | 'rejectedWords'
    | 'concurrency'
    | 'urlTtlMs'
    | 'costsMinIntervalMs'
    | 'acceptApiKeys'
    | 'clockLeewaySec'
    | 'clipVariants'
    | 'retiredAnswer'
    | 'legacyModels'
    | 'unknownFields'
    | 'extraSec'
    | 'elementMs'
  >
> & { timing: SandboxTiming };

/** `query` = one task (legacy by id, `GET /tasks`); `list` = legacy pages and `POST /tasks`. */
export type FaultRoute = 'create' | 'query' | 'list' | 'account' | 'download' | 'any';

export type FaultAction =
  /**
   * A Kling error answer. `httpStatus` defaults to the code's table status (200 simulates the
   * "200 with code != 0" case). With `after: true` the request is processed first (a create
   * really creates the task) and the error replaces the answer: Kling's 5000-5002 where the
   * task may exist (kling-api.md §4.4).
   */
  | { type: 'error'; code: number; httpStatus?: number; message?: string; after?: boolean }
  /**
   * Close the connection without answering. With `after: true` the request is processed
   * first and only the answer is lost: the "unclear answer" case the queue must reconcile by
   * external_task_id.
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
  standard: Standard;
  /** Best guess from the path and body (a refused body may not say). */
  kind: VideoKind;
  path: string;
  /** The model as it arrived: the path id (new) or `model_name` (legacy; null when absent). */
  model: string | null;
  body: unknown;
  accessKey: string | null;
  auth: { via: 'jwt' | 'apiKey' | 'none'; claims: Record<string, unknown> };
  externalTaskId: string | null;
  code: number;
  httpStatus: number;
  message: string;
  taskId: string | null;
}

export interface RequestRecord {
  at: number;
  method: string;
  path: string;
  standard: Standard | null;
  route: FaultRoute | 'unknown';
  code: number | null;
  httpStatus: number;
}

export interface CallbackRecord {
  at: number;
  url: string;
  standard: Standard;
  /** The status the payload announces, in its standard's words (`succeeded` / `succeed`). */
  status: string;
  ok: boolean;
}

export interface SandboxVideo {
  id: string;
  token: string;
  /** Length of the file (requested + extraSec), reported as a decimal string. */
  durationSec: number;
  clip: ClipSpec;
}

/** Internal status; views.ts spells `succeed` as `succeeded` on the new standard. */
export type SandboxStatus = 'submitted' | 'processing' | 'succeed' | 'failed';

export interface SandboxTask {
  taskId: string;
  /** The standard it was created on (callbacks follow it; both standards can query it). */
  standard: Standard;
  kind: VideoKind;
  /** `/v1/videos/<family>` it belongs to on the legacy standard. */
  family: string;
  model: KlingModel;
  resolution: Resolution;
  audio: AudioSetting | null;
  /** The clip has an AAC track. */
  sound: boolean;
  accessKey: string;
  externalTaskId: string | null;
  /** The request as decoded from the wire, images left out. */
  req: VideoRequest;
  units: number;
  createdAt: number;
  processingAt: number;
  doneAt: number;
  outcome: 'succeed' | 'failed';
  failMessage: string | null;
  video: SandboxVideo;
  callbackUrl: string | null;
  watermark: boolean;
}

export interface AccountState {
  accessKey: string;
  balance: number;
  remaining: number;
  concurrency: number;
  /** Tasks running now, all models. */
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
  callbacks: CallbackRecord[];
  clock: { now(): number; advance(ms: number): void; readonly offsetMs: number };
  options: SandboxSettings;
  /** Change options for new requests (tasks keep the timing they were created with). */
  setOptions(
    o: Partial<Omit<SandboxOptions, 'port' | 'accounts' | 'timing'>> & { timing?: Partial<SandboxTiming> },
  ): void;
  inject(fault: Fault): void;
  setFaults(faults: Fault[]): void;
  clearFaults(): void;
  account(accessKey?: string): AccountState;
  setAccount(accessKey: string, patch: { balance?: number; concurrency?: number }): void;
  tasks(): SandboxTask[];
  /** Custom elements made so far (deleted ones have `deletedAt`). */
  elements(): SandboxElement[];
  /** Most tasks that ran at once for an account (optionally one model) so far. */
  peakRunning(accessKey?: string, model?: KlingModel): number;
  /** Status of a task right now (legacy spelling: `succeed`). */
  statusOf(task: SandboxTask): SandboxStatus;
  /** Outage windows and slow answers (outage.ts). */
  outage: SandboxOutage;
  /** The network disappears: stop listening (connections refused), keeping every task. */
  stop(): Promise<void>;
  /** ... and comes back on the same port. */
  restart(): Promise<void>;
  close(): Promise<void>;
}
