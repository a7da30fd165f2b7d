/**
 * Where a storyboard's local image paths may point (issue 16.3): only inside the storyboard's
 * own folder. Pure string rules, shared by the renderer and the core; the core adds the
 * realpath check for symlinks (electron/core/storyboard/index.ts). UNC paths are refused
 * before anything touches them: on Windows merely checking that `\\host\share\x.png` exists
 * sends the user's credentials to that host.
 */

/** The fix every refusal names. */
export const OUTSIDE_PATHS_FIX =
  "copy the image into the storyboard's folder (or a folder under it) and give its path relative to the storyboard, e.g. images/shot1.png; " +
  "to use files elsewhere, allow paths outside the storyboard's folder (the app asks; CLI: --allow-outside-paths)";

/**
 * Why a local image path leaves the storyboard's folder by its text alone, or null.
 * `absoluteChecked`: the caller confines absolute paths itself by realpath (the core, where
 * the app's own images are absolute paths inside the folder it validates against).
 */
export function outsidePathProblem(value: string, opts: { absoluteChecked?: boolean } = {}): string | null {
  const v = value.trim();
  if (/^(\\\\|\/\/)/.test(v) || /^\\\\\?\\UNC\\/i.test(v))
    return `a network (UNC) path is not allowed; ${OUTSIDE_PATHS_FIX}`;
  if (/^file:/i.test(v) || v.startsWith('~'))
    return `a file: URL or home-relative path is not allowed; ${OUTSIDE_PATHS_FIX}`;
  if (v.split(/[\\/]+/).includes('..')) return `".." would leave the storyboard's folder; ${OUTSIDE_PATHS_FIX}`;
  const absolute = v.startsWith('/') || v.startsWith('\\') || /^[A-Za-z]:/.test(v);
  if (absolute && !opts.absoluteChecked) return `an absolute path is not allowed; ${OUTSIDE_PATHS_FIX}`;
  return null;
}
