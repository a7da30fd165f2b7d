/**
 * Multi-shot scenes (issue 13 item 1): a take of a scene is one Kling task but one job per shot,
 * so status, --json, Takes, Edit, the NLE timelines and erase see one take per shot. The jobs of
 * one scene take share `scene_group`; the first shot's job is the `lead` (the only one the engine
 * claims; electron/core/queue/store.ts mirrors its every transition onto the `member`s in the
 * same transaction); `scene_file` is the whole scene clip as Kling gave it, kept beside the
 * per-shot clips. Additive only: every existing row has NULLs and is a shot generated alone.
 */
import type { Migration } from './types';

export const scenesMigration: Migration = {
  version: 180,
  name: 'scenes',
  up(db) {
    db.exec(`
      ALTER TABLE jobs ADD COLUMN scene_id TEXT;
      ALTER TABLE jobs ADD COLUMN scene_group TEXT;
      ALTER TABLE jobs ADD COLUMN scene_role TEXT CHECK (scene_role IS NULL OR scene_role IN ('lead', 'member'));
      ALTER TABLE jobs ADD COLUMN scene_file TEXT;
      CREATE INDEX jobs_scene_group ON jobs(scene_group) WHERE scene_group IS NOT NULL;
    `);
  },
};
