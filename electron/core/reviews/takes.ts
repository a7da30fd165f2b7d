/**
 * review.* in the core (issue 17 item 2): the list of takes with what was stored at verify
 * time, and the rules that tie a review to the edit's pick (which stays in the edit,
 * electron/core/edits/store.ts):
 * - rejecting the picked take un-picks it (a pick of a rejected take is refused);
 * - picking a take whose marks are set makes them the shot's trim (without marks, the trim
 *   of the take it replaces is dropped: it was of another clip; a crossfade stays);
 * - setting marks on the picked take updates the trim.
 */
import { basename } from 'node:path';

import type Database from 'better-sqlite3';

import type { EditPatch, StoredEdit } from '../../../shared/contract/project';
import type { ReviewSetInput, TakeInfo, TakeMarks, TakeReview } from '../../../shared/contract/review';
import type { ResolvedShot } from '../../../shared/storyboard/schema';
import { ShotlineError } from '../../../shared/result';
import { getEdit, saveEdit } from '../edits/store';
import { probe, type ToolPaths } from '../media';
import type { JobRow, QueueStore } from '../queue/store';
import { NO_REVIEW, ownerOf, type ReviewStore, type StoredTakeMedia, type TakeOwner } from './store';

export interface ReviewDeps {
  db: Database.Database;
  queue: QueueStore;
  reviews: ReviewStore;
  tools: ToolPaths;
}

/** Half a frame at 24 fps: marks are frame-rounded by the viewer, the clip's length is not. */
const EPS = 0.021;

function asked(j: JobRow): TakeInfo['asked'] {
  const spec = JSON.parse(j.spec) as Partial<ResolvedShot>;
  return {
    model: j.model,
    resolution: spec.resolution ?? null,
    aspectRatio: spec.aspectRatio ?? null,
    audio: spec.audio ?? null,
    durationS: spec.duration ?? null,
  };
}

function takeInfo(
  q: QueueStore,
  j: JobRow,
  storyboard: string,
  review: TakeReview | undefined,
  m: StoredTakeMedia | undefined,
  picks: Record<string, string>,
): TakeInfo {
  const v = q.view(j, storyboard);
  // Stills of another file (the take was downloaded again) are not this clip's.
  const same = m !== undefined && m.file !== null && m.file === j.file;
  return {
    jobId: j.id,
    batchId: j.batch_id,
    storyboardId: j.storyboard_id,
    shotId: j.shot_id,
    take: j.take,
    state: j.state,
    error: j.error,
    errorCode: j.error_code,
    fix: j.fix,
    file: j.file,
    fileName: j.file ? basename(j.file) : null,
    poster: same ? m.poster : null,
    filmstrip: same ? m.filmstrip : [],
    media: same ? m.media : null,
    asked: asked(j),
    promptSent: m?.promptSent ?? null,
    units: j.units,
    billedUnits: j.units_charged,
    taskId: j.task_id,
    externalTaskId: v.externalTaskId,
    expiresAt: j.expires_at,
    scene: v.scene ?? null,
    picked: j.file !== null && picks[j.shot_id] === j.file,
    review: review ?? { ...NO_REVIEW },
  };
}

/**
 * Every take of the storyboard (or one batch of it): three queries, no ffprobe. A done take
 * with a clip but no stills of it (verified before this build, or the making failed) is
 * handed to `missing` (the handler makes them in the background).
 */
export function listTakes(
  d: ReviewDeps,
  storyboardId: string,
  batchId?: string,
  missing?: (owner: TakeOwner, file: string) => void,
): { storyboardId: string; storyboard: string; takes: TakeInfo[] } {
  const edit = getEdit(d.db, d.queue, storyboardId);
  const reviews = d.reviews.reviewsOf(storyboardId);
  const media = d.reviews.mediaOf(storyboardId);
  const takes = d.queue.takeRows(storyboardId, batchId).map((j) => {
    const t = takeInfo(d.queue, j, edit.storyboard, reviews.get(j.id), media.get(j.id), edit.picks);
    if (missing && t.state === 'done' && j.file && t.poster === null) missing(ownerOf(j), j.file);
    return t;
  });
  return { storyboardId, storyboard: edit.storyboard, takes };
}

export function takeOf(d: ReviewDeps, jobId: string): TakeInfo {
  const j = jobOf(d, jobId);
  const edit = getEdit(d.db, d.queue, j.storyboard_id);
  return takeInfo(
    d.queue,
    j,
    edit.storyboard,
    d.reviews.review(jobId),
    d.reviews.media(jobId) ?? undefined,
    edit.picks,
  );
}

function jobOf(d: ReviewDeps, jobId: string): JobRow {
  const j = d.queue.getJob(jobId);
  if (!j)
    throw new ShotlineError({
      code: 'not_found',
      where: 'jobId',
      message: `No take with job id "${jobId}": reload the Takes page (the take may have been erased).`,
    });
  return j;
}

const fmt = (s: number): string => `${Number(s.toFixed(3))} s`;

