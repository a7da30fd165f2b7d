import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

import { describe, expect, it } from 'vitest';

import { createCore } from '../../../electron/core';

describe('privacy settings', () => {
  it('a change touches only the fields given; the preview uses the saved mode and terms', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'shotline-settings-'));
    const core = createCore({ dataDir: dir });
    try {
      expect((await core.call('privacy.settings.get', {})).ok).toBe(true);
      await core.call('privacy.settings.set', { piiMode: 'block' });
      const after = await core.call('privacy.settings.set', { piiTerms: ['Project Nightjar'] });
      expect(after.ok && after.value).toMatchObject({
        piiMode: 'block',
        piiTerms: ['Project Nightjar'],
        stripExportMetadata: true,
      });
      const preview = await core.call('privacy.pii.preview', { text: 'Teaser for project nightjar, mail a@b.co' });
      expect(preview.ok && preview.value).toMatchObject({ blocked: true, text: 'Teaser for [REDACTED], mail [EMAIL]' });
      const bad = await core.call('privacy.settings.set', { piiMode: 'sometimes' });
      expect(bad.ok).toBe(false);
      const unknown = await core.call('privacy.settings.set', { auditOff: true });
      expect(unknown.ok).toBe(false);
    } finally {
      await core.close();
      rmSync(dir, { recursive: true, force: true });
    }
  });
});
