/** `shotline status`: the jobs of the data dir (newest storyboard run first) with the run's JSON shape. */
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { parseArgs } from 'node:util';

import { openDatabase } from '../../core/db/open';
import { alive } from '../../core/engine/lock';
import { describeOutage } from '../../core/engine/outage';
import { currentOutage } from '../../core/engine/outage-log';
import { QueueStore } from '../../core/queue/store';
import { EXIT_JOBS_FAILED, EXIT_OK, UsageError, type CliCommand } from '../command';
import { resolveDataDir } from '../data-dir';
import { runResult, unitsLine } from './run';

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
    const file = join(dataDir, 'shotline.db');
    if (!existsSync(file))
      throw new UsageError(`no Shotline data in ${dataDir}; run a storyboard first or pass --data-dir`);
    const db = openDatabase(file);
    try {
      const store = new QueueStore(db);
      const result = runResult(store, store.allJobIds(), null);
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
        // The engine working this data dir is waiting out an outage (issue 14).
        const o = currentOutage(db, alive);
        if (o) {
          const msg = describeOutage({
            provider: o.provider,
            kind: o.kind,
            since: Date.parse(o.startedAt),
            nextTryAt: o.nextTryAt ? Date.parse(o.nextTryAt) : null,
          });
          io.stdout(`${msg} (${o.jobsWaiting} take(s) wait; nothing fails before the transient budget)\n`);
        }
      }
      await Promise.resolve();
      return result.jobs.every((j) => j.status === 'done') ? EXIT_OK : EXIT_JOBS_FAILED;
    } finally {
      db.close();
    }
  },
};
