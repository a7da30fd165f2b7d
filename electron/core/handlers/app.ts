import { accessSync, constants } from 'node:fs';
import { resolve } from 'node:path';

import type { appContract, DiagnosticCheck, Handlers } from '../../../shared/contract';
import { reveal } from '../app/reveal';
import type { CoreContext } from '../context';
import { locateTool } from '../media/locate';
import type { CoreServices } from '../services';
import { APP_VERSION } from '../version';

type ResourcesProcess = NodeJS.Process & { resourcesPath?: string };

export function createAppHandlers(ctx: CoreContext, s: CoreServices): Handlers<typeof appContract> {
  const locate = (name: 'ffmpeg' | 'ffprobe') =>
    locateTool(name, {
      explicit: name === 'ffmpeg' ? ctx.options.ffmpegPath : ctx.options.ffprobePath,
      resourcesPath: (process as ResourcesProcess).resourcesPath,
    });

  return {
    async 'app.info'() {
      const [ffmpeg, ffprobe] = await Promise.all([locate('ffmpeg'), locate('ffprobe')]);
      return {
        name: 'Shotline' as const,
        version: APP_VERSION,
        dataDir: ctx.dataDir,
        platform: `${process.platform}-${process.arch}`,
        runtime: { node: process.versions.node, electron: ctx.options.electronVersion ?? null },
        ffmpeg,
        ffprobe,
      };
    },

    async 'app.diagnostics'() {
      const checks: DiagnosticCheck[] = [];
      const report = (check: DiagnosticCheck): void => {
        checks.push(check);
        ctx.emit('app.notice', {
          level: check.status === 'pass' ? 'info' : check.status === 'warn' ? 'warn' : 'error',
          message: check.message,
          check,
        });
      };
      try {
        accessSync(ctx.dataDir, constants.W_OK);
        report({ id: 'data-dir', status: 'pass', message: `Data dir ${ctx.dataDir} is writable.`, path: ctx.dataDir });
      } catch {
        report({
          id: 'data-dir',
          status: 'fail',
          message: `Data dir ${ctx.dataDir} is not writable: pick another in Settings.`,
          path: ctx.dataDir,
        });
      }
      for (const name of ['ffmpeg', 'ffprobe'] as const) {
        const tool = await locate(name);
        report(
          tool.path && tool.version
            ? {
                id: name,
                status: 'pass',
                message: `${name} ${tool.version} (${tool.source}: ${tool.path}).`,
                path: tool.path,
              }
            : { id: name, status: 'fail', message: tool.source },
        );
      }
      return { checks };
    },

    async 'app.showInFolder'({ path }) {
      // With the app's dialogs: only the data dir's clips and files the user chose (issue 16 item 4),
      // and the data folder itself (Settings and About show it with Show in folder).
      if (resolve(path) === resolve(ctx.dataDir)) return reveal(resolve(ctx.dataDir), ctx.options.shell);
      return reveal(s.outputs.confineInput(path, 'path'), ctx.options.shell);
    },
  };
}
