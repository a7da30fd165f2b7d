/**
 * Each test gets its own data dir, a real core, and the renderer served by the test
 * bridge (Actual's e2e fixture pattern). Tests wait on what the app shows, never sleep.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

import { test as base, type Page } from '@playwright/test';

import { createCore, type Core } from '../../electron/core';
import {
  createFakeDialogs,
  startTestBridge,
  type FakeDialogs,
  type TestBridge,
} from '../../electron/core/bridge/test-bridge';

export const RENDERER_DIR = join(import.meta.dirname, '..', '..', 'out', 'renderer');

interface Fixtures {
  dataDir: string;
  /** Paths the core asked the desktop shell to show in their folder (a recording shell). */
  shownInFolder: string[];
  /** The file dialogs the app shows (scripted answers; what each was shown with). */
  dialogs: FakeDialogs;
  core: Core;
  bridge: TestBridge;
  app: Page;
}

export const test = base.extend<Fixtures>({
  // eslint-disable-next-line no-empty-pattern
  dataDir: async ({}, use) => {
    const dir = mkdtempSync(join(tmpdir(), 'shotline-e2e-'));
    await use(dir);
    rmSync(dir, { recursive: true, force: true });
  },
  // eslint-disable-next-line no-empty-pattern
  shownInFolder: async ({}, use) => {
    await use([]);
  },
  // eslint-disable-next-line no-empty-pattern
  dialogs: async ({}, use) => {
    await use(createFakeDialogs());
  },
  core: async ({ dataDir, shownInFolder, dialogs }, use, testInfo) => {
    // Each test its own keychain service (electron/core/secrets/keychain.ts reads it per call):
    // a search then sees only this test's items. keytar's findCredentials takes the whole
    // process down on an item whose secret cannot be loaded (libsecret "secret_value_get_text:
    // assertion 'value' failed", then a NULL strdup), which an item another test just deleted
    // or gnome-keyring renumbered can be; seen once in CI as a SIGSEGV of the Playwright worker.
    const saved = process.env.SHOTLINE_KEYCHAIN_SERVICE;
    process.env.SHOTLINE_KEYCHAIN_SERVICE = `Shotline-e2e-${process.pid}-${testInfo.testId}`;
    try {
      const core = createCore({
        dataDir,
        dialogs,
        shell: { showItemInFolder: (path) => void shownInFolder.push(path) },
      });
      await use(core);
      await core.close();
    } finally {
      if (saved === undefined) delete process.env.SHOTLINE_KEYCHAIN_SERVICE;
      else process.env.SHOTLINE_KEYCHAIN_SERVICE = saved;
    }
  },
  bridge: async ({ core }, use) => {
    const bridge = await startTestBridge(core, RENDERER_DIR);
    await use(bridge);
    await bridge.close();
  },
  app: async ({ page, bridge }, use) => {
    const errors: string[] = [];
    page.on('pageerror', (e) => errors.push(e.message));
    await page.goto(bridge.url);
    await use(page);
    if (errors.length) throw new Error(`renderer threw: ${errors.join('; ')}`);
  },
});

export { expect } from '@playwright/test';
