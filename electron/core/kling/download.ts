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

export async function fetchResult(
  t: Transport,
  standard: Standard,
  url: string,
  o: { start?: number; signal?: AbortSignal } = {},
): Promise<Response> {
  // Every hop, the first and each redirect, must pass the https/loopback rule and is written
  // to the audit log with the host actually reached (issue 16.2).
  let hopUrl = url;
  let target!: URL;
  let res: Response | null = null;
  for (let hop = 0; ; hop++) {
    const bad = checkSafeUrl(hop === 0 ? 'url' : 'redirect', hopUrl);
    if (bad)
      throw new ShotlineError({
        code: 'validation',
        message: hop === 0 ? bad : `the result link redirected to an unsafe place (${bad}); nothing was downloaded`,
        where: 'url',
      });
    target = new URL(hopUrl);
    t.notify({
      method: 'GET',
      url: `${target.origin}${target.pathname}`,
      host: target.host,
      purpose: 'download',
      standard,
      bodySha256: sha256(''),
    });
    res = null;
    for (let tries = 0; !res; tries++) {
      const headersTimeout = new AbortController();
      const timer = setTimeout(() => headersTimeout.abort(new DOMException('no answer', 'TimeoutError')), t.timeoutMs);
      try {
        res = await t.fetch(hopUrl, {
          headers: o.start ? { Range: `bytes=${o.start}-` } : {},
          redirect: 'manual',
          signal: o.signal ? AbortSignal.any([o.signal, headersTimeout.signal]) : headersTimeout.signal,
        });
      } catch (err) {
        if (o.signal?.aborted) throw err;
        if (headersTimeout.signal.aborted)
          throw KlingError.transport(
            'timeout',
            `${target.host} did not start sending the video within ${t.timeoutMs} ms; it will be retried`,
          );
        if (tries > 0)
          throw KlingError.transport(
            'network',
            `could not download from ${target.host} (${causeOf(err)}); it will be retried`,
          );
        // Once more at once: a stale keep-alive connection is the usual cause.
      } finally {
        clearTimeout(timer);
      }
    }
    const next = res.status >= 300 && res.status < 400 ? res.headers.get('location') : null;
    if (!next) break;
    await res.body?.cancel();
    if (hop >= 5)
      throw KlingError.transport(
        'protocol',
        `the result link redirected more than 5 times (last ${target.host}); it will be retried`,
        res.status,
      );
    hopUrl = new URL(next, hopUrl).href;
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
    throw KlingError.transport(
      'protocol',
      `the result download answered HTTP ${res.status}; it will be retried`,
      res.status,
    );
  }
  return res;
}
