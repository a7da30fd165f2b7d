/**
 * `shotline keys set|list|test|delete`: key profiles in the OS keychain. Secrets are read
 * from stdin only (never argv, which shows in `ps` and shell history): AK and SK on two
 * lines (or separated by a space), a bearer key on one line, or JSON {accessKey, secretKey}
 * / {apiKey}. `--api-key` says the key is a Kling API key (the new standard's credential;
 * provider kling unless named). Output shows keys masked (at most the first and last 4
 * characters). `keys test` calls only the profile's own provider and host (test-key.ts).
 */
import { parseArgs } from 'node:util';

import {
  CredentialsInput,
  ProfileEnvironment,
  ProfileProvider,
  type ProfileInfo,
} from '../../../shared/contract/secrets';
import { ShotlineError } from '../../../shared/result';
import { createCore } from '../../core';
import { EXIT_JOBS_FAILED, EXIT_OK, UsageError, type CliCommand, type CliIO } from '../command';
import { resolveDataDir } from '../data-dir';

const USAGE = [
  'shotline keys set --profile NAME [--api-key] [--provider kling|cometapi|sandbox] [--region R] [--base-url URL] [--env prod|staging|test|dev] [--default] [--kind aksk|bearer]   (key on stdin)',
  '       shotline keys list [--json]',
  "       shotline keys test --profile NAME [--json] [--data-dir D]   (calls the profile's own host)",
  '       shotline keys delete --profile NAME [--provider P]',
].join('\n');

export function parseSecretInput(raw: string, kind?: string): CredentialsInput {
  const text = raw.trim();
  if (!text)
    throw new UsageError('no key on stdin: pipe it in, e.g. `printf "%s\\n%s\\n" "$AK" "$SK" | shotline keys set ...`');
  if (text.startsWith('{')) {
    let obj: Record<string, unknown>;
    try {
      obj = JSON.parse(text) as Record<string, unknown>;
    } catch {
      throw new UsageError(
        'stdin looks like JSON but does not parse; give {"accessKey":"…","secretKey":"…"} or {"apiKey":"…"}',
      );
    }
    const c = obj.apiKey
      ? { kind: 'bearer', apiKey: obj.apiKey }
      : { kind: 'aksk', accessKey: obj.accessKey, secretKey: obj.secretKey };
    const parsed = CredentialsInput.safeParse(c);
    if (!parsed.success) throw new UsageError('stdin JSON needs accessKey and secretKey (AK/SK) or apiKey (bearer)');
    return parsed.data;
  }
  const parts = text.split(/\s+/);
  const want = kind ?? (parts.length >= 2 ? 'aksk' : 'bearer');
  if (want === 'aksk') {
    if (parts.length !== 2)
      throw new UsageError('AK/SK: give the access key and the secret key on stdin, on two lines');
    return CredentialsInput.parse({ kind: 'aksk', accessKey: parts[0], secretKey: parts[1] });
  }
  if (parts.length !== 1) throw new UsageError('bearer: give exactly one API key on stdin');
  return CredentialsInput.parse({ kind: 'bearer', apiKey: parts[0] });
}

function line(p: ProfileInfo): string {
  const flags = [p.isDefault ? 'default' : '', p.rotationDue ? `ROTATE (${p.ageDays} days old)` : `${p.ageDays}d`]
    .filter(Boolean)
    .join(', ');
  return `${p.name.padEnd(20)} ${p.provider.padEnd(9)} ${(p.region ?? '-').padEnd(12)} ${p.environment.padEnd(8)} ${p.kind.padEnd(7)} ${p.maskedKey.padEnd(14)} ${flags}`;
}

async function withCore<T>(dataDir: string, fn: (core: ReturnType<typeof createCore>) => Promise<T>): Promise<T> {
  const core = createCore({ dataDir });
  try {
    return await fn(core);
  } finally {
    await core.close();
  }
}

function unwrap<T>(
  res: { ok: true; value: T } | { ok: false; error: { code: string; message: string; where?: string } },
): T {
  if (!res.ok) throw new ShotlineError(res.error);
  return res.value;
}

