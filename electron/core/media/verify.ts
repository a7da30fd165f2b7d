/**
 * verifyClip: a downloaded clip is accepted only when ffprobe reads it, it has a video
 * stream, its size/duration match, and a full decode (`-f null`) reports no error —
 * a truncated MP4 often probes fine but fails to decode.
 */
import { ShotlineError } from '../../../shared/result';
import type { ProbeResult, VerifyExpect } from '../../../shared/media';
import { inputArg, probe } from './probe';
import { requireTool, runFfmpeg, type ToolPaths } from './tools';

/** `container: 'mp4'` forces the MP4 demuxer for probe and decode (downloads, issue 16.2). */
export async function verifyClip(
  file: string,
  expect: VerifyExpect = {},
  opts: ToolPaths & { container?: 'mp4' | undefined } = {},
): Promise<ProbeResult> {
  const p = await probe(file, opts);
  const bad = (message: string): ShotlineError =>
    new ShotlineError({ code: 'media_invalid', message: `${file}: ${message}`, where: file });
  if (!p.video) throw bad('has no video stream; it is not a video clip');
  if (expect.width !== undefined && p.video.width !== expect.width)
    throw bad(`width ${p.video.width}, expected ${expect.width}`);
  if (expect.height !== undefined && p.video.height !== expect.height)
    throw bad(`height ${p.video.height}, expected ${expect.height}`);
  if (expect.durationS !== undefined) {
    const tol = expect.toleranceS ?? 0.25;
    if (Math.abs(p.durationS - expect.durationS) > tol)
      throw bad(
        `duration ${p.durationS.toFixed(3)} s, expected ${expect.durationS} s (±${tol}); the download may be truncated`,
      );
  }
  try {
    const stderr = await runFfmpeg(
      requireTool('ffmpeg', opts),
      [
        '-v',
        'error',
        '-xerror',
        '-protocol_whitelist',
        'file',
        ...(opts.container ? ['-f', opts.container] : []),
        '-i',
        inputArg(file),
        '-map',
        '0:v:0',
        '-f',
        'null',
        '-',
      ],
      { background: true },
    );
    if (stderr.trim()) throw new Error(stderr.trim().split('\n')[0]);
  } catch (err) {
    const why = err instanceof Error ? err.message : String(err);
    throw bad(`does not decode cleanly (${why.slice(0, 200)}); it is probably truncated: download it again`);
  }
  return p;
}
