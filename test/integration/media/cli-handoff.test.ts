/**
 * Timelines from the CLI (issue 15.8): `run --edit OUT --timeline …` writes all four beside the
 * render, agreeing with its decoded frame count; `concat` called through npm from another
 * directory resolves relative clip paths against that directory; `--help` says where
 * timelines go. Real processes, the sandbox over HTTP, real ffmpeg.
 */
import { execFile, execFileSync } from 'node:child_process';
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { promisify } from 'node:util';

import { afterAll, beforeAll, describe, expect, it } from 'vitest';

import type { Sandbox } from '../../../electron/core/sandbox';
import { fastSandbox, ROOT, runCli, sandboxArgs, tmp, writeBoard } from '../cli-run/helpers';
import { makeClip } from './clips';
import { readEdl } from './handoff/edl';
import { readFcp7 } from './handoff/fcp7';
import { readFcpxml } from './handoff/fcpxml';
import { readOtio } from './handoff/otio';

const run = promisify(execFile);
let sb: Sandbox;
beforeAll(async () => {
  sb = await fastSandbox();
});
afterAll(async () => {
  await sb.close();
});

function decodedFrames(file: string): { frames: number; rate: { num: number; den: number } } {
  const j = JSON.parse(
    execFileSync('ffprobe', [
      '-v',
      'error',
      '-count_frames',
      '-select_streams',
      'v:0',
      '-of',
      'json',
      '-show_entries',
      'stream=nb_read_frames,r_frame_rate',
      file,
    ]).toString(),
  ) as { streams: Array<{ nb_read_frames: string; r_frame_rate: string }> };
  const [num = 0, den = 1] = (j.streams[0]?.r_frame_rate ?? '0/1').split('/').map(Number);
  return { frames: Number(j.streams[0]?.nb_read_frames), rate: { num, den } };
}

describe('timelines from the CLI', () => {
  it('run --edit OUT.mp4 --timeline fcp7,edl,fcpxml,otio writes the four beside the render, as long as it', async () => {
    const dir = tmp('run-tl');
    const board = writeBoard(dir, 'tl', 2, 1);
    const out = join(dir, 'the cut.mp4');
    const r = await runCli([
      'run',
      board,
      ...sandboxArgs(sb, join(dir, 'data')),
      '--edit',
      out,
      '--timeline',
      'fcp7,edl,fcpxml,otio',
    ]);
    expect(r.code, r.stderr).toBe(0);
    const files = ['xml', 'edl', 'fcpxml', 'otio'].map((e) => join(dir, `the cut.${e}`));
    expect(r.stderr).toContain(`Timelines: ${files.join(', ')}`);
    const { frames, rate } = decodedFrames(out);
    const read = [
      readFcp7(readFileSync(files[0] as string, 'utf8')),
      readEdl(readFileSync(files[1] as string, 'utf8'), rate),
      readFcpxml(readFileSync(files[2] as string, 'utf8')),
      readOtio(readFileSync(files[3] as string, 'utf8')),
    ];
    for (const t of read) {
      expect(t.totalFrames).toBe(frames);
      expect(t.clips).toHaveLength(2);
      for (const c of t.clips) expect(existsSync(c.file)).toBe(true);
    }
  }, 180_000);

  it('refuses --timeline without --edit, and an unknown format, before anything runs', async () => {
    const dir = tmp('run-tl-bad');
    const board = writeBoard(dir, 'tlbad', 1, 1);
    const creates = sb.creates.length;
    const a = await runCli(['run', board, ...sandboxArgs(sb, join(dir, 'data')), '--timeline', 'edl']);
    expect(a.code).toBe(2);
    expect(a.stderr).toContain('--timeline needs --edit OUT.mp4');
    const b = await runCli([
      'run',
      board,
      ...sandboxArgs(sb, join(dir, 'data')),
      '--edit',
      join(dir, 'x.mp4'),
      '--timeline',
      'edl,aaf',
    ]);
    expect(b.code).toBe(2);
    expect(b.stderr).toContain('--timeline "aaf": expected fcp7, edl, fcpxml or otio');
    expect(sb.creates.length).toBe(creates);
  }, 60_000);

  it("concat through npm from another directory: relative clips and -o are the caller's; --help says where timelines go", async () => {
    const dir = tmp('concat-rel');
    makeClip(join(dir, 'a b.mp4'), { fps: 24, d: 1 });
    makeClip(join(dir, 'c.mp4'), { fps: 24, d: 1 });
    const r = await run(
      'npm',
      [
        '--prefix',
        ROOT,
        'run',
        '-s',
        'cli',
        '--',
        'concat',
        '--data-dir',
        'data',
        'a b.mp4',
        'c.mp4',
        '-o',
        'joined.mp4',
        '--timeline',
        'otio',
        '--json',
      ],
      { cwd: dir },
    );
    const res = JSON.parse(r.stdout) as { output: string; timelines: string[] };
    expect(res.output).toBe(join(dir, 'joined.mp4'));
    expect(res.timelines).toEqual([join(dir, 'joined.otio')]);
    expect(readOtio(readFileSync(join(dir, 'joined.otio'), 'utf8')).clips.map((c) => c.file)).toEqual([
      join(dir, 'a b.mp4'),
      join(dir, 'c.mp4'),
    ]);
    const help = await runCli(['concat', '--help']);
    expect(help.stdout).toContain('Timelines are written beside OUT with its name');
  }, 120_000);
});
