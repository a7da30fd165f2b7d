/**
 * Finds ffmpeg and ffprobe, in one place (lossless-cut's src/main/ffmpeg.ts pattern):
 * 1. an explicit path (settings, CLI flag, or SHOTLINE_FFMPEG / SHOTLINE_FFPROBE);
 * 2. a binary bundled with the packaged app under resources/ffmpeg/<platform>-<arch>/;
 * 3. PATH.
 * A missing tool is reported with the fix, never a crash at start.
 */
import { execFile } from 'node:child_process';
import { childEnv } from '../child-env';
import { accessSync, constants } from 'node:fs';
import { delimiter, join } from 'node:path';
import { promisify } from 'node:util';

const execFileAsync = promisify(execFile);

export type ToolName = 'ffmpeg' | 'ffprobe';

export interface LocatedTool {
  path: string | null;
  version: string | null;
  source: string;
}

const exe = (name: ToolName): string => (process.platform === 'win32' ? `${name}.exe` : name);

function isExecutable(p: string): boolean {
  try {
    accessSync(p, process.platform === 'win32' ? constants.F_OK : constants.X_OK);
    return true;
  } catch {
    return false;
  }
}

export interface LocateOptions {
  explicit?: string | undefined;
  /** process.resourcesPath when packaged. */
  resourcesPath?: string | undefined;
}

export function findTool(name: ToolName, opts: LocateOptions = {}): { path: string | null; source: string } {
  const envPath = process.env[name === 'ffmpeg' ? 'SHOTLINE_FFMPEG' : 'SHOTLINE_FFPROBE'];
  const explicit = opts.explicit ?? envPath;
  if (explicit) {
    return isExecutable(explicit)
      ? { path: explicit, source: 'configured' }
      : { path: null, source: `configured path ${explicit} is not an executable file; fix it in Settings or unset it` };
  }
  if (opts.resourcesPath) {
    const bundled = join(opts.resourcesPath, 'ffmpeg', `${process.platform}-${process.arch}`, exe(name));
    if (isExecutable(bundled)) return { path: bundled, source: 'bundled' };
  }
  for (const dir of (process.env.PATH ?? '').split(delimiter)) {
    if (!dir) continue;
    const candidate = join(dir, exe(name));
    if (isExecutable(candidate)) return { path: candidate, source: 'PATH' };
  }
  return {
    path: null,
    source: `${name} not found: install it (macOS: brew install ffmpeg; Windows: winget install ffmpeg; Debian: apt-get install ffmpeg) or set its path in Settings`,
  };
}

/** `ffmpeg -version` first line, e.g. "5.1.6-0+deb12u1". */
export async function toolVersion(path: string): Promise<string | null> {
  try {
    const { stdout } = await execFileAsync(path, ['-version'], { timeout: 10_000, env: childEnv() });
    const m = /version\s+(\S+)/.exec(stdout);
    return m?.[1] ?? null;
  } catch {
    return null;
  }
}

export async function locateTool(name: ToolName, opts: LocateOptions = {}): Promise<LocatedTool> {
  const found = findTool(name, opts);
  if (!found.path) return { ...found, version: null };
  const version = await toolVersion(found.path);
  return version
    ? { path: found.path, version, source: found.source }
    : { path: found.path, version: null, source: `${found.source}; ${found.path} did not answer -version` };
}