async function run(argv: string[], io: CliIO): Promise<number> {
  const [sub, ...rest] = argv;
  const { values } = parseArgs({
    args: rest,
    options: {
      profile: { type: 'string' },
      provider: { type: 'string' },
      region: { type: 'string' },
      'base-url': { type: 'string' },
      env: { type: 'string' },
      kind: { type: 'string' },
      'api-key': { type: 'boolean' },
      default: { type: 'boolean' },
      json: { type: 'boolean' },
      'data-dir': { type: 'string' },
    },
    strict: true,
  });
  const dataDir = resolveDataDir(values['data-dir'], io);
  const needProfile = (): string => {
    if (!values.profile) throw new UsageError('--profile NAME is required');
    return values.profile;
  };
  switch (sub) {
    case 'set': {
      const name = needProfile();
      if (values['api-key'] && values.kind && values.kind !== 'bearer')
        throw new UsageError('--api-key is a bearer key: leave out --kind aksk');
      if (values['api-key']) values.kind = 'bearer';
      // An API key is Kling's own credential today (kling-api.md §4.2): provider kling unless named.
      const provider = ProfileProvider.safeParse(values.provider ?? (values['api-key'] ? 'kling' : undefined));
      if (!provider.success)
        throw new UsageError('--provider must be kling, cometapi or sandbox (or give --api-key for a Kling API key)');
      const env = values.env === undefined ? undefined : ProfileEnvironment.safeParse(values.env);
      if (env && !env.success) throw new UsageError('--env must be prod, staging, test or dev');
      if (values.kind && values.kind !== 'aksk' && values.kind !== 'bearer')
        throw new UsageError('--kind must be aksk or bearer');
      io.stderr(
        values.kind === 'bearer'
          ? `Reading the API key for "${name}" from stdin (one line)…\n`
          : `Reading the ${values.kind ?? 'key'} for "${name}" from stdin (AK and SK on two lines, or one bearer key)…\n`,
      );
      const credentials = parseSecretInput(await io.readStdin(), values.kind);
      const info = await withCore(dataDir, async (core) =>
        unwrap(
          await core.call('secrets.set', {
            name,
            provider: provider.data,
            ...(values.region ? { region: values.region } : {}),
            ...(values['base-url'] ? { baseUrl: values['base-url'] } : {}),
            ...(env?.success ? { environment: env.data } : {}),
            ...(values.default ? { makeDefault: true } : {}),
            credentials,
          }),
        ),
      );
      if (values.json) io.stdout(`${JSON.stringify(info)}\n`);
      else io.stderr(`Saved "${info.name}" (${info.provider}, ${info.kind} ${info.maskedKey}) in the OS keychain.\n`);
      return EXIT_OK;
    }
    case 'list': {
      const list = await withCore(dataDir, async (core) => unwrap(await core.call('secrets.list', {})));
      if (values.json) {
        io.stdout(`${JSON.stringify(list)}\n`);
        return EXIT_OK;
      }
      if (list.keychain.status !== 'ok') io.stderr(`${list.keychain.message}\n`);
      else if (!list.profiles.length)
        io.stderr('No key profiles. Add one: shotline keys set --profile NAME --provider kling < keyfile\n');
      else io.stdout(`${list.profiles.map(line).join('\n')}\n`);
      return list.keychain.status === 'ok' ? EXIT_OK : EXIT_JOBS_FAILED;
    }
    case 'test': {
      const name = needProfile();
      if (values['base-url']) {
        throw new UsageError(
          `keys test takes no --base-url: the key goes only where its profile points. To test another host, save it in the profile (\`shotline keys set --profile "${name}" --base-url URL\`, key on stdin).`,
        );
      }
      const res = await withCore(dataDir, async (core) => unwrap(await core.call('secrets.test', { name })));
      if (values.json) io.stdout(`${JSON.stringify(res)}\n`);
      else io.stderr(`${res.ok ? 'OK' : 'FAILED'}: ${res.message}\n`);
      return res.ok ? EXIT_OK : EXIT_JOBS_FAILED;
    }
    case 'delete': {
      const name = needProfile();
      const provider = values.provider === undefined ? undefined : ProfileProvider.safeParse(values.provider);
      if (provider && !provider.success) throw new UsageError('--provider must be kling, cometapi or sandbox');
      const res = await withCore(dataDir, async (core) =>
        unwrap(await core.call('secrets.delete', { name, ...(provider?.success ? { provider: provider.data } : {}) })),
      );
      if (values.json) io.stdout(`${JSON.stringify(res)}\n`);
      else io.stderr(res.deleted ? `Deleted "${name}" from the OS keychain.\n` : `No profile "${name}".\n`);
      return res.deleted ? EXIT_OK : EXIT_JOBS_FAILED;
    }
    default:
      throw new UsageError(sub ? `unknown sub-command "${sub}"` : 'which one: set, list, test or delete?');
  }
}

export const keysCommand: CliCommand = {
  summary: 'Key profiles in the OS keychain: set (key on stdin), list (masked), test, delete',
  usage: USAGE,
  run,
};
