/**
 * Key profiles, kept only in the OS keychain (service `Shotline`, one account per profile
 * and provider: `<provider>:<name>`). The item's value is JSON holding the secret plus the
 * profile's non-secret metadata (provider, region host, environment, created and rotated
 * dates). Why not SQLite for the metadata: a profile then belongs to the user, not to one
 * data dir (the app and `--data-dir` runs share keys), and no file on disk ever names a key.
 * Nothing here logs; only masked keys leave this module (except to the Kling client).
 */
import { z } from 'zod';

import {
  CredentialsInput,
  ProfileEnvironment,
  ProfileProvider,
  type ProfileInfo,
} from '../../../shared/contract/secrets';
import { PROVIDERS } from '../../../shared/kling/providers';
import { ShotlineError } from '../../../shared/result';
import { resolveBaseUrl } from '../kling/client';
import { createKeytarKeychain, isKeychainError, type Keychain } from './keychain';
import { maskSecret } from './mask';

export const ROTATION_DAYS = 90;
const DAY_MS = 86_400_000;

const StoredProfile = z.object({
  v: z.literal(1),
  name: z.string(),
  provider: ProfileProvider,
  region: z.string().nullable(),
  baseUrl: z.string().nullable(),
  environment: ProfileEnvironment,
  isDefault: z.boolean(),
  createdAt: z.string(),
  rotatedAt: z.string(),
  credentials: CredentialsInput,
});
export type StoredProfile = z.infer<typeof StoredProfile>;

export interface SetProfileInput {
  name: string;
  provider: StoredProfile['provider'];
  region?: string | undefined;
  baseUrl?: string | undefined;
  environment?: StoredProfile['environment'] | undefined;
  makeDefault?: boolean | undefined;
  credentials: CredentialsInput;
}

export const accountFor = (provider: string, name: string): string => `${provider}:${name}`;

export function publicKeyOf(c: CredentialsInput): string {
  return c.kind === 'aksk' ? c.accessKey : c.apiKey;
}

export function toProfileInfo(p: StoredProfile, now = Date.now()): ProfileInfo {
  const ageDays = Math.max(0, Math.floor((now - Date.parse(p.rotatedAt)) / DAY_MS));
  return {
    name: p.name,
    provider: p.provider,
    region: p.region,
    baseUrl: p.baseUrl,
    environment: p.environment,
    kind: p.credentials.kind,
    maskedKey: maskSecret(publicKeyOf(p.credentials)),
    isDefault: p.isDefault,
    createdAt: p.createdAt,
    rotatedAt: p.rotatedAt,
    ageDays,
    rotationDue: ageDays >= ROTATION_DAYS,
  };
}

export interface SecretStore {
  readonly keychain: Keychain;
  /** All profiles (secrets included: for the core only, never a front). */
  all(): Promise<StoredProfile[]>;
  /** Masked view for fronts; a keychain failure becomes status 'unavailable', not an error. */
  list(): Promise<{ profiles: ProfileInfo[]; keychain: { status: 'ok' | 'unavailable'; message: string | null } }>;
  get(name: string, provider?: string): Promise<StoredProfile | null>;
  set(input: SetProfileInput): Promise<ProfileInfo>;
  delete(name: string, provider?: string): Promise<boolean>;
}

export function createSecretStore(opts: { keychain?: Keychain; now?: () => number } = {}): SecretStore {
  const keychain = opts.keychain ?? createKeytarKeychain();
  const now = opts.now ?? Date.now;

  async function all(): Promise<StoredProfile[]> {
    const out: StoredProfile[] = [];
    for (const { value } of await keychain.list()) {
      try {
        out.push(StoredProfile.parse(JSON.parse(value)));
      } catch {
        // Not ours (or an older format): skip rather than guess. Never echo the value.
      }
    }
    return out.sort((a, b) => a.provider.localeCompare(b.provider) || a.name.localeCompare(b.name));
  }

  async function get(name: string, provider?: string): Promise<StoredProfile | null> {
    const matches = (await all()).filter((p) => p.name === name && (!provider || p.provider === provider));
    if (matches.length > 1) {
      throw new ShotlineError({
        code: 'usage_ambiguous_profile',
        where: `profile "${name}"`,
        message: `Profile "${name}" exists for ${matches.map((m) => m.provider).join(' and ')}; name the provider too.`,
      });
    }
    return matches[0] ?? null;
  }

  return {
    keychain,
    all,
    get,
    async list() {
      try {
        const t = now();
        return { profiles: (await all()).map((p) => toProfileInfo(p, t)), keychain: { status: 'ok', message: null } };
      } catch (err) {
        if (isKeychainError(err)) return { profiles: [], keychain: { status: 'unavailable', message: err.message } };
        throw err;
      }
    },
    async set(input) {
      const credentials = CredentialsInput.parse(input.credentials);
      if (input.provider === 'cometapi' && credentials.kind !== 'bearer') {
        throw new ShotlineError({
          code: 'validation',
          where: 'credentials',
          message: 'CometAPI takes a bearer API key, not AK/SK.',
        });
      }
      const account = accountFor(input.provider, input.name);
      const existing = await get(input.name, input.provider);
      // Same rules as the client: a known region, https (http only on loopback).
      const region = input.region ?? existing?.region ?? undefined;
      const baseUrl = input.baseUrl ?? existing?.baseUrl ?? undefined;
      if (input.provider !== 'sandbox' || baseUrl) resolveBaseUrl(PROVIDERS[input.provider], region, baseUrl);
      const stamp = new Date(now()).toISOString();
      const siblings = (await all()).filter((p) => p.provider === input.provider && p.name !== input.name);
      const isDefault = input.makeDefault ?? existing?.isDefault ?? siblings.every((p) => !p.isDefault);
      const keyChanged = !existing || JSON.stringify(existing.credentials) !== JSON.stringify(credentials);
      const profile: StoredProfile = {
        v: 1,
        name: input.name,
        provider: input.provider,
        region: input.region ?? existing?.region ?? null,
        baseUrl: input.baseUrl ?? existing?.baseUrl ?? null,
        environment: input.environment ?? existing?.environment ?? 'prod',
        isDefault,
        createdAt: existing?.createdAt ?? stamp,
        rotatedAt: keyChanged ? stamp : (existing?.rotatedAt ?? stamp),
        credentials,
      };
      await keychain.set(account, JSON.stringify(profile));
      if (isDefault) {
        for (const s of siblings.filter((p) => p.isDefault)) {
          await keychain.set(accountFor(s.provider, s.name), JSON.stringify({ ...s, isDefault: false }));
        }
      }
      return toProfileInfo(profile, now());
    },
    async delete(name, provider) {
      const p = await get(name, provider);
      if (!p) return false;
      return keychain.delete(accountFor(p.provider, p.name));
    },
  };
}
