/**
 * The OS keychain behind one small interface, so tests can swap in memory and so every
 * keytar failure (no Secret Service, locked collection, dismissed prompt) becomes one
 * clear ShotlineError with a way on, never a crash. keytar is loaded lazily: a machine
 * without a usable native build still runs everything that does not need keys.
 */
import type * as KeytarModule from 'keytar';

import { ShotlineError } from '../../../shared/result';

export const KEYCHAIN_SERVICE = 'Shotline';

export interface Keychain {
  readonly service: string;
  get(account: string): Promise<string | null>;
  set(account: string, value: string): Promise<void>;
  delete(account: string): Promise<boolean>;
  /** Every account and its stored value under the service. */
  list(): Promise<Array<{ account: string; value: string }>>;
}

export const KEYCHAIN_HELP =
  'Unlock the OS keychain (Linux: a Secret Service such as gnome-keyring must be running and unlocked; ' +
  'macOS: Keychain Access; Windows: Credential Manager), or for this shell set SHOTLINE_ACCESS_KEY and ' +
  'SHOTLINE_SECRET_KEY (Kling AK/SK) or SHOTLINE_API_KEY (bearer key); env keys are reported as a compliance warning.';

export function keychainUnavailable(cause: unknown): ShotlineError {
  const why = cause instanceof Error ? cause.message : String(cause);
  const locked = /locked|dismiss|denied|cancel/i.test(why);
  return new ShotlineError({
    code: locked ? 'keychain_locked' : 'keychain_unavailable',
    where: 'OS keychain',
    message: `The OS keychain is ${locked ? 'locked' : 'not available'} (${why.split('\n')[0]}). ${KEYCHAIN_HELP}`,
  });
}

export function isKeychainError(err: unknown): err is ShotlineError {
  return (
    err instanceof ShotlineError && (err.info.code === 'keychain_unavailable' || err.info.code === 'keychain_locked')
  );
}

type Keytar = typeof KeytarModule;
let keytarPromise: Promise<Keytar> | null = null;

async function loadKeytar(): Promise<Keytar> {
  keytarPromise ??= import('keytar').then((m) => (m as { default?: Keytar }).default ?? m);
  return keytarPromise;
}

/** The real keychain through keytar (Secret Service, macOS Keychain, Windows Credential Manager). */
export function createKeytarKeychain(service = process.env.SHOTLINE_KEYCHAIN_SERVICE || KEYCHAIN_SERVICE): Keychain {
  const wrap = async <T>(fn: (k: Keytar) => Promise<T>): Promise<T> => {
    let k: Keytar;
    try {
      k = await loadKeytar();
    } catch (err) {
      keytarPromise = null;
      throw keychainUnavailable(err);
    }
    for (let attempt = 0; ; attempt++) {
      try {
        return await fn(k);
      } catch (err) {
        // gnome-keyring renumbers items when another daemon rewrites the keyring file: a
        // search can briefly name an item that no longer exists. Ask again.
        if (attempt < 3 && /No such secret item|Object does not exist/i.test(String((err as Error)?.message ?? err))) {
          await new Promise((r) => setTimeout(r, 50 * (attempt + 1)));
          continue;
        }
        throw keychainUnavailable(err);
      }
    }
  };
  return {
    service,
    get: (account) => wrap((k) => k.getPassword(service, account)),
    set: (account, value) => wrap((k) => k.setPassword(service, account, value)),
    delete: (account) => wrap((k) => k.deletePassword(service, account)),
    list: () =>
      wrap(async (k) => (await k.findCredentials(service)).map((c) => ({ account: c.account, value: c.password }))),
  };
}

/** For unit tests and for simulating a locked keychain (`unavailable: 'reason'`). */
export function createMemoryKeychain(
  opts: { service?: string; unavailable?: string } = {},
): Keychain & { entries: Map<string, string> } {
  const entries = new Map<string, string>();
  const check = (): void => {
    if (opts.unavailable) throw keychainUnavailable(new Error(opts.unavailable));
  };
  const run = <T>(fn: () => T): Promise<T> =>
    new Promise((resolve) => {
      check();
      resolve(fn());
    });
  return {
    service: opts.service ?? 'memory',
    entries,
    get: (a) => run(() => entries.get(a) ?? null),
    set: (a, v) => run(() => void entries.set(a, v)),
    delete: (a) => run(() => entries.delete(a)),
    list: () => run(() => [...entries].map(([account, value]) => ({ account, value }))),
  };
}
