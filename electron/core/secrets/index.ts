/**
 * Secrets: key profiles in the OS keychain only (never SQLite, files, logs or IPC output).
 * - `createSecretStore()` : list (masked) / set (rotation date) / delete profiles
 * - `resolveCredentials({profile?, provider, env})` : keychain, else env vars (warning)
 * - `maskSecret(s)` : at most first 4 + last 4
 * - `testProfile(...)` : one cheap authenticated call (GET /account/costs)
 */
export {
  createKeytarKeychain,
  createMemoryKeychain,
  isKeychainError,
  keychainUnavailable,
  KEYCHAIN_HELP,
  KEYCHAIN_SERVICE,
} from './keychain';
export type { Keychain } from './keychain';
export { maskSecret } from './mask';
export { accountFor, createSecretStore, publicKeyOf, ROTATION_DAYS, toProfileInfo } from './store';
export type { SecretStore, SetProfileInput, StoredProfile } from './store';
export { credentialsFromEnv, resolveCredentials, SANDBOX_AKSK_CREDENTIALS, SANDBOX_CREDENTIALS } from './resolve';
export type { CredentialSource, ResolvedCredentials, ResolveOptions } from './resolve';
export { testProfile } from './test-key';
