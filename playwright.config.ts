import { defineConfig } from '@playwright/test';

/**
 * Chromium is Debian's (/usr/bin/chromium, or SHOTLINE_CHROMIUM): a browser tool never
 * downloads its own. The renderer is driven over the loopback test bridge against the
 * real core; the _electron suite runs where the Electron binary exists.
 */
export const CHROMIUM_PATH = process.env.SHOTLINE_CHROMIUM ?? '/usr/bin/chromium';

export default defineConfig({
  testDir: 'test/e2e',
  testMatch: '**/*.spec.ts',
  timeout: 120_000,
  expect: { timeout: 15_000 },
  fullyParallel: false,
  workers: 1,
  reporter: [['list']],
  use: {
    headless: true,
    launchOptions: {
      executablePath: CHROMIUM_PATH,
      args: [
        '--headless',
        '--no-sandbox',
        '--disable-gpu',
        '--disable-background-networking',
        '--disable-component-update',
        '--no-first-run',
      ],
    },
    trace: 'retain-on-failure',
  },
});
