/** Shared set-up for tests that talk to the sandbox over real HTTP. */
import { createHmac } from 'node:crypto';

import { createKlingClient, type KlingClient, type KlingClientOptions } from '../../../electron/core/kling';
import { startSandbox, type Sandbox, type SandboxOptions } from '../../../electron/core/sandbox';

export const FAST = { submittedMs: 1000, processingMs: 1000 };

export async function sandbox(opts: SandboxOptions = {}): Promise<Sandbox> {
  return startSandbox({ timing: FAST, costsMinIntervalMs: 0, ...opts });
}

/** AK/SK: the legacy `/v1` standard. */
export function clientFor(sb: Sandbox, extra: Partial<KlingClientOptions> = {}): KlingClient {
  return createKlingClient({
    provider: 'sandbox',
    baseUrl: sb.url,
    credentials: { kind: 'aksk', accessKey: sb.credentials.accessKey, secretKey: sb.credentials.secretKey },
    // The client's clock follows the sandbox's, so tests that advance it stay independent.
    now: () => sb.clock.now(),
    ...extra,
  });
}

/** An API key: the new path-based standard (providers.ts standardFor). */
export function apiClientFor(sb: Sandbox, extra: Partial<KlingClientOptions> = {}): KlingClient {
  return createKlingClient({
    provider: 'sandbox',
    baseUrl: sb.url,
    credentials: { kind: 'bearer', apiKey: sb.credentials.apiKey ?? '' },
    now: () => sb.clock.now(),
    ...extra,
  });
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

export function validToken(sb: Sandbox): string {
  const now = Math.floor(sb.clock.now() / 1000);
  return jwt({ iss: sb.credentials.accessKey, exp: now + 1800, nbf: now - 5 }, sb.credentials.secretKey);
}

export interface RawAnswer {
  status: number;
  code: number;
  message: string;
  data: unknown;
}

export async function raw(
  sb: Sandbox,
  method: 'GET' | 'POST',
  path: string,
  body?: unknown,
  authorization?: string | null,
): Promise<RawAnswer> {
  const headers: Record<string, string> = { 'Content-Type': 'application/json' };
  const auth = authorization === undefined ? `Bearer ${validToken(sb)}` : authorization;
  if (auth !== null) headers.Authorization = auth;
  const res = await fetch(`${sb.url}${path}`, {
    method,
    headers,
    ...(body !== undefined ? { body: typeof body === 'string' ? body : JSON.stringify(body) } : {}),
  });
  const json = (await res.json()) as { code: number; message: string; data: unknown };
  return { status: res.status, code: json.code, message: json.message, data: json.data };
}
