/**
 * Key profiles against the real OS keychain (gnome-keyring's Secret Service under
 * dbus-run-session in CI; locally: scripts/with-keyring.sh npx vitest run <this file>).
 * Each test run uses its own keychain service name and removes it afterwards.
 */
import { execFile } from 'node:child_process';
import { randomBytes, randomUUID } from 'node:crypto';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

import keytar from 'keytar';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';

import { runCli } from '../../../electron/cli/main';
import { createCore } from '../../../electron/core';
import { walkFiles } from '../../../electron/core/privacy/files';
import { startSandbox, type Sandbox } from '../../../electron/core/sandbox';
import { createKeytarKeychain, createSecretStore, resolveCredentials } from '../../../electron/core/secrets';
import { maskSecret } from '../../../electron/core/secrets/mask';

const SERVICE = `Shotline-test-${randomUUID()}`;
const AK = `ak-${randomBytes(12).toString('hex')}`;
const SK = `sk-${randomBytes(20).toString('hex')}`;
/** A Kling API key (the new standard's credential). */
const API = `kapi-${randomBytes(20).toString('hex')}`;

let sandbox: Sandbox;
let dir: string;

beforeAll(async () => {
  process.env.SHOTLINE_KEYCHAIN_SERVICE = SERVICE;
  sandbox = await startSandbox({ accounts: [{ accessKey: AK, secretKey: SK, apiKey: API }], costsMinIntervalMs: 0 });
  dir = mkdtempSync(join(tmpdir(), 'shotline-keys-'));
});
afterAll(async () => {
  for (const c of await keytar.findCredentials(SERVICE)) await keytar.deletePassword(SERVICE, c.account);
  delete process.env.SHOTLINE_KEYCHAIN_SERVICE;
  await sandbox.close();
  rmSync(dir, { recursive: true, force: true });
});

/** In-process, like the real CLI but without paying a process start per call. */
async function cliIn(args: string[], stdin = ''): Promise<{ code: number; stdout: string; stderr: string }> {
  let stdout = '';
  let stderr = '';
  const code = await runCli(args, {
    stdout: (t) => void (stdout += t),
    stderr: (t) => void (stderr += t),
    readStdin: () => Promise.resolve(stdin),
    env: { ...process.env, SHOTLINE_KEYCHAIN_SERVICE: SERVICE },
    cwd: process.cwd(),
  });
  return { code, stdout, stderr };
}

/** A real process, for the one thing that needs it: the secret arriving on a real stdin. */
function cli(
  args: string[],
  stdin = '',
  env: NodeJS.ProcessEnv = {},
): Promise<{ code: number; stdout: string; stderr: string }> {
  return new Promise((resolve) => {
    const child = execFile(
      'npx',
      ['tsx', 'electron/cli/index.ts', ...args],
      { env: { ...process.env, SHOTLINE_KEYCHAIN_SERVICE: SERVICE, ...env } },
      (err, stdout, stderr) => resolve({ code: err ? ((err as { code?: number }).code ?? 1) : 0, stdout, stderr }),
    );
    child.stdin?.end(stdin);
  });
}

