/**
 * Providers as data: where the Kling API lives, under which path prefix, and which
 * credentials it takes. A provider is a record, not a class; the client reads it.
 */

export const PROVIDER_IDS = ['kling', 'cometapi', 'sandbox'] as const;
export type ProviderId = (typeof PROVIDER_IDS)[number];

import type { Standard } from './capabilities';

export type AuthKind = 'aksk' | 'bearer';

export interface ProviderRegion {
  id: string;
  /** https base URL; null for the sandbox (its URL is known only once it listens). */
  baseUrl: string | null;
  /** Where the data goes, for the audit log's recipient column. */
  location: string;
}

export interface ProviderSpec {
  id: ProviderId;
  label: string;
  /** Prepended to every `/v1/...` and `/account/...` path (CometAPI: `/kling`). */
  pathPrefix: string;
  auth: readonly AuthKind[];
  /** The API standards it serves (kling-api.md §4.2, §16: gateways expose the legacy shape). */
  standards: readonly Standard[];
  regions: readonly ProviderRegion[];
  defaultRegion: string;
  supportsAccountCosts: boolean;
  /** Shown wherever the provider is named: the sandbox is a simulator, never real output. */
  simulator: boolean;
}

export const PROVIDERS: Record<ProviderId, ProviderSpec> = {
  kling: {
    id: 'kling',
    label: 'Kling (official API)',
    pathPrefix: '',
    auth: ['aksk', 'bearer'],
    standards: ['new', 'legacy'],
    regions: [
      { id: 'singapore', baseUrl: 'https://api-singapore.klingai.com', location: 'Singapore (Kling global)' },
      { id: 'beijing', baseUrl: 'https://api-beijing.klingai.com', location: 'China mainland (Kling Beijing)' },
      { id: 'global-legacy', baseUrl: 'https://api.klingai.com', location: 'Kling global (old host)' },
    ],
    defaultRegion: 'singapore',
    supportsAccountCosts: true,
    simulator: false,
  },
  cometapi: {
    id: 'cometapi',
    label: 'CometAPI gateway',
    pathPrefix: '/kling',
    auth: ['bearer'],
    standards: ['legacy'],
    regions: [{ id: 'global', baseUrl: 'https://api.cometapi.com', location: 'CometAPI gateway (then Kling)' }],
    defaultRegion: 'global',
    supportsAccountCosts: false,
    simulator: false,
  },
  sandbox: {
    id: 'sandbox',
    label: 'Sandbox (local simulator, no real videos)',
    pathPrefix: '',
    auth: ['aksk', 'bearer'],
    standards: ['new', 'legacy'],
    regions: [{ id: 'local', baseUrl: null, location: 'this machine (simulator)' }],
    defaultRegion: 'local',
    supportsAccountCosts: true,
    simulator: true,
  },
};

/**
 * The credential decides the standard (docs/readme/kling.md): an API key speaks the new path-based
 * standard wherever the provider serves it; AK/SK tokens work only on the legacy `/v1` endpoints.
 */
export function standardFor(provider: ProviderSpec, auth: AuthKind): Standard {
  return auth === 'bearer' && provider.standards.includes('new') ? 'new' : 'legacy';
}

export function isProviderId(x: unknown): x is ProviderId {
  return typeof x === 'string' && (PROVIDER_IDS as readonly string[]).includes(x);
}
