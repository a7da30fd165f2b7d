/**
 * Download verification. `decode` (default): the media module's verifyClip (ffprobe reads it,
 * video stream, duration as expected, full decode without error). `probe`: ffprobe plus the
 * MP4 box truncation check and the duration only, ~4x cheaper (benchmarks, slow machines).
 * Both read the file with the MP4 demuxer forced and only the file protocol (issue 16.2).
 */
import { ShotlineError } from '../../../shared/result';
import { probe, verifyClip, type ToolPaths } from '../media';

export type VerifyLevel = 'decode' | 'probe';

export interface ClipExpect {
  durationS?: number | null;
}

/** Throws (ShotlineError media_invalid) when the clip does not read/decode or its duration is off. */
export async function verifyDownload(
  file: string,
  expect: ClipExpect,
  tools: ToolPaths = {},
  level: VerifyLevel = 'decode',
): Promise<{ durationS: number; sizeBytes: number }> {
  const want = expect.durationS ? { durationS: expect.durationS, toleranceS: 0.5 } : {};
  if (level === 'decode') {
    const p = await verifyClip(file, want, { ...tools, container: 'mp4' });
    return { durationS: p.durationS, sizeBytes: p.sizeBytes };
  }
  const p = await probe(file, { ...tools, container: 'mp4' });
  if (!p.video)
    throw new ShotlineError({ code: 'media_invalid', where: file, message: `${file}: has no video stream` });
  if (want.durationS !== undefined && Math.abs(p.durationS - want.durationS) > want.toleranceS) {
    throw new ShotlineError({
      code: 'media_invalid',
      where: file,
      message: `${file}: duration ${p.durationS.toFixed(3)} s, expected ${want.durationS} s; the download may be truncated`,
    });
  }
  return { durationS: p.durationS, sizeBytes: p.sizeBytes };
}
