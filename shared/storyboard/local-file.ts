/**
 * A storyboard's local file reference (a frame, an element image, an element video): the path
 * rules of issue 16.3 (paths.ts: only the storyboard's own folder, unless the user allowed
 * others), the extension, and existence, resolved against the storyboard's folder by the
 * caller's `resolvePath`. Shared by the frames and the elements of validate.ts so both refuse
 * the same things with the same words.
 */
import { outsidePathProblem } from './paths';

export interface LocalFileOptions {
  resolvePath?: (relative: string) => string;
  fileExists?: (absolute: string) => boolean;
  allowOutsidePaths?: boolean;
  confine?: (absolute: string) => string | null;
}

export const IMAGE_EXT = /\.(png|jpe?g)$/i;
export const VIDEO_EXT = /\.(mp4|mov)$/i;

/** The absolute path, or the problem (with its fix) that stops it being used. */
export function checkLocalFile(
  value: string,
  ext: RegExp,
  extMessage: string,
  opts: LocalFileOptions,
): { abs: string; problem: string | null } {
  const outside = opts.allowOutsidePaths
    ? null
    : outsidePathProblem(value, { absoluteChecked: opts.confine !== undefined });
  if (outside) return { abs: value, problem: outside };
  const abs = opts.resolvePath ? opts.resolvePath(value) : value;
  const escaped = opts.allowOutsidePaths ? null : (opts.confine?.(abs) ?? null);
  if (!ext.test(value)) return { abs, problem: extMessage };
  if (escaped) return { abs, problem: escaped };
  if (opts.fileExists && !opts.fileExists(abs))
    return { abs, problem: `no such file (looked for ${abs}); paths are relative to the storyboard's folder` };
  return { abs, problem: null };
}
