/** The profile store and credential resolution over an in-memory keychain (the real one: test/integration/secrets). */
import { describe, expect, it } from 'vitest';

import {
  createMemoryKeychain,
  createSecretStore,
  maskSecret,
  resolveCredentials,
} from '../../../electron/core/secrets';

const AK = 'AKIDEXAMPLE0123456789abcdef';
const SK = 'SKsecretEXAMPLE-9876543210-zyxwvutsrq';

describe('maskSecret', () => {
  it('shows at most the first 4 and last 4 characters, and never more than a third (issue 16 item 7)', () => {
    expect(maskSecret(AK)).toBe('AKID…cdef');
    expect(maskSecret('abcdefghijklmnop')).toBe('ab…op');
    expect(maskSecret('short')).toBe('…***');
    for (let n = 1; n <= 80; n++) {
      const key = 'k'.repeat(n);
      const shown = maskSecret(key).replace(/[…*]/g, '').length;
      expect(shown).toBeLessThanOrEqual(Math.min(8, Math.floor(n / 3)));
    }
  });
});

describe('secret store', () => {
  it('keeps profiles in the keychain, lists them masked, records rotation', async () => {
    let now = Date.parse('2026-01-01T00:00:00Z');
    const keychain = createMemoryKeychain();
    const store = createSecretStore({ keychain, now: () => now });
    const info = await store.set({
      name: 'Agency prod',
      provider: 'kling',
      region: 'singapore',
      credentials: { kind: 'aksk', accessKey: AK, secretKey: SK },
    });
    expect(info).toMatchObject({
      name: 'Agency prod',
      maskedKey: 'AKID…cdef',
      isDefault: true,
      environment: 'prod',
      rotationDue: false,
    });
    expect(JSON.stringify(info)).not.toContain(SK);
    expect([...keychain.entries.keys()]).toEqual(['kling:Agency prod']);

    now += 91 * 86_400_000;
    expect((await store.list()).profiles[0]).toMatchObject({ ageDays: 91, rotationDue: true });
    await store.set({
      name: 'Agency prod',
      provider: 'kling',
      credentials: { kind: 'aksk', accessKey: AK, secretKey: `${SK}-new` },
    });
    const after = (await store.list()).profiles[0];
    expect(after).toMatchObject({
      ageDays: 0,
      rotationDue: false,
      region: 'singapore',
      createdAt: '2026-01-01T00:00:00.000Z',
    });

    await store.set({
      name: 'Test',
      provider: 'kling',
      environment: 'test',
      credentials: { kind: 'bearer', apiKey: 'bearer-test-key-000000000000' },
    });
    expect((await store.list()).profiles.map((p) => [p.name, p.isDefault])).toEqual([
      ['Agency prod', true],
      ['Test', false],
    ]);
    expect(await store.delete('Test')).toBe(true);
    expect(await store.delete('Test')).toBe(false);
  });

  it('refuses AK/SK for CometAPI', async () => {
    const store = createSecretStore({ keychain: createMemoryKeychain() });
    await expect(
      store.set({ name: 'c', provider: 'cometapi', credentials: { kind: 'aksk', accessKey: AK, secretKey: SK } }),
    ).rejects.toThrow(/bearer/);
  });

  it('a locked keychain lists as unavailable instead of throwing', async () => {
    const store = createSecretStore({
      keychain: createMemoryKeychain({ unavailable: 'Cannot create an item in a locked collection' }),
    });
    const l = await store.list();
    expect(l.keychain.status).toBe('unavailable');
    expect(l.keychain.message).toMatch(/locked.*SHOTLINE_ACCESS_KEY/s);
  });
});

describe('resolveCredentials', () => {
  it('uses the named profile, else the default, from the keychain', async () => {
    const keychain = createMemoryKeychain();
    const store = createSecretStore({ keychain });
    await store.set({ name: 'prod', provider: 'kling', credentials: { kind: 'aksk', accessKey: AK, secretKey: SK } });
    await store.set({
      name: 'test',
      provider: 'kling',
      environment: 'test',
      credentials: { kind: 'bearer', apiKey: 'bearer-key-0000000000000000' },
    });
    const d = await resolveCredentials({ provider: 'kling', env: {}, store });
    expect(d).toMatchObject({
      source: 'keychain',
      credentials: { kind: 'aksk', accessKey: AK },
      profile: { name: 'prod' },
      warnings: [],
    });
    const t = await resolveCredentials({ provider: 'kling', profile: 'test', env: {}, store });
    expect(t.credentials).toEqual({ kind: 'bearer', apiKey: 'bearer-key-0000000000000000' });
    await expect(resolveCredentials({ provider: 'kling', profile: 'nope', env: {}, store })).rejects.toThrow(
      /No kling key profile named "nope".*"prod", "test"/,
    );
  });

  it('falls back to env vars with a warning, also when the keychain is locked', async () => {
    const env = { SHOTLINE_ACCESS_KEY: AK, SHOTLINE_SECRET_KEY: SK };
    const empty = await resolveCredentials({
      provider: 'kling',
      env,
      store: createSecretStore({ keychain: createMemoryKeychain() }),
    });
    expect(empty).toMatchObject({ source: 'env', credentials: { kind: 'aksk', accessKey: AK, secretKey: SK } });
    expect(empty.warnings.join(' ')).toMatch(/environment variables/);
    const locked = await resolveCredentials({
      provider: 'kling',
      env,
      keychain: createMemoryKeychain({ unavailable: 'locked collection' }),
    });
    expect(locked.source).toBe('env');
    expect(locked.warnings[0]).toMatch(/keychain is locked/);
    const bearer = await resolveCredentials({
      provider: 'cometapi',
      env: { ...env, SHOTLINE_API_KEY: 'api-key-123456789' },
      keychain: createMemoryKeychain(),
    });
    expect(bearer.credentials).toEqual({ kind: 'bearer', apiKey: 'api-key-123456789' });
  });

  it('a missing keychain and no env is a clear error, never a crash', async () => {
    const err = await resolveCredentials({
      provider: 'kling',
      env: {},
      keychain: createMemoryKeychain({ unavailable: 'Cannot autolaunch D-Bus without X11 $DISPLAY' }),
    }).catch((e: Error) => e);
    expect(err).toBeInstanceOf(Error);
    expect((err as Error).message).toMatch(/keychain is not available.*SHOTLINE_ACCESS_KEY/s);
    const none = await resolveCredentials({ provider: 'kling', env: {}, keychain: createMemoryKeychain() }).catch(
      (e: Error) => e,
    );
    expect((none as Error).message).toMatch(/shotline keys set/);
    const sandbox = await resolveCredentials({ provider: 'sandbox', env: {}, keychain: createMemoryKeychain() });
    expect(sandbox.source).toBe('sandbox');
  });
});