/** Marks must lie inside the clip: its length as stored at verify time, else probed now. */
async function checkMarks(d: ReviewDeps, j: JobRow, marks: TakeMarks): Promise<void> {
  const take = `Take ${j.take} of shot "${j.shot_id}"`;
  if (!j.file)
    throw new ShotlineError({
      code: 'validation',
      where: 'marks',
      message: `${take} has no clip yet (it is ${j.state}); marks can be set once it is done.`,
    });
  if (marks.outS <= marks.inS)
    throw new ShotlineError({
      code: 'validation',
      where: 'marks',
      message: `${take}: the out mark ${fmt(marks.outS)} is not after the in mark ${fmt(marks.inS)}; set the out mark later.`,
    });
  const stored = d.reviews.media(j.id);
  let length = stored?.file === j.file ? stored.media?.durationS : undefined;
  if (length === undefined) {
    length = (await probe(j.file, d.tools)).durationS;
  }
  if (marks.outS > length + EPS || marks.inS >= length)
    throw new ShotlineError({
      code: 'validation',
      where: 'marks',
      message: `${take}: marks ${fmt(marks.inS)}-${fmt(marks.outS)} are outside the clip, which is ${fmt(length)} long; mark within 0-${fmt(length)}.`,
    });
}

/** The shot's trim with this take's marks as in/out (the crossfade kept), or null for none. */
function trimWith(edit: StoredEdit, shotId: string, marks: TakeMarks | null): StoredEdit['trims'][string] | null {
  const fade = edit.trims[shotId]?.fade;
  const t = { ...(marks ? { inS: marks.inS, outS: marks.outS } : {}), ...(fade !== undefined ? { fade } : {}) };
  return Object.keys(t).length ? t : null;
}

/** review.set: the review merged and stored; the edit changed by the rules above first. */
export async function setReview(d: ReviewDeps, input: ReviewSetInput): Promise<TakeInfo> {
  const j = jobOf(d, input.jobId);
  const before = d.reviews.review(j.id);
  const next: Omit<TakeReview, 'updatedAt'> = {
    rejected: input.rejected ?? before.rejected,
    rating: input.rating !== undefined ? input.rating : before.rating,
    note: input.note ?? before.note,
    marks: input.marks !== undefined ? input.marks : before.marks,
  };
  if (input.picked && input.rejected)
    throw new ShotlineError({
      code: 'validation',
      where: 'picked',
      message: 'A take cannot be picked and rejected at once: send one of them.',
    });
  // Picking a rejected take takes the rejection back (the editor changed their mind).
  if (input.picked) next.rejected = false;
  if (input.marks) await checkMarks(d, j, input.marks);
  if (input.picked && (j.state !== 'done' || !j.file))
    throw new ShotlineError({
      code: 'validation',
      where: 'picked',
      message: `Take ${j.take} of shot "${j.shot_id}" is ${j.state} and has no clip; pick a done take.`,
    });

  const edit = getEdit(d.db, d.queue, j.storyboard_id);
  const wasPicked = j.file !== null && edit.picks[j.shot_id] === j.file;
  const unpick = wasPicked && (next.rejected || input.picked === false);
  const pick = input.picked === true && !wasPicked;
  const remark = wasPicked && !unpick && input.marks !== undefined;
  if (unpick || pick || remark) {
    const file = j.file as string;
    await saveEdit(
      d.db,
      d.queue,
      {
        storyboardId: j.storyboard_id,
        picks: { [j.shot_id]: unpick ? null : file },
        trims: { [j.shot_id]: trimWith(edit, j.shot_id, unpick ? null : next.marks) },
      },
      d.tools,
    );
  }
  d.reviews.putReview(ownerOf(j), next);
  return takeOf(d, j.id);
}

/**
 * "Pick take 1 wherever nothing is picked": per active shot with no pick, its lowest numbered
 * done take that is not rejected (its marks become the trim). Shots with no such take stay unpicked.
 */
export async function pickFirst(d: ReviewDeps, storyboardId: string): Promise<StoredEdit> {
  const edit = getEdit(d.db, d.queue, storyboardId);
  const reviews = d.reviews.reviewsOf(storyboardId);
  const unpicked = new Set(edit.shots.map((s) => s.id).filter((id) => !edit.picks[id]));
  const picks: Record<string, string> = {};
  const trims: Record<string, StoredEdit['trims'][string] | null> = {};
  // takeRows is in take order per shot: the first eligible take of a shot wins.
  for (const j of d.queue.takeRows(storyboardId)) {
    if (!unpicked.has(j.shot_id) || picks[j.shot_id] || j.state !== 'done' || !j.file) continue;
    const r = reviews.get(j.id);
    if (r?.rejected) continue;
    picks[j.shot_id] = j.file;
    trims[j.shot_id] = trimWith(edit, j.shot_id, r?.marks ?? null);
  }
  if (!Object.keys(picks).length) return edit;
  return saveEdit(d.db, d.queue, { storyboardId, picks, trims }, d.tools);
}

/**
 * edit.save (electron/core/handlers/project.ts): a take picked there (a swap on the Edit page)
 * without a trim for its shot in the same change brings its marks as the trim, as review.set does.
 */
export function withMarks(d: ReviewDeps, patch: EditPatch): EditPatch {
  const edit = getEdit(d.db, d.queue, patch.storyboardId);
  const picked = Object.entries(patch.picks ?? {}).filter(
    (e): e is [string, string] =>
      typeof e[1] === 'string' && edit.picks[e[0]] !== e[1] && !(e[0] in (patch.trims ?? {})),
  );
  if (!picked.length) return patch;
  const jobOf = new Map(d.queue.jobsOfFiles(picked.map(([, f]) => f)).map((j) => [j.file, j.id]));
  const trims = { ...patch.trims };
  for (const [shot, file] of picked) {
    const jobId = jobOf.get(file);
    const marks = jobId ? d.reviews.review(jobId).marks : null;
    if (marks) trims[shot] = trimWith(edit, shot, marks);
  }
  return { ...patch, trims };
}
