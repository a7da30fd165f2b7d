/**
 * `shotline concat <clips...> -o OUT`: joins clips into one edit (stream copy when they match) and
 * writes NLE timelines. A front over core.call like IPC (issue 18 item 2): media.planEdit, then
 * media.exportEdit, which registers the output for erasure and retention as the app's exports are
 * (electron/core/handlers/media.ts, privacy/retention.ts registerExport).
 */
import { resolve } from 'node:path';
import { parseArgs } from 'node:util';

import { PresetName, type Edit } from '../../../shared/media';
import { createCore } from '../../core';
import { parseTimelineFormats } from '../../core/media';
import { EXIT_OK, UsageError, type CliCommand } from '../command';
import { valueOf } from '../core-result';
import { resolveDataDir } from '../data-dir';

export const concatCommand: CliCommand = {
  summary: 'Join clips into one edit (stream copy when compatible, else normalised), and write NLE timelines',
  usage:
    'shotline concat <clips...> -o OUT [--data-dir D] [--transition crossfade:SECONDS] [--preset h264|hevc|prores] [--timeline fcp7|edl|fcpxml|otio[,...]] [--plan] [--json]\n' +
    '  Relative paths are relative to the current directory. Timelines are written beside OUT with its name:\n' +
    '  -o cut/edit.mp4 --timeline fcp7,edl,fcpxml,otio writes cut/edit.xml, cut/edit.edl, cut/edit.fcpxml and cut/edit.otio.\n' +
    '  The output is registered in the data dir for erasure and retention, as exports from the app are.',
  async run(argv, io) {
    const { values, positionals } = parseArgs({
      args: argv,
      allowPositionals: true,
      options: {
        output: { type: 'string', short: 'o' },
        'data-dir': { type: 'string' },
        transition: { type: 'string' },
        preset: { type: 'string' },
        timeline: { type: 'string' },
        plan: { type: 'boolean' },
        json: { type: 'boolean' },
      },
      strict: true,
    });
    if (positionals.length === 0) throw new UsageError('give at least one clip');
    if (!values.output) throw new UsageError('-o OUT is required');
    let seconds: number | undefined;
    if (values.transition) {
      const m = /^crossfade:(\d+(?:\.\d+)?)$/.exec(values.transition);
      if (!m)
        throw new UsageError(`--transition "${values.transition}": expected crossfade:SECONDS, e.g. crossfade:0.5`);
      seconds = Number(m[1]);
    }
    const preset = values.preset === undefined ? undefined : PresetName.safeParse(values.preset);
    if (preset && !preset.success) throw new UsageError(`--preset "${values.preset}": expected h264, hevc or prores`);
    let timelines: ReturnType<typeof parseTimelineFormats>;
    try {
      timelines = parseTimelineFormats(values.timeline ?? '');
    } catch (err) {
      throw new UsageError((err as Error).message);
    }
    // Paths are the caller's: relative ones resolve against the directory the command ran in.
    const edit: Edit = {
      clips: positionals.map((file, i) => ({
        file: resolve(io.cwd, file),
        ...(seconds && i < positionals.length - 1 ? { transition: { kind: 'crossfade' as const, seconds } } : {}),
      })),
      ...(preset?.success ? { preset: preset.data } : {}),
    };
    const out = resolve(io.cwd, values.output);
    const core = createCore({ dataDir: resolveDataDir(values['data-dir'], io) });
    try {
      const plan = valueOf(await core.call('media.planEdit', { edit }));
      io.stderr(
        plan.mode === 'copy'
          ? `Stream copy: all ${plan.probes.length} clips match.\n`
          : `Re-encoding (${plan.target.width}x${plan.target.height} @ ${plan.target.fpsFraction}):\n${plan.reasons.map((r) => `  - ${r}`).join('\n')}\n`,
      );
      if (values.plan) {
        if (values.json)
          io.stdout(
            `${JSON.stringify({ mode: plan.mode, reasons: plan.reasons, target: plan.target, durationS: plan.durationS })}\n`,
          );
        return EXIT_OK;
      }
      let lastShown = -10;
      const stopListening = core.subscribe((event, payload) => {
        if (event !== 'media.progress') return;
        const p = payload as { percent: number; etaS: number | null };
        if (p.percent - lastShown >= 5 || (p.percent === 100 && lastShown < 100)) {
          lastShown = p.percent;
          io.stderr(
            `  ${p.percent.toFixed(0).padStart(3)}%${p.etaS !== null ? `  ${Math.ceil(p.etaS)} s left` : ''}\n`,
          );
        }
      });
      const done = valueOf(await core.call('media.exportEdit', { edit, output: out, timelines, overwrite: true }));
      stopListening();
      const written = done.timelines;
      if (values.json)
        io.stdout(
          `${JSON.stringify({ output: done.output, mode: done.mode, reasons: plan.reasons, durationS: done.durationS, timelines: written })}\n`,
        );
      else
        io.stderr(
          `Wrote ${done.output} (${done.durationS.toFixed(2)} s, ${done.mode})${written.length ? ` and ${written.join(', ')}` : ''}\n`,
        );
      return EXIT_OK;
    } finally {
      await core.close();
    }
  },
};
