/**
 * The third front: a tiny HTTP server on 127.0.0.1, started only by tests, so Playwright
 * can drive the real renderer in Chromium against the real core. It serves the built
 * renderer, `POST /rpc/<method>` (JSON in, Result out) and `GET /events` (server-sent
 * events). Every call needs the per-run token, so nothing else on the machine can use it.
 */
import { randomBytes } from 'node:crypto';
import { createReadStream } from 'node:fs';
import { readFile } from 'node:fs/promises';
import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { isAbsolute, relative, resolve } from 'node:path';

import type { Dialogs, DialogFilter } from '../app/dialogs';
import { contentTypeOf, resolveMediaPath } from '../app/media-path';
import type { Core } from '../index';

export interface TestBridge {
  /** Open this in the browser: the renderer, wired to this bridge. */
  url: string;
  origin: string;
  token: string;
  close(): Promise<void>;
}

/**
 * The test's stand-in for Electron's dialog (electron/main/dialogs.ts), over the same
 * `Dialogs` contract: the test scripts each answer before the click that opens the dialog,
 * and reads what the dialog was shown with. An unscripted dialog fails the call loudly.
 */
export interface FakeDialogs extends Dialogs {
  /** The next open dialog returns this path (null: the user cancels). */
  answerOpen(path: string | null): void;
  /** The next save dialog returns this path; `overwriteConfirmed` plays a system dialog that already asked. */
  answerSave(path: string | null, opts?: { overwriteConfirmed?: boolean }): void;
  readonly shown: Array<{ kind: 'open' | 'save'; title: string; defaultPath: string | null; filters: DialogFilter[] }>;
}

export function createFakeDialogs(): FakeDialogs {
  const opens: Array<string | null> = [];
  const saves: Array<{ path: string; overwriteConfirmed: boolean } | null> = [];
  const shown: FakeDialogs['shown'] = [];
  return {
    shown,
    answerOpen: (path) => void opens.push(path),
    answerSave: (path, opts) =>
      void saves.push(path === null ? null : { path, overwriteConfirmed: opts?.overwriteConfirmed ?? false }),
    open({ title, filters, defaultPath }) {
      shown.push({ kind: 'open', title, defaultPath: defaultPath ?? null, filters });
      if (!opens.length)
        return Promise.reject(new Error(`test dialog: no answer scripted for the open dialog "${title}"`));
      return Promise.resolve(opens.shift() ?? null);
    },
    save({ title, filters, defaultPath }) {
      shown.push({ kind: 'save', title, defaultPath, filters });
      if (!saves.length)
        return Promise.reject(new Error(`test dialog: no answer scripted for the save dialog "${title}"`));
      return Promise.resolve(saves.shift() ?? null);
    },
  };
}

async function readBody(req: IncomingMessage, limit = 50 * 1024 * 1024): Promise<string> {
  const chunks: Buffer[] = [];
  let size = 0;
  for await (const chunk of req) {
    size += (chunk as Buffer).length;
    if (size > limit) throw new Error('request body too large');
    chunks.push(chunk as Buffer);
  }
  return Buffer.concat(chunks).toString('utf8');
}

/** The bridge's twin of Electron's media://clip/<path>: read-only, confined to the data dir, with Range for <video>. */
function sendMedia(req: IncomingMessage, res: ServerResponse, dataDir: string, rel: string): void {
  // The same rule as media:// in the app (../app/media-path.ts, issue 16.4).
  const found = resolveMediaPath(dataDir, rel);
  if (!found.ok) {
    send(res, 404, 'not found', 'text/plain');
    return;
  }
  const { file, size, type } = found;
  const m = /^bytes=(\d*)-(\d*)$/.exec(req.headers.range ?? '');
  if (m && (m[1] || m[2])) {
    const start = m[1] ? Number(m[1]) : Math.max(0, size - Number(m[2]));
    const end = m[1] && m[2] ? Math.min(Number(m[2]), size - 1) : size - 1;
    if (start > end || start >= size) {
      res.writeHead(416, { 'content-range': `bytes */${size}` });
      res.end();
      return;
    }
    res.writeHead(206, {
      'content-type': type,
      'content-range': `bytes ${start}-${end}/${size}`,
      'content-length': end - start + 1,
      'accept-ranges': 'bytes',
    });
    createReadStream(file, { start, end }).pipe(res);
    return;
  }
  res.writeHead(200, { 'content-type': type, 'content-length': size, 'accept-ranges': 'bytes' });
  createReadStream(file).pipe(res);
}

