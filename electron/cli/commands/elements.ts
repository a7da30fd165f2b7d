/**
 * `shotline elements list|delete KEY`: the element library of a data dir (electron/core/elements)
 * through the same handlers the app uses (electron/core/handlers/elements.ts). `delete` deletes
 * the element at Kling (the account it lives in) and marks it deleted here.
 */
import { parseArgs } from 'node:util';

import type { ElementView } from '../../../shared/contract/elements';
import { ShotlineError } from '../../../shared/result';
import { createCore } from '../../core';
import { acquireEngineLock } from '../../core/engine/lock';
import { EXIT_OK, UsageError, type CliCommand } from '../command';
import { resolveDataDir } from '../data-dir';

function line(e: ElementView): string {
  const used = e.usedBy.length ? ` used by ${e.usedBy.map((u) => u.shotId).join(', ')}` : '';
  const why = e.error ? ` - ${e.error}${e.fix ? ` (fix: ${e.fix})` : ''}` : '';
  return `${e.key}  ${e.id.padEnd(16)} ${e.state.padEnd(10)} ${(e.klingId ?? '-').padEnd(16)} ${e.account}${used}${why}`;
}

export const elementsCommand: CliCommand = {
  summary: 'List the element library, or delete an element at Kling',
  usage: 'shotline elements list [--data-dir D] [--json]\n       shotline elements delete KEY [--data-dir D] [--json]',
  async run(argv, io) {
    const { values, positionals } = parseArgs({
      args: argv,
      options: { 'data-dir': { type: 'string' }, json: { type: 'boolean' } },
      allowPositionals: true,
      strict: true,
    });
    const [action, key, ...rest] = positionals;
    if (action !== 'list' && action !== 'delete')
      throw new UsageError('elements: say list or delete KEY (shotline elements list)');
    if (action === 'delete' && !key)
      throw new UsageError('elements delete: give the element KEY (the first column of `shotline elements list`)');
    if (rest.length || (action === 'list' && key))
      throw new UsageError(
        `elements ${action}: unexpected ${[...(action === 'list' ? [key] : []), ...rest].join(' ')}`,
      );
    const dataDir = resolveDataDir(values['data-dir'], io);
    // Deleting talks to Kling and writes the library: not while a run works this data dir.
    const lock = action === 'delete' ? acquireEngineLock(dataDir) : null;
    const core = createCore({ dataDir });
    try {
      if (action === 'list') {
        const res = await core.call('elements.list', {});
        if (!res.ok) throw new ShotlineError(res.error);
        if (values.json) io.stdout(`${JSON.stringify(res.value)}\n`);
        else
          io.stdout(
            `${res.value.elements.map(line).join('\n')}${res.value.elements.length ? '\n' : ''}${res.value.elements.length} element(s)\n`,
          );
        return EXIT_OK;
      }
      const res = await core.call('elements.delete', { key: key as string });
      if (!res.ok) throw new ShotlineError(res.error);
      if (values.json) io.stdout(`${JSON.stringify(res.value)}\n`);
      else
        io.stdout(
          `${res.value.klingId ? `Deleted at Kling: element ${res.value.klingId} (${res.value.id}) in ${res.value.account}` : `Deleted ${res.value.id} (it was never created at Kling)`}\n`,
        );
      return EXIT_OK;
    } finally {
      await core.close();
      lock?.release();
    }
  },
};
