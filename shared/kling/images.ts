/**
 * Image rules for Kling inputs (§3.8): .jpg/.jpeg/.png, at most 10 MB, both sides at least
 * 300 px, aspect ratio between 1:2.5 and 2.5:1, sent as a URL or as RAW base64 (a `data:`
 * prefix is refused by Kling with 1201 "File is not in a valid base64 format").
 * Pure functions over bytes, so the client (reading files) and the sandbox (decoding bodies)
 * apply the same checks.
 */
import { LIMITS } from './capabilities';

export interface ImageInfo {
  format: 'png' | 'jpeg';
  width: number;
  height: number;
}

/** Reads the size from a PNG IHDR or a JPEG SOFn marker; null when it is neither. */
export function imageInfo(bytes: Uint8Array): ImageInfo | null {
  if (bytes.length >= 24 && bytes[0] === 0x89 && bytes[1] === 0x50 && bytes[2] === 0x4e && bytes[3] === 0x47) {
    const dv = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
    return { format: 'png', width: dv.getUint32(16), height: dv.getUint32(20) };
  }
  if (bytes.length >= 4 && bytes[0] === 0xff && bytes[1] === 0xd8) {
    let i = 2;
    while (i + 9 < bytes.length) {
      if (bytes[i] !== 0xff) {
        i++;
        continue;
      }
      const marker = bytes[i + 1] ?? 0;
      // SOF0..SOF15 except DHT (C4), JPG (C8) and DAC (CC) carry the frame size.
      if (marker >= 0xc0 && marker <= 0xcf && marker !== 0xc4 && marker !== 0xc8 && marker !== 0xcc) {
        const height = ((bytes[i + 5] ?? 0) << 8) | (bytes[i + 6] ?? 0);
        const width = ((bytes[i + 7] ?? 0) << 8) | (bytes[i + 8] ?? 0);
        return { format: 'jpeg', width, height };
      }
      if (marker === 0xd8 || marker === 0x01 || (marker >= 0xd0 && marker <= 0xd7)) {
        i += 2;
        continue;
      }
      const len = ((bytes[i + 2] ?? 0) << 8) | (bytes[i + 3] ?? 0);
      i += 2 + len;
    }
    return null;
  }
  return null;
}

/** Problems with one image (empty = fine). `field` names it in the message. */
export function checkImage(
  field: string,
  byteLength: number,
  info: ImageInfo | null,
  opts: { checkAspect?: boolean } = {},
): string[] {
  if (!info) return [`${field}: not a PNG or JPEG image (Kling accepts .jpg, .jpeg and .png)`];
  const problems: string[] = [];
  if (byteLength > LIMITS.imageMaxBytes) {
    problems.push(`${field}: ${(byteLength / 1048576).toFixed(1)} MB is over Kling's 10 MB limit; export it smaller`);
  }
  if (info.width < LIMITS.imageMinSide || info.height < LIMITS.imageMinSide) {
    problems.push(
      `${field}: ${info.width}x${info.height} px is too small; both sides must be at least ${LIMITS.imageMinSide} px`,
    );
  }
  const ratio = info.width / Math.max(1, info.height);
  if ((opts.checkAspect ?? true) && (ratio < LIMITS.imageAspect[0] - 1e-9 || ratio > LIMITS.imageAspect[1] + 1e-9)) {
    problems.push(`${field}: aspect ratio ${info.width}:${info.height} is outside 1:2.5 to 2.5:1; crop it`);
  }
  return problems;
}

const B64 = /^[A-Za-z0-9+/]*={0,2}$/;

/** True for raw base64 (no `data:` prefix, no whitespace, length a multiple of 4). */
export function isRawBase64(s: string): boolean {
  return s.length > 0 && s.length % 4 === 0 && B64.test(s);
}

/** True when the string is an http(s) URL rather than base64. */
export function looksLikeUrl(s: string): boolean {
  return /^https?:\/\//i.test(s);
}

export function isLoopbackHost(hostname: string): boolean {
  const h = hostname.replace(/^\[|\]$/g, '').toLowerCase();
  return h === 'localhost' || h === '::1' || /^127(\.\d{1,3}){3}$/.test(h);
}

/** https anywhere, http only on loopback (DESIGN §5). Returns a problem or null. */
export function checkSafeUrl(field: string, raw: string): string | null {
  let u: URL;
  try {
    u = new URL(raw);
  } catch {
    return `${field}: "${raw.slice(0, 60)}" is not a valid URL`;
  }
  if (u.protocol === 'https:') return null;
  if (u.protocol === 'http:' && isLoopbackHost(u.hostname)) return null;
  return `${field}: ${u.protocol}//${u.host} must use https (plain http is allowed only for 127.0.0.1, ::1 and localhost)`;
}

/**
 * Motion brush (§3.4): the static mask and every dynamic mask must have the same size,
 * and their aspect ratio must match the start image (1 % tolerance for rounding).
 */
export function checkMotionBrushImages(
  image: ImageInfo | null,
  masks: Array<{ field: string; info: ImageInfo | null }>,
): string[] {
  const problems: string[] = [];
  const first = masks.find((m) => m.info)?.info;
  if (!first) return problems;
  for (const m of masks) {
    if (m.info && (m.info.width !== first.width || m.info.height !== first.height)) {
      problems.push(
        `${m.field}: ${m.info.width}x${m.info.height} differs from ${first.width}x${first.height}; all masks must have the same resolution`,
      );
    }
  }
  if (image) {
    const a = image.width / image.height;
    const b = first.width / first.height;
    if (Math.abs(a - b) / a > 0.01) {
      problems.push(
        `${masks[0]?.field ?? 'mask'}: aspect ratio ${first.width}:${first.height} does not match the start image ${image.width}:${image.height}`,
      );
    }
  }
  return problems;
}
