/**
 * Which credentials a run uses: the keychain profile (named, else the provider's default),
 * else the env vars for headless machines (`SHOTLINE_ACCESS_KEY` + `SHOTLINE_SECRET_KEY`,
 * or `SHOTLINE_API_KEY`), reported as a warning. A locked or missing keychain falls back
 * to env when env keys exist, and otherwise fails with a message that says how to go on.
 */
import type { ProviderId } from '../../../shared/kling/providers';
import { ShotlineError } from '../../../shared/result';
import type { KlingCredentials } from '../kling/auth';
import { isKeychainError, type Keychain } from './keychain';
import { createSecretStore, type SecretStore, type StoredProfile } from './store';

export type CredentialSource = 'keychain' | 'env' | 'sandbox';

export interface ResolvedCredentials {
  credentials: KlingCredentials;
  source: CredentialSource;
  /** The profile used (keychain only): its region and custom host, if any. */
  profile: {
    name: string;
    provider: ProviderId;
    region: string | null;
    baseUrl: string | null;
    environment: string;
  } | null;
  warnings: string[];
}

export interface ResolveOptions {
  profile?: string | undefined;
  provider: ProviderId;
  env?: NodeJS.ProcessEnv;
  store?: SecretStore;
  keychain?: Keychain;
}

/**
 * Fixed, public test credentials: the sandbox's default account's API key (electron/core/sandbox/server.ts
 * SANDBOX_CREDENTIALS), so `--provider sandbox` speaks the new standard as a Kling user with an
 * API key would. Its AK/SK pair (legacy standard) is given through SHOTLINE_ACCESS_KEY/SECRET_KEY.
 */
export const SANDBOX_CREDENTIALS: KlingCredentials = { kind: 'bearer', apiKey: 'sandbox-api-key-0123456789abcdef' };
/** The sandbox's public AK/SK pair (electron/core/sandbox/server.ts SANDBOX_CREDENTIALS): the legacy standard. */
export const SANDBOX_AKSK_CREDENTIALS: KlingCredentials = {
  kind: 'aksk',
  accessKey: 'sandbox-access-key',
  secretKey: 'sandbox-secret-key',
};

export function credentialsFromEnv(env: NodeJS.ProcessEnv, provider: ProviderId): KlingCredentials | null {
  const ak = env.SHOTLINE_ACCESS_KEY?.trim();
  const sk = env.SHOTLINE_SECRET_KEY?.trim();
  const api = env.SHOTLINE_API_KEY?.trim();
  if (ak && sk && provider !== 'cometapi') return { kind: 'aksk', accessKey: ak, secretKey: sk };
  if (api) return { kind: 'bearer', apiKey: api };
  return null;
}

const ENV_WARNING =
  'Using keys from environment variables (SHOTLINE_ACCESS_KEY/SHOTLINE_SECRET_KEY or SHOTLINE_API_KEY): ' +
  'they can leak through shell history, process listings and CI logs. Store them in the OS keychain with `shotline keys set`.';

function fromProfile(p: StoredProfile, warnings: string[]): ResolvedCredentials {
  return {
    credentials: p.credentials,
    source: 'keychain',
    profile: { name: p.name, provider: p.provider, region: p.region, baseUrl: p.baseUrl, environment: p.environment },
    warnings,
  };
}

export async function resolveCredentials(opts: ResolveOptions): Promise<ResolvedCredentials> {
  const env = opts.env ?? process.env;
  const store = opts.store ?? createSecretStore(opts.keychain ? { keychain: opts.keychain } : {});
  const envCreds = credentialsFromEnv(env, opts.provider);
  const warnings: string[] = [];
  const profileName = opts.profile ?? (env.SHOTLINE_PROFILE?.trim() || undefined);

  let keychainError: ShotlineError | null = null;
  try {
    if (profileName) {
      const p = await store.get(profileName, opts.provider);
      if (p) return fromProfile(p, warnings);
      const others = (await store.all()).filter((x) => x.provider === opts.provider).map((x) => `"${x.name}"`);
      throw new ShotlineError({
        code: 'no_credentials',
        where: `profile "${profileName}"`,
        message: `No ${opts.provider} key profile named "${profileName}" in the OS keychain${others.length ? ` (there are ${others.join(', ')})` : ''}. Add it with \`shotline keys set --profile "${profileName}" --provider ${opts.provider}\` (the key is read from stdin).`,
      });
    }
    const mine = (await store.all()).filter((x) => x.provider === opts.provider);
    const pick = mine.find((x) => x.isDefault) ?? (mine.length === 1 ? mine[0] : undefined);
    if (pick) return fromProfile(pick, warnings);
    if (mine.length > 1 && !envCreds) {
      throw new ShotlineError({
        code: 'usage_ambiguous_profile',
        where: 'profile',
        message: `Several ${opts.provider} key profiles (${mine.map((x) => `"${x.name}"`).join(', ')}) and none is the default: pass --profile NAME.`,
      });
    }
  } catch (err) {
    if (!isKeychainError(err)) throw err;
    keychainError = err;
  }

  if (envCreds) {
    if (keychainError) warnings.push(`${keychainError.message.split('. ')[0]}; falling back to environment variables.`);
    warnings.push(ENV_WARNING);
    return { credentials: envCreds, source: 'env', profile: null, warnings };
  }
  if (opts.provider === 'sandbox') {
    return {
      credentials: SANDBOX_CREDENTIALS,
      source: 'sandbox',
      profile: null,
      warnings: ['Sandbox: using built-in test credentials.'],
    };
  }
  if (keychainError) throw keychainError;
  throw new ShotlineError({
    code: 'no_credentials',
    where: 'credentials',
    message: `No ${opts.provider} key: add a profile with \`shotline keys set --profile NAME --provider ${opts.provider}\` (reads the key from stdin) or in Settings; on a headless machine set SHOTLINE_ACCESS_KEY and SHOTLINE_SECRET_KEY, or SHOTLINE_API_KEY.`,
  });
}
