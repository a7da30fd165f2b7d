import { execFileSync } from 'node:child_process';
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

import { describe, expect, it } from 'vitest';

import { createCore } from '../../electron/core';
import { findTool } from '../../electron/core/media/locate';

describe('app.info against the real ffmpeg', () => {
  it('reports the version of the ffmpeg on this machine', async () => {
    const dataDir = mkdtempSync(join(tmpdir(), 'shotline-info-'));
    const core = createCore({ dataDir });
    const res = await core.call('app.info', {});
    await core.close();
    expect(res.ok).toBe(true);
    if (!res.ok) return;
    const expected = /version\s+(\S+)/.exec(execFileSync('ffmpeg', ['-version']).toString())?.[1];
    expect(res.value.ffmpeg.version).toBe(expected);
    expect(res.value.ffprobe.path).toMatch(/ffprobe$/);
    expect(res.value.dataDir).toBe(dataDir);
  });

  it('explains how to fix a configured path that does not exist', () => {
    const found = findTool('ffmpeg', { explicit: '/nowhere/ffmpeg' });
    expect(found.path).toBeNull();
    expect(found.source).toMatch(/not an executable file; fix it in Settings/);
  });
});
