/**
 * "Show in folder": Electron's shell.showItemInFolder when the front passes one
 * (CoreOptions.shell), otherwise the platform's own opener, spawned detached with its
 * arguments as an array (no shell, so no quoting of user paths).
 */
import { spawn } from 'node:child_process';
import { childEnv } from '../child-env';
import { statSync } from 'node:fs';
import { dirname, isAbsolute } from 'node:path';

import { ShotlineError } from '../../../shared/result';

export interface RevealShell {
  showItemInFolder(path: string): void;
}

/** The command that shows `target` in the platform's file manager. */
export function openerFor(platform: NodeJS.Platform, target: string, isDir: boolean): { cmd: string; args: string[] } {
  if (platform === 'darwin') return { cmd: 'open', args: ['-R', target] };
  // explorer accepts "/select," followed by the path as its own (quoted) argument.
  if (platform === 'win32') return { cmd: 'explorer', args: ['/select,', target] };
  // xdg-open cannot select a file: open its folder (or the folder itself).
  return { cmd: 'xdg-open', args: [isDir ? target : dirname(target)] };
}

/** Refuses anything that is not an existing file or folder, naming the path and why. */
export function checkRevealable(path: string): { isDir: boolean } {
  const refuse = (why: string): never => {
    throw new ShotlineError({
      code: 'bad_path',
      where: 'path',
      message: `Cannot show ${JSON.stringify(path)} in its folder: ${why}.`,
    });
  };
  if (!isAbsolute(path)) refuse('it is not an absolute path');
  let st;
  try {
    st = statSync(path);
  } catch (err) {
    const code = (err as NodeJS.ErrnoException).code;
    return refuse(
      code === 'ENOENT' || code === 'ENOTDIR'
        ? 'it does not exist (moved or deleted?)'
        : `it cannot be read (${code ?? String(err)})`,
    );
  }
  if (!st.isFile() && !st.isDirectory()) refuse('it is not a file or a folder');
  return { isDir: st.isDirectory() };
}

export async function reveal(
  path: string,
  shell: RevealShell | undefined,
  platform: NodeJS.Platform = process.platform,
): Promise<{ opened: string; via: 'electron' | 'opener' }> {
  const { isDir } = checkRevealable(path);
  if (shell) {
    shell.showItemInFolder(path);
    return { opened: path, via: 'electron' };
  }
  const { cmd, args } = openerFor(platform, path, isDir);
  await new Promise<void>((ok, fail) => {
    const child = spawn(cmd, args, { detached: true, stdio: 'ignore', env: childEnv() });
    child.once('spawn', () => {
      child.unref();
      ok();
    });
    child.once('error', (err) =>
      fail(
        new ShotlineError({
          code: 'opener_failed',
          where: 'path',
          message: `Could not start ${cmd} to show ${JSON.stringify(path)}: ${err.message}. Open ${isDir ? path : dirname(path)} in your file manager.`,
        }),
      ),
    );
  });
  return { opened: path, via: 'opener' };
}
