/**
 * Multi-shot scene takes through the real engine and client against the real sandbox over
 * HTTP (issue 13 item 1; docs/readme/engine.md "Scenes"): a six-shot 15 s scene is ONE task and
 * ONE charge, six jobs (one take per shot) share its task id and external id, every clip is
 * frame-exact (first, middle and last frame of its own shot, real ffmpeg), the scene clip is
 * kept; cancel and retry of one shot act on the scene; a re-roll of shot 3 is a new scene task.
 * The budget of a scene take is the whole scene's.
 */
import { existsSync, mkdirSync } from 'node:fs';
import { join } from 'node:path';

import type Database from 'better-sqlite3';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';

import { openDatabase } from '../../../electron/core/db/open';
import { Engine } from '../../../electron/core/engine/engine';
import { outageLog } from '../../../electron/core/engine/outage-log';
import { createKlingClient } from '../../../electron/core/kling';
import { QueueStore } from '../../../electron/core/queue/store';
import type { Sandbox } from '../../../electron/core/sandbox';
import { importStoryboard, loadStoryboard } from '../../../electron/core/storyboard';
import { probe } from '../../../electron/core/media';
import { fastSandbox, tmp } from '../cli-run/helpers';
import { countFrames, shotsOfFrames } from '../media/scene-frames';

const DURATIONS = [4, 2, 3, 1, 3, 2];

let sb: Sandbox;
beforeAll(async () => {
  sb = await fastSandbox();
});
afterAll(async () => {
  await sb.close();
});

/** A storyboard of one six-shot scene on kling-3.0 (720p, silent) plus a shot alone after it. */
function sceneBoard(dir: string, name: string): ReturnType<typeof loadStoryboard> {
  const content = JSON.stringify({
    name,
    defaults: { model: 'kling-3.0', resolution: '720p', aspectRatio: '16:9', takes: 1, audio: 'off' },
    shots: [
      ...DURATIONS.map((d, i) => ({
        id: `s${i + 1}`,
        prompt: `harbour at dawn, view ${i + 1}`,
        duration: d,
        scene: 'harbour',
      })),
      { id: 'after', prompt: 'a gull over the pier', duration: 3 },
    ],
  });
  const loaded = loadStoryboard({ content, format: 'json', baseDir: dir });
  if (!loaded.result.ok) throw new Error(JSON.stringify(loaded.result.problems));
  return loaded;
}

function engineFor(store: QueueStore, db: Database.Database, dataDir: string, jobIds: readonly string[]): Engine {
  const client = createKlingClient({
    provider: 'sandbox',
    baseUrl: sb.url,
    credentials: { kind: 'bearer', apiKey: sb.credentials.apiKey ?? '' },
  });
  return new Engine({
    outages: outageLog(db),
    store,
    client,
    dataDir,
    owner: `scene-${Math.random()}`,
    jobIds,
    pollMs: 100,
    baseDelayMs: 100,
    maxDelayMs: 200,
    verify: 'probe',
  });
}

async function runAll(
  store: QueueStore,
  db: Database.Database,
  dataDir: string,
  jobIds: readonly string[],
): Promise<void> {
  const engine = engineFor(store, db, dataDir, jobIds);
  try {
    engine.start();
    await engine.whenIdle();
  } finally {
    await engine.stop();
  }
}

