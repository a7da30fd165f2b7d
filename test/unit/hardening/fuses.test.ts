/**
 * Issue 16.6, "the packaged app resists local tampering": the Electron fuses electron-builder
 * flips in the packaged binary, read from electron-builder.yml with electron-builder's own
 * loader and schema validation (a misspelt fuse fails here, not silently in a release); the
 * macOS entitlements; DevTools and the default menu off in packaged builds.
 */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';

import { getConfig, validateConfiguration } from 'app-builder-lib/out/util/config/config';
import { DebugLogger } from 'builder-util';
import { describe, expect, it } from 'vitest';

import { devToolsEnabled, packagedMenuTemplate } from '../../../electron/main/packaged';

const ROOT = join(__dirname, '..', '..', '..');

describe('packaged build hardening (issue 16.6)', () => {
  it('electron-builder.yml turns RunAsNode, NODE_OPTIONS and --inspect off and loads only an integrity-checked asar', async () => {
    const config = await getConfig(ROOT, null, null);
    await validateConfiguration(config, new DebugLogger(false));
    expect(config.asar).not.toBe(false);
    expect(config.electronFuses).toMatchObject({
      runAsNode: false,
      enableNodeOptionsEnvironmentVariable: false,
      enableNodeCliInspectArguments: false,
      enableEmbeddedAsarIntegrityValidation: true,
      onlyLoadAppFromAsar: true,
    });
  });

  it('the schema check that guards the fuse block rejects a misspelt fuse', async () => {
    const config = await getConfig(ROOT, null, null);
    const bad = { ...config, electronFuses: { ...config.electronFuses, runAsNodee: false } } as typeof config;
    await expect(validateConfiguration(bad, new DebugLogger(false))).rejects.toThrow(
      /Invalid configuration object.*electronFuses/s,
    );
  });

  it('the macOS entitlements do not disable library validation', () => {
    const plist = readFileSync(join(ROOT, 'resources', 'entitlements.mac.plist'), 'utf8').replace(
      /<!--[\s\S]*?-->/g,
      '',
    );
    expect(plist).not.toContain('disable-library-validation');
    expect(plist).not.toContain('allow-dyld-environment-variables');
    expect(plist).not.toContain('allow-unsigned-executable-memory');
  });

  it('DevTools and the default menu are off in packaged builds', () => {
    expect(devToolsEnabled(true)).toBe(false);
    expect(devToolsEnabled(false)).toBe(true);
    expect(packagedMenuTemplate('win32')).toBeNull();
    expect(packagedMenuTemplate('linux')).toBeNull();
    const mac = JSON.stringify(packagedMenuTemplate('darwin'));
    expect(mac).not.toMatch(/viewMenu|toggleDevTools|reload|forceReload|default/i);
    // window.ts passes the packaged flag to webPreferences.devTools.
    expect(readFileSync(join(ROOT, 'electron', 'main', 'window.ts'), 'utf8')).toMatch(
      /devTools: devToolsEnabled\(opts\.packaged\)/,
    );
    // Middle-click cannot open a link in a new window (electronegativity AUXCLICK_JS_CHECK).
    expect(readFileSync(join(ROOT, 'electron', 'main', 'window.ts'), 'utf8')).toMatch(
      /disableBlinkFeatures: 'Auxclick'/,
    );
  });
});
