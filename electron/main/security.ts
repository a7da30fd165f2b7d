/**
 * Global guards, applied once at start (Actual's security.ts, Fiddle's windows.ts):
 * - no navigation away from the app, no new windows, no <webview>;
 * - permissions denied by default;
 * - only parsed, allow-listed https URLs go to the OS browser.
 */
import { app, session, shell } from 'electron';

export const APP_SCHEME = 'app';
export const MEDIA_SCHEME = 'media';

const EXTERNAL_HOSTS = new Set(['app.klingai.com', 'kling.ai', 'github.com']);

export function isAppUrl(raw: string): boolean {
  try {
    const url = new URL(raw);
    return url.protocol === `${APP_SCHEME}:` && url.host === 'shotline';
  } catch {
    return false;
  }
}

export function openExternalSafely(raw: string): void {
  try {
    const url = new URL(raw);
    if (url.protocol === 'https:' && EXTERNAL_HOSTS.has(url.hostname)) void shell.openExternal(url.toString()); // eng-disable OPEN_EXTERNAL_JS_CHECK: parsed, https only, allow-listed hosts
  } catch {
    /* not a URL: ignore */
  }
}

/**
 * Packaged builds: the same CSP on every http(s) response the session receives, besides the
 * app:// handler's own header (electron/main/protocol.ts). Not in development, where the
 * Vite dev server needs its inline preamble.
 */
export function installCspHeader(): void {
  session.defaultSession.webRequest.onHeadersReceived((details, callback) => {
    callback({ responseHeaders: { ...details.responseHeaders, 'Content-Security-Policy': [CONTENT_SECURITY_POLICY] } });
  });
}

export function installSecurityGuards(): void {
  app.on('web-contents-created', (_event, contents) => {
    contents.on('will-navigate', (event, url) => {
      if (!isAppUrl(url)) event.preventDefault();
    });
    contents.on('will-redirect', (event, url) => {
      if (!isAppUrl(url)) event.preventDefault();
    });
    contents.on('will-attach-webview', (event) => event.preventDefault());
    contents.setWindowOpenHandler(({ url }) => {
      openExternalSafely(url);
      return { action: 'deny' };
    });
  });
  session.defaultSession.setPermissionRequestHandler((_wc, _permission, callback) => callback(false));
  session.defaultSession.setPermissionCheckHandler(() => false);
}

/** Strict CSP for every app:// response; the renderer talks to nothing but the preload. */
export const CONTENT_SECURITY_POLICY = [
  "default-src 'none'",
  "script-src 'self'",
  "style-src 'self'",
  "img-src 'self' media: data:",
  "media-src 'self' media:",
  "font-src 'self'",
  "connect-src 'self'",
  "base-uri 'none'",
  "form-action 'none'",
  "frame-ancestors 'none'",
].join('; ');
