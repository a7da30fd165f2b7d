/**
 * The review in the exports (issue 17 item 4): each clip of an edit that is a take the editor
 * reviewed gets its rating, pick or reject and note, which the timeline writers
 * (electron/core/media/timelines.ts) put where each NLE shows them. A clip on the cut is the
 * shot's pick; a clip that already carries a review (sent by the page) is left as it is.
 */
import type { Edit } from '../../../shared/media';
import type { QueueStore } from '../queue/store';
import type { ReviewStore } from './store';

export function withReviews<E extends Edit>(edit: E, queue: QueueStore, reviews: ReviewStore): E {
  const files = edit.clips.filter((c) => !c.review).map((c) => c.file);
  if (!files.length) return edit;
  const jobOf = new Map(queue.jobsOfFiles(files).map((j) => [j.file, j.id]));
  return {
    ...edit,
    clips: edit.clips.map((c) => {
      const jobId = c.review ? undefined : jobOf.get(c.file);
      if (!jobId) return c;
      const r = reviews.review(jobId);
      if (r.updatedAt === null) return c; // never reviewed: the timeline says nothing of it
      return { ...c, review: { picked: !r.rejected, rejected: r.rejected, rating: r.rating, note: r.note } };
    }),
  };
}
