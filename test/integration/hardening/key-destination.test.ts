/**
 * Issue 16.1, "the key goes only where the profile points": a caller-chosen base URL never
 * receives a real key. Attacks reproduced: `secrets.test` / `keys test` with a base URL of the
 * attacker's, and `run --provider sandbox --base-url URL` (or `--provider kling --base-url`)
 * with real keys in the environment. A real sandbox plays the hostile host; every
 * Authorization header the process sends is decoded and its issuer (the access key) checked.
 * Run under scripts/with-keyring.sh (the real OS keychain holds the profile).
 */
import { randomBytes, randomUUID } from 'node:crypto';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

import keytar from 'keytar';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';

import { runCli } from '../../../electron/cli/main';
import { createCore } from '../../../electron/core';
import { keyDestinationProblem } from '../../../electron/core/engine/runner';
import { startSandbox, type Sandbox } from '../../../electron/core/sandbox';

const SERVICE = `Shotline-test-${randomUUID()}`;
const AK = `ak-${randomBytes(12).toString('hex')}`;
const SK = `sk-${randomBytes(20).toString('hex')}`;

let home: Sandbox;
let hostile: Sandbox;
let dir: string;
const realFetch = globalThis.fetch;
/** Origin -> access keys (JWT issuers or bearer keys) sent there. */
const sent = new Map<string, string[]>();

function issuer(auth: string): string {
  const token = auth.replace(/^Bearer /, '');
  const parts = token.split('.');
  if (parts.length !== 3) return token;
  return (JSON.parse(Buffer.from(parts[1]!, 'base64url').toString('utf8')) as { iss?: string }).iss ?? '';
}

beforeAll(async () => {
  process.env.SHOTLINE_KEYCHAIN_SERVICE = SERVICE;
  globalThis.fetch = (input, init) => {
    const auth = new Headers(init?.headers).get('authorization');
    const url = typeof input === 'string' ? input : input instanceof URL ? input.href : input.url;
    if (auth) {
      const o = new URL(url).origin;
      sent.set(o, [...(sent.get(o) ?? []), issuer(auth)]);
    }
    return realFetch(input, init);
  };
  home = await startSandbox({ accounts: [{ accessKey: AK, secretKey: SK }], costsMinIntervalMs: 0 });
  hostile = await startSandbox({ timing: { submittedMs: 10, processingMs: 20 }, costsMinIntervalMs: 0 });
  dir = mkdtempSync(join(tmpdir(), 'shotline-keydest-'));
  writeFileSync(
    join(dir, 'board.json'),
    JSON.stringify({
      name: 'kd',
      shots: [
        {
          id: 'a',
          prompt: 'a red kite over the sea',
          model: 'kling-2.5-turbo',
          resolution: '720p',
          duration: 5,
          aspectRatio: '16:9',
          takes: 1,
        },
      ],
    }),
  );
});
afterAll(async () => {
  globalThis.fetch = realFetch;
  for (const c of await keytar.findCredentials(SERVICE)) await keytar.deletePassword(SERVICE, c.account);
  delete process.env.SHOTLINE_KEYCHAIN_SERVICE;
  await home.close();
  await hostile.close();
  rmSync(dir, { recursive: true, force: true });
});

async function cli(args: string[], env: NodeJS.ProcessEnv = {}): Promise<{ code: number; out: string }> {
  let out = '';
  const code = await runCli(args, {
    stdout: (t) => void (out += t),
    stderr: (t) => void (out += t),
    readStdin: () => Promise.resolve(''),
    env: { ...process.env, SHOTLINE_KEYCHAIN_SERVICE: SERVICE, ...env },
    cwd: dir,
  });
  return { code, out };
}

describe('the key goes only where the profile points (issue 16.1)', () => {
  it('secrets.test and keys test take no caller-chosen base URL; the profile host gets the call', async () => {
    const core = createCore({ dataDir: join(dir, 'data-test') });
    try {
      const set = await core.call('secrets.set', {
        name: 'Home',
        provider: 'sandbox',
        baseUrl: home.url,
        environment: 'test',
        credentials: { kind: 'aksk', accessKey: AK, secretKey: SK },
      });
      expect(set.ok).toBe(true);
      const redirected = await core.call('secrets.test', { name: 'Home', baseUrl: hostile.url });
      expect(redirected.ok).toBe(false);
      const own = await core.call('secrets.test', { name: 'Home' });
      expect(own.ok && own.value.ok, JSON.stringify(own)).toBe(true);
    } finally {
      await core.close();
    }
    const viaCli = await cli([
      'keys',
      'test',
      '--profile',
      'Home',
      '--base-url',
      hostile.url,
      '--data-dir',
      join(dir, 'data-test'),
    ]);
    expect(viaCli.code).toBe(2);
    expect(viaCli.out).toMatch(/keys test takes no --base-url.*shotline keys set --profile "Home" --base-url URL/s);
    expect(sent.get(hostile.url) ?? []).toEqual([]);
    expect(sent.get(home.url)).toContain(AK);
  });

  it('run --provider sandbox --base-url URL sends the sandbox test keys, never the env keys', async () => {
    const r = await cli(
      ['run', 'board.json', '--provider', 'sandbox', '--base-url', hostile.url, '--data-dir', join(dir, 'data-run')],
      {
        SHOTLINE_ACCESS_KEY: AK,
        SHOTLINE_SECRET_KEY: SK,
      },
    );
    expect(r.code, r.out).toBe(0);
    const there = sent.get(hostile.url) ?? [];
    expect(there.length).toBeGreaterThan(0);
    expect(there).not.toContain(AK);
    expect(r.out).not.toContain(SK);
  });

  it('run --provider kling --base-url URL refuses to send an env key to a host that is not Kling', async () => {
    const before = (sent.get(hostile.url) ?? []).length;
    const r = await cli(
      ['run', 'board.json', '--provider', 'kling', '--base-url', hostile.url, '--data-dir', join(dir, 'data-kling')],
      {
        SHOTLINE_ACCESS_KEY: AK,
        SHOTLINE_SECRET_KEY: SK,
      },
    );
    expect(r.code).toBe(2);
    expect(r.out).toMatch(
      /is not where the kling key from the environment may go.*keys set --profile NAME --provider kling --base-url/s,
    );
    expect((sent.get(hostile.url) ?? []).length).toBe(before);
  });

  it('keyDestinationProblem: profile host and official hosts pass, anything else is refused', () => {
    expect(
      keyDestinationProblem({ provider: 'kling', baseUrl: 'https://api-singapore.klingai.com/' }, null, 'env'),
    ).toBeNull();
    expect(
      keyDestinationProblem(
        { provider: 'kling', baseUrl: 'https://proxy.example' },
        'https://proxy.example',
        'keychain',
      ),
    ).toBeNull();
    expect(
      keyDestinationProblem(
        { provider: 'kling', profile: 'P', baseUrl: 'https://api-singapore.klingai.com' },
        'https://proxy.example',
        'keychain',
      ),
    ).toMatch(/profile "P"/);
    expect(keyDestinationProblem({ provider: 'cometapi', baseUrl: 'https://evil.example' }, null, 'env')).toMatch(
      /not where the cometapi key/,
    );
    expect(keyDestinationProblem({ provider: 'sandbox', baseUrl: 'http://127.0.0.1:1' }, null, null)).toBeNull();
    expect(keyDestinationProblem({ provider: 'kling', baseUrl: 'not a url' }, null, null)).toMatch(/is not a URL/);
  });
});
