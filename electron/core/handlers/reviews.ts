/**
 * review.* : the Takes page's list of takes and the editor's review of each (issue 17 item 2),
 * implemented in electron/core/reviews. Takes verified before stills were made at verify time
 * get them here, in the background (StillsBackfill): the list answers at once with poster null,
 * and review.changed says when a take's poster exists.
 */
import type { Handlers, reviewContract } from '../../../shared/contract';
import type { CoreContext } from '../context';
import type { ToolPaths } from '../media';
import { ReviewStore } from '../reviews/store';
import { StillsBackfill } from '../reviews/stills';
import { listTakes, pickFirst, setReview, type ReviewDeps } from '../reviews/takes';
import type { CoreServices } from '../services';

type ResourcesProcess = NodeJS.Process & { resourcesPath?: string };

export function createReviewHandlers(ctx: CoreContext, s: CoreServices): Handlers<typeof reviewContract> {
  const tools: ToolPaths = {
    ffmpeg: ctx.options.ffmpegPath,
    ffprobe: ctx.options.ffprobePath,
    resourcesPath: (process as ResourcesProcess).resourcesPath,
  };
  let reviews: ReviewStore | null = null;
  const deps = (): ReviewDeps => ({
    db: ctx.db(),
    queue: s.queue,
    reviews: (reviews ??= new ReviewStore(ctx.db())),
    tools,
  });
  const backfill = new StillsBackfill(
    () => deps().reviews,
    ctx.dataDir,
    tools,
    (o) => ctx.emit('review.changed', { storyboardId: o.storyboardId, jobId: o.jobId }),
    (o, err) =>
      ctx.emit('app.notice', {
        level: 'warn',
        message: `No poster for take ${o.jobId}: ${err.message}`,
      }),
  );
  ctx.onClose(() => backfill.close());

  return {
    'review.takes': ({ storyboardId, batchId }) =>
      Promise.resolve().then(() =>
        listTakes(deps(), storyboardId, batchId, (owner, file) => backfill.want(owner, file)),
      ),
    async 'review.set'(input) {
      const take = await setReview(deps(), input);
      ctx.emit('review.changed', { storyboardId: take.storyboardId, jobId: take.jobId });
      return take;
    },
    async 'review.pickFirst'({ storyboardId }) {
      const edit = await pickFirst(deps(), storyboardId);
      ctx.emit('review.changed', { storyboardId, jobId: null });
      return edit;
    },
  };
}
