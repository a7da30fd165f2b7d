/**
 * The storyboard's top-level `elements` (README.md, "Storyboards"; kling-api.md §7) and what a shot may do
 * with them: each element is exactly one of images (a frontal image + 1-3 references, checked
 * as frames are), a video (an https URL or a local .mp4/.mov), or the Kling id of one that
 * exists already; a shot names elements by id and its prompt names them as `@id`.
 */
import { looksLikeUrl } from '../kling/images';
import { checkLocalFile, IMAGE_EXT, VIDEO_EXT, type LocalFileOptions } from './local-file';
import { ElementSpec, type ResolvedElement, type StoryboardProblem } from './schema';

const KEYS = Object.keys(ElementSpec.shape) as Array<keyof typeof ElementSpec.shape>;
const ALLOWED: Record<keyof typeof ElementSpec.shape, string> = {
  id: 'letters, digits and "_", starting with a letter, at most 32 (the prompt names it as @id)',
  name: "text of 1-20 characters (Kling's element_name; default: the id)",
  description: "text of 1-100 characters (Kling's element_description; default: the name)",
  frontalImage: 'a .png/.jpg path relative to the storyboard file, or an https URL',
  referenceImages: 'a list of 1-3 .png/.jpg paths or https URLs (other angles of the same subject)',
  video: 'an https URL of a 3-8 s .mp4/.mov clip (Kling fetches videos by URL only)',
  klingId: 'the numeric id of an element that exists at Kling already',
  subject: 'a data-subject tag (text, at most 200 characters), used by erase',
};

export type AddProblem = (p: Omit<StoryboardProblem, 'file' | 'row' | 'shot'> & { shot?: string | null }) => void;

function show(v: unknown): string {
  const s = JSON.stringify(v) ?? typeof v;
  return s.length > 80 ? `${s.slice(0, 77)}...` : s;
}

