/**
 * app://shotline/... serves the built renderer; media://clip/<relative path> serves files
 * from the data dir only: media files whose real path is inside it (never the database, state
 * files or listings). Both refuse path traversal (Actual's protocol.handle pattern).
 */
import { readFile } from 'node:fs/promises';
import { isAbsolute, relative, resolve } from 'node:path';
import { pathToFileURL } from 'node:url';

import { net, protocol } from 'electron';

import { contentTypeOf, resolveMediaPath } from '../core/app/media-path';
import { APP_SCHEME, CONTENT_SECURITY_POLICY, MEDIA_SCHEME } from './security';

export function registerSchemesAsPrivileged(): void {
  protocol.registerSchemesAsPrivileged([
    { scheme: APP_SCHEME, privileges: { standard: true, secure: true, supportFetchAPI: true } },
    { scheme: MEDIA_SCHEME, privileges: { standard: true, secure: true, stream: true, supportFetchAPI: true } },
  ]);
}

/** Resolves `rel` inside `root`, or null when it would escape it. */
export function confine(root: string, rel: string): string | null {
  const target = resolve(root, `.${rel.startsWith('/') ? '' : '/'}${rel}`);
  const back = relative(root, target);
  if (back === '' || back.startsWith('..') || isAbsolute(back)) return null;
  return target;
}

export function handleProtocols(rendererDir: string, dataDir: string): void {
  protocol.handle(APP_SCHEME, async (request) => {
    const url = new URL(request.url);
    const rel = decodeURIComponent(url.pathname === '/' ? '/index.html' : url.pathname);
    const file = url.host === 'shotline' ? confine(rendererDir, rel) : null;
    if (!file) return new Response('Not found', { status: 404 });
    try {
      const body = await readFile(file);
      return new Response(body, {
        headers: {
          'content-type': contentTypeOf(file),
          'content-security-policy': CONTENT_SECURITY_POLICY,
          'x-content-type-options': 'nosniff',
        },
      });
    } catch {
      return new Response('Not found', { status: 404 });
    }
  });
  protocol.handle(MEDIA_SCHEME, (request) => {
    const url = new URL(request.url);
    // Media files only, real path inside the data dir (electron/core/app/media-path.ts, issue 16.4).
    const found = url.host === 'clip' ? resolveMediaPath(dataDir, url.pathname) : null;
    if (!found?.ok) return new Response('Not found', { status: 404 });
    // net.fetch on file:// keeps Range support for the <video> element.
    return net.fetch(pathToFileURL(found.file).toString(), { headers: request.headers });
  });
}
