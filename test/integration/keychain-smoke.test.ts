/**
 * The OS keychain is a real component: in CI a gnome-keyring Secret Service under
 * dbus-run-session (see .ci/run). This only proves the native module reaches it; the
 * secrets store has its own tests.
 */
import { randomUUID } from 'node:crypto';

import keytar from 'keytar';
import { describe, expect, it } from 'vitest';

describe('keytar against the real OS keychain', () => {
  it('stores, reads and deletes a password', async () => {
    const service = 'Shotline-test';
    const account = `smoke-${randomUUID()}`;
    try {
      await keytar.setPassword(service, account, 's3cret-value');
    } catch (err) {
      throw new Error(
        `No usable OS keychain (${(err as Error).message}). On Linux run the tests inside ` +
          'dbus-run-session with an unlocked gnome-keyring, as .ci/run does.',
      );
    }
    expect(await keytar.getPassword(service, account)).toBe('s3cret-value');
    expect(await keytar.deletePassword(service, account)).toBe(true);
    expect(await keytar.getPassword(service, account)).toBeNull();
  });
});
