/** `shotline concat <clips...> -o OUT`: joins clips into one edit (stream copy when they match) and writes NLE timelines. */
import { resolve } from 'node:path';
import { parseArgs } from 'node:util';

import { PresetName, type Edit } from '../../../shared/media';
import { ShotlineError } from '../../../shared/result';
import { parseTimelineFormats, planEdit, renderEdit, writeTimelinesBeside } from '../../core/media';
import { EXIT_OK, UsageError, type CliCommand } from '../command';

const BAD_INPUT = new Set(['media_missing', 'media_invalid', 'validation']);

export const concatCommand: CliCommand = {
  summary: 'Join clips into one edit (stream copy when compatible, else normalised), and write NLE timelines',
  usage:
    'shotline concat <clips...> -o OUT [--transition crossfade:SECONDS] [--preset h264|hevc|prores] [--timeline fcp7|edl|fcpxml|otio[,...]] [--plan] [--json]\n' +
    '  Relative paths are relative to the current directory. Timelines are written beside OUT with its name:\n' +
    '  -o cut/edit.mp4 --timeline fcp7,edl,fcpxml,otio writes cut/edit.xml, cut/edit.edl, cut/edit.fcpxml and cut/edit.otio.',
  async run(argv, io) {
    const { values, positionals } = parseArgs({
      args: argv,
      allowPositionals: true,
      options: {
        output: { type: 'string', short: 'o' },
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
    try {
      const plan = await planEdit(edit);
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
      await renderEdit(edit, out, {
        plan,
        onProgress: (p) => {
          if (p.percent - lastShown >= 5 || (p.percent === 100 && lastShown < 100)) {
            lastShown = p.percent;
            io.stderr(
              `  ${p.percent.toFixed(0).padStart(3)}%${p.etaS !== null ? `  ${Math.ceil(p.etaS)} s left` : ''}\n`,
            );
          }
        },
      });
      const written = await writeTimelinesBeside(edit, out, timelines, { plan });
      if (values.json)
        io.stdout(
          `${JSON.stringify({ output: out, mode: plan.mode, reasons: plan.reasons, durationS: plan.durationS, timelines: written })}\n`,
        );
      else
        io.stderr(
          `Wrote ${out} (${plan.durationS.toFixed(2)} s, ${plan.mode})${written.length ? ` and ${written.join(', ')}` : ''}\n`,
        );
      return EXIT_OK;
    } catch (err) {
      if (err instanceof ShotlineError && BAD_INPUT.has(err.info.code)) throw new UsageError(err.message);
      throw err;
    }
  },
};
