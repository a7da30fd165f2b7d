/** `shotline audit [--csv|--json] [--out FILE]`: the Art. 30 record of requests that left the machine. */
import { writeFileSync } from 'node:fs';
import { resolve } from 'node:path';
import { parseArgs } from 'node:util';

import { ShotlineError } from '../../../shared/result';
import { createCore } from '../../core';
import { EXIT_OK, UsageError, type CliCommand } from '../command';
import { resolveDataDir } from '../data-dir';

export const auditCommand: CliCommand = {
  summary: 'Show or export the audit log (every request that left the machine) as CSV or JSON',
  usage: 'shotline audit [--data-dir D] [--csv | --json] [--out FILE] [--limit N]',
  async run(argv, io) {
    const { values } = parseArgs({
      args: argv,
      options: {
        'data-dir': { type: 'string' },
        csv: { type: 'boolean' },
        json: { type: 'boolean' },
        out: { type: 'string' },
        limit: { type: 'string' },
      },
      strict: true,
    });
    if (values.csv && values.json) throw new UsageError('choose one of --csv and --json');
    const limit = values.limit === undefined ? 50 : Number(values.limit);
    if (!Number.isInteger(limit) || limit < 1 || limit > 5000)
      throw new UsageError('--limit must be a whole number from 1 to 5000');
    const core = createCore({ dataDir: resolveDataDir(values['data-dir'], io) });
    try {
      if (values.csv || values.json || values.out) {
        const res = await core.call('privacy.audit.export', { format: values.json ? 'json' : 'csv' });
        if (!res.ok) throw new ShotlineError(res.error);
        if (values.out) {
          writeFileSync(resolve(io.cwd, values.out), res.value.content);
          io.stderr(`Wrote ${res.value.rows} audit row(s) to ${values.out}.\n`);
        } else io.stdout(res.value.content);
        return EXIT_OK;
      }
      const res = await core.call('privacy.audit.list', { limit });
      if (!res.ok) throw new ShotlineError(res.error);
      const { rows, total } = res.value;
      const lines = rows.map(
        (r) =>
          `${r.time}  ${(r.method ?? '').padEnd(4)} ${r.host}${r.path ?? ''}  ${r.purpose}  subject=${r.subject ?? (r.tombstonedAt ? '[erased]' : '-')} job=${r.jobId ?? '-'}`,
      );
      io.stdout(`${lines.join('\n')}${lines.length ? '\n' : ''}`);
      io.stderr(`${rows.length} of ${total} row(s), newest first. Export: shotline audit --csv > audit.csv\n`);
      return EXIT_OK;
    } finally {
      await core.close();
    }
  },
};
