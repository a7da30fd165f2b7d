/**
 * Raw HTTP against the sandbox for its own tests and the matrix property test: any
 * credential (the account's API key, a signed AK/SK JWT, or a given header), bodies built by
 * the endpoint descriptors (shared/kling/endpoints.ts), and ffprobe over a result URL.
 */
import { execFile } from 'node:child_process';
import { createHmac } from 'node:crypto';
import { promisify } from 'node:util';

import { findTool } from '../../../electron/core/media/locate';
import { startSandbox, type Sandbox, type SandboxOptions } from '../../../electron/core/sandbox';
import { buildWireBody } from '../../../shared/kling/endpoints';
import type { Standard } from '../../../shared/kling/capabilities';
import type { VideoRequest } from '../../../shared/kling/request';

export const FAST = { submittedMs: 1000, processingMs: 1000 };
export const DONE_MS = FAST.submittedMs + FAST.processingMs;

export function fastSandbox(opts: SandboxOptions = {}): Promise<Sandbox> {
  return startSandbox({ timing: FAST, costsMinIntervalMs: 0, ...opts });
}

/** A JWT with any claims/header, for auth tests. */
export function jwt(
  claims: Record<string, unknown>,
  secret: string,
  header: Record<string, unknown> = { alg: 'HS256', typ: 'JWT' },
): string {
  const enc = (o: unknown): string => Buffer.from(JSON.stringify(o)).toString('base64url');
  const head = `${enc(header)}.${enc(claims)}`;
  return `${head}.${createHmac('sha256', secret).update(head).digest('base64url')}`;
}

/** A valid AK/SK token for the sandbox's first account (or the given one), by the sandbox clock. */
export function akskHeader(sb: Sandbox, ak = sb.credentials.accessKey, sk = sb.credentials.secretKey): string {
  const now = Math.floor(sb.clock.now() / 1000);
  return `Bearer ${jwt({ iss: ak, exp: now + 1800, nbf: now - 5 }, sk)}`;
}

export const keyHeader = (sb: Sandbox, key = sb.credentials.apiKey ?? ''): string => `Bearer ${key}`;

export interface RawAnswer {
  status: number;
  code: number;
  message: string;
  data: unknown;
  /** The envelope as sent (error bodies carry no `data`). */
  json: Record<string, unknown>;
}

/**
 * One request. `auth`: 'key' (the API key; the default on new-standard paths), 'aksk' (a
 * signed JWT; the default on /v1 and /account), a literal header, or null for none.
 */
export async function call(
  sb: Sandbox,
  method: 'GET' | 'POST',
  path: string,
  body?: unknown,
  auth?: string | null,
): Promise<RawAnswer> {
  const mode = auth === undefined ? (path.startsWith('/v1/') || path.startsWith('/account/') ? 'aksk' : 'key') : auth;
  const header = mode === 'key' ? keyHeader(sb) : mode === 'aksk' ? akskHeader(sb) : mode;
  const headers: Record<string, string> = { 'Content-Type': 'application/json' };
  if (header !== null) headers.Authorization = header;
  const res = await fetch(`${sb.url}${path}`, {
    method,
    headers,
    ...(body !== undefined ? { body: typeof body === 'string' ? body : JSON.stringify(body) } : {}),
  });
  const json = (await res.json()) as Record<string, unknown>;
  return { status: res.status, code: json.code as number, message: json.message as string, data: json.data, json };
}

/** Path and body the descriptors build for a request on a standard (the client's own builder). */
export function wire(req: VideoRequest, standard: Standard): { path: string; body: unknown } {
  const { path, body } = buildWireBody(req, standard);
  return { path, body };
}

/** Creates through the descriptors; the sandbox's answer. */
export function create(sb: Sandbox, req: VideoRequest, standard: Standard): Promise<RawAnswer> {
  const w = wire(req, standard);
  return call(sb, 'POST', w.path, w.body, standard === 'new' ? 'key' : 'aksk');
}

export const idOf = (a: RawAnswer): string => {
  const d = a.data as { id?: string; task_id?: string };
  return d.id ?? d.task_id ?? '';
};

/** `GET /tasks` for some ids: the new-standard records. */
export async function tasksByIds(
  sb: Sandbox,
  ids: string[],
  key: 'task_ids' | 'external_task_ids' = 'task_ids',
): Promise<Array<Record<string, unknown>>> {
  const r = await call(sb, 'GET', `/tasks?${key}=${ids.map(encodeURIComponent).join(',')}`);
  if (r.code !== 0) throw new Error(`GET /tasks: ${r.code} ${r.message}`);
  return r.data as Array<Record<string, unknown>>;
}

export interface Probe {
  streams: Array<{ codec_type: string; codec_name: string; width?: number; height?: number; r_frame_rate?: string }>;
  format: { duration: string; format_name: string };
}

export async function ffprobe(url: string): Promise<Probe> {
  const bin = findTool('ffprobe').path ?? 'ffprobe';
  const { stdout } = await promisify(execFile)(bin, [
    '-v',
    'error',
    '-show_streams',
    '-show_format',
    '-of',
    'json',
    url,
  ]);
  return JSON.parse(stdout) as Probe;
}
