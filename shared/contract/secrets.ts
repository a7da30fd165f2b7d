/**
 * Key profiles (Settings and `shotline keys`). A secret crosses this contract in one
 * direction only: renderer -> main inside `secrets.set`. Every output carries masked
 * keys (at most the first and last 4 characters), never a secret.
 */
import { z } from 'zod';

import { method } from './define';

export const ProfileProvider = z.enum(['kling', 'cometapi', 'sandbox']);
export const ProfileEnvironment = z.enum(['prod', 'staging', 'test', 'dev']);
export type ProfileEnvironment = z.infer<typeof ProfileEnvironment>;

export const ProfileName = z
  .string()
  .min(1)
  .max(64)
  .regex(
    /^[\p{L}\p{N}][\p{L}\p{N} ._-]*$/u,
    'letters, digits, spaces, dot, underscore or dash; starts with a letter or digit',
  );

/** Input only: never part of an output schema. */
export const CredentialsInput = z.discriminatedUnion('kind', [
  z
    .object({ kind: z.literal('aksk'), accessKey: z.string().min(4).max(512), secretKey: z.string().min(4).max(512) })
    .strict(),
  z.object({ kind: z.literal('bearer'), apiKey: z.string().min(4).max(4096) }).strict(),
]);
export type CredentialsInput = z.infer<typeof CredentialsInput>;

export const ProfileInfo = z.object({
  name: z.string(),
  provider: ProfileProvider,
  region: z.string().nullable(),
  /** Only for a custom host (a proxy, the sandbox); null means the region's official host. */
  baseUrl: z.string().nullable(),
  environment: ProfileEnvironment,
  kind: z.enum(['aksk', 'bearer']),
  /** Access key (AK/SK) or API key (bearer), at most the first and last 4 characters. */
  maskedKey: z.string(),
  isDefault: z.boolean(),
  createdAt: z.string(),
  rotatedAt: z.string(),
  ageDays: z.number(),
  /** Older than 90 days since the last rotation. */
  rotationDue: z.boolean(),
});
export type ProfileInfo = z.infer<typeof ProfileInfo>;

export const ProfileList = z.object({
  profiles: z.array(ProfileInfo),
  /** 'ok', or why the keychain could not be read (the env-var fallback is then in use). */
  keychain: z.object({ status: z.enum(['ok', 'unavailable']), message: z.string().nullable() }),
});

export const KeyTestResult = z.object({
  ok: z.boolean(),
  profile: z.string(),
  provider: ProfileProvider,
  host: z.string(),
  /** What was called (e.g. GET /account/costs) and what came back, in words. */
  message: z.string(),
  code: z.string().nullable(),
});
export type KeyTestResult = z.infer<typeof KeyTestResult>;

export const secretsContract = {
  'secrets.list': method(z.object({}).strict(), ProfileList, 'Key profiles with masked keys and rotation age.'),
  'secrets.set': method(
    z
      .object({
        name: ProfileName,
        provider: ProfileProvider,
        region: z.string().max(64).optional(),
        baseUrl: z.string().url().max(512).optional(),
        environment: ProfileEnvironment.default('prod'),
        makeDefault: z.boolean().optional(),
        credentials: CredentialsInput,
      })
      .strict(),
    ProfileInfo,
    'Adds a profile or replaces its key (records the rotation date). The secret goes to the OS keychain only.',
  ),
  'secrets.delete': method(
    z.object({ name: ProfileName, provider: ProfileProvider.optional() }).strict(),
    z.object({ deleted: z.boolean() }),
    'Deletes a profile and its keychain entry.',
  ),
  'secrets.test': method(
    z.object({ name: ProfileName }).strict(),
    KeyTestResult,
    "A free authenticated call to the profile's own provider and host (GET /tasks?task_ids=0 with an API key, a one-item legacy task list with AK/SK); never a host the caller names.",
  ),
} as const;

export const secretsEvents = {} as const;