function send(res: ServerResponse, status: number, body: string, type = 'application/json'): void {
  res.writeHead(status, { 'content-type': type, 'cache-control': 'no-store' });
  res.end(body);
}

export async function startTestBridge(core: Core, rendererDir: string): Promise<TestBridge> {
  const token = randomBytes(16).toString('hex');
  const root = resolve(rendererDir);

  const server = createServer((req, res) => {
    void (async () => {
      const url = new URL(req.url ?? '/', 'http://127.0.0.1');
      if (url.pathname.startsWith('/rpc/') || url.pathname === '/events' || url.pathname.startsWith('/media/')) {
        if (req.headers['x-shotline-token'] !== token && url.searchParams.get('token') !== token) {
          send(res, 403, JSON.stringify({ ok: false, error: { code: 'forbidden', message: 'bad bridge token' } }));
          return;
        }
      }
      if (req.method === 'POST' && url.pathname.startsWith('/rpc/')) {
        const method = decodeURIComponent(url.pathname.slice('/rpc/'.length));
        let input: unknown;
        try {
          const body = await readBody(req);
          input = body ? JSON.parse(body) : {};
        } catch (err) {
          send(res, 400, JSON.stringify({ ok: false, error: { code: 'bad_request', message: String(err) } }));
          return;
        }
        send(res, 200, JSON.stringify(await core.callUnknown(method, input)));
        return;
      }
      if (req.method === 'GET' && url.pathname === '/events') {
        res.writeHead(200, {
          'content-type': 'text/event-stream',
          'cache-control': 'no-store',
          connection: 'keep-alive',
        });
        res.write(': connected\n\n');
        const unsubscribe = core.subscribe((name, payload) => {
          res.write(`data: ${JSON.stringify({ name, payload })}\n\n`);
        });
        req.on('close', unsubscribe);
        return;
      }
      if (req.method === 'GET' && url.pathname.startsWith('/media/clip/')) {
        sendMedia(req, res, core.ctx.dataDir, url.pathname.slice('/media/clip'.length));
        return;
      }
      if (req.method === 'GET') {
        const rel = url.pathname === '/' ? '/index.html' : decodeURIComponent(url.pathname);
        const file = resolve(root, `.${rel}`);
        const back = relative(root, file);
        if (back.startsWith('..') || isAbsolute(back)) {
          send(res, 404, 'not found', 'text/plain');
          return;
        }
        try {
          const body = await readFile(file);
          res.writeHead(200, { 'content-type': contentTypeOf(file) });
          res.end(body);
        } catch {
          send(res, 404, 'not found', 'text/plain');
        }
        return;
      }
      send(res, 405, 'method not allowed', 'text/plain');
    })().catch((err: unknown) => {
      if (!res.headersSent)
        send(res, 500, JSON.stringify({ ok: false, error: { code: 'internal', message: String(err) } }));
    });
  });

  await new Promise<void>((ok) => server.listen(0, '127.0.0.1', ok));
  const { port } = server.address() as AddressInfo;
  const origin = `http://127.0.0.1:${port}`;
  return {
    origin,
    token,
    url: `${origin}/index.html?bridge=${token}`,
    close: () =>
      new Promise<void>((ok) => {
        server.closeAllConnections();
        server.close(() => ok());
      }),
  };
}
