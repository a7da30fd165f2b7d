/**
 * `shotline retention`: run the retention rules (or --dry-run to preview), list them, or set
 * one per project: --project P (or '*') with --raw-after-export N, --raw-max N, --images N,
 * --edits N (days; 'never' for none).
 */
import { parseArgs } from 'node:util';

import type { RetentionRule } from '../../../shared/contract/privacy';
import { ShotlineError } from '../../../shared/result';
import { createCore } from '../../core';
import { acquireEngineLock } from '../../core/engine/lock';
import { EXIT_OK, UsageError, type CliCommand } from '../command';
import { resolveDataDir } from '../data-dir';

function days(flag: string, v: string | undefined): number | null | undefined {
  if (v === undefined) return undefined;
  if (v === 'never') return null;
  const n = Number(v);
  if (!Number.isInteger(n) || n < 0) throw new UsageError(`${flag} takes a whole number of days or "never"`);
  return n;
}

export const retentionCommand: CliCommand = {
  summary: 'Apply retention rules (delete old raw takes/images); --dry-run previews; set rules per project',
  usage:
    'shotline retention [--data-dir D] [--dry-run] [--json] | --list | --project P [--raw-after-export N|never] [--raw-max N|never] [--images N|never] [--edits N|never] [--remove]',
  async run(argv, io) {
    const { values } = parseArgs({
      args: argv,
      options: {
        'data-dir': { type: 'string' },
        'dry-run': { type: 'boolean' },
        json: { type: 'boolean' },
        list: { type: 'boolean' },
        project: { type: 'string' },
        'raw-after-export': { type: 'string' },
        'raw-max': { type: 'string' },
        images: { type: 'string' },
        edits: { type: 'string' },
        remove: { type: 'boolean' },
      },
      strict: true,
    });
    const dataDir = resolveDataDir(values['data-dir'], io);
    const core = createCore({ dataDir });
    const print = (obj: unknown, human: string): void =>
      values.json ? io.stdout(`${JSON.stringify(obj)}\n`) : io.stdout(human);
    const showRules = (rules: RetentionRule[]): string =>
      rules.length
        ? `${rules
            .map(
              (r) =>
                `${r.project === '*' ? '* (default)' : r.project}: raw takes ${r.rawTakesDaysAfterExport ?? 'kept'} days after export, max ${r.rawTakesMaxDays ?? '-'} days; images ${r.imagesDays ?? 'kept'}; edits ${r.editsDays ?? 'kept'}`,
            )
            .join('\n')}\n`
        : 'No retention rules.\n';
    try {
      if (values.project) {
        const existing = await core.call('privacy.retention.rules', {});
        if (!existing.ok) throw new ShotlineError(existing.error);
        const prev = existing.value.rules.find((r) => r.project === values.project);
        const patch = {
          rawTakesDaysAfterExport: days('--raw-after-export', values['raw-after-export']),
          rawTakesMaxDays: days('--raw-max', values['raw-max']),
          imagesDays: days('--images', values.images),
          editsDays: days('--edits', values.edits),
        };
        const rule = {
          project: values.project,
          ...(prev ?? {}),
          ...Object.fromEntries(Object.entries(patch).filter(([, v]) => v !== undefined)),
        };
        const res = await core.call('privacy.retention.setRule', { rule, remove: values.remove ?? false });
        if (!res.ok) throw new ShotlineError(res.error);
        print(res.value, showRules(res.value.rules));
        return EXIT_OK;
      }
      if (values.list) {
        const res = await core.call('privacy.retention.rules', {});
        if (!res.ok) throw new ShotlineError(res.error);
        print(res.value, showRules(res.value.rules));
        return EXIT_OK;
      }
      // Deleting while a `shotline run` works the data dir would race its downloads: take its lock.
      const lock = values['dry-run'] ? null : acquireEngineLock(dataDir);
      const res = await core
        .call('privacy.retention.run', { dryRun: values['dry-run'] ?? false })
        .finally(() => lock?.release());
      if (!res.ok) throw new ShotlineError(res.error);
      const p = res.value;
      const verb = p.dryRun ? 'Would delete' : 'Deleted';
      print(
        p,
        p.rulesUsed === 0
          ? "No retention rules: nothing to do. Add one: shotline retention --project '*' --raw-after-export 30\n"
          : `${verb} ${p.files.length} file(s), ${p.bytes} bytes:\n${p.files.map((f) => `  ${f.path}  (${f.reason})`).join('\n')}${p.files.length ? '\n' : ''}`,
      );
      return EXIT_OK;
    } finally {
      await core.close();
    }
  },
};
