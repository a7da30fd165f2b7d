/**
 * The pictures of a shot (issue 17 item 6): its start and end frames as small thumbnails (data-dir
 * files through the media URL scheme, lib/frames.ts) and, after a batch, the picked take's poster
 * (lib/posters.ts). Hover names the file; no path is ever shown.
 */
import { useEffect, useRef, useState } from 'react';

import { sp } from '../i18n/storyboard-pictures';
import { useFrameUrl } from '../lib/frames';
import { getDataDir, mediaUrl } from '../lib/media';
import { baseName } from '../lib/paths';
import { usePoster, useSeen, type PickedTake } from '../lib/posters';

/** The file name of a frame value: the last segment of a path or URL, never its folder. */
export function fileName(value: string): string {
  if (value.startsWith('data:')) return sp.inlineImage;
  return baseName(value.replace(/[?#].*$/, ''));
}

export function FrameThumb({
  value,
  which,
}: {
  value: string | undefined;
  which: 'start' | 'end';
}): React.JSX.Element | null {
  const url = useFrameUrl(value);
  if (!value || value === '@previous') return null;
  const label = which === 'start' ? sp.startFrame : sp.endFrame;
  const name = fileName(value);
  if (!url)
    return (
      <span className="thumb missing" title={sp.frameNotShown(label, name)} data-testid={`thumb-${which}`}>
        {which === 'start' ? '▶' : '■'}
      </span>
    );
  return (
    <img
      className="thumb"
      src={url}
      alt={sp.frameTitle(label, name)}
      title={sp.frameTitle(label, name)}
      loading="lazy"
      decoding="async"
      data-testid={`thumb-${which}`}
    />
  );
}

function useDataDir(): string | null {
  const [dir, setDir] = useState<string | null>(null);
  useEffect(() => {
    void getDataDir().then(setDir, () => setDir(null));
  }, []);
  return dir;
}

/** The picked take's poster: the one made at verify time, else made when the card is first on screen. */
export function PickPoster({ pick }: { pick: PickedTake }): React.JSX.Element {
  const ref = useRef<HTMLSpanElement>(null);
  const seen = useSeen(ref);
  const { poster, error } = usePoster(pick.file, seen, pick.take?.poster ?? null);
  const dir = useDataDir();
  const url = poster && dir ? mediaUrl(poster, dir) : null;
  const name = pick.take?.fileName ?? fileName(pick.file);
  const title = error ? sp.posterError(error) : sp.posterTitle(pick.take ? sp.takeName(pick.take.take, name) : name);
  return (
    <span ref={ref} className="thumb-slot poster" title={title} data-testid="thumb-pick">
      {url ? (
        <img className="thumb" src={url} alt={title} decoding="async" />
      ) : (
        <span className="thumb missing">…</span>
      )}
    </span>
  );
}

/** Start, end and pick thumbnails in a row; nothing when the shot has none. */
export function ShotPictures({
  start,
  end,
  pick,
}: {
  start: string | undefined;
  end: string | undefined;
  pick: PickedTake | undefined;
}): React.JSX.Element | null {
  const framed = (v: string | undefined): boolean => v !== undefined && v !== '@previous';
  if (!framed(start) && !framed(end) && !pick) return null;
  return (
    <div className="card-pics">
      <FrameThumb value={start} which="start" />
      <FrameThumb value={end} which="end" />
      {pick && <PickPoster pick={pick} />}
    </div>
  );
}
