/**
 * Export presets. Metadata is stripped (`-map_metadata -1`, bitexact muxing: no Lavf tag)
 * and the encoder's own SEI banner (x264/x265 write their version and options there) is
 * dropped with filter_units, so an export carries no prompt, task id or encoder string.
 */
import { extname } from 'node:path';

import type { PresetName } from '../../../shared/media';
import { ShotlineError } from '../../../shared/result';

export interface Preset {
  name: PresetName;
  /** Container for `-f` and the extension of the temp file. */
  format: 'mp4' | 'mov';
  pixFmt: string;
  video: string[];
  audio: string[];
}

export const PRESETS: Record<PresetName, Preset> = {
  h264: {
    name: 'h264',
    format: 'mp4',
    pixFmt: 'yuv420p',
    video: ['-c:v', 'libx264', '-preset', 'fast', '-crf', '18', '-bsf:v', 'filter_units=remove_types=6'],
    audio: ['-c:a', 'aac', '-b:a', '192k'],
  },
  hevc: {
    name: 'hevc',
    format: 'mp4',
    pixFmt: 'yuv420p',
    // hvc1 tag: QuickTime and iOS refuse hev1.
    video: [
      '-c:v',
      'libx265',
      '-preset',
      'fast',
      '-crf',
      '22',
      '-x265-params',
      'log-level=error:info=0',
      '-tag:v',
      'hvc1',
    ],
    audio: ['-c:a', 'aac', '-b:a', '192k'],
  },
  prores: {
    name: 'prores',
    format: 'mov',
    pixFmt: 'yuv422p10le',
    // profile 2 = ProRes 422 (standard), what editors expect as a mezzanine.
    video: ['-c:v', 'prores_ks', '-profile:v', '2', '-vendor', 'apl0'],
    audio: ['-c:a', 'pcm_s16le'],
  },
};

/** Muxer flags shared by every export, stream copy included. */
export function stripMetadataArgs(format: 'mp4' | 'mov'): string[] {
  // bitexact drops the Lavf/Lavc version strings; a blank stream encoder tag replaces "Lavc libx264".
  return [
    '-metadata:s:v',
    'encoder= ',
    '-map_metadata',
    '-1',
    '-map_chapters',
    '-1',
    '-fflags',
    '+bitexact',
    '-flags:v',
    '+bitexact',
    '-flags:a',
    '+bitexact',
    '-f',
    format,
  ];
}

const CONTAINER_BY_EXT: Record<string, 'mp4' | 'mov'> = { '.mp4': 'mp4', '.m4v': 'mp4', '.mov': 'mov' };

/**
 * The container an export is written in follows its file name, so what the editor's OS and NLE
 * see matches what is inside: .mp4/.m4v -> MP4, .mov -> QuickTime. ProRes only goes in .mov
 * (MP4 has no registered ProRes mapping; Premiere and Resolve refuse it). Anything else is
 * refused before ffmpeg runs, with the name to use instead.
 */
export function containerFor(out: string, prores: boolean): 'mp4' | 'mov' {
  const ext = extname(out).toLowerCase();
  const format = CONTAINER_BY_EXT[ext];
  const fix = prores
    ? `name it ${out.slice(0, out.length - ext.length)}.mov`
    : 'use .mp4 (or .mov for QuickTime/Final Cut)';
  if (!format) {
    throw new ShotlineError({
      code: 'bad_output',
      where: out,
      message: `Cannot write an edit as "${ext || 'no extension'}": ${fix}.`,
    });
  }
  if (prores && format !== 'mov') {
    throw new ShotlineError({
      code: 'bad_output',
      where: out,
      message: `ProRes goes in a QuickTime .mov file, not ${ext}: ${fix}.`,
    });
  }
  return format;
}
