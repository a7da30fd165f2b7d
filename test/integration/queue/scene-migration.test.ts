/**
 * Step 180 (scenes, electron/core/db/migrations/180-scenes.ts) is additive: a data dir
 * written before it (every earlier step applied, jobs in it) opens as it is, its jobs are
 * shots generated alone (scene null in every view), and
 * a scene can be queued next to them. Real SQLite files.
 */
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

import { describe, expect, it } from 'vitest';

import { migrations } from '../../../electron/core/db/migrations';
import { openDatabase } from '../../../electron/core/db/open';
import { QueueStore } from '../../../electron/core/queue/store';

/** The newest schema step this build has (every old database ends there). */
const NEWEST = migrations[migrations.length - 1]?.version;
import { importStoryboard, loadStoryboard } from '../../../electron/core/storyboard';

describe('step 180 (scenes)', () => {
  it('opens a data dir from before it: old takes are shots alone in every view; a scene can be queued beside them', () => {
    const dir = mkdtempSync(join(tmpdir(), 'shotline-m180-'));
    const file = join(dir, 'shotline.db');
    const before = migrations.filter((m) => m.version < 180);
    expect(before.at(-1)?.version).toBe(170);
    const old = openDatabase(file, { migrations: before });
    const now = new Date().toISOString();
    const spec = {
      id: 'a',
      index: 0,
      row: null,
      kind: 'text2video',
      prompt: 'a red kite over the sea',
      model: 'kling-2.5-turbo',
      resolution: '720p',
      audio: 'off',
      duration: 5,
      aspectRatio: '16:9',
      takes: 1,
      unitsPerTake: 1.5,
    };
    old
      .prepare(
        'INSERT INTO storyboards (id, name, source_path, format, content_sha256, created_at, updated_at) VALUES (?, ?, NULL, ?, ?, ?, ?)',
      )
      .run('demo-1', 'demo', 'json', 'x', now, now);
    old
      .prepare(
        'INSERT INTO shots (pk, storyboard_id, shot_id, ord, prompt, subject, takes, units_per_take, spec, spec_hash) VALUES (1, ?, ?, 0, ?, NULL, 1, 1.5, ?, ?)',
      )
      .run('demo-1', 'a', spec.prompt, JSON.stringify(spec), 'h1');
    old.prepare('INSERT INTO batches (id, storyboard_id, created_at) VALUES (?, ?, ?)').run('b-old', 'demo-1', now);
    old
      .prepare(
        `INSERT INTO jobs (id, batch_id, shot_pk, storyboard_id, shot_id, take, seq, spec_hash, spec, kind, model, units, state, state_since, external_task_id, task_id, file, created_at, updated_at)
       VALUES ('j-old', 'b-old', 1, 'demo-1', 'a', 1, 1, 'h1', ?, 'text2video', 'kling-2.5-turbo', 1.5, 'done', ?, 'shotline-j-old', '7001', '/clips/a.mp4', ?, ?)`,
      )
      .run(JSON.stringify(spec), now, now, now);
    expect(old.prepare("SELECT COUNT(*) FROM pragma_table_info('jobs') WHERE name = 'scene_group'").pluck().get()).toBe(
      0,
    );
    old.close();

    const db = openDatabase(file);
    expect(db.pragma('user_version', { simple: true })).toBe(NEWEST);
    expect(
      db.prepare("SELECT name FROM pragma_table_info('jobs') WHERE name LIKE 'scene%' ORDER BY name").pluck().all(),
    ).toEqual(['scene_file', 'scene_group', 'scene_id', 'scene_role']);
    const store = new QueueStore(db);
    const view = store.jobView('j-old');
    expect(view).toMatchObject({
      state: 'done',
      taskId: '7001',
      externalTaskId: 'shotline-j-old',
      file: '/clips/a.mp4',
      scene: null,
    });
    // The old take is still claimed by nothing and listed as before.
    expect(store.list({ storyboardId: 'demo-1' }).jobs.map((j) => j.id)).toEqual(['j-old']);
    // A scene queued in the same data dir.
    const content = JSON.stringify({
      name: 'scene after upgrade',
      defaults: { model: 'kling-3.0', resolution: '720p', aspectRatio: '16:9', takes: 1 },
      shots: [
        { id: 'x', prompt: 'one', duration: 2, scene: 'one' },
        { id: 'y', prompt: 'two', duration: 3, scene: 'one' },
      ],
    });
    const { storyboardId } = importStoryboard(store, db, loadStoryboard({ content, format: 'json', baseDir: dir }));
    const enq = store.enqueue(storyboardId);
    expect(enq.jobIds.map((id) => store.jobView(id)?.scene?.role)).toEqual(['lead', 'member']);
    db.close();
    // And it opens again with nothing left to apply.
    openDatabase(file).close();
  });
});
