/**
 * `shotline status`: the jobs of the data dir with the run's JSON shape. A front over core.call
 * like IPC (issue 18 item 2): queue.list for the jobs, engine.health for an outage the engine
 * working this data dir (a `run` in another process) is waiting out.
 */
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { parseArgs } from 'node:util';

import { createCore } from '../../core';
import { EXIT_JOBS_FAILED, EXIT_OK, UsageError, type CliCommand } from '../command';
import { valueOf } from '../core-result';
import { resolveDataDir } from '../data-dir';
import { listJobs, runResult, unitsLine } from './run';

export const statusCommand: CliCommand = {
  summary: 'Show every job of the data dir: state, task, clip, error',
  usage: 'shotline status [--data-dir D] [--json]',
  async run(argv, io) {
    const { values } = parseArgs({
      args: argv,
      options: { 'data-dir': { type: 'string' }, json: { type: 'boolean' } },
      strict: true,
    });
    const dataDir = resolveDataDir(values['data-dir'], io);
    if (!existsSync(join(dataDir, 'shotline.db')))
      throw new UsageError(`no Shotline data in ${dataDir}; run a storyboard first or pass --data-dir`);
    const core = createCore({ dataDir });
    try {
      const result = runResult(await listJobs(core), null);
      if (values.json) io.stdout(`${JSON.stringify(result)}\n`);
      else {
        const billed = (j: (typeof result.jobs)[number]): string =>
          (j.billedUnits === null ? `~${j.estimatedUnits} u` : `${j.billedUnits} u`).padEnd(9);
        // A shot of a multi-shot scene says so: its task (and a re-roll) is the whole scene's.
        const lines = result.jobs.map(
          (j) =>
            `${j.shotId.padEnd(16)} take ${String(j.take).padEnd(3)} ${j.status.padEnd(12)} ${billed(j)} ${j.file ?? j.error ?? j.taskId ?? ''}${j.scene ? `  (scene ${j.scene.id})` : ''}`,
        );
        io.stdout(`${lines.join('\n')}${lines.length ? '\n' : ''}${result.jobs.length} job(s), ${unitsLine(result)}\n`);
        // No engine runs in this process, so engine.health reports the outage a live engine on
        // this data dir recorded (electron/core/handlers/engine.ts), if any (issue 14).
        const health = valueOf(await core.call('engine.health', {}));
        const waiting = health.state === 'down' ? await waitingTakes(core) : 0;
        if (health.state === 'down' && health.message)
          io.stdout(`${health.message} (${waiting} take(s) wait; nothing fails before the transient budget)\n`);
      }
      return result.jobs.every((j) => j.status === 'done') ? EXIT_OK : EXIT_JOBS_FAILED;
    } finally {
      await core.close();
    }
  },
};

/** Takes waiting out the outage in progress: the newest outage record still open (engine.outages). */
async function waitingTakes(core: ReturnType<typeof createCore>): Promise<number> {
  const { outages } = valueOf(await core.call('engine.outages', {}));
  return [...outages].reverse().find((o) => o.endedAt === null)?.jobsWaiting ?? 0;
}
