/**
 * examples/scene.json (issue 13: "a scene and an element in the try-it") runs end to end on
 * the sandbox from the CLI: the element is created at Kling once, the 3-shot kling-3.0 scene is
 * one task (shared by its three shots, one charge split by duration), the plain shot its own,
 * and the scene clip carries native audio.
 */
import { execFileSync } from 'node:child_process';

import { expect, it } from 'vitest';

import { RunResult } from '../../../shared/queue';
import { runCli, tmp } from '../cli-run/helpers';

it(
  'runs examples/scene.json with --provider sandbox: one scene task for three shots, the element created once, 10.5 units',
  { timeout: 240_000 },
  async () => {
    const dataDir = tmp('example-scene');
    const r = await runCli(['run', 'examples/scene.json', '--provider', 'sandbox', '--data-dir', dataDir, '--json']);
    expect(r.code, r.stderr).toBe(0);
    const out = RunResult.parse(JSON.parse(r.stdout));
    expect(out.jobs.map((j) => [j.shotId, j.status])).toEqual([
      ['beach-wide', 'done'],
      ['beach-launch', 'done'],
      ['beach-sky', 'done'],
      ['gulls', 'done'],
    ]);
    const scene = out.jobs.slice(0, 3);
    expect(new Set(scene.map((j) => j.taskId)).size).toBe(1);
    expect(out.jobs[3]?.taskId).not.toBe(scene[0]?.taskId);
    // 0.9 u/s (3.0, 720p, native audio) x 10 s = 9 u for the scene + 1.5 u for the 2.5 Turbo shot.
    expect(out.units).toBe(10.5);
    expect(r.stderr).toMatch(/element mara: ready at Kling as element \d+/);
    expect(r.stderr.match(/element mara: created at Kling/g)).toHaveLength(1);
    const clip = scene[0]?.file ?? '';
    expect(
      execFileSync('ffprobe', ['-v', 'error', '-show_entries', 'stream=codec_name', '-of', 'csv=p=0', clip])
        .toString()
        .trim()
        .split('\n'),
    ).toEqual(['h264', 'aac']);
  },
);