describe('key profiles in the real OS keychain', () => {
  it('round trip: set, list masked, resolve, rotate, delete', async () => {
    const store = createSecretStore({ keychain: createKeytarKeychain(SERVICE) });
    const info = await store.set({
      name: 'Agency prod',
      provider: 'kling',
      region: 'singapore',
      credentials: { kind: 'aksk', accessKey: AK, secretKey: SK },
    });
    expect(info.maskedKey).toBe(`${AK.slice(0, 4)}…${AK.slice(-4)}`);
    const raw = await keytar.getPassword(SERVICE, 'kling:Agency prod');
    expect(raw && (JSON.parse(raw) as { credentials: { secretKey: string } }).credentials.secretKey).toBe(SK);

    const listed = await store.list();
    expect(listed.keychain.status).toBe('ok');
    expect(JSON.stringify(listed)).not.toContain(SK);

    const r = await resolveCredentials({ provider: 'kling', env: {}, store });
    expect(r).toMatchObject({
      source: 'keychain',
      credentials: { kind: 'aksk', accessKey: AK, secretKey: SK },
      profile: { name: 'Agency prod', region: 'singapore' },
    });

    const rotated = await store.set({
      name: 'Agency prod',
      provider: 'kling',
      credentials: { kind: 'aksk', accessKey: AK, secretKey: `${SK}x` },
    });
    expect(rotated.createdAt).toBe(info.createdAt);
    expect(rotated.region).toBe('singapore');
    expect(await store.delete('Agency prod')).toBe(true);
    expect(await keytar.getPassword(SERVICE, 'kling:Agency prod')).toBeNull();
  });

  it('contract: set/list/test/delete never return the secret; the test call is audited', async () => {
    const core = createCore({ dataDir: dir });
    const outputs: unknown[] = [];
    core.subscribe((event, payload) => outputs.push({ event, payload }));
    try {
      const set = await core.call('secrets.set', {
        name: 'Sandbox key',
        provider: 'sandbox',
        baseUrl: sandbox.url,
        environment: 'test',
        credentials: { kind: 'aksk', accessKey: AK, secretKey: SK },
      });
      outputs.push(set);
      expect(set.ok).toBe(true);
      const list = await core.call('secrets.list', {});
      outputs.push(list);
      expect(list.ok && list.value.profiles.map((p) => p.name)).toEqual(['Sandbox key']);
      const test = await core.call('secrets.test', { name: 'Sandbox key' });
      outputs.push(test);
      expect(test.ok && test.value).toMatchObject({ ok: true, provider: 'sandbox' });
      // AK/SK speaks the legacy standard: a one-item task list, free.
      expect(test.ok && test.value.message).toMatch(
        /GET \/v1\/videos\/text2video on .* accepted the access key \+ secret key/,
      );
      const audit = await core.call('privacy.audit.list', {});
      outputs.push(audit);
      expect(audit.ok && audit.value.rows[0]).toMatchObject({
        method: 'GET',
        path: '/v1/videos/text2video',
        provider: 'sandbox',
      });

      // An API key speaks the new standard: GET /tasks?task_ids=0, free, nothing created.
      const creates = sandbox.creates.length;
      await core.call('secrets.set', {
        name: 'API key',
        provider: 'sandbox',
        baseUrl: sandbox.url,
        credentials: { kind: 'bearer', apiKey: API },
      });
      const apiTest = await core.call('secrets.test', { name: 'API key' });
      outputs.push(apiTest);
      expect(apiTest.ok && apiTest.value).toMatchObject({ ok: true, provider: 'sandbox' });
      expect(apiTest.ok && apiTest.value.message).toMatch(/GET \/tasks\?task_ids=0 on .* accepted the API key/);
      expect(sandbox.requests.at(-1)).toMatchObject({
        method: 'GET',
        path: '/tasks?task_ids=0',
        standard: 'new',
        code: 0,
      });
      expect(sandbox.creates.length).toBe(creates);
      // Never a host the caller names: the contract has no such field.
      const elsewhere = await core.call('secrets.test', { name: 'API key', baseUrl: 'https://collector.example' });
      expect(elsewhere.ok).toBe(false);
      expect((await core.call('secrets.delete', { name: 'API key' })).ok).toBe(true);

      // A wrong key is reported, not thrown.
      await core.call('secrets.set', {
        name: 'Bad key',
        provider: 'sandbox',
        baseUrl: sandbox.url,
        credentials: { kind: 'aksk', accessKey: AK, secretKey: 'wrong-secret-key' },
      });
      const bad = await core.call('secrets.test', { name: 'Bad key' });
      outputs.push(bad);
      expect(bad.ok && bad.value.ok).toBe(false);
      expect(bad.ok && bad.value.code).toMatch(/kling_100[0-4]/);
      const del = await core.call('secrets.delete', { name: 'Bad key' });
      expect(del.ok && del.value.deleted).toBe(true);
      const comp = await core.call('privacy.compliance', {});
      outputs.push(comp);
      expect(comp.ok && comp.value.checks.find((c) => c.id === 'https')?.status).toBe('pass');
    } finally {
      await core.close();
    }
    expect(JSON.stringify(outputs)).not.toContain(SK);
    expect(JSON.stringify(outputs)).not.toContain(API);
    for (const f of walkFiles(dir)) {
      expect(readFileSync(f).includes(Buffer.from(SK)), f).toBe(false);
      expect(readFileSync(f).includes(Buffer.from(API)), f).toBe(false);
    }
  });

  it('CLI: keys set reads stdin, list/test/delete show only masked keys', async () => {
    const d = mkdtempSync(join(tmpdir(), 'shotline-keys-cli-'));
    try {
      const set = await cli(
        [
          'keys',
          'set',
          '--profile',
          'CLI test',
          '--provider',
          'sandbox',
          '--base-url',
          sandbox.url,
          '--env',
          'test',
          '--data-dir',
          d,
        ],
        `${AK}\n${SK}\n`,
      );
      expect(set.code, set.stderr).toBe(0);
      expect(set.stderr).toMatch(/Saved "CLI test" \(sandbox, aksk ak-/);
      const list = await cliIn(['keys', 'list', '--json', '--data-dir', d]);
      expect(list.code).toBe(0);
      const parsed = JSON.parse(list.stdout) as { profiles: Array<{ name: string; maskedKey: string }> };
      expect(parsed.profiles.find((p) => p.name === 'CLI test')?.maskedKey).toBe(`${AK.slice(0, 4)}…${AK.slice(-4)}`);
      const test = await cliIn(['keys', 'test', '--profile', 'CLI test', '--data-dir', d]);
      expect(test.code, test.stderr).toBe(0);
      expect(test.stderr).toMatch(/^OK: GET \/v1\/videos\/text2video/m);
      const elsewhere = await cliIn([
        'keys',
        'test',
        '--profile',
        'CLI test',
        '--base-url',
        'https://collector.example',
        '--data-dir',
        d,
      ]);
      expect(elsewhere.code).toBe(2);
      expect(elsewhere.stderr).toMatch(/takes no --base-url: the key goes only where its profile points/);

      // An API key: --api-key, the key on stdin, listed masked, tested on the new standard.
      const api = await cli(
        [
          'keys',
          'set',
          '--profile',
          'CLI api',
          '--api-key',
          '--provider',
          'sandbox',
          '--base-url',
          sandbox.url,
          '--data-dir',
          d,
        ],
        `${API}\n`,
      );
      expect(api.code, api.stderr).toBe(0);
      expect(api.stderr).toMatch(/Reading the API key/);
      expect(api.stderr).toContain(`Saved "CLI api" (sandbox, bearer ${maskSecret(API)})`);
      const apiList = JSON.parse((await cliIn(['keys', 'list', '--json', '--data-dir', d])).stdout) as {
        profiles: Array<{ name: string; kind: string; maskedKey: string }>;
      };
      const masked = apiList.profiles.find((p) => p.name === 'CLI api');
      expect(masked).toMatchObject({ kind: 'bearer', maskedKey: `${API.slice(0, 4)}…${API.slice(-4)}` });
      const apiTest = await cliIn(['keys', 'test', '--profile', 'CLI api', '--data-dir', d]);
      expect(apiTest.code, apiTest.stderr).toBe(0);
      expect(apiTest.stderr).toMatch(/^OK: GET \/tasks\?task_ids=0 on 127\.0\.0\.1:\d+ accepted the API key/m);
      // Without --provider an API key is a Kling key.
      const kling = await cliIn(
        ['keys', 'set', '--profile', 'CLI kling api', '--api-key', '--json', '--data-dir', d],
        `${API}\n`,
      );
      expect(kling.code, kling.stderr).toBe(0);
      expect(JSON.parse(kling.stdout)).toMatchObject({ provider: 'kling', kind: 'bearer', region: null });
      expect(
        (await cliIn(['keys', 'set', '--profile', 'y', '--api-key', '--kind', 'aksk', '--data-dir', d], `${API}\n`))
          .code,
      ).toBe(2);
      for (const name of ['CLI api', 'CLI kling api'])
        expect((await cliIn(['keys', 'delete', '--profile', name, '--data-dir', d])).code).toBe(0);
      for (const out of [api, apiTest, kling]) expect(out.stdout + out.stderr).not.toContain(API);
      const empty = await cliIn(['keys', 'set', '--profile', 'x', '--provider', 'kling', '--data-dir', d], '');
      expect(empty.code).toBe(2);
      expect(empty.stderr).toMatch(/no key on stdin/);
      const argvSecret = await cliIn([
        'keys',
        'set',
        '--profile',
        'x',
        '--provider',
        'kling',
        '--secret-key',
        SK,
        '--data-dir',
        d,
      ]);
      expect(argvSecret.code).toBe(2);
      const del = await cliIn(['keys', 'delete', '--profile', 'CLI test', '--data-dir', d]);
      expect(del.code).toBe(0);
      for (const out of [set, list, test, empty, del]) expect(out.stdout + out.stderr).not.toContain(SK);
      for (const f of walkFiles(d)) expect(readFileSync(f).includes(Buffer.from(SK)), f).toBe(false);
    } finally {
      rmSync(d, { recursive: true, force: true });
    }
  });

  it('no reachable keychain: a clear message and a way on, never a crash', async () => {
    const d = mkdtempSync(join(tmpdir(), 'shotline-keys-nobus-'));
    try {
      const res = await cli(
        ['keys', 'set', '--profile', 'x', '--provider', 'kling', '--data-dir', d],
        `${AK}\n${SK}\n`,
        {
          DBUS_SESSION_BUS_ADDRESS: 'unix:path=/nonexistent/shotline-bus',
          DISPLAY: '',
        },
      );
      expect(res.code).toBe(1);
      expect(res.stderr).toMatch(/OS keychain is not available .*SHOTLINE_ACCESS_KEY/s);
      expect(res.stderr).not.toMatch(/\n\s+at /); // no stack trace
      expect(res.stdout + res.stderr).not.toContain(SK);
    } finally {
      rmSync(d, { recursive: true, force: true });
    }
  });
});
