/** `shotline compliance [--json]`: PASS / WARN / FAIL per check with the fix; exit 1 on any FAIL. */
import { parseArgs } from 'node:util';

import { ShotlineError } from '../../../shared/result';
import { createCore } from '../../core';
import { EXIT_JOBS_FAILED, EXIT_OK, type CliCommand } from '../command';
import { resolveDataDir } from '../data-dir';

export const complianceCommand: CliCommand = {
  summary: 'Privacy compliance report (keys, HTTPS, PII filter, audit, retention, residency); exit 1 on FAIL',
  usage: 'shotline compliance [--data-dir D] [--json]',
  async run(argv, io) {
    const { values } = parseArgs({
      args: argv,
      options: { 'data-dir': { type: 'string' }, json: { type: 'boolean' } },
      strict: true,
    });
    const core = createCore({ dataDir: resolveDataDir(values['data-dir'], io) });
    try {
      const res = await core.call('privacy.compliance', {});
      if (!res.ok) throw new ShotlineError(res.error);
      const r = res.value;
      if (values.json) io.stdout(`${JSON.stringify(r)}\n`);
      else {
        const out = r.checks.map(
          (c) => `${c.status.toUpperCase().padEnd(4)}  ${c.title}: ${c.detail}${c.fix ? `\n      fix: ${c.fix}` : ''}`,
        );
        out.push('', `${r.summary.pass} pass, ${r.summary.warn} warn, ${r.summary.fail} fail`);
        io.stdout(`${out.join('\n')}\n`);
      }
      return r.ok ? EXIT_OK : EXIT_JOBS_FAILED;
    } finally {
      await core.close();
    }
  },
};
