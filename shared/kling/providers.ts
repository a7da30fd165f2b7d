/**
 * Providers as data: where the legacy Kling API lives, under which path prefix, and which
 * credentials it takes. A provider is a record, not a class; the client reads it.
 */

export const PROVIDER_IDS = ['kling', 'cometapi', 'sandbox'] as const;
export type ProviderId = (typeof PROVIDER_IDS)[number];

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
    regions: [{ id: 'local', baseUrl: null, location: 'this machine (simulator)' }],
    defaultRegion: 'local',
    supportsAccountCosts: true,
    simulator: true,
  },
};

export function isProviderId(x: unknown): x is ProviderId {
  return typeof x === 'string' && (PROVIDER_IDS as readonly string[]).includes(x);
}
