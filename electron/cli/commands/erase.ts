/** `shotline erase --subject ID`: Art. 17 erasure of a data subject's local data, with a report. */
import { parseArgs } from 'node:util';

import { ShotlineError } from '../../../shared/result';
import { createCore } from '../../core';
import { acquireEngineLock } from '../../core/engine/lock';
import { EXIT_JOBS_FAILED, EXIT_OK, UsageError, type CliCommand } from '../command';
import { resolveDataDir } from '../data-dir';

export const eraseCommand: CliCommand = {
  summary: "Erase a data subject's local clips, thumbnails, edits, prompts and images; tombstone their audit rows",
  usage: 'shotline erase --subject ID [--data-dir D] [--dry-run] [--json]',
  async run(argv, io) {
    const { values } = parseArgs({
      args: argv,
      options: {
        subject: { type: 'string' },
        'data-dir': { type: 'string' },
        'dry-run': { type: 'boolean' },
        json: { type: 'boolean' },
      },
      strict: true,
    });
    if (!values.subject?.trim()) throw new UsageError('--subject ID is required (the tag used in the storyboard)');
    const dataDir = resolveDataDir(values['data-dir'], io);
    // A `shotline run` working this data dir could download one of the subject's clips again
    // after the erase: erase takes the same lock (busy = a clear message, nothing touched).
    const lock = values['dry-run'] ? null : acquireEngineLock(dataDir);
    const core = createCore({ dataDir });
    try {
      const res = await core.call('privacy.erase', { subject: values.subject, dryRun: values['dry-run'] ?? false });
      if (!res.ok) throw new ShotlineError(res.error);
      const r = res.value;
      if (values.json) {
        io.stdout(`${JSON.stringify(r)}\n`);
        return r.notYetGone.length ? EXIT_JOBS_FAILED : EXIT_OK;
      }
      const verb = r.dryRun ? 'Would remove' : 'Removed';
      const lines = [
        `${verb} ${r.files.length} file(s):`,
        ...r.files.map((f) => `  ${f.kind.padEnd(10)} ${f.path} (${f.bytes} bytes)`),
      ];
      const rows = Object.entries(r.rows);
      lines.push(
        `${verb} ${rows.reduce((s, [, n]) => s + n, 0)} database row(s)${rows.length ? `: ${rows.map(([t, n]) => `${t} ${n}`).join(', ')}` : ''}.`,
      );
      const scrubbed = Object.entries(r.scrubbed);
      if (scrubbed.length)
        lines.push(
          `${r.dryRun ? 'Would replace' : 'Replaced'} the subject's text with [erased] in: ${scrubbed.map(([t, n]) => `${t} (${n})`).join(', ')}.`,
        );
      lines.push(
        `${r.dryRun ? 'Would tombstone' : 'Tombstoned'} ${r.auditRowsTombstoned} audit row(s) (the Art. 30 facts stay; subject, job, task ids and body hash are cleared).`,
      );
      if (r.deletedAtProvider?.length)
        lines.push(
          '',
          `${r.dryRun ? 'Would delete' : 'Deleted'} at the provider:`,
          ...r.deletedAtProvider.map((c) => `  - ${c}`),
        );
      lines.push('', 'Cannot be erased by Shotline:', ...r.cannotErase.map((c) => `  - ${c}`));
      io.stdout(`${lines.join('\n')}\n`);
      // Not "done" while erased text may still be on disk (issue 16.5): exit 1 and say so.
      if (r.notYetGone.length) {
        io.stderr(`The erase is not complete:\n${r.notYetGone.map((c) => `  - ${c}`).join('\n')}\n`);
        return EXIT_JOBS_FAILED;
      }
      return EXIT_OK;
    } finally {
      await core.close();
      lock?.release();
    }
  },
};
