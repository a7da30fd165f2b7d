/**
 * report.* (issue 17 item 5): the morning report of a batch, built from the queue's jobs and
 * the takes' reviews (pick, rejected, rating, note: electron/core/reviews), with a poster per shot; exported as HTML or
 * PDF to a path the user chose in the save dialog, and registered as an export of the batch's
 * clips (erasure and retention find it, like an edit: electron/core/privacy/retention.ts).
 */
import { createHash } from 'node:crypto';
import { existsSync, statSync, writeFileSync } from 'node:fs';
import { basename, extname, join } from 'node:path';

import type { BatchReport, Handlers, reportContract, ReportShot, TakeInfo } from '../../../shared/contract';
import { ShotlineError } from '../../../shared/result';
import { reportHtml } from '../app/report-html';
import { reportPdf } from '../app/report-pdf';
import type { CoreContext } from '../context';
import { thumbnails, type ToolPaths } from '../media';
import { registerExport } from '../privacy';
import { ReviewStore } from '../reviews/store';
import { listTakes } from '../reviews/takes';
import type { CoreServices } from '../services';

const LIVE = new Set(['queued', 'submitting', 'running', 'downloading']);

function statusOf(jobs: Array<{ state: string }>): ReportShot['status'] {
  const n = (st: string): number => jobs.filter((j) => j.state === st).length;
  if (jobs.some((j) => LIVE.has(j.state))) return 'running';
  if (n('done') === jobs.length) return 'done';
  if (n('done') > 0) return 'partial';
  if (n('blocked') > 0) return 'blocked';
  if (n('failed') > 0) return 'failed';
  return 'canceled';
}

export function createReportHandlers(ctx: CoreContext, s: CoreServices): Handlers<typeof reportContract> {
  type ResourcesProcess = NodeJS.Process & { resourcesPath?: string };
  const tools: ToolPaths = {
    ffmpeg: ctx.options.ffmpegPath,
    ffprobe: ctx.options.ffprobePath,
    resourcesPath: (process as ResourcesProcess).resourcesPath,
  };
  let reviews: ReviewStore | null = null;

  /**
   * The poster of a clip where media.thumbnails keeps it (<dataDir>/thumbnails/<stem>-<hash>/,
   * electron/core/handlers/media.ts), made once when missing; null when the clip is gone.
   */
  const posterOf = async (file: string): Promise<string | null> => {
    const stem = basename(file, extname(file));
    const dir = join(
      ctx.dataDir,
      'thumbnails',
      `${stem}-${createHash('sha256').update(file).digest('hex').slice(0, 8)}`,
    );
    const poster = join(dir, `${stem}.poster.jpg`);
    if (existsSync(poster)) return poster;
    if (!existsSync(file)) return null;
    try {
      return (await thumbnails(file, dir, { ...tools, count: 1 })).poster;
    } catch {
      return null; // an unreadable clip: the shot is shown without a picture
    }
  };

  const build = async (batchId: string): Promise<BatchReport> => {
    const store = s.queue;
    const batch = (() => {
      try {
        return store.batch(batchId);
      } catch {
        throw new ShotlineError({
          code: 'not_found',
          where: 'batchId',
          message: `No batch "${batchId}": pick one of the batches the Report page lists.`,
        });
      }
    })();
    const { jobs } = store.list({ batchId });
    // Takes with their review, pick and verify-time poster (electron/core/reviews/takes.ts), storyboard order.
    const { takes } = listTakes(
      { db: ctx.db(), queue: store, reviews: (reviews ??= new ReviewStore(ctx.db())), tools },
      batch.storyboardId,
      batchId,
    );
    const byShot = new Map<string, TakeInfo[]>();
    for (const t of takes) byShot.set(t.shotId, [...(byShot.get(t.shotId) ?? []), t]);
    const shots: ReportShot[] = [];
    for (const [shotId, ts] of byShot) {
      const sorted = [...ts].sort((a, b) => a.take - b.take);
      const done = sorted.filter((t) => t.state === 'done' && t.file);
      const face = done.find((t) => t.picked) ?? done.find((t) => !t.review.rejected) ?? done[0];
      shots.push({
        shotId,
        status: statusOf(sorted),
        poster: face?.file ? (face.poster && existsSync(face.poster) ? face.poster : await posterOf(face.file)) : null,
        takes: sorted.map((t) => ({
          take: t.take,
          state: t.state,
          file: t.file,
          error: t.error,
          fix: t.fix,
          units: t.units,
          billedUnits: t.billedUnits,
          picked: t.picked,
          rejected: t.review.rejected,
          rating: t.review.rating,
          note: t.review.note,
        })),
      });
    }
    const count = (st: string): number => jobs.filter((j) => j.state === st).length;
    const done = jobs.filter((j) => j.state === 'done');
    const last = jobs.reduce((m, j) => (j.stateSince > m ? j.stateSince : m), batch.createdAt);
    return {
      batchId,
      storyboardId: batch.storyboardId,
      storyboard: batch.storyboard,
      createdAt: batch.createdAt,
      lastChangeAt: last,
      minutes: Math.max(0, Math.round((Date.parse(last) - Date.parse(batch.createdAt)) / 60_000)),
      live: jobs.some((j) => LIVE.has(j.state)),
      counts: {
        done: count('done'),
        failed: count('failed'),
        blocked: count('blocked'),
        canceled: count('canceled'),
        open: jobs.filter((j) => LIVE.has(j.state)).length,
      },
      estimatedUnits: jobs.reduce((n, j) => n + j.units, 0),
      billedUnits: done.reduce((n, j) => n + (j.billedUnits ?? 0), 0),
      unbilledTakes: done.filter((j) => j.billedUnits === null || j.billedUnits === undefined).length,
      shots,
    };
  };

  return {
    'report.batch': ({ batchId }) => build(batchId),
    async 'report.export'({ batchId, format, output: asked, overwrite }) {
      // With the app's dialogs, only where the user chose (electron/core/app/dialogs.ts).
      const output = s.outputs.check(asked, overwrite);
      const report = await build(batchId);
      writeFileSync(output, format === 'html' ? reportHtml(report) : reportPdf(report));
      registerExport(
        ctx.db(),
        output,
        report.shots.flatMap((sh) => sh.takes.flatMap((t) => (t.file ? [t.file] : []))),
      );
      return { file: output, bytes: statSync(output).size, shots: report.shots.length };
    },
  };
}
