/**
 * Issue 17 item 4: a timeline that collects its media. Through the real core (fake save dialog,
 * real ffmpeg clips in the data dir named as the engine names them): the clips are copied
 * beside the timeline as <shot>_T<take>.mp4, registered as exports of their clips, and after the
 * timeline and its folder are moved to another place (the original data dir gone) every clip
 * the timeline names still resolves, and ffprobe reads it.
 */
import { execFileSync } from 'node:child_process';
import { cpSync, existsSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { basename, dirname, isAbsolute, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';

import Database from 'better-sqlite3';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';

import { createFakeDialogs, type FakeDialogs } from '../../../electron/core/bridge/test-bridge';
import { createCore, type Core } from '../../../electron/core';
import { readableStem, safeMediaName } from '../../../electron/core/media';
import { newShot } from '../../../renderer/src/state/storyboard';
import { makeClip } from './clips';

let dir: string;
let data: string;
let core: Core;
let dialogs: FakeDialogs;
let storyboardId: string;
const clips: Record<string, string> = {};

async function ok<T>(
  p: Promise<{ ok: true; value: T } | { ok: false; error: { code: string; message: string } }>,
): Promise<T> {
  const r = await p;
  if (!r.ok) throw new Error(`${r.error.code}: ${r.error.message}`);
  return r.value;
}

beforeAll(async () => {
  dir = mkdtempSync(join(tmpdir(), 'shotline-collect-'));
  data = join(dir, 'data');
  const sb = join(data, 'clips', 'sb1');
  mkdirSync(sb, { recursive: true });
  // As electron/core/engine/download.ts names them: <shot>_take<N>_<task id>.mp4.
  clips.wide1 = makeClip(join(sb, 'kite-wide_take1_task-aaa.mp4'), { d: 1 });
  clips.wide2 = makeClip(join(sb, 'kite-wide_take2_task-bbb.mp4'), { d: 1, tone: 550 });
  clips.close = makeClip(join(sb, 'kite_close_take3_task-ccc.mp4'), { d: 1, tone: 660 });
  dialogs = createFakeDialogs();
  core = createCore({ dataDir: data, dialogs });
  const r = await ok(
    core.call('storyboard.import', {
      format: 'json',
      content: JSON.stringify({
        name: 'Kite',
        defaults: { model: newShot([]).model },
        shots: [
          { id: 'kite-wide', prompt: 'x' },
          { id: 'kite-close', prompt: 'y' },
        ],
      }),
    }),
  );
  storyboardId = r.storyboardId;
}, 60_000);

afterAll(async () => {
  await core.close();
  rmSync(dir, { recursive: true, force: true });
});

/** Every media reference of a timeline: OTIO target_url, FCP7 pathurl, FCPXML media-rep src. */
function references(text: string, format: 'otio' | 'fcp7' | 'fcpxml'): string[] {
  if (format === 'otio') return [...text.matchAll(/"target_url":\s*"([^"]+)"/g)].map((m) => m[1] as string);
  const re = format === 'fcp7' ? /<pathurl>([^<]+)<\/pathurl>/g : /<media-rep [^>]*src="([^"]+)"/g;
  return [...text.matchAll(re)].map((m) => (m[1] as string).replace(/&amp;/g, '&'));
}

/**
 * Where a reference leads once the timeline sits in `folder`: a relative one (OTIO) from the
 * timeline's folder; an absolute file URL (FCP7, FCPXML) is relinked by its file name in the
 * media folder beside the timeline, as Premiere, Resolve and Final Cut do for moved media.
 */
function resolveRef(ref: string, timeline: string): string {
  if (ref.startsWith('file:')) {
    const abs = fileURLToPath(ref);
    return existsSync(abs)
      ? abs
      : join(dirname(timeline), `${basename(timeline).replace(/\.[^.]+$/, '')}_media`, basename(abs));
  }
  expect(isAbsolute(ref)).toBe(false);
  return resolve(dirname(timeline), decodeURIComponent(ref));
}

describe('a timeline that collects its media (issue 17 item 4)', () => {
  it('names copies <shot>_T<take>, safely and uniquely', () => {
    expect(readableStem('/d/clips/sb/kite-wide_take1_task-aaa.mp4', 'kite-wide')).toBe('kite-wide_T1');
    expect(readableStem('/d/clips/sb/kite_close_take3_task-ccc.mp4')).toBe('kite_close_T3');
    expect(readableStem('/d/other.mp4', 'shot 1')).toBe('shot-1_other');
    expect(safeMediaName('../../etc/passwd')).toBe('etc-passwd');
    expect(safeMediaName('…')).toBe('clip');
  });

  for (const format of ['otio', 'fcp7', 'fcpxml'] as const) {
    it(`${format}: the folder moved elsewhere still resolves every clip`, async () => {
      const out = join(dir, 'out', format, `Kite cut.${format === 'fcp7' ? 'xml' : format}`);
      mkdirSync(dirname(out), { recursive: true });
      dialogs.answerSave(out);
      const kind = format === 'fcp7' ? 'xml' : format;
      await ok(core.call('dialog.saveOutput', { storyboardId, kind }));
      const edit = {
        title: 'Kite cut',
        clips: [
          { file: clips.wide1 as string, name: 'kite-wide', alternates: [clips.wide2 as string] },
          { file: clips.close as string, name: 'kite close', inS: 0.2 },
        ],
      };
      const r = await ok(core.call('media.timeline', { edit, format, output: out, collect: true }));
      expect(r.file).toBe(out);
      expect(r.media?.folder).toBe(join(dirname(out), 'Kite cut_media'));
      expect(readdirSync(r.media?.folder as string).sort()).toEqual([
        'kite-close_T3.mp4',
        'kite-wide_T1.mp4',
        'kite-wide_T2.mp4',
      ]);

      // Every copy is an export of its clip (erasure and retention find it), and so is the timeline.
      const db = new Database(join(data, 'shotline.db'), { readonly: true });
      try {
        const rows = db.prepare('SELECT export_path, clip_path FROM export_clips').all() as Array<{
          export_path: string;
          clip_path: string;
        }>;
        expect(rows).toContainEqual({
          export_path: join(r.media?.folder as string, 'kite-wide_T1.mp4'),
          clip_path: clips.wide1,
        });
        expect(
          rows
            .filter((x) => x.export_path === out)
            .map((x) => x.clip_path)
            .sort(),
        ).toEqual([clips.wide1, clips.wide2, clips.close].sort());
      } finally {
        db.close();
      }

      // The folder goes to another machine: copied elsewhere, the original gone.
      const moved = join(dir, 'elsewhere', format);
      cpSync(dirname(out), moved, { recursive: true });
      rmSync(dirname(out), { recursive: true, force: true });
      const timeline = join(moved, basename(out));
      const refs = references(readFileSync(timeline, 'utf8'), format);
      expect(refs.length).toBeGreaterThanOrEqual(3);
      const files = new Set(refs.map((ref) => resolveRef(ref, timeline)));
      expect([...files].map((f) => basename(f)).sort()).toEqual([
        'kite-close_T3.mp4',
        'kite-wide_T1.mp4',
        'kite-wide_T2.mp4',
      ]);
      for (const f of files) {
        expect(f.startsWith(moved)).toBe(true);
        const probed = JSON.parse(
          execFileSync('ffprobe', ['-v', 'error', '-of', 'json', '-show_format', f]).toString(),
        ) as { format: { duration: string } };
        expect(Number(probed.format.duration)).toBeGreaterThan(0.9);
      }
    }, 60_000);
  }
});
