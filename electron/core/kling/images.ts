/**
 * Local image files -> raw base64 after Kling's checks (format, 10 MB, 300 px, 1:2.5-2.5:1),
 * so a bad frame is refused here with the file named, not by Kling after an upload.
 */
import { readFile, stat } from 'node:fs/promises';
import { extname } from 'node:path';

import { checkImage, imageInfo, LIMITS, looksLikeUrl, type ImageInfo } from '../../../shared/kling';
import type { ImageSource, VideoRequest } from '../../../shared/kling/request';
import { ShotlineError } from '../../../shared/result';

export interface LoadedImage {
  base64: string;
  info: ImageInfo;
  bytes: number;
}

function fail(field: string, message: string): never {
  throw new ShotlineError({ code: 'validation', message, where: field });
}

/** Reads and checks one image file. `checkAspect` is off for end frames (the docs give only size rules). */
export async function loadImageFile(
  field: string,
  path: string,
  opts: { checkAspect?: boolean } = {},
): Promise<LoadedImage> {
  const ext = extname(path).toLowerCase();
  if (!['.png', '.jpg', '.jpeg'].includes(ext)) fail(field, `${field}: ${path} must be a .png, .jpg or .jpeg file`);
  let size: number;
  try {
    size = (await stat(path)).size;
  } catch {
    fail(field, `${field}: ${path} does not exist or cannot be read`);
  }
  if (size > LIMITS.imageMaxBytes)
    fail(field, `${field}: ${path} is ${(size / 1048576).toFixed(1)} MB, over Kling's 10 MB limit`);
  const bytes = await readFile(path);
  return checkBytes(field, bytes, opts, path);
}

function checkBytes(field: string, bytes: Uint8Array, opts: { checkAspect?: boolean }, label?: string): LoadedImage {
  const info = imageInfo(bytes);
  const problems = checkImage(field, bytes.length, info, opts);
  if (problems.length || !info) fail(field, problems.map((p) => (label ? `${p} (${label})` : p)).join('; '));
  return { base64: Buffer.from(bytes).toString('base64'), info, bytes: bytes.length };
}

async function resolveOne(
  field: string,
  src: ImageSource,
  opts: { checkAspect?: boolean },
): Promise<{ src: ImageSource; info: ImageInfo | null }> {
  if (typeof src === 'string') {
    if (looksLikeUrl(src)) return { src, info: null };
    const img = await loadImageFile(field, src, opts);
    return { src: { base64: img.base64 }, info: img.info };
  }
  const raw = src.base64.replace(/^data:[^,]*;base64,/, '');
  const img = checkBytes(field, Buffer.from(raw, 'base64'), opts);
  return { src: { base64: img.base64 }, info: img.info };
}

/** Replaces local paths (and checks inline base64) in the frame fields of a request. */
export async function resolveImages(req: VideoRequest): Promise<VideoRequest> {
  const out: VideoRequest = { ...req };
  if (req.startImage !== undefined) out.startImage = (await resolveOne('startImage', req.startImage, {})).src;
  if (req.endImage !== undefined)
    out.endImage = (await resolveOne('endImage', req.endImage, { checkAspect: false })).src;
  return out;
}
