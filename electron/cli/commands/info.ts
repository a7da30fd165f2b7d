import { parseArgs } from 'node:util';

import { createCore } from '../../core';
import { EXIT_OK, EXIT_JOBS_FAILED, type CliCommand } from '../command';
import { resolveDataDir } from '../data-dir';

export const infoCommand: CliCommand = {
  summary: 'Show the version, data dir and the ffmpeg/ffprobe in use',
  usage: 'shotline info [--data-dir D] [--json]',
  async run(argv, io) {
    const { values } = parseArgs({
      args: argv,
      options: { 'data-dir': { type: 'string' }, json: { type: 'boolean' } },
      strict: true,
    });
    const core = createCore({ dataDir: resolveDataDir(values['data-dir'], io) });
    try {
      const res = await core.call('app.info', {});
      if (!res.ok) {
        io.stderr(`${res.error.message}\n`);
        return EXIT_JOBS_FAILED;
      }
      const i = res.value;
      if (values.json) io.stdout(`${JSON.stringify(i)}\n`);
      else
        io.stdout(
          [
            `Shotline ${i.version} (${i.platform}, Node ${i.runtime.node})`,
            `data dir: ${i.dataDir}`,
            `ffmpeg:   ${i.ffmpeg.version ?? '-'} ${i.ffmpeg.path ?? i.ffmpeg.source}`,
            `ffprobe:  ${i.ffprobe.version ?? '-'} ${i.ffprobe.path ?? i.ffprobe.source}`,
          ].join('\n') + '\n',
        );
      return EXIT_OK;
    } finally {
      await core.close();
    }
  },
};