describe('a multi-shot scene in the queue and the engine', () => {
  it(
    'six shots, 15 s: one task, one charge, six frame-exact takes sharing the task; re-roll of shot 3 is a new scene task',
    { timeout: 300_000 },
    async () => {
      const dir = tmp('scene-engine');
      const dataDir = join(dir, 'data');
      mkdirSync(dataDir);
      const db = openDatabase(join(dir, 'shotline.db'));
      const store = new QueueStore(db);
      const { storyboardId } = importStoryboard(store, db, sceneBoard(dir, 'harbour'));
      const enq = store.enqueue(storyboardId);
      expect(enq.created).toBe(7);
      const jobs = enq.jobIds.map((id) => store.getJob(id));
      expect(jobs.map((j) => j?.scene_role ?? null)).toEqual([
        'lead',
        'member',
        'member',
        'member',
        'member',
        'member',
        null,
      ]);
      expect(new Set(jobs.slice(0, 6).map((j) => j?.scene_group)).size).toBe(1);

      const creates = sb.creates.length;
      const balance = sb.account().remaining;
      await runAll(store, db, dataDir, enq.jobIds);

      // One task for the scene, one for the shot after it; the scene's charge once.
      const made = sb.creates.slice(creates).filter((c) => c.taskId);
      expect(made).toHaveLength(2);
      const sceneTask = sb.tasks().find((t) => t.externalTaskId === jobs[0]?.external_task_id);
      expect(sceneTask?.video.clip.shots).toEqual(DURATIONS);
      expect(sceneTask?.req.duration).toBe(15);
      const views = enq.jobIds.map((id) => store.jobView(id));
      const charged = balance - sb.account().remaining;
      const afterUnits = views[6]?.billedUnits ?? 0;
      expect(views.every((v) => v?.state === 'done')).toBe(true);
      const sceneViews = views.slice(0, 6);
      expect(new Set(sceneViews.map((v) => v?.taskId))).toEqual(new Set([sceneTask?.taskId]));
      expect(new Set(sceneViews.map((v) => v?.externalTaskId))).toEqual(new Set([jobs[0]?.external_task_id]));
      // The charge split by duration share: the shots' billed units sum to the scene task's charge.
      const billed = sceneViews.reduce((a, v) => a + (v?.billedUnits ?? 0), 0);
      expect(billed).toBeCloseTo(sceneTask?.units ?? -1, 3);
      expect(billed + afterUnits).toBeCloseTo(charged, 3);
      expect((sceneViews[0]?.billedUnits ?? 0) / (sceneViews[1]?.billedUnits ?? 1)).toBeCloseTo(2, 3);
      expect(sceneViews[2]?.scene).toMatchObject({
        id: 'harbour',
        role: 'member',
        shotIds: ['s1', 's2', 's3', 's4', 's5', 's6'],
      });

      // Every clip frame-exact: first, middle and last frame belong to its own shot.
      const sceneFile = sceneViews[0]?.scene?.file ?? '';
      expect(existsSync(sceneFile)).toBe(true);
      expect(new Set(sceneViews.map((v) => v?.scene?.file))).toEqual(new Set([sceneFile]));
      const fps = 24;
      const total = countFrames(sceneFile);
      let first = 0;
      sceneViews.forEach((v, i) => {
        const file = v?.file ?? '';
        expect(existsSync(file)).toBe(true);
        const frames = countFrames(file);
        if (i < 5) expect(Math.abs(frames - (DURATIONS[i] ?? 0) * fps)).toBeLessThanOrEqual(1);
        else expect(frames).toBe(total - first);
        first += frames;
        expect(shotsOfFrames(file, [0, Math.floor(frames / 2), frames - 1]), `clip of shot ${i + 1}`).toEqual([
          i,
          i,
          i,
        ]);
      });

      // Re-roll shot 3: a new take of the whole scene, one new task.
      const rr = store.reroll(storyboardId, 's3');
      expect(rr.take).toBe(2);
      expect(rr.scene?.shotIds).toEqual(['s1', 's2', 's3', 's4', 's5', 's6']);
      expect(rr.scene?.jobIds).toHaveLength(6);
      expect(rr.scene?.jobIds[2]).toBe(rr.jobId);
      const before = sb.creates.length;
      await runAll(store, db, dataDir, rr.scene?.jobIds ?? []);
      const again = sb.creates.slice(before).filter((c) => c.taskId);
      expect(again).toHaveLength(1);
      const second = (rr.scene?.jobIds ?? []).map((id) => store.jobView(id));
      expect(second.every((v) => v?.state === 'done' && v.take === 2 && v.taskId === again[0]?.taskId)).toBe(true);
      expect(again[0]?.taskId).not.toBe(sceneTask?.taskId);
      db.close();
    },
  );

  it(
    'on the legacy standard (AK/SK) with native audio: one task, every shot clip with its own picture and its audio',
    { timeout: 300_000 },
    async () => {
      const dir = tmp('scene-legacy');
      const dataDir = join(dir, 'data');
      mkdirSync(dataDir);
      const db = openDatabase(join(dir, 'shotline.db'));
      const store = new QueueStore(db);
      const content = JSON.stringify({
        name: 'quay-legacy',
        defaults: {
          model: 'kling-3.0',
          resolution: '720p',
          aspectRatio: '16:9',
          takes: 1,
          audio: 'native',
          scene: 'quay',
        },
        shots: [
          { id: 'q1', prompt: 'waves against the quay', duration: 2 },
          { id: 'q2', prompt: 'a bell rings on the boat', duration: 3 },
        ],
      });
      const { storyboardId } = importStoryboard(store, db, loadStoryboard({ content, format: 'json', baseDir: dir }));
      const enq = store.enqueue(storyboardId);
      const client = createKlingClient({
        provider: 'sandbox',
        baseUrl: sb.url,
        credentials: { kind: 'aksk', accessKey: sb.credentials.accessKey, secretKey: sb.credentials.secretKey },
      });
      const creates = sb.creates.length;
      const engine = new Engine({
        outages: outageLog(db),
        store,
        client,
        dataDir,
        owner: 'scene-legacy',
        jobIds: enq.jobIds,
        pollMs: 100,
        baseDelayMs: 100,
        verify: 'probe',
      });
      try {
        engine.start();
        await engine.whenIdle();
      } finally {
        await engine.stop();
      }
      const made = sb.creates.slice(creates).filter((c) => c.code === 0);
      expect(made.map((c) => c.standard)).toEqual(['legacy']);
      const views = enq.jobIds.map((id) => store.jobView(id));
      expect(views.map((v) => [v?.state, v?.taskId])).toEqual([
        ['done', made[0]?.taskId],
        ['done', made[0]?.taskId],
      ]);
      for (const [i, v] of views.entries()) {
        const file = v?.file ?? '';
        const frames = countFrames(file);
        expect(shotsOfFrames(file, [0, frames - 1])).toEqual([i, i]);
        expect((await probe(file)).audio, `${v?.shotId} keeps its audio`).not.toBeNull();
      }
      db.close();
    },
  );

  it(
    'a scene clip that cannot be split fails the take with the fix and keeps the clip; a retry splits again without a new task',
    { timeout: 300_000 },
    async () => {
      const dir = tmp('scene-split-fail');
      const dataDir = join(dir, 'data');
      mkdirSync(dataDir);
      const db = openDatabase(join(dir, 'shotline.db'));
      const store = new QueueStore(db);
      const content = JSON.stringify({
        name: 'short-scene',
        defaults: { model: 'kling-3.0', resolution: '720p', aspectRatio: '16:9', takes: 1, scene: 'short' },
        shots: [
          { id: 'h1', prompt: 'one', duration: 2 },
          { id: 'h2', prompt: 'two', duration: 2 },
        ],
      });
      const { storyboardId } = importStoryboard(store, db, loadStoryboard({ content, format: 'json', baseDir: dir }));
      const enq = store.enqueue(storyboardId);
      // Kling gives a file 0.6 s shorter than the shots declared: the split refuses it.
      const sandbox = await fastSandbox({ extraSec: -0.6 });
      try {
        const client = createKlingClient({
          provider: 'sandbox',
          baseUrl: sandbox.url,
          credentials: { kind: 'bearer', apiKey: sandbox.credentials.apiKey ?? '' },
        });
        const run = async (): Promise<void> => {
          const engine = new Engine({
            outages: outageLog(db),
            store,
            client,
            dataDir,
            owner: `split-fail-${Math.random()}`,
            jobIds: enq.jobIds,
            pollMs: 100,
            baseDelayMs: 100,
            verify: 'probe',
          });
          try {
            engine.start();
            await engine.whenIdle();
          } finally {
            await engine.stop();
          }
        };
        await run();
        const rows = enq.jobIds.map((id) => store.getJob(id));
        expect(rows.map((j) => [j?.state, j?.error_code, j?.retryable])).toEqual(Array(2).fill(['failed', 'split', 1]));
        expect(rows[1]?.error).toContain('could not be cut into its 2 shots');
        expect(rows[1]?.fix).toContain('the scene clip is kept');
        const kept = /kept \(([^)]+)\)/.exec(rows[0]?.fix ?? '')?.[1] ?? '';
        expect(existsSync(kept)).toBe(true);
        expect(sandbox.creates.filter((c) => c.code === 0)).toHaveLength(1);
        // Retry any shot: the scene is split again from the kept clip; nothing is generated again.
        expect(store.retry({ jobId: enq.jobIds[1] })).toBe(2);
        await run();
        expect(sandbox.creates.filter((c) => c.code === 0)).toHaveLength(1);
        expect(enq.jobIds.map((id) => store.getJob(id)?.error_code)).toEqual(['split', 'split']);
      } finally {
        await sandbox.close();
      }
      db.close();
    },
  );

  it(
    'the answer to a scene create is lost: the lead reconciles by its external id and adopts the task, paid once',
    { timeout: 300_000 },
    async () => {
      const dir = tmp('scene-unclear');
      const dataDir = join(dir, 'data');
      mkdirSync(dataDir);
      const db = openDatabase(join(dir, 'shotline.db'));
      const store = new QueueStore(db);
      const content = JSON.stringify({
        name: 'unclear-scene',
        defaults: { model: 'kling-3.0', resolution: '720p', aspectRatio: '16:9', takes: 1, scene: 'u' },
        shots: [
          { id: 'u1', prompt: 'one', duration: 1 },
          { id: 'u2', prompt: 'two', duration: 2 },
        ],
      });
      const { storyboardId } = importStoryboard(store, db, loadStoryboard({ content, format: 'json', baseDir: dir }));
      const enq = store.enqueue(storyboardId);
      const creates = sb.creates.length;
      sb.inject({ route: 'create', action: { type: 'drop', after: true } });
      await runAll(store, db, dataDir, enq.jobIds);
      const made = sb.creates.slice(creates).filter((c) => c.code === 0);
      expect(made).toHaveLength(1);
      const lead = store.getJob(enq.jobIds[0] ?? '');
      expect(made[0]?.externalTaskId).toBe(lead?.external_task_id);
      expect(store.events(lead?.id ?? '').some((e) => e.detail === 'reconciled: adopted existing task')).toBe(true);
      expect(enq.jobIds.map((id) => [store.getJob(id)?.state, store.getJob(id)?.task_id])).toEqual([
        ['done', made[0]?.taskId],
        ['done', made[0]?.taskId],
      ]);
      db.close();
    },
  );

  it('a budget below the whole scene blocks the scene take (all its shots) before anything is sent, though its first shot alone would fit', async () => {
    const dir = tmp('scene-budget');
    const dataDir = join(dir, 'data');
    mkdirSync(dataDir);
    const db = openDatabase(join(dir, 'shotline.db'));
    const store = new QueueStore(db);
    const { storyboardId } = importStoryboard(store, db, sceneBoard(dir, 'harbour-budget'));
    const enq = store.enqueue(storyboardId);
    const scene = enq.jobIds.slice(0, 6);
    const units = scene.map((id) => store.getJob(id)?.units ?? 0);
    const whole = units.reduce((a, b) => a + b, 0);
    const creates = sb.creates.length;
    const client = createKlingClient({
      provider: 'sandbox',
      baseUrl: sb.url,
      credentials: { kind: 'bearer', apiKey: sb.credentials.apiKey ?? '' },
    });
    // Room for more than the scene's first shot (its share of the estimate), not for the whole scene.
    const budgetUnits = (store.getJob(enq.jobIds[6] ?? '')?.units ?? 0) + (units[0] ?? 0) + 0.01;
    expect(budgetUnits).toBeLessThan(whole);
    const engine = new Engine({
      outages: outageLog(db),
      store,
      client,
      dataDir,
      owner: 'scene-budget',
      jobIds: scene,
      pollMs: 100,
      baseDelayMs: 100,
      budgetUnits,
      verify: 'probe',
    });
    try {
      engine.start();
      await engine.whenIdle();
    } finally {
      await engine.stop();
    }
    expect(sb.creates.length).toBe(creates);
    const rows = scene.map((id) => store.getJob(id));
    expect(rows.map((j) => [j?.state, j?.error_code])).toEqual(Array(6).fill(['blocked', 'budget']));
    expect(rows[3]?.error).toContain(`needs ${whole} more (the whole scene harbour: one task)`);
    db.close();
  });

  it('cancel of one shot cancels its scene take; retry queues all of it; a rerun keeps it', () => {
    const dir = tmp('scene-cancel');
    const db = openDatabase(join(dir, 'shotline.db'));
    const store = new QueueStore(db);
    const { storyboardId } = importStoryboard(store, db, sceneBoard(dir, 'harbour-cancel'));
    const enq = store.enqueue(storyboardId);
    const scene = enq.jobIds.slice(0, 6);
    expect(store.cancel({ jobId: scene[3] })).toBe(6);
    expect(scene.map((id) => store.getJob(id)?.state)).toEqual(Array(6).fill('canceled'));
    expect(store.getJob(enq.jobIds[6] ?? '')?.state).toBe('queued');
    expect(store.retry({ jobId: scene[5] })).toBe(6);
    expect(scene.map((id) => store.getJob(id)?.state)).toEqual(Array(6).fill('queued'));
    store.reprioritise(scene[2] ?? '', 7);
    expect(scene.map((id) => store.getJob(id)?.priority)).toEqual(Array(6).fill(7));
    // Only the lead is ever claimed.
    expect(store.dueJobs('queued', Date.now(), 100).filter((id) => scene.includes(id))).toEqual([scene[0]]);
    // The same storyboard again: every take kept. One shot of the scene changed: the whole scene is new.
    expect(store.enqueue(storyboardId).existing).toBe(7);
    // A shot's take erased (erase --subject deletes its rows): the rest of the scene take is kept, not half redone.
    db.prepare('DELETE FROM jobs WHERE id = ?').run(scene[4]);
    expect(store.enqueue(storyboardId)).toMatchObject({ created: 0, existing: 6 });
    const changed = sceneBoard(dir, 'harbour-cancel');
    const s4 = changed.result.ok ? changed.result.storyboard.shots[3] : undefined;
    if (s4) s4.prompt = 'harbour at dusk';
    importStoryboard(store, db, changed);
    const again = store.enqueue(storyboardId);
    expect([again.created, again.existing]).toEqual([6, 1]);
    db.close();
  });
});
