/**
 * Which endpoint a request is for, and so which standard's auth and envelope apply
 * (kling-api.md §5.1 new standard, §6.1 legacy). CometAPI-style clients put everything under
 * `/kling` (kling-api.md §16): the prefix is stripped first.
 */
import type { Standard } from '../../../shared/kling/capabilities';
import type { FaultRoute } from './types';

/** New-standard create products (kling-api.md §5.1). */
export const NEW_PRODUCTS = ['text-to-video', 'image-to-video', 'omni-video', 'motion-control'] as const;
export type NewRouteProduct = (typeof NEW_PRODUCTS)[number];

/** Legacy families the sandbox knows; `video-extend` and `multi-image2video` are dead (only retired models made them). */
export const LEGACY_FAMILIES = [
  'text2video',
  'image2video',
  'omni-video',
  'motion-control',
  'video-extend',
  'multi-image2video',
] as const;
export type LegacyRouteFamily = (typeof LEGACY_FAMILIES)[number];

export type RouteMatch =
  | { route: 'download'; standard: null; token: string | null }
  | { route: 'account'; standard: 'legacy'; methodOk: boolean }
  | { route: 'create'; standard: 'new'; product: NewRouteProduct; model: string; methodOk: boolean }
  | { route: 'query'; standard: 'new'; tasks: true }
  | { route: 'list'; standard: 'new'; tasks: true }
  | { route: 'create' | 'list'; standard: 'legacy'; family: LegacyRouteFamily }
  | { route: 'query'; standard: 'legacy'; family: LegacyRouteFamily; id: string; methodOk: boolean }
  | {
      route: 'create' | 'query' | 'list';
      standard: 'legacy';
      element: 'create' | 'query' | 'list' | 'delete';
      id?: string;
    }
  | { route: 'unknown'; standard: Standard | null };

export function stripPrefix(pathname: string): string {
  return pathname.startsWith('/kling/') ? pathname.slice('/kling'.length) : pathname;
}

export function route(method: string, path: string): RouteMatch {
  if (path.startsWith('/media/')) {
    const m = /^\/media\/([0-9a-f]+)\.mp4$/.exec(path);
    return { route: 'download', standard: null, token: m?.[1] ?? null };
  }
  if (path === '/account/costs') return { route: 'account', standard: 'legacy', methodOk: method === 'GET' };
  if (path === '/tasks') {
    if (method === 'GET') return { route: 'query', standard: 'new', tasks: true };
    if (method === 'POST') return { route: 'list', standard: 'new', tasks: true };
    return { route: 'unknown', standard: 'new' };
  }
  const n = /^\/(text-to-video|image-to-video|omni-video|motion-control)\/([^/]+)$/.exec(path);
  if (n)
    return {
      route: 'create',
      standard: 'new',
      product: n[1] as NewRouteProduct,
      model: decodeURIComponent(n[2] ?? ''),
      methodOk: method === 'POST',
    };
  // Elements (kling-api.md §7; sandbox/elements.ts): creates and deletes count as creates for faults.
  const el = /^\/v1\/general\/(advanced-custom-elements|delete-advanced-elements)(?:\/([^/]+))?$/.exec(path);
  if (el) return elementRoute(method, el[1] === 'delete-advanced-elements', el[2]);
  const l =
    /^\/v1\/videos\/(text2video|image2video|omni-video|motion-control|video-extend|multi-image2video)(?:\/([^/]+))?$/.exec(
      path,
    );
  if (l) {
    const family = l[1] as LegacyRouteFamily;
    if (l[2])
      return { route: 'query', standard: 'legacy', family, id: decodeURIComponent(l[2]), methodOk: method === 'GET' };
    if (method === 'POST') return { route: 'create', standard: 'legacy', family };
    if (method === 'GET') return { route: 'list', standard: 'legacy', family };
    return { route: 'unknown', standard: 'legacy' };
  }
  return { route: 'unknown', standard: path.startsWith('/v1/') || path.startsWith('/account/') ? 'legacy' : null };
}

function elementRoute(method: string, del: boolean, id: string | undefined): RouteMatch {
  if (del)
    return method === 'POST' && !id
      ? { route: 'create', standard: 'legacy', element: 'delete' }
      : { route: 'unknown', standard: 'legacy' };
  if (id)
    return method === 'GET'
      ? { route: 'query', standard: 'legacy', element: 'query', id: decodeURIComponent(id) }
      : { route: 'unknown', standard: 'legacy' };
  if (method === 'POST') return { route: 'create', standard: 'legacy', element: 'create' };
  return method === 'GET'
    ? { route: 'list', standard: 'legacy', element: 'list' }
    : { route: 'unknown', standard: 'legacy' };
}

/** The route name faults and request records use. */
export function faultRoute(r: RouteMatch): FaultRoute | 'unknown' {
  return r.route;
}
