/**
 * Which provider a batch queued from the app runs on, when the Batch page names only a key
 * profile (or nothing): the profile's own provider; with no profile, Kling when there is a
 * Kling key (keychain or env), another provider when it is the only one with keys, and the
 * sandbox (labelled a simulator everywhere) when no key is set at all, so a new user can try
 * the whole flow without an account. A locked keychain is reported, never guessed around.
 */
import type { ProviderId } from '../../../shared/kling/providers';
import { ShotlineError } from '../../../shared/result';
import { createSecretStore, credentialsFromEnv, type SecretStore } from '../secrets';

export interface ProviderChoice {
  provider: ProviderId;
  profile: string | undefined;
  /** Why this provider, for the Batch page and the log. */
  reason: string;
}

export async function chooseProvider(opts: {
  provider?: ProviderId | undefined;
  profile?: string | undefined;
  env?: NodeJS.ProcessEnv;
  store?: SecretStore;
}): Promise<ProviderChoice> {
  const env = opts.env ?? process.env;
  if (opts.provider)
    return { provider: opts.provider, profile: opts.profile, reason: `provider ${opts.provider} chosen` };
  const store = opts.store ?? createSecretStore();
  if (opts.profile) {
    const p = await store.get(opts.profile);
    if (!p) {
      throw new ShotlineError({
        code: 'no_credentials',
        where: `profile "${opts.profile}"`,
        message: `No key profile named "${opts.profile}" in the OS keychain. Add it in Settings (or \`shotline keys set --profile "${opts.profile}"\`), or pick another profile.`,
      });
    }
    return { provider: p.provider, profile: p.name, reason: `profile "${p.name}" (${p.provider})` };
  }
  if (credentialsFromEnv(env, 'kling'))
    return { provider: 'kling', profile: undefined, reason: 'Kling keys from environment variables' };
  const providers = [...new Set((await store.all()).map((p) => p.provider))];
  if (providers.includes('kling'))
    return { provider: 'kling', profile: undefined, reason: 'the default Kling profile' };
  const only = providers.length === 1 ? providers[0] : undefined;
  if (only) return { provider: only, profile: undefined, reason: `the only provider with a key (${only})` };
  if (providers.length > 1) {
    throw new ShotlineError({
      code: 'usage_ambiguous_profile',
      where: 'profile',
      message: `Keys are set for ${providers.join(' and ')}: choose a profile on the Batch page.`,
    });
  }
  return {
    provider: 'sandbox',
    profile: undefined,
    reason: 'no key is set: the Kling sandbox (a local simulator, no real videos, no cost)',
  };
}
