/**
 * Issue 16.7 (non-PII parts): credentials never reach a child process, and a clip path cannot
 * inject a directive into an ffmpeg concat list. Real children: a shell script standing in for
 * ffmpeg/ffprobe writes the environment it was started with.
 */
import { chmodSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

import { afterAll, beforeAll, describe, expect, it } from 'vitest';

import { childEnv } from '../../../electron/core/child-env';
import { concatLine, probe, runFfmpeg } from '../../../electron/core/media';
import { ensureClip } from '../../../electron/core/sandbox/clips';

let dir: string;
let fake: string;
const SECRETS = {
  SHOTLINE_API_KEY: 'api-secret-1',
  SHOTLINE_ACCESS_KEY: 'ak-secret-2',
  SHOTLINE_SECRET_KEY: 'sk-secret-3',
  AWS_SECRET_ACCESS_KEY: 'aws-secret-4',
};
const saved: Record<string, string | undefined> = {};

beforeAll(() => {
  dir = mkdtempSync(join(tmpdir(), 'shotline-childenv-'));
  fake = join(dir, 'fake-tool.sh');
  // Writes its environment, then answers like ffprobe's JSON (and exits 0 like ffmpeg).
  writeFileSync(fake, `#!/bin/sh\nenv >> "${join(dir, 'env.txt')}"\necho '{"format":{},"streams":[]}'\n`);
  chmodSync(fake, 0o755);
  for (const [k, v] of Object.entries(SECRETS)) {
    saved[k] = process.env[k];
    process.env[k] = v;
  }
});
afterAll(() => {
  for (const k of Object.keys(SECRETS)) {
    if (saved[k] === undefined) delete process.env[k];
    else process.env[k] = saved[k];
  }
  rmSync(dir, { recursive: true, force: true });
});

describe('children start without credentials (issue 16.7)', () => {
  it('ffmpeg, ffprobe and the sandbox clip maker see none of the key variables', async () => {
    await runFfmpeg(fake, ['-version']);
    const media = join(dir, 'x.mp4');
    writeFileSync(media, 'x');
    await probe(media, { ffprobe: fake, fresh: true });
    await ensureClip(
      { width: 16, height: 16, fps: 1, durationSec: 1, variant: 0, variants: 1 },
      { cacheDir: join(dir, 'cache'), ffmpegPath: fake },
    ).catch(() => undefined);
    const seen = readFileSync(join(dir, 'env.txt'), 'utf8');
    expect(seen).toMatch(/^PATH=/m); // the children did run, with an environment
    expect(seen.match(/^PATH=/gm)?.length).toBe(3);
    for (const [k, v] of Object.entries(SECRETS)) {
      expect(seen).not.toContain(v);
      expect(seen).not.toContain(`${k}=`);
    }
  });

  it('childEnv keeps ordinary variables', () => {
    expect(
      childEnv({ PATH: '/bin', HOME: '/h', LANG: 'C', KLING_AK: 'x', GITHUB_TOKEN: 't', DB_PASSWORD: 'p' }),
    ).toEqual({ PATH: '/bin', HOME: '/h', LANG: 'C' });
  });
});

describe('concat lists are safe against line breaks in paths (issue 16.7)', () => {
  it('a path with a newline cannot add a directive to the list', () => {
    const hostile = `/tmp/a.mp4'\nfile '/home/me/private.mp4`;
    expect(() => concatLine(hostile)).toThrow(
      /a clip path with a line break cannot go into an ffmpeg concat list; rename the file/,
    );
    expect(() => concatLine('/tmp/a\r.mp4')).toThrow(/line break/);
    expect(concatLine(`/tmp/it's.mp4`)).toBe(`file '/tmp/it'\\''s.mp4'`);
  });
});
