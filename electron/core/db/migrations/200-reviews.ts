/**
 * Review of takes (issue 17 item 2; electron/core/reviews/store.ts owns both tables):
 * - take_reviews: per take (job) the editor's review: rejected, a 1-5 rating, a note (it never
 *   leaves the machine) and in/out marks in seconds. The pick is not here: it stays in the
 *   storyboard's edit (table edits, step 140).
 * - take_media: what the engine recorded of a take's clip when it verified it (probe figures,
 *   poster and filmstrip JPEGs), and the prompt as sent to Kling after the PII filter, so the
 *   Takes page reads one list and never runs ffprobe or ffmpeg when it opens.
 * Both hang off jobs(id) with ON DELETE CASCADE and carry the job's subject tag: privacy
 * erasure (electron/core/privacy/erase.ts) finds them by either, and a storyboard's removal
 * takes them with it. Retention deletes a take's clip but keeps its job (privacy/retention.ts,
 * forgetPaths sets jobs.file to NULL): the trigger removes the review then, since a note may
 * name people and there is no clip left to review.
 */
import type { Migration } from './types';

export const reviewsMigration: Migration = {
  version: 200,
  name: 'reviews',
  up(db) {
    db.exec(`
      CREATE TABLE take_reviews (
        job_id TEXT PRIMARY KEY REFERENCES jobs(id) ON DELETE CASCADE,
        storyboard_id TEXT NOT NULL,
        subject TEXT,
        rejected INTEGER NOT NULL DEFAULT 0 CHECK (rejected IN (0, 1)),
        rating INTEGER CHECK (rating BETWEEN 1 AND 5),
        note TEXT NOT NULL DEFAULT '' CHECK (length(note) <= 2000),
        in_s REAL,
        out_s REAL,
        updated_at TEXT NOT NULL,
        CHECK ((in_s IS NULL) = (out_s IS NULL)),
        CHECK (in_s IS NULL OR (in_s >= 0 AND out_s > in_s))
      ) STRICT;
      CREATE INDEX take_reviews_storyboard ON take_reviews(storyboard_id);
      CREATE INDEX take_reviews_subject ON take_reviews(subject) WHERE subject IS NOT NULL;

      CREATE TABLE take_media (
        job_id TEXT PRIMARY KEY REFERENCES jobs(id) ON DELETE CASCADE,
        storyboard_id TEXT NOT NULL,
        subject TEXT,
        file TEXT,
        duration_s REAL,
        fps REAL,
        width INTEGER,
        height INTEGER,
        has_audio INTEGER CHECK (has_audio IN (0, 1)),
        poster TEXT,
        filmstrip TEXT NOT NULL DEFAULT '[]',
        prompt_sent TEXT,
        updated_at TEXT NOT NULL
      ) STRICT;
      CREATE INDEX take_media_storyboard ON take_media(storyboard_id);
      CREATE INDEX take_media_subject ON take_media(subject) WHERE subject IS NOT NULL;

      CREATE TRIGGER take_reviews_clip_gone AFTER UPDATE OF file ON jobs
      WHEN OLD.file IS NOT NULL AND NEW.file IS NULL
      BEGIN
        DELETE FROM take_reviews WHERE job_id = NEW.id;
      END;
    `);
  },
};
