/**
 * `shotline run <storyboard>`: import, enqueue, work to the end, download; `--edit` cuts the
 * first good take of each shot into one file. Rerunning with the same data dir resumes: it
 * never resubmits a task that exists and never downloads a clip twice.
 *
 * A front over the core like IPC and the test bridge (issue 18 item 2; docs/architecture.md):
 * storyboard.import, queue.enqueue, then the core's engine supervisor (electron/core/engine/
 * supervisor.ts, the one path that starts an engine) with the run's flags; progress from
 * job.changed events; the edit through media.exportEdit, so it is registered for erasure and
 * retention as the app's exports are; the report from queue.list and engine.outages. Only the
 * plan (--dry-run) and the spend question are worked out here, before the data dir is touched.
 */
import { existsSync, mkdirSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { parseArgs } from 'node:util';

import type { OutageView } from '../../../shared/contract/engine';
import { isProviderId, type ProviderId } from '../../../shared/kling/providers';
import { RunResult, type JobView } from '../../../shared/queue';
import { formatProblem } from '../../../shared/storyboard/schema';
import { estimateStoryboard, type ParsedStoryboard as Storyboard } from '../../../shared/storyboard/validate';
import type Database from 'better-sqlite3';

import { createCore, type Core } from '../../core';
import { openDatabase } from '../../core/db/open';
import { libraryAliases } from '../../core/elements';
import { describeOutage } from '../../core/engine/outage';
import { parseTimelineFormats } from '../../core/media';
import { loadStoryboard } from '../../core/storyboard';
import { EXIT_JOBS_FAILED, EXIT_OK, UsageError, type CliCommand, type CliIO } from '../command';
import { confirmSpend, confirmThreshold } from '../confirm';
import { valueOf } from '../core-result';
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
function outageLines(outages: readonly OutageView[]): string[] {
  const hhmm = (iso: string): string => iso.slice(11, 16);
  return outages.map((o) => {
    const mins = o.endedAt ? Math.max(0, Math.round((Date.parse(o.endedAt) - Date.parse(o.startedAt)) / 60_000)) : null;
    const what = describeOutage({ provider: o.provider, kind: o.kind, since: null, nextTryAt: null });
    const when = o.endedAt
      ? `${hhmm(o.startedAt)}-${hhmm(o.endedAt)} UTC (${mins} min)`
      : `from ${hhmm(o.startedAt)} UTC, still going when the run ended`;
    return `Outage ${when}: ${what}; ${o.jobsWaiting} take(s) waited, none failed for it`;
  });
}

/** The `--json` result for a set of jobs (as queue.list shows them), in the order given. */
export function runResult(views: readonly JobView[], edit: string | null): RunResult {
  const jobs: RunResult['jobs'] = [];
  let billed = 0;
  let estimated = 0;
  for (const j of views) {
    const charged = j.billedUnits ?? null;
    jobs.push({
      shotId: j.shotId,
      take: j.take,
      status: j.state,
      taskId: j.taskId,
      // A shot of a scene: the task is the scene's, known by its lead's external id.
      externalTaskId: j.externalTaskId,
      file: j.file,
      error: j.error,
      billedUnits: charged,
      estimatedUnits: j.units,
      ...(j.scene ? { scene: { id: j.scene.id, file: j.scene.file } } : {}),
    });
    billed += charged ?? 0;
    if (j.taskId || j.state === 'done') estimated += j.units;
  }
  const round = (n: number): number => Math.round(n * 1000) / 1000;
  return RunResult.parse({ jobs, edit, units: round(billed), estimatedUnits: round(estimated) });
}

/** "12.5 units billed by Kling (estimate 12.5)": the end-of-run and `status` summary. */
export function unitsLine(r: RunResult): string {
  const unbilled = r.jobs.filter((j) => j.billedUnits === null && (j.taskId !== null || j.status === 'done')).length;
  return `${r.units} units billed by Kling (estimate ${r.estimatedUnits}${unbilled ? `; ${unbilled} take(s) not billed yet` : ''})`;
}

/** Every job of the data dir, or of one storyboard, through queue.list (paged at its limit). */
export async function listJobs(core: Core, storyboardId?: string): Promise<JobView[]> {
  const jobs: JobView[] = [];
  for (;;) {
    const page = valueOf(
      await core.call('queue.list', { ...(storyboardId ? { storyboardId } : {}), offset: jobs.length }),
    );
    jobs.push(...page.jobs);
    if (page.jobs.length === 0 || jobs.length >= page.total) return jobs;
  }
}

/** The run's jobs in the order enqueue gave them (the storyboard's order). */
async function jobsInOrder(core: Core, storyboardId: string, jobIds: readonly string[]): Promise<JobView[]> {
  const byId = new Map((await listJobs(core, storyboardId)).map((j) => [j.id, j]));
  return jobIds.map((id) => byId.get(id)).filter((j): j is JobView => j !== undefined);
}

interface RunFlags {
  file: string;
  dataDir: string;
  provider: ProviderId;
  baseUrl: string | undefined;
  profile: string | undefined;
  region: string | undefined;
  concurrency: number | undefined;
  budget: number | undefined;
  transientBudgetMs: number | undefined;
  edit: string | undefined;
  timelines: ReturnType<typeof parseTimelineFormats>;
  dryRun: boolean;
  json: boolean;
  allowOutsidePaths: boolean;
  yes: boolean;
  confirmAbove: string | undefined;
}

function parseRunArgs(argv: string[], io: CliIO): RunFlags {
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
  const file = positionals[0];
  if (positionals.length !== 1 || file === undefined) throw new UsageError('give exactly one storyboard file');
  const provider = values.provider ?? 'kling';
  if (!isProviderId(provider)) throw new UsageError(`--provider "${provider}": expected kling, cometapi or sandbox`);
  const concurrency = positiveNumber('--concurrency', values.concurrency);
  if (concurrency !== undefined && !Number.isInteger(concurrency))
    throw new UsageError(`--concurrency "${values.concurrency}": expected a whole number`);
  let timelines: ReturnType<typeof parseTimelineFormats> = [];
  try {
    timelines = parseTimelineFormats(values.timeline ?? '');
  } catch (err) {
    throw new UsageError((err as Error).message);
  }
  if (timelines.length > 0 && !values.edit)
    throw new UsageError('--timeline needs --edit OUT.mp4: the timelines are written beside the edit');
  return {
    file,
    dataDir: resolveDataDir(values['data-dir'], io),
    provider,
    baseUrl: values['base-url'],
    profile: values.profile,
    region: values.region,
    concurrency,
    budget: positiveNumber('--budget', values.budget),
    transientBudgetMs: parseDuration('--transient-budget', values['transient-budget']),
    edit: values.edit,
    timelines,
    dryRun: values['dry-run'] === true,
    json: values.json === true,
    allowOutsidePaths: values['allow-outside-paths'] === true,
    yes: values.yes === true,
    confirmAbove: values['confirm-above'],
  };
}

/** `--dry-run`: the plan and the estimate on stderr (and --json on stdout); nothing is stored. */
function printPlan(io: CliIO, sb: Storyboard, f: RunFlags): void {
  const estimate = estimateStoryboard(sb.shots);
  const lines = [`Plan for "${sb.name}": ${estimate.jobs} take(s) of ${sb.shots.length} shot(s)`];
  for (const s of estimate.shots)
    lines.push(
      `  ${s.shotId.padEnd(16)} ${s.model} ${s.resolution} ${s.audio} ${s.duration} s x${s.takes}  ${s.units} units`,
    );
  lines.push(
    `Total: ${estimate.totalUnits} units (about ${estimate.totalCurrency.currency} ${estimate.totalCurrency.amount.toFixed(2)})`,
  );
  for (const n of estimate.notes) lines.push(`  note: ${n}`);
  if (f.budget !== undefined && estimate.totalUnits > f.budget)
    lines.push(`Budget ${f.budget} units: the run would stop submitting before the total.`);
  io.stderr(`${lines.join('\n')}\n`);
  if (f.json) io.stdout(`${JSON.stringify({ dryRun: true, name: sb.name, estimate })}\n`);
}

/**
 * "done 3, running 1; Kling unreachable since 02:14" on stderr, at most once per 500 ms (counting
 * 10,000 jobs on every change would cost more than the work it reports), from the core's events.
 */
function watchProgress(core: Core, io: CliIO, jobs: readonly JobView[]): () => void {
  const states = new Map(jobs.map((j) => [j.id, j.state as string]));
  let health: string | null = null;
  let last = '';
  let pending: NodeJS.Timeout | null = null;
  const report = (): void => {
    pending = null;
    const counts = new Map<string, number>();
    for (const s of states.values()) counts.set(s, (counts.get(s) ?? 0) + 1);
    const line = [...counts].map(([s, n]) => `${s} ${n}`).join(', ') + (health ? `; ${health}` : '');
    if (line !== last) {
      last = line;
      io.stderr(`  ${line}\n`);
    }
  };
  const off = core.subscribe((event, payload) => {
    if (event === 'engine.health') health = (payload as { message: string | null }).message;
    else if (event === 'job.changed') {
      const { job } = payload as { job: JobView };
      if (!states.has(job.id)) return;
      states.set(job.id, job.state);
    } else return;
    pending ??= setTimeout(report, 500);
  });
  return () => {
    off();
    if (pending) clearTimeout(pending);
    report();
  };
}

/** `--edit`: the first good take of each shot, in storyboard order, exported (and registered) by the core. */
async function exportRunEdit(
  core: Core,
  io: CliIO,
  sb: Storyboard,
  jobs: readonly JobView[],
  f: RunFlags,
): Promise<string | null> {
  if (!f.edit) return null;
  const firstGood = new Map<string, string>();
  for (const j of jobs) if (j.state === 'done' && j.file && !firstGood.has(j.shotId)) firstGood.set(j.shotId, j.file);
  const files = sb.shots.map((s) => firstGood.get(s.id)).filter((x): x is string => Boolean(x));
  if (files.length === 0) {
    io.stderr('Edit: no finished takes to cut\n');
    return null;
  }
  const done = valueOf(
    await core.call('media.exportEdit', {
      edit: { clips: files.map((file) => ({ file })) },
      output: resolve(io.cwd, f.edit),
      timelines: f.timelines,
      overwrite: true,
    }),
  );
  io.stderr(`Edit: ${done.output} (${files.length} shot(s))\n`);
  if (done.timelines.length > 0) io.stderr(`Timelines: ${done.timelines.join(', ')}\n`);
  return done.output;
}

/** Import, enqueue, work the run's takes to the end on the supervisor's engine, then report. */
async function runOnCore(core: Core, io: CliIO, sb: Storyboard, f: RunFlags): Promise<number> {
  const imported = valueOf(
    await core.call('storyboard.import', {
      path: resolve(io.cwd, f.file),
      ...(f.allowOutsidePaths ? { allowOutsidePaths: true } : {}),
    }),
  );
  const enq = valueOf(
    await core.call('queue.enqueue', {
      storyboardId: imported.storyboardId,
      provider: f.provider,
      ...(f.profile ? { profile: f.profile } : {}),
      ...(f.budget !== undefined ? { budgetUnits: f.budget } : {}),
      start: false,
    }),
  );
  const jobIds = enq.jobIds ?? [];
  io.stderr(
    `"${sb.name}": ${jobIds.length} take(s), ${enq.jobs} new, ${jobIds.length - enq.jobs} from earlier runs; estimate ${imported.estimate.totalUnits} units\n`,
  );
  const handle = await core.services.engine.start({
    provider: f.provider,
    baseUrl: f.baseUrl,
    profile: f.profile,
    region: f.region,
    concurrency: f.concurrency,
    budgetUnits: f.budget ?? null,
    jobIds,
    env: io.env,
    log: (line) => io.stderr(`  ${line}\n`),
    transientBudgetMs: f.transientBudgetMs,
  });
  if (handle.banner) io.stderr(`${handle.banner}\n`);
  for (const w of handle.warnings) io.stderr(`warning: ${w}\n`);
  const runStarted = new Date().toISOString();
  const stopWatching = watchProgress(core, io, await jobsInOrder(core, imported.storyboardId, jobIds));
  await handle.engine.whenIdle();
  stopWatching();
  await core.services.engine.stop();

  const jobs = await jobsInOrder(core, imported.storyboardId, jobIds);
  const result = runResult(jobs, await exportRunEdit(core, io, sb, jobs, f));
  const bad = result.jobs.filter((j) => j.status !== 'done');
  for (const j of bad) io.stderr(`  ${j.shotId} take ${j.take}: ${j.status}${j.error ? ` - ${j.error}` : ''}\n`);
  io.stderr(`${result.jobs.length - bad.length} of ${result.jobs.length} take(s) done; ${unitsLine(result)}\n`);
  const { outages } = valueOf(await core.call('engine.outages', { since: runStarted }));
  for (const line of outageLines(outages)) io.stderr(`${line}\n`);
  if (f.json) io.stdout(`${JSON.stringify(result)}\n`);
  return bad.length === 0 ? EXIT_OK : EXIT_JOBS_FAILED;
}

export const runCommand: CliCommand = {
  summary: 'Import a storyboard, generate every take, download and verify the clips (resumable)',
  usage:
    'shotline run <storyboard.json|csv> [--data-dir D] [--provider kling|cometapi|sandbox] [--base-url URL] [--profile NAME] [--concurrency N] [--budget UNITS] [--transient-budget 12h] [--edit OUT.mp4 [--timeline fcp7,edl,fcpxml,otio]] [--dry-run] [--json] [--allow-outside-paths] [--yes] [--confirm-above UNITS]\n' +
    "  --timeline writes the edit's NLE timelines beside OUT with its name (OUT.xml, .edl, .fcpxml, .otio).",
  async run(argv, io: CliIO) {
    const f = parseRunArgs(argv, io);
    // Image paths stay inside the storyboard's folder unless the caller says otherwise (issue 16.3).
    // Shots may name elements the data dir's library already holds (a CSV cannot declare them).
    const loaded = loadStoryboard(
      { path: f.file, ...(f.allowOutsidePaths ? { allowOutsidePaths: true } : {}) },
      { cwd: io.cwd, knownElements: heldElementAliases(f.dataDir) },
    );
    if (!loaded.result.ok) {
      const lines = loaded.result.problems.map(formatProblem);
      throw new UsageError(
        `${lines.length} problem${lines.length === 1 ? '' : 's'} in the storyboard; nothing was queued:\n  ${lines.join('\n  ')}`,
      );
    }
    const sb = loaded.result.storyboard;
    if (f.dryRun) {
      printPlan(io, sb, f);
      return EXIT_OK;
    }
    // A big estimate asks first (--yes for scripts), before anything is queued (issue 16.7).
    const estimate = estimateStoryboard(sb.shots);
    await confirmSpend(io, {
      units: estimate.totalUnits,
      currency: estimate.totalCurrency,
      threshold: confirmThreshold(f.confirmAbove, io.env),
      budget: f.budget,
      free: f.provider === 'sandbox',
      yes: f.yes,
    });

    mkdirSync(f.dataDir, { recursive: true });
    const core = createCore({ dataDir: f.dataDir });
    // Ctrl-C: the core stops the engine (claims are released), the sandbox and the database.
    const onSignal = (): void => {
      void core.close().finally(() => process.exit(130));
    };
    process.once('SIGINT', onSignal);
    process.once('SIGTERM', onSignal);
    try {
      return await runOnCore(core, io, sb, f);
    } finally {
      process.removeListener('SIGINT', onSignal);
      process.removeListener('SIGTERM', onSignal);
      await core.close();
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
