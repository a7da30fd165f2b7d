/**
 * `shotline storyboard upgrade FILE [--write]`: rewrites a storyboard written for Kling's retired
 * models (shared/storyboard/upgrade.ts), prints what changes and why, and the new estimate.
 * Without --write nothing is changed on disk.
 */
import { readFileSync, renameSync, writeFileSync } from 'node:fs';
import { resolve } from 'node:path';
import { parseArgs } from 'node:util';

import { formatCost } from '../../../shared/kling/prices';
import { formatProblem } from '../../../shared/storyboard/schema';
import { formatChange, upgradeStoryboard } from '../../../shared/storyboard/upgrade';
import { estimateStoryboard, parseStoryboard } from '../../../shared/storyboard/validate';
import { EXIT_OK, UsageError, type CliCommand } from '../command';

const USAGE = 'shotline storyboard upgrade <storyboard.json|csv> [--write] [--json]';

export const storyboardCommand: CliCommand = {
  summary: 'Upgrade a storyboard to live Kling models (prints the diff and the new estimate; --write saves it)',
  usage: USAGE,
  async run(argv, io) {
    await Promise.resolve();
    const { values, positionals } = parseArgs({
      args: argv,
      options: { write: { type: 'boolean' }, json: { type: 'boolean' } },
      allowPositionals: true,
      strict: true,
    });
    const [sub, file, ...extra] = positionals;
    if (sub !== 'upgrade' || !file || extra.length) throw new UsageError(`usage: ${USAGE}`);
    const path = resolve(io.cwd, file);
    let content: string;
    try {
      content = readFileSync(path, 'utf8');
    } catch (err) {
      throw new UsageError(
        `${file}: cannot read it (${(err as NodeJS.ErrnoException).code ?? (err as Error).message}); check the path`,
      );
    }
    const format = /\.csv$/i.test(path) ? 'csv' : 'json';
    const up = upgradeStoryboard(content, format);
    if (!up.ok) throw new UsageError(`${file}: ${up.message}`);
    const parsed = parseStoryboard(up.text, { file, format, resolvePath: (rel) => resolve(path, '..', rel) });
    const estimate = parsed.ok ? estimateStoryboard(parsed.storyboard.shots) : null;
    const remaining = parsed.ok ? [] : parsed.problems.map(formatProblem);
    if (values.write && up.changes.length) {
      // Written beside it first, then renamed over it: a crash never leaves half a storyboard.
      const tmp = `${path}.upgrade-${process.pid}`;
      writeFileSync(tmp, up.text);
      renameSync(tmp, path);
    }
    if (values.json) {
      io.stdout(
        `${JSON.stringify({ file: path, changes: up.changes, written: Boolean(values.write && up.changes.length), estimate, problems: remaining })}\n`,
      );
      return EXIT_OK;
    }
    const lines = up.changes.length
      ? up.changes.map(formatChange)
      : ['nothing to upgrade: every shot is on a live model'];
    const est = estimate
      ? `new estimate: ${formatCost(estimate.totalUnits)} for ${estimate.jobs} take(s)`
      : `still to fix by hand (${remaining.length}):\n  ${remaining.join('\n  ')}`;
    const tail = up.changes.length
      ? values.write
        ? `written to ${file}`
        : 'nothing written; run again with --write to save it'
      : '';
    io.stdout(`${lines.join('\n')}\n${est}\n${tail ? `${tail}\n` : ''}`);
    return EXIT_OK;
  },
};
