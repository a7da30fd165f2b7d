/**
 * Images picked in the studio (frames, motion-brush masks) and images of a storyboard file
 * opened in the app become content-addressed files in the data dir: images/<sha256>.png|jpg.
 * The storyboard refers to them by that data-dir path, which the importer resolves against
 * the data dir (electron/core/storyboard/index.ts, default base dir). Each is registered
 * with privacy (electron/core/privacy/retention.ts registerFile) as kind "image", so
 * retention's image rule and erase find it; the storyboard's import sets its project and
 * subject (registerShotImages).
 */
import { createHash } from 'node:crypto';
import { existsSync, mkdirSync, readFileSync, statSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';

import type Database from 'better-sqlite3';

import { checkImage, imageInfo } from '../../../shared/kling/images';
import type { ResolvedShot } from '../../../shared/storyboard/schema';
import { ShotlineError } from '../../../shared/result';
import type { CoreContext } from '../context';
import { registerFile, registeredFile } from '../privacy';
import { insideDataDir } from '../privacy/files';

export const IMAGE_DIR = 'images';

export interface StoredImage {
  /** Data-dir relative, forward slashes: what the storyboard holds. */
  path: string;
  file: string;
  width: number;
  height: number;
}

/** Stores the bytes once per content; `field` names the image in any refusal. */
export function storeImage(ctx: CoreContext, bytes: Uint8Array, field: string): StoredImage {
  const info = imageInfo(bytes);
  // Masks are painted at the frame's size, so the aspect rule is the frame's, checked there.
  const problems = checkImage(field, bytes.length, info, { checkAspect: false });
  if (!info || problems.length)
    throw new ShotlineError({ code: 'validation', where: field, message: problems.join('; ') });
  const sha = createHash('sha256').update(bytes).digest('hex');
  const rel = `${IMAGE_DIR}/${sha}.${info.format === 'png' ? 'png' : 'jpg'}`;
  const file = join(ctx.dataDir, IMAGE_DIR, `${sha}.${info.format === 'png' ? 'png' : 'jpg'}`);
  if (!existsSync(file)) {
    mkdirSync(join(ctx.dataDir, IMAGE_DIR), { recursive: true, mode: 0o700 });
    writeFileSync(file, bytes, { mode: 0o600 });
  }
  registerImage(ctx.db(), file, null, null);
  return { path: rel, file, width: info.width, height: info.height };
}

/** A local image file (already resolved) copied into the data dir. */
export function ingestImageFile(ctx: CoreContext, abs: string, field: string): StoredImage {
  const st = statSync(abs);
  if (st.size > 20 * 1024 * 1024)
    throw new ShotlineError({
      code: 'validation',
      where: field,
      message: `${field}: ${abs} is ${(st.size / 1048576).toFixed(1)} MB; Kling takes 10 MB at most`,
    });
  return storeImage(ctx, readFileSync(abs), field);
}

/** base64 or a data: URL -> bytes. */
export function decodeImage(b64: string): Uint8Array {
  return Buffer.from(b64.replace(/^data:image\/[a-z+]+;base64,/i, ''), 'base64');
}

function registerImage(db: Database.Database, file: string, project: string | null, subject: string | null): void {
  const known = registeredFile(db, file);
  // A registration without a project never clears one made by an import.
  if (known && project === null && subject === null) return;
  registerFile(db, { path: file, kind: 'image', project, subject });
}

/** After an import: the data-dir images of each shot belong to the storyboard and the shot's subject. */
export function registerShotImages(ctx: CoreContext, storyboard: string, shots: readonly ResolvedShot[]): void {
  for (const s of shots) {
    const files = [s.startImage, s.endImage].filter((f): f is string => typeof f === 'string');
    for (const f of files) {
      const abs = insideDataDir(ctx.dataDir, f);
      if (abs && existsSync(abs)) registerImage(ctx.db(), abs, storyboard, s.subject ?? null);
    }
  }
}
