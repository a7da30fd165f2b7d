/** Download verification: the media module's decode check (ffprobe) with the task's expectations. */
import type { ToolPaths } from '../media';
import { verifyClip } from '../media';

export interface ClipExpect {
  durationS?: number | null;
}

/** Throws (ShotlineError media_invalid) when the clip does not decode or its duration is off. */
export async function verifyDownload(file: string, expect: ClipExpect, tools: ToolPaths = {}): Promise<{ durationS: number; sizeBytes: number }> {
  const p = await verifyClip(file, expect.durationS ? { durationS: expect.durationS, toleranceS: 0.5 } : {}, tools);
  return { durationS: p.durationS, sizeBytes: p.sizeBytes };
}
