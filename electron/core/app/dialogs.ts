/**
 * The open/save dialogs belong to the main process (issue 16 item 4): the front that owns a
 * window gives the core a `Dialogs` (Electron's dialog in electron/main/index.ts, a scripted
 * fake in electron/core/bridge/test-bridge.ts), and the core remembers which output paths the
 * user chose. When a front has dialogs, media.exportEdit and media.timeline write only to a
 * chosen path; the CLI (no dialogs) writes where its own command line says.
 */
import { existsSync, realpathSync, statSync } from 'node:fs';
import { dirname, extname, isAbsolute, resolve } from 'node:path';

import { ShotlineError } from '../../../shared/result';
import type { CoreContext } from '../context';
import { registeredFile } from '../privacy';
import { insideDataDir } from '../privacy/files';
import { inside, MEDIA_TYPES } from './media-path';

export interface DialogFilter {
  name: string;
  extensions: string[];
}

export interface SaveAnswer {
  path: string;
  /** The system dialog already asked "replace it?" (macOS, Windows) and the user said yes. */
  overwriteConfirmed: boolean;
}

export interface Dialogs {
  open(o: { title: string; filters: DialogFilter[]; defaultPath?: string }): Promise<string | null>;
  save(o: { title: string; defaultPath: string; filters: DialogFilter[] }): Promise<SaveAnswer | null>;
}

export function dialogsOf(ctx: CoreContext, what: string): Dialogs {
  const d = ctx.options.dialogs;
  if (!d)
    throw new ShotlineError({
      code: 'unsupported',
      where: what,
      message: `${what} needs the app's file dialogs; from the command line give the path as an argument.`,
    });
  return d;
}

/**
 * The output paths the user chose in this core's save dialogs, and the checks that use them.
 * One per core, built by the composition root (electron/core/services.ts).
 */
export class OutputGrants {
  private readonly granted = new Map<string, { overwriteConfirmed: boolean }>();

  constructor(private readonly ctx: CoreContext) {}

  /** Records a path the user chose in the save dialog. */
  grant(answer: SaveAnswer): string {
    const abs = resolve(answer.path);
    this.granted.set(abs, { overwriteConfirmed: answer.overwriteConfirmed });
    return abs;
  }

  /** See checkOutput below. */
  check(output: string, overwrite: boolean | undefined, field = 'output'): string {
    return checkOutput(this.ctx, this.granted, output, overwrite, field);
  }

  /** See confineInput below. */
  confineInput(file: string, field: string): string {
    return confineInput(this.ctx, this.granted, file, field);
  }
}

type Granted = ReadonlyMap<string, { overwriteConfirmed: boolean }>;

/**
 * The output an export may write: with dialogs, only a path chosen in the save dialog, whose
 * folder still exists, and an existing file only when the user agreed to replace it.
 */
function checkOutput(
  ctx: CoreContext,
  granted: Granted,
  output: string,
  overwrite: boolean | undefined,
  field = 'output',
): string {
  if (!ctx.options.dialogs) return output;
  const abs = resolve(output);
  const grant = isAbsolute(output) ? granted.get(abs) : undefined;
  if (!grant) {
    throw new ShotlineError({
      code: 'forbidden',
      where: field,
      message: `${output} was not chosen in the save dialog: use "Choose where…" to pick where the file goes.`,
    });
  }
  const folder = dirname(abs);
  if (!existsSync(folder) || !statSync(folder).isDirectory()) {
    throw new ShotlineError({
      code: 'validation',
      where: field,
      message: `The folder ${folder} is no longer there: choose another place with "Choose where…".`,
    });
  }
  if (existsSync(abs) && !grant.overwriteConfirmed && overwrite !== true) {
    throw new ShotlineError({
      code: 'exists',
      where: field,
      message: `${abs} already exists: confirm that it may be replaced, or choose another name.`,
    });
  }
  return abs;
}

/** Where a core-chosen file may go when a front with dialogs asks: inside the data dir only. */
export function confineOutput(ctx: CoreContext, p: string | undefined, field: string): string | undefined {
  if (p === undefined || !ctx.options.dialogs) return p;
  const abs = insideDataDir(ctx.dataDir, p);
  if (!abs)
    throw new ShotlineError({
      code: 'forbidden',
      where: field,
      message: `${field} must be inside the data dir (${ctx.dataDir}); leave it out to use the default.`,
    });
  return abs;
}

/**
 * A media file a front with dialogs may have the core read (issue 16 item 4: IPC takes no
 * arbitrary path): a media file whose real path, links followed, is inside the data dir (clips,
 * frames, thumbnails), a file the erasure registry knows (an export written where the user
 * chose), or a path chosen in a dialog. The CLI names its own files and is not confined.
 */
function confineInput(ctx: CoreContext, granted: Granted, file: string, field: string): string {
  if (!ctx.options.dialogs) return file;
  const refuse = (why: string): never => {
    throw new ShotlineError({
      code: 'forbidden',
      where: field,
      message: `${file} ${why}: the app reads only the clips and images it keeps in its data folder (${ctx.dataDir}) and the files chosen in its dialogs.`,
    });
  };
  if (!file || file.includes('\0') || /^[a-z][a-z0-9+.-]*:\/\//i.test(file)) refuse('is not a local file');
  const abs = isAbsolute(file) ? resolve(file) : resolve(ctx.dataDir, file);
  if (granted.has(abs)) return abs;
  if (registeredFile(ctx.db(), abs)) return abs;
  let real: string;
  let root: string;
  try {
    real = realpathSync.native(abs);
    root = realpathSync.native(resolve(ctx.dataDir));
  } catch {
    return refuse('does not exist');
  }
  if (!inside(root, real)) refuse('is outside the data folder');
  if (!MEDIA_TYPES[extname(real).toLowerCase()]) refuse('is not a clip or an image');
  return real;
}
