/**
 * A take's stills and probe figures, made once when its clip is verified (issue 17 item 2: the
 * Takes page never waits for ffmpeg). Poster and filmstrip are the files media.thumbnails
 * makes (electron/core/media/frames.ts, same directory), so a clip is never done twice.
 */
import type { TakeMedia } from '../../../shared/contract/review';
import { ShotlineError } from '../../../shared/result';
import { probe, stillDir, thumbnails, type ToolPaths } from '../media';
import type { ReviewStore, TakeOwner } from './store';

export interface TakeStills {
  media: TakeMedia;
  poster: string | null;
  filmstrip: string[];
}

/** Probes the clip and writes its poster and a 6-frame filmstrip under <dataDir>/thumbnails. */
export async function makeStills(file: string, dataDir: string, tools: ToolPaths = {}): Promise<TakeStills> {
  const p = await probe(file, tools);
  if (!p.video)
    throw new ShotlineError({ code: 'media_invalid', where: file, message: `${file}: has no video stream` });
  const media: TakeMedia = {
    durationS: p.durationS,
    fps: p.video.fps,
    width: p.video.width,
    height: p.video.height,
    hasAudio: p.audio !== null,
  };
  const t = await thumbnails(file, stillDir(dataDir, file), tools);
  return { media, poster: t.poster, filmstrip: t.filmstrip };
}

/** makeStills, then stored for the take (review.takes reads it). */
export async function recordStills(
  store: ReviewStore,
  owner: TakeOwner,
  file: string,
  dataDir: string,
  tools: ToolPaths = {},
): Promise<TakeStills> {
  const s = await makeStills(file, dataDir, tools);
  store.putStills(owner, file, s.media, s);
  return s;
}

/**
 * Takes verified before this build have no stills: review.takes hands them here and answers at
 * once (poster null); they are made one at a time in the background, each announced by
 * `onMade` (the handler emits review.changed) so the page shows the poster when it exists.
 */
export class StillsBackfill {
  private readonly waiting = new Map<string, { owner: TakeOwner; file: string }>();
  /** job|file that could not be made: not tried again on every list (the error was reported once). */
  private readonly failed = new Set<string>();
  private running = false;
  private closed = false;

  constructor(
    private readonly store: () => ReviewStore,
    private readonly dataDir: string,
    private readonly tools: ToolPaths,
    private readonly onMade: (owner: TakeOwner) => void,
    private readonly onError: (owner: TakeOwner, err: Error) => void,
  ) {}

  /** Asks for a take's stills (once per take and file while it waits). */
  want(owner: TakeOwner, file: string): void {
    if (this.closed || this.waiting.has(owner.jobId) || this.failed.has(`${owner.jobId}|${file}`)) return;
    this.waiting.set(owner.jobId, { owner, file });
    if (!this.running) void this.drain();
  }

  /** Resolves when nothing is waiting (tests, and close). */
  async idle(): Promise<void> {
    while (this.running || this.waiting.size) await new Promise((r) => setTimeout(r, 20));
  }

  close(): void {
    this.closed = true;
    this.waiting.clear();
  }

  private async drain(): Promise<void> {
    this.running = true;
    try {
      for (;;) {
        const next = this.waiting.values().next();
        if (next.done || this.closed) break;
        const { owner, file } = next.value;
        try {
          await recordStills(this.store(), owner, file, this.dataDir, this.tools);
          if (!this.closed) this.onMade(owner);
        } catch (err) {
          this.failed.add(`${owner.jobId}|${file}`);
          if (!this.closed) this.onError(owner, err instanceof Error ? err : new Error(String(err)));
        } finally {
          this.waiting.delete(owner.jobId);
        }
      }
    } finally {
      this.running = false;
    }
  }
}
