/**
 * `shotline run <storyboard>`: import, enqueue, work to the end, download; `--edit` cuts the
 * first good take of each shot into one file. Rerunning with the same data dir resumes: it
 * never resubmits a task that exists and never downloads a clip twice.
 */
import { existsSync, mkdirSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { parseArgs } from 'node:util';

import { isProviderId } from '../../../shared/kling/providers';
import { RunResult } from '../../../shared/queue';
import { formatProblem } from '../../../shared/storyboard/schema';
import { estimateStoryboard } from '../../../shared/storyboard/validate';
import type Database from 'better-sqlite3';

import { openDatabase } from '../../core/db/open';
import { libraryAliases } from '../../core/elements';
import { describeOutage } from '../../core/engine/outage';
import { listOutages } from '../../core/engine/outage-log';
import { cutEdit } from '../../core/engine/edit';
import { parseTimelineFormats, writeTimelinesBeside } from '../../core/media';
import { registerExport } from '../../core/privacy';
import { startEngineWith, startSandboxForCli } from '../../core/engine/runner';
import { QueueStore } from '../../core/queue/store';
import { importStoryboard, loadStoryboard } from '../../core/storyboard';
import { EXIT_JOBS_FAILED, EXIT_OK, UsageError, type CliCommand, type CliIO } from '../command';
import { confirmSpend, confirmThreshold } from '../confirm';
import { resolveDataDir } from '../data-dir';

function positiveNumber(flag: string, v: string | undefined): number | undefined {
  if (v === undefined) return undefined;
  const n = Number(v);
  if (!Number.isFinite(n) || n <= 0) throw new UsageError(`${flag} "${v}": expected a positive number`);
  return n;
}

/** `--transient-budget 12h` (also 90m, 45s): how long a take may wait out outages before `blocked`. */
export function parseDuration(flag: string, v: string | undefined): number | undefined {
  if (v === undefined) return undefined;
  const m = /^(\d+(?:\.\d+)?)(s|m|h)$/.exec(v.trim());
  const n = m ? Number(m[1]) * { s: 1000, m: 60_000, h: 3_600_000 }[m[2] as 's' | 'm' | 'h'] : NaN;
  if (!(n > 0)) throw new UsageError(`${flag} "${v}": expected a time with its unit, e.g. 12h, 90m or 45s`);
  return Math.round(n);
}

/** The run's morning report of outages (issue 14): start, end, what it was, what waited. */
function outageLines(db: Database.Database, since: string): string[] {
  const hhmm = (iso: string): string => iso.slice(11, 16);
  return listOutages(db, since).map((o) => {
    const mins = o.endedAt ? Math.max(0, Math.round((Date.parse(o.endedAt) - Date.parse(o.startedAt)) / 60_000)) : null;
    const what = describeOutage({ provider: o.provider, kind: o.kind, since: null, nextTryAt: null });
    const when = o.endedAt
      ? `${hhmm(o.startedAt)}-${hhmm(o.endedAt)} UTC (${mins} min)`
      : `from ${hhmm(o.startedAt)} UTC, still going when the run ended`;
    return `Outage ${when}: ${what}; ${o.jobsWaiting} take(s) waited, none failed for it`;
  });
}

/** The `--json` result for a set of jobs, in storyboard order. */
export function runResult(store: QueueStore, jobIds: readonly string[], edit: string | null): RunResult {
  const jobs: RunResult['jobs'] = [];
  let billed = 0;
  let estimated = 0;
  for (const id of jobIds) {
    const j = store.getJob(id);
    if (!j) continue;
    jobs.push({
      shotId: j.shot_id,
      take: j.take,
      status: j.state,
      taskId: j.task_id,
      // A shot of a scene: the task is the scene's, known by its lead's external id.
      externalTaskId: store.taskExternalId(j),
      file: j.file,
      error: j.error,
      billedUnits: j.units_charged,
      estimatedUnits: j.units,
      ...(j.scene_id ? { scene: { id: j.scene_id, file: j.scene_file } } : {}),
    });
    billed += j.units_charged ?? 0;
    if (j.task_id || j.state === 'done') estimated += j.units;
  }
  const round = (n: number): number => Math.round(n * 1000) / 1000;
  return RunResult.parse({ jobs, edit, units: round(billed), estimatedUnits: round(estimated) });
}

/** "12.5 units billed by Kling (estimate 12.5)": the end-of-run and `status` summary. */
export function unitsLine(r: RunResult): string {
  const unbilled = r.jobs.filter((j) => j.billedUnits === null && (j.taskId !== null || j.status === 'done')).length;
  return `${r.units} units billed by Kling (estimate ${r.estimatedUnits}${unbilled ? `; ${unbilled} take(s) not billed yet` : ''})`;
}

function progressLine(store: QueueStore, jobIds: readonly string[]): string {
  const counts = new Map<string, number>();
  for (const id of jobIds) {
    const s = store.getJob(id)?.state ?? '?';
    counts.set(s, (counts.get(s) ?? 0) + 1);
  }
  return [...counts].map(([s, n]) => `${s} ${n}`).join(', ');
}

export const runCommand: CliCommand = {
  summary: 'Import a storyboard, generate every take, download and verify the clips (resumable)',
  usage:
    'shotline run <storyboard.json|csv> [--data-dir D] [--provider kling|cometapi|sandbox] [--base-url URL] [--profile NAME] [--concurrency N] [--budget UNITS] [--transient-budget 12h] [--edit OUT.mp4 [--timeline fcp7,edl,fcpxml,otio]] [--dry-run] [--json] [--allow-outside-paths] [--yes] [--confirm-above UNITS]\n' +
    "  --timeline writes the edit's NLE timelines beside OUT with its name (OUT.xml, .edl, .fcpxml, .otio).",
  async run(argv, io: CliIO) {
    const { values, positionals } = parseArgs({
      args: argv,
      allowPositionals: true,
      options: {
        'data-dir': { type: 'string' },
        provider: { type: 'string' },
        'base-url': { type: 'string' },
        profile: { type: 'string' },
        region: { type: 'string' },
        concurrency: { type: 'string' },
        budget: { type: 'string' },
        'transient-budget': { type: 'string' },
        edit: { type: 'string' },
        timeline: { type: 'string' },
        'dry-run': { type: 'boolean' },
        json: { type: 'boolean' },
        'allow-outside-paths': { type: 'boolean' },
        yes: { type: 'boolean' },
        'confirm-above': { type: 'string' },
      },
      strict: true,
    });
    if (positionals.length !== 1) throw new UsageError('give exactly one storyboard file');
    const provider = values.provider ?? 'kling';
    if (!isProviderId(provider)) throw new UsageError(`--provider "${provider}": expected kling, cometapi or sandbox`);
    const concurrency = positiveNumber('--concurrency', values.concurrency);
    if (concurrency !== undefined && !Number.isInteger(concurrency))
      throw new UsageError(`--concurrency "${values.concurrency}": expected a whole number`);
    const budget = positiveNumber('--budget', values.budget);
    let timelines: ReturnType<typeof parseTimelineFormats> = [];
    try {
      timelines = parseTimelineFormats(values.timeline ?? '');
    } catch (err) {
      throw new UsageError((err as Error).message);
    }
    if (timelines.length > 0 && !values.edit)
      throw new UsageError('--timeline needs --edit OUT.mp4: the timelines are written beside the edit');
    const transientBudgetMs = parseDuration('--transient-budget', values['transient-budget']);

    // Image paths stay inside the storyboard's folder unless the caller says otherwise (issue 16.3).
    // Shots may name elements the data dir's library already holds (a CSV cannot declare them).
    const loaded = loadStoryboard(
      { path: positionals[0], ...(values['allow-outside-paths'] ? { allowOutsidePaths: true } : {}) },
      { cwd: io.cwd, knownElements: heldElementAliases(resolveDataDir(values['data-dir'], io)) },
    );
    if (!loaded.result.ok) {
      const lines = loaded.result.problems.map(formatProblem);
      throw new UsageError(
        `${lines.length} problem${lines.length === 1 ? '' : 's'} in the storyboard; nothing was queued:\n  ${lines.join('\n  ')}`,
      );
    }
    const sb = loaded.result.storyboard;
    const estimate = estimateStoryboard(sb.shots);
    if (values['dry-run']) {
      const lines = [`Plan for "${sb.name}": ${estimate.jobs} take(s) of ${sb.shots.length} shot(s)`];
      for (const s of estimate.shots)
        lines.push(
          `  ${s.shotId.padEnd(16)} ${s.model} ${s.resolution} ${s.audio} ${s.duration} s x${s.takes}  ${s.units} units`,
        );
      lines.push(
        `Total: ${estimate.totalUnits} units (about ${estimate.totalCurrency.currency} ${estimate.totalCurrency.amount.toFixed(2)})`,
      );
      for (const n of estimate.notes) lines.push(`  note: ${n}`);
      if (budget !== undefined && estimate.totalUnits > budget)
        lines.push(`Budget ${budget} units: the run would stop submitting before the total.`);
      io.stderr(`${lines.join('\n')}\n`);
      if (values.json) io.stdout(`${JSON.stringify({ dryRun: true, name: sb.name, estimate })}\n`);
      return EXIT_OK;
    }

    // A big estimate asks first (--yes for scripts), before anything is queued (issue 16.7).
    await confirmSpend(io, {
      units: estimate.totalUnits,
      currency: estimate.totalCurrency,
      threshold: confirmThreshold(values['confirm-above'], io.env),
      budget,
      free: provider === 'sandbox',
      yes: values.yes === true,
    });

    const dataDir = resolveDataDir(values['data-dir'], io);
    mkdirSync(dataDir, { recursive: true });
    const db = openDatabase(join(dataDir, 'shotline.db'));
    const store = new QueueStore(db);
    let sandbox: Awaited<ReturnType<typeof startSandboxForCli>> | null = null;
    let handle: Awaited<ReturnType<typeof startEngineWith>> | null = null;
    const onSignal = (): void => {
      void (async () => {
        await handle?.stop();
        await sandbox?.sandbox.close();
        db.close();
        process.exit(130);
      })();
    };
    process.once('SIGINT', onSignal);
    process.once('SIGTERM', onSignal);
    try {
      const imported = importStoryboard(store, db, loaded);
      const enq = store.enqueue(imported.storyboardId, { budgetUnits: budget ?? null, provider });
      const jobIds = enq.jobIds;
      store.requeueRedoable(jobIds);
      io.stderr(
        `"${sb.name}": ${jobIds.length} take(s), ${enq.created} new, ${enq.existing} from earlier runs; estimate ${estimate.totalUnits} units\n`,
      );
      handle = await startEngineWith(
        {
          db,
          store,
          dataDir,
          sandbox: async () => {
            sandbox = await startSandboxForCli({ stateFile: join(dataDir, 'sandbox', 'state.json') });
            return sandbox;
          },
        },
        {
          provider,
          baseUrl: values['base-url'],
          profile: values.profile,
          region: values.region,
          concurrency,
          budgetUnits: budget ?? null,
          jobIds,
          env: io.env,
          log: (line) => io.stderr(`  ${line}\n`),
          transientBudgetMs,
        },
      );
      if (handle.banner) io.stderr(`${handle.banner}\n`);
      for (const w of handle.warnings) io.stderr(`warning: ${w}\n`);
      // At most one progress line per 500 ms: counting 10,000 jobs on every change would cost
      // more than the work it reports.
      let last = '';
      let pending: NodeJS.Timeout | null = null;
      const report = (): void => {
        pending = null;
        const h = handle?.engine.healthNow;
        const line = progressLine(store, jobIds) + (h?.message ? `; ${h.message}` : '');
        if (line !== last) {
          last = line;
          io.stderr(`  ${line}\n`);
        }
      };
      const off = store.onChange(() => {
        pending ??= setTimeout(report, 500);
      });
      const unsubscribe = (): void => {
        off();
        if (pending) clearTimeout(pending);
        report();
      };
      const runStarted = new Date().toISOString();
      await handle.engine.whenIdle();
      unsubscribe();
      await handle.stop();

      let edit: string | null = null;
      if (values.edit) {
        const firstGood = new Map<string, string>();
        for (const id of jobIds) {
          const j = store.getJob(id);
          if (j?.state === 'done' && j.file && !firstGood.has(j.shot_id)) firstGood.set(j.shot_id, j.file);
        }
        const files = sb.shots.map((s) => firstGood.get(s.id)).filter((f): f is string => Boolean(f));
        if (files.length > 0) {
          edit = await cutEdit(files, resolve(io.cwd, values.edit));
          registerExport(db, edit, files);
          io.stderr(`Edit: ${edit} (${files.length} shot(s))\n`);
          const written = await writeTimelinesBeside(
            { title: sb.name, clips: files.map((file) => ({ file })) },
            edit,
            timelines,
          );
          if (written.length > 0) io.stderr(`Timelines: ${written.join(', ')}\n`);
        } else io.stderr('Edit: no finished takes to cut\n');
      }
      const result = runResult(store, jobIds, edit);
      const bad = result.jobs.filter((j) => j.status !== 'done');
      for (const j of bad) io.stderr(`  ${j.shotId} take ${j.take}: ${j.status}${j.error ? ` - ${j.error}` : ''}\n`);
      io.stderr(`${result.jobs.length - bad.length} of ${result.jobs.length} take(s) done; ${unitsLine(result)}\n`);
      for (const line of outageLines(db, runStarted)) io.stderr(`${line}\n`);
      if (values.json) io.stdout(`${JSON.stringify(result)}\n`);
      return bad.length === 0 ? EXIT_OK : EXIT_JOBS_FAILED;
    } finally {
      process.removeListener('SIGINT', onSignal);
      process.removeListener('SIGTERM', onSignal);
      await handle?.stop();
      await (sandbox as Awaited<ReturnType<typeof startSandboxForCli>> | null)?.sandbox.close();
      db.close();
    }
  },
};

/**
 * The element aliases the data dir's library holds (electron/core/elements libraryAliases), read
 * before anything is written; none when the data dir is new or older than the library.
 */
function heldElementAliases(dataDir: string): string[] {
  const file = join(dataDir, 'shotline.db');
  if (!existsSync(file)) return [];
  let db: Database.Database | null = null;
  try {
    db = openDatabase(file, { readonly: true });
    return libraryAliases(db);
  } catch {
    return [];
  } finally {
    db?.close();
  }
}
