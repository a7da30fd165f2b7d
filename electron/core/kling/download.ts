/**
 * Result downloads: a GET of the video URL Kling returned, with no Authorization header (its
 * CDN links are hotlink-protected, not authenticated; kling-api.md §11), from a byte offset when
 * resuming. Reported to the audit hook like every other request. A 403/404/410 is a KlingError
 * of kind `expired` (query the task for a fresh link); the timeout covers the wait for headers.
 */
import type { Standard } from '../../../shared/kling/capabilities';
import { checkSafeUrl } from '../../../shared/kling/images';
import { ShotlineError } from '../../../shared/result';
import { KlingError } from './errors';
import { causeOf, sha256, type Transport } from './transport';

export async function fetchResult(t: Transport, standard: Standard, url: string, o: { start?: number; signal?: AbortSignal } = {}): Promise<Response> {
  const bad = checkSafeUrl('url', url);
  if (bad) throw new ShotlineError({ code: 'validation', message: bad, where: 'url' });
  const target = new URL(url);
  t.notify({ method: 'GET', url: `${target.origin}${target.pathname}`, host: target.host, purpose: 'download', standard, bodySha256: sha256('') });
  let res: Response | null = null;
  for (let tries = 0; !res; tries++) {
    const headersTimeout = new AbortController();
    const timer = setTimeout(() => headersTimeout.abort(new DOMException('no answer', 'TimeoutError')), t.timeoutMs);
    try {
      res = await t.fetch(url, {
        headers: o.start ? { Range: `bytes=${o.start}-` } : {},
        signal: o.signal ? AbortSignal.any([o.signal, headersTimeout.signal]) : headersTimeout.signal,
      });
    } catch (err) {
      if (o.signal?.aborted) throw err;
      if (headersTimeout.signal.aborted) throw KlingError.transport('timeout', `${target.host} did not start sending the video within ${t.timeoutMs} ms; it will be retried`);
      if (tries > 0) throw KlingError.transport('network', `could not download from ${target.host} (${causeOf(err)}); it will be retried`);
      // Once more at once: a stale keep-alive connection is the usual cause.
    } finally {
      clearTimeout(timer);
    }
  }
  t.log(`GET ${target.origin}${target.pathname} (result${o.start ? ` from byte ${o.start}` : ''}) -> ${res.status}`);
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
}
