/**
 * URLs for local clips and stills: media://clip/<path in the data dir> in Electron, the
 * bridge's read-only /media/clip/ route in tests. Files outside the data dir have no URL.
 */
import { call } from './api';

let dataDir: Promise<string> | null = null;

export function getDataDir(): Promise<string> {
  dataDir ??= call('app.info', {}).then((i) => i.dataDir);
  return dataDir;
}

export function mediaUrl(file: string, dir: string): string | null {
  const norm = (p: string): string => p.replace(/\\/g, '/');
  const base = norm(dir).replace(/\/+$/, '');
  const f = norm(file);
  if (!f.startsWith(`${base}/`)) return null;
  const rel = f.slice(base.length).split('/').map(encodeURIComponent).join('/');
  if (window.shotline) return `media://clip${rel}`;
  const token = new URLSearchParams(window.location.search).get('bridge') ?? '';
  return `/media/clip${rel}?token=${encodeURIComponent(token)}`;
}
