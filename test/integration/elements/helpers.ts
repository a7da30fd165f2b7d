/**
 * Element tests: a data dir with a real database, element images written as real PNGs, a
 * storyboard row with its elements recorded, and a client on the sandbox with either credential.
 */
import { mkdirSync, mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

import type Database from 'better-sqlite3';

import { openDatabase } from '../../../electron/core/db/open';
import { recordStoryboardElements } from '../../../electron/core/elements';
import { createKlingClient, type KlingClient, type KlingRequestInfo } from '../../../electron/core/kling';
import type { Sandbox } from '../../../electron/core/sandbox';
import type { ResolvedElement } from '../../../shared/storyboard/schema';
import { png } from '../../unit/kling/png';

export function dataDir(prefix: string): string {
  return mkdtempSync(join(tmpdir(), `el-${prefix}-`));
}

export function openDb(dir: string): Database.Database {
  mkdirSync(dir, { recursive: true });
  return openDatabase(join(dir, 'shotline.db'));
}

/** PNGs for an element: frontal + references, each a different colour (different bytes). */
export function writeImages(
  dir: string,
  prefix: string,
  n = 2,
  size: [number, number] = [400, 600],
): { frontal: string; refs: string[] } {
  mkdirSync(dir, { recursive: true });
  const write = (name: string, rgb: [number, number, number]): string => {
    const p = join(dir, `${prefix}-${name}.png`);
    writeFileSync(p, png(size[0], size[1], rgb));
    return p;
  };
  return {
    frontal: write('front', [200, 40, 40]),
    refs: Array.from({ length: n }, (_, i) => write(`ref${i}`, [40, 40 + i * 60, 200])),
  };
}

export function imageElement(
  id: string,
  imgs: { frontal: string; refs: string[] },
  extra: Partial<ResolvedElement> = {},
): ResolvedElement {
  return {
    id,
    name: extra.name ?? 'Mara',
    description: extra.description ?? 'a woman in a red coat',
    source: 'images',
    frontalImage: imgs.frontal,
    referenceImages: imgs.refs,
    ...extra,
  };
}

/** A storyboard row (the queue's table) with its elements recorded. */
export function storyboardWith(db: Database.Database, id: string, elements: ResolvedElement[]): void {
  const now = new Date().toISOString();
  db.prepare(
    "INSERT INTO storyboards (id, name, source_path, format, content_sha256, created_at, updated_at) VALUES (?, ?, NULL, 'json', 'x', ?, ?) ON CONFLICT(id) DO NOTHING",
  ).run(id, id, now, now);
  recordStoryboardElements(db, id, elements, `${id}.json`);
}

export function clientFor(
  sb: Sandbox,
  kind: 'bearer' | 'aksk',
  onRequest?: (i: KlingRequestInfo) => void,
): KlingClient {
  return createKlingClient({
    provider: 'sandbox',
    baseUrl: sb.url,
    credentials:
      kind === 'bearer'
        ? { kind: 'bearer', apiKey: sb.credentials.apiKey ?? '' }
        : { kind: 'aksk', accessKey: sb.credentials.accessKey, secretKey: sb.credentials.secretKey },
    ...(onRequest ? { onRequest } : {}),
  });
}

/** POSTs that reached the sandbox's element create route. */
export function elementCreates(sb: Sandbox): number {
  return sb.requests.filter((r) => r.method === 'POST' && r.path === '/v1/general/advanced-custom-elements').length;
}

export async function until(what: string, fn: () => boolean, ms = 15_000): Promise<void> {
  const end = Date.now() + ms;
  while (!fn()) {
    if (Date.now() > end) throw new Error(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 50));
  }
}
