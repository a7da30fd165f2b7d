/**
 * Studio images as files (issue 11 item 1): a picked frame or a painted mask is sent to the
 * core once (storyboard.addImage) and kept as images/<sha256>.png|jpg in the data dir; the
 * storyboard holds that data-dir path. `materialise` turns what older drafts kept inline
 * (data: URLs, bare base64 masks) into such paths before a check or an import.
 */
import { useEffect, useState } from 'react';

import { call } from './api';
import { getDataDir, mediaUrl } from './media';
import type { Shot, Storyboard } from '../state/storyboard';

const stored = new Map<string, Promise<string>>();

/** base64 (or a data: URL) -> its data-dir path; each distinct image is sent once. */
export function storeImage(base64: string, name: string): Promise<string> {
  const key = base64.replace(/^data:image\/[a-z+]+;base64,/i, '');
  let p = stored.get(key);
  if (!p) {
    p = call('storyboard.addImage', { name, base64: key }).then((r) => r.path);
    p.catch(() => stored.delete(key));
    stored.set(key, p);
  }
  return p;
}

const inline = (v: string | undefined): v is string =>
  v !== undefined && (v.startsWith('data:') || (v.length > 200 && /^[A-Za-z0-9+/]+=*$/.test(v.slice(0, 400))));

/** The storyboard with every inline image replaced by its data-dir file. */
export async function materialise(sb: Storyboard): Promise<Storyboard> {
  const one = async (v: string | undefined, name: string): Promise<string | undefined> =>
    inline(v) ? storeImage(v, name) : v;
  const shots = await Promise.all(
    sb.shots.map(async (s): Promise<Shot> => ({
      ...s,
      startImage: await one(s.startImage, `${s.id} startImage`),
      endImage: await one(s.endImage, `${s.id} endImage`),
    })),
  );
  return { ...sb, shots };
}

/** A URL the page can show for a frame value: data-dir files through media://, data: URLs as they are. */
export function useFrameUrl(value: string | undefined): string | null {
  const [dir, setDir] = useState<string | null>(null);
  useEffect(() => {
    void getDataDir().then(setDir, () => setDir(null));
  }, []);
  if (!value || value === '@previous') return null;
  if (value.startsWith('data:')) return value;
  if (!dir || /^https?:/i.test(value)) return null;
  const abs = /^([a-z]:)?[\\/]/i.test(value) ? value : `${dir.replace(/[\\/]+$/, '')}/${value}`;
  return mediaUrl(abs, dir);
}
