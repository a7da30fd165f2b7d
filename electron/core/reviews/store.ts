/**
 * The one owner of take_reviews and take_media (schema step 200; docs/architecture.md, "One
 * owner per table"): no other module has SQL over them. The queue's tables are asked of their
 * owner (QueueStore) by the callers (./takes.ts gets them handed in).
 */
import type Database from 'better-sqlite3';

import type { TakeMedia, TakeReview } from '../../../shared/contract/review';

interface ReviewRow {
  job_id: string;
  rejected: number;
  rating: number | null;
  note: string;
  in_s: number | null;
  out_s: number | null;
  updated_at: string;
}

interface MediaRow {
  job_id: string;
  file: string | null;
  duration_s: number | null;
  fps: number | null;
  width: number | null;
  height: number | null;
  has_audio: number | null;
  poster: string | null;
  filmstrip: string;
  prompt_sent: string | null;
}

/** What the store keeps of a take's clip and request (./takes.ts turns it into TakeInfo fields). */
export interface StoredTakeMedia {
  /** The clip the figures and stills are of (a take downloaded again gets new ones). */
  file: string | null;
  media: TakeMedia | null;
  poster: string | null;
  filmstrip: string[];
  promptSent: string | null;
}

/** The job a review row belongs to: its storyboard and data-subject tag (privacy erase seeds from it). */
export interface TakeOwner {
  jobId: string;
  storyboardId: string;
  subject: string | null;
}

/** The owner of a job's rows: its id, storyboard and subject tag. */
export const ownerOf = (j: { id: string; storyboard_id: string; subject: string | null }): TakeOwner => ({
  jobId: j.id,
  storyboardId: j.storyboard_id,
  subject: j.subject,
});

export const NO_REVIEW: TakeReview = { rejected: false, rating: null, note: '', marks: null, updatedAt: null };

function toReview(r: ReviewRow): TakeReview {
  return {
    rejected: r.rejected === 1,
    rating: r.rating,
    note: r.note,
    marks: r.in_s !== null && r.out_s !== null ? { inS: r.in_s, outS: r.out_s } : null,
    updatedAt: r.updated_at,
  };
}

function toMedia(r: MediaRow): StoredTakeMedia {
  const figures =
    r.duration_s !== null && r.fps !== null && r.width !== null && r.height !== null && r.has_audio !== null
      ? { durationS: r.duration_s, fps: r.fps, width: r.width, height: r.height, hasAudio: r.has_audio === 1 }
      : null;
  return {
    file: r.file,
    media: figures,
    poster: r.poster,
    filmstrip: JSON.parse(r.filmstrip) as string[],
    promptSent: r.prompt_sent,
  };
}

export class ReviewStore {
  constructor(private readonly db: Database.Database) {}

  /** Every review of a storyboard's takes, by job id (one query). */
  reviewsOf(storyboardId: string): Map<string, TakeReview> {
    const rows = this.db
      .prepare<[string], ReviewRow>('SELECT * FROM take_reviews WHERE storyboard_id = ?')
      .all(storyboardId);
    return new Map(rows.map((r) => [r.job_id, toReview(r)]));
  }

  review(jobId: string): TakeReview {
    const r = this.db.prepare<[string], ReviewRow>('SELECT * FROM take_reviews WHERE job_id = ?').get(jobId);
    return r ? toReview(r) : { ...NO_REVIEW };
  }

  /** Writes a take's whole review (the caller merged the change into the current one). */
  putReview(owner: TakeOwner, review: Omit<TakeReview, 'updatedAt'>): TakeReview {
    const now = new Date().toISOString();
    this.db
      .prepare(
        `INSERT INTO take_reviews (job_id, storyboard_id, subject, rejected, rating, note, in_s, out_s, updated_at)
         VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)
         ON CONFLICT(job_id) DO UPDATE SET rejected = excluded.rejected, rating = excluded.rating,
           note = excluded.note, in_s = excluded.in_s, out_s = excluded.out_s, updated_at = excluded.updated_at`,
      )
      .run(
        owner.jobId,
        owner.storyboardId,
        owner.subject,
        review.rejected ? 1 : 0,
        review.rating,
        review.note,
        review.marks?.inS ?? null,
        review.marks?.outS ?? null,
        now,
      );
    return { ...review, updatedAt: now };
  }

  /** Every take's media record of a storyboard, by job id (one query). */
  mediaOf(storyboardId: string): Map<string, StoredTakeMedia> {
    const rows = this.db
      .prepare<[string], MediaRow>('SELECT * FROM take_media WHERE storyboard_id = ?')
      .all(storyboardId);
    return new Map(rows.map((r) => [r.job_id, toMedia(r)]));
  }

  media(jobId: string): StoredTakeMedia | null {
    const r = this.db.prepare<[string], MediaRow>('SELECT * FROM take_media WHERE job_id = ?').get(jobId);
    return r ? toMedia(r) : null;
  }

  /** What the engine found when it verified the take's clip: probe figures, poster, filmstrip. */
  putStills(
    owner: TakeOwner,
    file: string,
    media: TakeMedia,
    stills: { poster: string | null; filmstrip: string[] },
  ): void {
    this.db
      .prepare(
        `INSERT INTO take_media (job_id, storyboard_id, subject, file, duration_s, fps, width, height, has_audio, poster, filmstrip, updated_at)
         VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)
         ON CONFLICT(job_id) DO UPDATE SET file = excluded.file, duration_s = excluded.duration_s, fps = excluded.fps,
           width = excluded.width, height = excluded.height, has_audio = excluded.has_audio, poster = excluded.poster,
           filmstrip = excluded.filmstrip, updated_at = excluded.updated_at`,
      )
      .run(
        owner.jobId,
        owner.storyboardId,
        owner.subject,
        file,
        media.durationS,
        media.fps,
        media.width,
        media.height,
        media.hasAudio ? 1 : 0,
        stills.poster,
        JSON.stringify(stills.filmstrip),
        new Date().toISOString(),
      );
  }

  /** The prompt as it left for Kling (after the PII filter), recorded when the request is built. */
  putPromptSent(owner: TakeOwner, prompt: string): void {
    this.db
      .prepare(
        `INSERT INTO take_media (job_id, storyboard_id, subject, prompt_sent, updated_at) VALUES (?, ?, ?, ?, ?)
         ON CONFLICT(job_id) DO UPDATE SET prompt_sent = excluded.prompt_sent, updated_at = excluded.updated_at`,
      )
      .run(owner.jobId, owner.storyboardId, owner.subject, prompt, new Date().toISOString());
  }
}
