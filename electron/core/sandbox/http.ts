/**
 * Kling's envelope on the wire (kling-api.md §4.3-§4.4): `{code, message, request_id, data}`
 * with the HTTP status of the code's table row, errors without `data`; plus the answers a
 * fault with `after: true` changes once the work is done (lost, late, or an error instead).
 */
import { randomUUID } from 'node:crypto';
import type { IncomingMessage, ServerResponse } from 'node:http';

import type { FaultAction } from './types';

export const CODE_HTTP: Readonly<Record<number, number>> = {
  1000: 401,
  1001: 401,
  1002: 401,
  1003: 401,
  1004: 401,
  1100: 429,
  1101: 429,
  1102: 429,
  1103: 403,
  1200: 400,
  1201: 400,
  1202: 404,
  1203: 404,
  1300: 400,
  1301: 400,
  1302: 429,
  1303: 429,
  1304: 429,
  5000: 500,
  5001: 503,
  5002: 504,
};

export const CODE_MESSAGE: Readonly<Record<number, string>> = {
  1102: 'Account balance not enough',
  1302: 'requests too fast',
  1303: 'parallel task over resource pack limit',
  5000: 'internal server error',
  5001: 'service temporarily unavailable',
  5002: 'internal timeout',
};

/** An answer a handler gives: success data, or a Kling error. */
export type Answer = { ok: true; data: unknown } | { ok: false; code: number; message: string; httpStatus?: number };

export const success = (data: unknown): Answer => ({ ok: true, data });
export const error = (code: number, message?: string, httpStatus?: number): Answer => ({
  ok: false,
  code,
  message: message ?? CODE_MESSAGE[code] ?? 'error',
  ...(httpStatus !== undefined ? { httpStatus } : {}),
});

export class Replier {
  private readonly after = new WeakMap<ServerResponse, FaultAction>();

  constructor(
    private readonly now: () => number,
    private readonly timers: Set<NodeJS.Timeout>,
  ) {}

  /** The answer to this response is lost, held back or replaced once the work is done. */
  setAfter(res: ServerResponse, action: FaultAction): void {
    this.after.set(res, action);
  }

  /** Sends the answer; returns the code and HTTP status as sent (for the records). */
  answer(res: ServerResponse, a: Answer): { code: number; httpStatus: number } {
    if (a.ok) {
      this.send(res, 200, { code: 0, message: 'SUCCEED', request_id: randomUUID(), data: a.data });
      return { code: 0, httpStatus: 200 };
    }
    const status = a.httpStatus ?? CODE_HTTP[a.code] ?? 400;
    this.send(res, status, { code: a.code, message: a.message, request_id: randomUUID() });
    return { code: a.code, httpStatus: status };
  }

  private send(res: ServerResponse, httpStatus: number, body: unknown): void {
    const after = this.after.get(res);
    if (after) this.after.delete(res);
    if (after?.type === 'drop') {
      res.socket?.destroy();
      return;
    }
    if (after?.type === 'error') {
      const status = after.httpStatus ?? CODE_HTTP[after.code] ?? 500;
      this.write(res, status, {
        code: after.code,
        message: after.message ?? CODE_MESSAGE[after.code] ?? 'error',
        request_id: randomUUID(),
      });
      return;
    }
    if (after?.type === 'delay') {
      const timer = setTimeout(() => {
        this.timers.delete(timer);
        this.write(res, httpStatus, body);
      }, after.ms);
      this.timers.add(timer);
      return;
    }
    this.write(res, httpStatus, body);
  }

  private write(res: ServerResponse, httpStatus: number, body: unknown): void {
    const text = JSON.stringify(body);
    res.writeHead(httpStatus, {
      'Content-Type': 'application/json; charset=utf-8',
      'Content-Length': Buffer.byteLength(text),
      Date: new Date(this.now()).toUTCString(),
    });
    res.end(text);
  }
}

export async function readBody(req: IncomingMessage): Promise<string> {
  const chunks: Buffer[] = [];
  let size = 0;
  for await (const chunk of req as AsyncIterable<Buffer>) {
    size += chunk.length;
    if (size > 80 * 1024 * 1024) throw new Error('body too large');
    chunks.push(chunk);
  }
  return Buffer.concat(chunks).toString('utf8');
}

/** The body as JSON, or the text when it is not JSON. */
export function parseJson(text: string): unknown {
  try {
    return JSON.parse(text) as unknown;
  } catch {
    return text;
  }
}
