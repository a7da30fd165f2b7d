/**
 * The sandbox failing the way Kling and networks fail at night (issue 14, item 5):
 *
 * - an outage window: for a given time every API call answers a 5000-5002 code, or has its
 *   connection dropped without an answer;
 * - slow answers: every call waits a given time before it is handled (a backlogged Kling, a
 *   congested link), up to or past the client's timeout;
 * - a network that disappears: the server stops listening (connections refused) and later
 *   comes back on the same port, with every task it knew (server.ts `stop()` / `restart()`).
 *
 * server.ts calls `intercept()` once at the top of its request handler; everything else
 * here is state and timing, so server.ts stays as it is.
 */
import type { IncomingMessage, ServerResponse } from 'node:http';

/** What an outage does to each API call while it lasts. */
export type OutageMode =
  /** Answer every call with this Kling code (5000, 5001, 5002) and its HTTP status. */
  | { type: 'error'; code?: 5000 | 5001 | 5002 }
  /** Close the connection without answering. */
  | { type: 'drop' }
  /** Hold every answer this long, then handle the call normally. */
  | { type: 'slow'; delayMs: number };

export interface OutageWindow {
  mode: OutageMode;
  /** Sandbox clock (ms) when it began and when it ends (Infinity: until `end()`). */
  startedAt: number;
  endsAt: number;
  /** Result downloads (`/media/...`) fail too (a network outage); default false (an API outage). */
  downloads: boolean;
}

export interface OutageHit {
  at: number;
  method: string;
  path: string;
  what: 'error' | 'drop' | 'slow';
}

const HTTP_FOR: Record<number, number> = { 5000: 500, 5001: 503, 5002: 504 };
const MESSAGE_FOR: Record<number, string> = {
  5000: 'internal server error',
  5001: 'service temporarily unavailable',
  5002: 'internal timeout',
};

export class SandboxOutage {
  private window: OutageWindow | null = null;
  /** Every call the outage answered, dropped or slowed (tests count requests per minute). */
  readonly hits: OutageHit[] = [];
  /** Past windows with their real end (tests and reports read them). */
  readonly history: Array<{ mode: OutageMode; startedAt: number; endedAt: number }> = [];

  constructor(private readonly now: () => number) {}

  /** Starts an outage for `forMs` (Infinity: until `end()`), replacing any current one. */
  start(mode: OutageMode, forMs = Infinity, o: { downloads?: boolean } = {}): OutageWindow {
    this.end();
    const at = this.now();
    this.window = { mode, startedAt: at, endsAt: at + forMs, downloads: o.downloads ?? false };
    return this.window;
  }

  /** Ends the current outage now (if any). */
  end(): void {
    const w = this.window;
    if (!w) return;
    this.history.push({ mode: w.mode, startedAt: w.startedAt, endedAt: Math.min(this.now(), w.endsAt) });
    this.window = null;
  }

  /** The outage in force now, or null (a window whose time is up is closed here). */
  current(): OutageWindow | null {
    const w = this.window;
    if (w && this.now() >= w.endsAt) {
      this.history.push({ mode: w.mode, startedAt: w.startedAt, endedAt: w.endsAt });
      this.window = null;
      return null;
    }
    return w;
  }

  /**
   * Called first for every request. Returns true when the outage dealt with it (answered or
   * dropped it); false when the request should be handled normally (after a slow wait).
   */
  async intercept(req: IncomingMessage, res: ServerResponse, isDownload: boolean): Promise<boolean> {
    const w = this.current();
    if (!w || (isDownload && !w.downloads)) return false;
    const method = req.method ?? 'GET';
    const path = req.url ?? '/';
    const mode = w.mode;
    this.hits.push({ at: this.now(), method, path, what: mode.type });
    if (mode.type === 'slow') {
      await new Promise((resolve) => setTimeout(resolve, mode.delayMs));
      return false;
    }
    if (mode.type === 'drop') {
      req.socket.destroy();
      return true;
    }
    const code = mode.code ?? 5001;
    const text = JSON.stringify({
      code,
      message: MESSAGE_FOR[code] ?? 'error',
      request_id: `outage-${this.hits.length}`,
      data: null,
    });
    res.writeHead(HTTP_FOR[code] ?? 503, {
      'Content-Type': 'application/json; charset=utf-8',
      'Content-Length': Buffer.byteLength(text),
      Date: new Date(this.now()).toUTCString(),
    });
    res.end(text);
    return true;
  }
}
