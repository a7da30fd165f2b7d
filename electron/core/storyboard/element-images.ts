/**
 * The bytes of a storyboard's element images, checked when it is loaded (issue 13 item 5), so
 * `run --dry-run`, `storyboard validate` and the import give the same verdict: the rules Kling
 * applies to element images are the frames' rules (kling-api.md §7: jpg/png, at most 10 MB,
 * each side at least 300 px, aspect 1:2.5 to 2.5:1; shared/kling/images.ts checkImage). Paths
 * were resolved, confined and found by the parser (shared/storyboard/elements.ts); URLs are
 * Kling's to fetch and are not read here.
 */
import { readFileSync, statSync } from 'node:fs';

import { LIMITS } from '../../../shared/kling/capabilities';
import { checkImage, imageInfo, looksLikeUrl } from '../../../shared/kling/images';
import type { ResolvedElement, StoryboardProblem } from '../../../shared/storyboard/schema';

export function elementImageProblems(elements: readonly ResolvedElement[], file: string): StoryboardProblem[] {
  const out: StoryboardProblem[] = [];
  for (const el of elements) {
    const images: Array<[string, string]> = [
      ...(el.frontalImage ? [['frontalImage', el.frontalImage] as [string, string]] : []),
      ...(el.referenceImages ?? []).map((p, i) => [`referenceImages[${i}]`, p] as [string, string]),
    ];
    for (const [field, path] of images) {
      if (looksLikeUrl(path)) continue;
      const at = `elements[${el.id}].${field}`;
      let size: number;
      let bytes: Buffer;
      try {
        size = statSync(path).size;
        // Past the limit only the header is needed to say so.
        bytes = size > LIMITS.imageMaxBytes ? readFileSync(path).subarray(0, 64 * 1024) : readFileSync(path);
      } catch (err) {
        out.push({
          file,
          row: null,
          shot: null,
          field: at,
          value: JSON.stringify(path),
          message: `cannot read it (${(err as NodeJS.ErrnoException).code ?? 'error'}); check the file`,
        });
        continue;
      }
      for (const p of checkImage(at, size, imageInfo(bytes), { checkAspect: true })) {
        out.push({
          file,
          row: null,
          shot: null,
          field: at,
          value: JSON.stringify(path),
          message: p.slice(at.length + 2),
        });
      }
    }
  }
  return out;
}
