/**
 * A six-shot 15 s multi-shot scene through the real CLI (`shotline run --json`, a child process)
 * against the sandbox over HTTP (issue 13 item 1; docs/readme/engine.md "Scenes"): one task and
 * one charge for the scene, six takes (one per shot) with the scene's task id, every clip
 * frame-exact (first, middle and last frame of its own shot), the scene clip kept; `status --json`
 * shows one take per shot; a rerun sends nothing; `@previous` after the scene starts on the
 * scene's last shot; `erase --subject` removes the scene file with the clips. kill -9 during the
 * scene's download and during its split: the next run finishes without a second task.
 */
import { existsSync, readdirSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';

import { afterAll, beforeAll, describe, expect, it } from 'vitest';

import type { Sandbox } from '../../../electron/core/sandbox';
import { RunResult } from '../../../shared/queue';
import { countFrames, shotsOfFrames } from '../media/scene-frames';
import {
  createsPerExternalId,
  credentialEnv,
  fastSandbox,
  readDb,
  runCli,
  sandboxArgs,
  startCli,
  tmp,
} from './helpers';

const DURATIONS = [4, 2, 3, 1, 3, 2];
const FPS = 24;

let sb: Sandbox;
beforeAll(async () => {
  sb = await fastSandbox();
});
afterAll(async () => {
  await sb.close();
});

/** Six shots of one scene (subject "mara") and a shot after it that starts on the scene's last frame. */
function writeSceneBoard(dir: string, name: string): string {
  const file = join(dir, `${name}.json`);
  writeFileSync(
    file,
    JSON.stringify({
      name,
      defaults: { model: 'kling-3.0', resolution: '720p', aspectRatio: '16:9', takes: 1, audio: 'off' },
      shots: [
        ...DURATIONS.map((d, i) => ({
          id: `s${i + 1}`,
          prompt: `harbour at dawn, view ${i + 1}`,
          duration: d,
          scene: 'harbour',
          subject: 'mara',
        })),
        { id: 'after', prompt: 'the gull flies off the pier', duration: 3, startImage: '@previous', subject: 'other' },
      ],
    }),
  );
  return file;
}

function parse(stdout: string): RunResult {
  return RunResult.parse(JSON.parse(stdout));
}

/** Every clip of the scene: frame count as declared (the last takes the remainder) and its own shot's colour at first, middle and last frame. */
function checkClips(result: RunResult): void {
  const scene = result.jobs.slice(0, 6);
  const sceneFile = scene[0]?.scene?.file ?? '';
  const total = countFrames(sceneFile);
  let first = 0;
  scene.forEach((j, i) => {
    const frames = countFrames(j.file ?? '');
    if (i < 5) expect(Math.abs(frames - (DURATIONS[i] ?? 0) * FPS), `frames of shot ${i + 1}`).toBeLessThanOrEqual(1);
    else expect(frames).toBe(total - first);
    first += frames;
    expect(shotsOfFrames(j.file ?? '', [0, Math.floor(frames / 2), frames - 1]), `clip of shot ${i + 1}`).toEqual([
      i,
      i,
      i,
    ]);
  });
}

describe('a multi-shot scene through `shotline run`', () => {
  it(
    'one task, one charge, six frame-exact takes sharing it; status shows one take per shot; a rerun sends nothing; erase removes the scene file',
    { timeout: 600_000 },
    async () => {
      const env = credentialEnv(sb, 'new');
      const dir = tmp('scene-cli');
      const board = writeSceneBoard(dir, 'harbour-cli');
      const dataDir = join(dir, 'data');
      const creates = sb.creates.length;
      const balance = sb.account().remaining;
      const r = await runCli(['run', board, ...sandboxArgs(sb, dataDir), '--json'], env);
      expect(r.code, r.stderr).toBe(0);
      const result = parse(r.stdout);
      expect(result.jobs.map((j) => [j.shotId, j.take, j.status])).toEqual([
        ...DURATIONS.map((_, i) => [`s${i + 1}`, 1, 'done']),
        ['after', 1, 'done'],
      ]);

      // One task for the scene (and one for the shot after it), each created once.
      const made = sb.creates.slice(creates).filter((c) => c.code === 0);
      expect(made).toHaveLength(2);
      const scene = result.jobs.slice(0, 6);
      const task = sb.tasks().find((t) => t.taskId === scene[0]?.taskId);
      expect(task?.video.clip.shots).toEqual(DURATIONS);
      expect(new Set(scene.map((j) => j.taskId)).size).toBe(1);
      expect(new Set(scene.map((j) => j.externalTaskId))).toEqual(new Set([task?.externalTaskId]));
      expect(createsPerExternalId(sb).get(task?.externalTaskId ?? '')).toBe(1);
      // One charge: what the account lost is the two tasks' units; the shots' billed units sum to the scene's.
      const sceneUnits = scene.reduce((a, j) => a + (j.billedUnits ?? 0), 0);
      expect(sceneUnits).toBeCloseTo(task?.units ?? -1, 3);
      expect(result.units).toBeCloseTo(balance - sb.account().remaining, 3);

      // The scene clip is kept; every clip is frame-exact.
      const sceneFile = scene[0]?.scene?.file ?? '';
      expect(existsSync(sceneFile)).toBe(true);
      expect(scene.every((j) => j.scene?.id === 'harbour' && j.scene.file === sceneFile)).toBe(true);
      checkClips(result);
      // "@previous" after the scene: an image-to-video task started on the scene's last shot.
      const after = sb.tasks().find((t) => t.taskId === result.jobs[6]?.taskId);
      expect(after?.kind).toBe('image2video');

      // status --json: one take per shot, the scene's task on each.
      const st = await runCli(['status', '--data-dir', dataDir, '--json']);
      expect(st.code).toBe(0);
      const status = parse(st.stdout);
      expect(status.jobs.map((j) => [j.shotId, j.take, j.taskId])).toEqual(
        result.jobs.map((j) => [j.shotId, j.take, j.taskId]),
      );

      const human = await runCli(['status', '--data-dir', dataDir]);
      expect(human.stdout.split('\n').filter((l) => l.endsWith('(scene harbour)'))).toHaveLength(6);

      // Again: nothing is sent, nothing downloaded again.
      const before = sb.creates.length;
      const again = await runCli(['run', board, ...sandboxArgs(sb, dataDir), '--json'], env);
      expect(again.code, again.stderr).toBe(0);
      expect(sb.creates.length).toBe(before);
      expect(parse(again.stdout).jobs.map((j) => j.file)).toEqual(result.jobs.map((j) => j.file));

      // erase --subject mara: the six clips and the scene file go; the other subject's clip stays.
      const erased = await runCli(['erase', '--subject', 'mara', '--data-dir', dataDir, '--json']);
      expect(erased.code, erased.stderr).toBe(0);
      expect(existsSync(sceneFile)).toBe(false);
      for (const j of scene) expect(existsSync(j.file ?? '')).toBe(false);
      expect(existsSync(result.jobs[6]?.file ?? '')).toBe(true);
    },
  );

  it.each([
    ['its download', /downloading/, { route: 'download' as const, action: { type: 'delay' as const, ms: 4000 } }],
    ['its split', /splitting the scene clip/, null],
  ])(
    'kill -9 during %s, then a rerun: done without a second task, no temporary clip left',
    { timeout: 600_000 },
    async (_what, moment, fault) => {
      const env = credentialEnv(sb, 'new');
      const dir = tmp('scene-kill');
      const board = writeSceneBoard(dir, `harbour-kill-${fault ? 'download' : 'split'}`);
      const dataDir = join(dir, 'data');
      const creates = sb.creates.length;
      if (fault) sb.inject(fault);
      const first = startCli(['run', board, ...sandboxArgs(sb, dataDir), '--json'], env);
      await first.waitFor(moment);
      await new Promise((r) => setTimeout(r, fault ? 300 : 500));
      first.child.kill('SIGKILL');
      expect(await first.exit).toBeNull();
      // Killed where it was meant to be: the scene's jobs still downloading (the split is part of it), none done.
      const states = readDb(dataDir, (db) =>
        db
          .prepare<[], { state: string }>("SELECT state FROM jobs WHERE scene_id = 'harbour' ORDER BY seq")
          .all()
          .map((x) => x.state),
      );
      expect(states).toEqual(Array(6).fill('downloading'));
      sb.clearFaults();
      const r = await runCli(['run', board, ...sandboxArgs(sb, dataDir), '--json'], env);
      expect(r.code, r.stderr).toBe(0);
      const result = parse(r.stdout);
      expect(result.jobs.every((j) => j.status === 'done')).toBe(true);
      const made = sb.creates.slice(creates).filter((c) => c.code === 0);
      expect(made).toHaveLength(2);
      for (const n of createsPerExternalId(sb).values()) expect(n).toBe(1);
      checkClips(result);
      const clipsDir = dirname(result.jobs[0]?.file ?? '');
      expect(readdirSync(clipsDir).filter((f) => f.endsWith('.part') || f.endsWith('.part.mp4'))).toEqual([]);
    },
  );
});
