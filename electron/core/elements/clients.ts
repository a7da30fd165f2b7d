/**
 * A Kling client for the account an element lives in (account.ts), for deleting it outside a
 * run (the Elements page, `shotline elements delete`, `erase --subject`): the running engine's
 * client when it works that account; the built-in sandbox of the data dir; the sandbox's public
 * test credentials at another sandbox; or the keychain/env key of the account's provider and
 * profile, sent only to the account's own host. Every request is audited (audit.ts).
 */
import type Database from 'better-sqlite3';

import { isProviderId, PROVIDERS, type ProviderId } from '../../../shared/kling/providers';
import { ShotlineError } from '../../../shared/result';
import { createKlingClient, type KlingClient, type KlingRequestInfo } from '../kling/client';
import { auditFromKlingRequest, recordAudit } from '../privacy';
import type { CliSandbox } from '../sandbox/cli';
import { resolveCredentials, SANDBOX_AKSK_CREDENTIALS, SANDBOX_CREDENTIALS, type SecretStore } from '../secrets';
import { elementAuditEntry } from './audit';

export interface ParsedAccount {
  provider: ProviderId;
  host: string | null;
  profile: string | null;
  kind: 'aksk' | 'bearer';
}

/** The parts of an accountKey() string, or null for one this build cannot read. */
export function parseAccount(account: string): ParsedAccount | null {
  const m = /^([a-z]+)@([^/]+)\/(profile:(.+)|api-key|access-key)$/.exec(account);
  if (!m || !isProviderId(m[1] ?? '')) return null;
  return {
    provider: m[1] as ProviderId,
    host: m[2] === 'built-in' ? null : (m[2] ?? null),
    profile: m[4] ?? null,
    kind: m[3] === 'access-key' ? 'aksk' : 'bearer',
  };
}

export interface AccountClientDeps {
  db: Database.Database;
  /** The data dir's built-in sandbox (started on demand). */
  sandbox: () => Promise<CliSandbox>;
  /** The running engine's client and account, if any. */
  running?: { account: string; client: KlingClient } | null;
  env?: NodeJS.ProcessEnv;
  /** The core's one secret store (electron/core/services.ts); without it, the OS keychain's. */
  secrets?: SecretStore;
}

export async function clientForAccount(account: string, deps: AccountClientDeps): Promise<KlingClient> {
  if (deps.running && deps.running.account === account) return deps.running.client;
  const a = parseAccount(account);
  const refuse = (why: string): never => {
    throw new ShotlineError({
      code: 'no_credentials',
      where: `account ${account}`,
      message: `Cannot reach the account "${account}" the element lives in: ${why}`,
    });
  };
  if (!a) return refuse('this build does not know that kind of account');
  const onRequest = (i: KlingRequestInfo): void => {
    recordAudit(deps.db, elementAuditEntry(deps.db, i) ?? auditFromKlingRequest(deps.db, i));
  };
  if (a.provider === 'sandbox') {
    if (a.host === null) {
      const sb = await deps.sandbox();
      const c = sb.sandbox.credentials;
      const credentials =
        a.kind === 'aksk' || !c.apiKey
          ? { kind: 'aksk' as const, accessKey: c.accessKey, secretKey: c.secretKey }
          : { kind: 'bearer' as const, apiKey: c.apiKey };
      return createKlingClient({ provider: 'sandbox', baseUrl: sb.sandbox.url, credentials, onRequest });
    }
    // Another sandbox gets only the public test credentials (never a real key), as runs do.
    return createKlingClient({
      provider: 'sandbox',
      baseUrl: `http://${a.host}`,
      credentials: a.kind === 'aksk' ? SANDBOX_AKSK_CREDENTIALS : SANDBOX_CREDENTIALS,
      onRequest,
    });
  }
  const r = await resolveCredentials({
    provider: a.provider,
    ...(a.profile ? { profile: a.profile } : {}),
    env: deps.env ?? process.env,
    store: deps.secrets,
  });
  // The key goes only to the account's own host: the profile's, or one of the provider's official ones.
  const hosts = [r.profile?.baseUrl ?? null, ...PROVIDERS[a.provider].regions.map((x) => x.baseUrl)].filter(
    (u): u is string => u !== null,
  );
  const baseUrl = hosts.find((u) => new URL(u).host === a.host);
  if (!baseUrl)
    return refuse(
      `the ${a.provider} key${a.profile ? ` of profile "${a.profile}"` : ''} does not go to ${a.host ?? '(none)'}`,
    );
  return createKlingClient({ provider: a.provider, baseUrl, credentials: r.credentials, onRequest });
}
