/**
 * Opening a storyboard file (storyboard.openFile, electron/core/handlers/project.ts): its
 * elements' images, like its shots' frames, are kept in the data dir, and the JSON text handed
 * to the renderer names the kept copies. Without this the renderer's text still says
 * "elements/mara-front.png", which the import check then looks for in the data dir and refuses
 * (examples/scene.json; test/e2e/scene-run.spec.ts).
 */
import type { ResolvedElement } from '../../../shared/storyboard/schema';
import { looksLikeUrl } from '../../../shared/kling/images';

/** Keeps one image (resolved, absolute path); returns the kept path, or undefined after reporting why not. */
export type KeepImage = (element: string, field: string, path: string) => string | undefined;

/** The JSON text with each element image path replaced by its kept copy; other text is returned as it is. */
export function withKeptElementImages(content: string, elements: readonly ResolvedElement[], keep: KeepImage): string {
  const withImages = elements.filter((e) => e.frontalImage !== undefined || e.referenceImages?.length);
  if (withImages.length === 0) return content;
  let doc: unknown;
  try {
    doc = JSON.parse(content);
  } catch {
    return content;
  }
  const list = (doc as { elements?: unknown }).elements;
  if (!Array.isArray(list)) return content;
  const byId = new Map(withImages.map((e) => [e.id, e]));
  const kept = (id: string, field: string, p: string): string | undefined => (looksLikeUrl(p) ? p : keep(id, field, p));
  for (const raw of list as Array<Record<string, unknown>>) {
    const el = typeof raw?.id === 'string' ? byId.get(raw.id) : undefined;
    if (!el) continue;
    if (el.frontalImage !== undefined) {
      const p = kept(el.id, 'frontalImage', el.frontalImage);
      if (p !== undefined) raw.frontalImage = p;
    }
    if (el.referenceImages?.length && Array.isArray(raw.referenceImages)) {
      raw.referenceImages = el.referenceImages.map(
        (p, i) => kept(el.id, `referenceImages[${i}]`, p) ?? (raw.referenceImages as unknown[])[i],
      );
    }
  }
  return JSON.stringify(doc, null, 2);
}