/** A local file or an https URL (element images and videos). */
function source(
  value: string,
  ext: RegExp,
  extMessage: string,
  opts: LocalFileOptions,
): { value: string; problem: string | null } {
  if (looksLikeUrl(value))
    return { value, problem: /^https:\/\//i.test(value) ? null : 'URLs must be https; or give a local path' };
  const r = checkLocalFile(value, ext, extMessage, opts);
  return { value: r.abs, problem: r.problem };
}

/** The top-level `elements` list, resolved; every problem goes to `add` (field `elements[id].x`). */
export function parseElements(
  raw: unknown,
  opts: LocalFileOptions,
  add: AddProblem,
  suggest: (name: string, options: readonly string[]) => string | null,
): ResolvedElement[] {
  if (raw === undefined) return [];
  if (!Array.isArray(raw)) {
    add({
      field: 'elements',
      value: show(raw),
      message: 'must be a list of elements [{"id": ..., "frontalImage": ..., "referenceImages": [...]}]',
    });
    return [];
  }
  const out: ResolvedElement[] = [];
  const seen = new Set<string>();
  raw.forEach((item, i) => {
    if (typeof item !== 'object' || item === null || Array.isArray(item)) {
      add({
        field: `elements[${i}]`,
        value: show(item),
        message: 'each element must be an object {"id", "frontalImage", "referenceImages"} (or "video", or "klingId")',
      });
      return;
    }
    const o = item as Record<string, unknown>;
    const at = typeof o.id === 'string' && o.id !== '' ? `elements[${o.id}]` : `elements[${i}]`;
    let bad = false;
    const fail = (field: string | null, value: unknown, message: string): void => {
      bad = true;
      add({ field: field ? `${at}.${field}` : at, value: value === undefined ? null : show(value), message });
    };
    for (const k of Object.keys(o)) {
      if (!(KEYS as string[]).includes(k)) {
        const s = suggest(k, KEYS);
        fail(k, o[k], `unknown field "${k}"${s ? `; did you mean "${s}"?` : ''} Allowed: ${KEYS.join(', ')}`);
        continue;
      }
      const key = k as keyof typeof ElementSpec.shape;
      if (!ElementSpec.shape[key].safeParse(o[k]).success) fail(k, o[k], `not allowed; use ${ALLOWED[key]}`);
    }
    if (o.id === undefined) fail('id', undefined, `missing; every element needs an id (${ALLOWED.id})`);
    else if (typeof o.id === 'string' && seen.has(o.id)) fail('id', o.id, 'duplicate element id; ids must be unique');
    if (typeof o.id === 'string') seen.add(o.id);
    const kinds = [
      o.frontalImage !== undefined || o.referenceImages !== undefined ? 'images' : null,
      o.video !== undefined ? 'video' : null,
      o.klingId !== undefined ? 'klingId' : null,
    ].filter((k): k is string => k !== null);
    if (kinds.length !== 1) {
      fail(
        null,
        null,
        kinds.length === 0
          ? 'says nothing about the subject; give frontalImage + referenceImages (1-3), or a video, or the klingId of an element that exists at Kling'
          : `gives ${kinds.join(' and ')}; give exactly one of: frontalImage + referenceImages, video, klingId`,
      );
    } else if (kinds[0] === 'images') {
      if (o.frontalImage === undefined)
        fail(
          'frontalImage',
          undefined,
          'missing; an element from images needs a frontal image and 1-3 reference images',
        );
      if (o.referenceImages === undefined)
        fail(
          'referenceImages',
          undefined,
          'missing; give 1-3 more images of the same subject (other angles) besides the frontal one',
        );
    }
    if (bad) return;
    const spec = ElementSpec.parse(o);
    const name = spec.name ?? spec.id.slice(0, 20);
    const el: ResolvedElement = {
      id: spec.id,
      name,
      description: spec.description ?? name,
      source: spec.klingId !== undefined ? 'existing' : spec.video !== undefined ? 'video' : 'images',
      ...(spec.subject !== undefined ? { subject: spec.subject } : {}),
    };
    const image = (field: string, v: string): string => {
      const r = source(v, IMAGE_EXT, 'images must be .png, .jpg or .jpeg', opts);
      if (r.problem) fail(field, v, r.problem);
      return r.value;
    };
    if (spec.frontalImage !== undefined) el.frontalImage = image('frontalImage', spec.frontalImage);
    if (spec.referenceImages !== undefined)
      el.referenceImages = spec.referenceImages.map((v, j) => image(`referenceImages[${j}]`, v));
    if (spec.video !== undefined) {
      // Kling takes video inputs by URL only (kling-api.md §5.1, §7), and the element library
      // sends it as given (electron/core/elements/library.ts): a local file is refused here, where
      // the editor shows it as the user types, with the same fix as a motion reference.
      if (!looksLikeUrl(spec.video)) {
        fail(
          'video',
          spec.video,
          VIDEO_EXT.test(spec.video)
            ? 'Kling fetches element videos by URL only (kling-api.md §5.1, §7): upload the clip and give its https URL'
            : 'element videos must be an https URL of an .mp4 or .mov (a 3-8 s clip)',
        );
      } else {
        const r = source(spec.video, VIDEO_EXT, 'element videos must be .mp4 or .mov (a 3-8 s clip)', opts);
        if (r.problem) fail('video', spec.video, r.problem);
        el.video = r.value;
      }
    }
    if (spec.klingId !== undefined) el.klingId = spec.klingId;
    if (!bad) out.push(el);
  });
  return out;
}

/**
 * The data subject of elements without their own `subject` (docs/readme/privacy.md, "Elements"):
 * the subject of the shots that name the element, when they all give the same one (a shot's
 * subject includes `defaults.subject`); none when no shot names it, one has none, or they differ.
 * So `erase --subject X` finds an element tagged only through its shots.
 */
export function withShotSubjects(
  elements: readonly ResolvedElement[],
  shots: ReadonlyArray<{ subject?: string; elements?: readonly string[] }>,
): ResolvedElement[] {
  return elements.map((el) => {
    if (el.subject !== undefined) return el;
    const naming = shots.filter((s) => s.elements?.includes(el.id));
    const subjects = new Set(naming.map((s) => s.subject ?? null));
    const [only] = [...subjects];
    return naming.length > 0 && subjects.size === 1 && typeof only === 'string' ? { ...el, subject: only } : el;
  });
}

/** `@id` words of a prompt (not e-mail addresses: the `@` must not follow a letter, digit, "_" or "."). */
export function mentionedElements(prompt: string): string[] {
  const out = new Set<string>();
  for (const m of prompt.matchAll(/(^|[^A-Za-z0-9_.])@([A-Za-z][A-Za-z0-9_]*)/g))
    if (m[2] && m[2] !== 'previous') out.add(m[2]);
  return [...out];
}

/**
 * 3.0 Omni's count matrix by element kind (kling-api.md §5.5), as far as Shotline sends (no refer
 * images, no reference video): video-character elements at most 3; with both kinds, video at most
 * 3 and multi-image at most 4. The total (7, or 3 with a first frame) is checkVideoRequest's.
 * Elements given by klingId are of unknown kind and not counted here (Kling decides).
 */
export function omniKindProblem(ids: readonly string[], byId: ReadonlyMap<string, ResolvedElement>): string | null {
  const video = ids.filter((id) => byId.get(id)?.source === 'video').length;
  const images = ids.filter((id) => byId.get(id)?.source === 'images').length;
  if (video > 3)
    return `${video} video elements; kling-3.0-omni takes at most 3 video-character elements (kling-api.md §5.5)`;
  if (video > 0 && images > 4)
    return `${images} image elements next to ${video} video element(s); kling-3.0-omni takes at most 4 multi-image elements alongside video ones (kling-api.md §5.5)`;
  return null;
}
