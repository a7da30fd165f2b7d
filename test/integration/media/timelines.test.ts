/** Every timeline format written from a real plan and parsed back. Also the CLI end to end. */
import { execFile } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { promisify } from 'node:util';

import Database from 'better-sqlite3';
import { XMLParser } from 'fast-xml-parser';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';

import { planEdit, writeTimeline } from '../../../electron/core/media';
import type { Edit, EditPlan } from '../../../shared/media';
import { makeClip } from './clips';

const run = promisify(execFile);
let dir: string;
let edit: Edit;
let plan: EditPlan;
let one: string;
let two: string;
let alt: string;

beforeAll(async () => {
  dir = mkdtempSync(join(tmpdir(), 'shotline tl '));
  one = makeClip(join(dir, 'shot 1 é.mp4'), { fps: 24, d: 2 });
  two = makeClip(join(dir, "shot 2 'b'.mp4"), { fps: 24, d: 2 });
  alt = makeClip(join(dir, 'shot 1 take 2.mp4'), { fps: 24, d: 2 });
  edit = {
    title: 'Test & edit',
    clips: [
      {
        file: one,
        inS: 0.5,
        transition: { kind: 'crossfade', seconds: 0.5 },
        prompt: 'A red kite <over> the sea',
        model: 'kling-v2-1',
        alternates: [alt],
      },
      { file: two, outS: 1.5, prompt: 'Close-up', model: 'kling-v2-1' },
    ],
  };
  plan = await planEdit(edit);
}, 60_000);

afterAll(() => rmSync(dir, { recursive: true, force: true }));

const xml = new XMLParser({
  ignoreAttributes: false,
  attributeNamePrefix: '@',
  parseTagValue: false,
  isArray: (name) => ['track', 'clipitem', 'asset', 'asset-clip'].includes(name),
});
// 24 fps: clip 1 = 1.5 s (36 f), clip 2 = 1.5 s (36 f), fade 12 f; total 60 f = 2.5 s.
const TOTAL = 60;

describe('timelines', () => {
  it('FCP7 xmeml: frame rate, positions, resolving file URLs, disabled alternate, notes, dissolve', () => {
    const doc = xml.parse(writeTimeline('fcp7', edit, plan)) as { xmeml: { sequence: Record<string, unknown> } };
    const seq = doc.xmeml.sequence as {
      duration: string;
      rate: { timebase: string; ntsc: string };
      media: {
        video: {
          track: Array<{ clipitem: Array<Record<string, unknown>>; transitionitem?: { start: string; end: string } }>;
        };
      };
    };
    expect(seq.rate).toEqual({ timebase: '24', ntsc: 'FALSE' });
    expect(Number(seq.duration)).toBe(TOTAL);
    const [v1, v2] = seq.media.video.track;
    const items = v1?.clipitem ?? [];
    expect(items.map((c) => [c.start, c.end, c.in, c.out].map(Number))).toEqual([
      [0, 30, 12, 42],
      [30, 60, 6, 36],
    ]);
    expect(v1?.transitionitem).toMatchObject({ start: '24', end: '36' });
    const file = items[0]?.file as { pathurl: string };
    expect(fileURLToPath(file.pathurl)).toBe(one);
    expect(existsSync(fileURLToPath(file.pathurl))).toBe(true);
    expect(JSON.stringify(items[0]?.comments)).toContain('A red kite <over> the sea');
    expect(v2?.clipitem[0]).toMatchObject({ enabled: 'FALSE' });
    expect(fileURLToPath((v2?.clipitem[0]?.file as { pathurl: string }).pathurl)).toBe(alt);
  });

  it('FCPXML: rational times at 1/24 s, assets with resolving media, disabled lane-1 alternate, notes', () => {
    const doc = xml.parse(writeTimeline('fcpxml', edit, plan)) as { fcpxml: Record<string, unknown> };
    const f = doc.fcpxml as {
      '@version': string;
      resources: { format: Record<string, string>; asset: Array<Record<string, unknown>> };
      library: {
        event: {
          project: {
            sequence: {
              '@duration': string;
              spine: { 'asset-clip': Array<Record<string, unknown>>; transition: Record<string, string> };
            };
          };
        };
      };
    };
    expect(f['@version']).toBe('1.9');
    expect(f.resources.format['@frameDuration']).toBe('1/24s');
    for (const a of f.resources.asset)
      expect(existsSync(fileURLToPath((a['media-rep'] as Record<string, string>)['@src'] as string))).toBe(true);
    const seq = f.library.event.project.sequence;
    expect(seq['@duration']).toBe(`${TOTAL}/24s`);
    const clips = seq.spine['asset-clip'];
    expect(clips.map((c) => [c['@offset'], c['@start'], c['@duration']])).toEqual([
      ['0s', '12/24s', '30/24s'],
      ['30/24s', '6/24s', '30/24s'],
    ]);
    expect(seq.spine.transition['@duration']).toBe('12/24s');
    expect(clips[0]?.note).toMatch(/Prompt: A red kite <over> the sea \| Model: kling-v2-1/);
    expect((clips[0]?.['asset-clip'] as Array<Record<string, string>>)[0]).toMatchObject({
      '@lane': '1',
      '@enabled': '0',
    });
  });

  it('OTIO JSON: rate, ranges, transition, disabled alternate track, metadata', () => {
    const t = JSON.parse(writeTimeline('otio', edit, plan)) as {
      OTIO_SCHEMA: string;
      tracks: { children: Array<{ kind: string; children: Array<Record<string, unknown>> }> };
    };
    expect(t.OTIO_SCHEMA).toBe('Timeline.1');
    const [v1, v2, a1] = t.tracks.children;
    const clips = v1?.children.filter((c) => c.OTIO_SCHEMA === 'Clip.2') ?? [];
    expect(clips.map((c) => c.source_range)).toEqual([
      {
        OTIO_SCHEMA: 'TimeRange.1',
        start_time: { OTIO_SCHEMA: 'RationalTime.1', rate: 24, value: 12 },
        duration: { OTIO_SCHEMA: 'RationalTime.1', rate: 24, value: 30 },
      },
      {
        OTIO_SCHEMA: 'TimeRange.1',
        start_time: { OTIO_SCHEMA: 'RationalTime.1', rate: 24, value: 6 },
        duration: { OTIO_SCHEMA: 'RationalTime.1', rate: 24, value: 30 },
      },
    ]);
    expect(v1?.children[1]).toMatchObject({
      OTIO_SCHEMA: 'Transition.1',
      transition_type: 'SMPTE_Dissolve',
      in_offset: { value: 6 },
      out_offset: { value: 6 },
    });
    const ref = (clips[0]?.media_references as { DEFAULT_MEDIA: { target_url: string } }).DEFAULT_MEDIA.target_url;
    expect(ref).toBe(pathToFileURL(one).href);
    expect(clips[0]?.metadata).toMatchObject({
      shotline: { prompt: 'A red kite <over> the sea', model: 'kling-v2-1' },
    });
    expect(v2?.children[0]).toMatchObject({ enabled: false });
    expect(a1?.kind).toBe('Audio');
  });

  it('CMX3600 EDL: events, timecodes at 24 fps, dissolve, clip names, notes', () => {
    const edl = writeTimeline('edl', edit, plan);
    const lines = edl.split('\n');
    expect(lines[0]).toBe('TITLE: Test & edit');
    expect(lines[1]).toBe('FCM: NON-DROP FRAME');
    const events = lines.filter((l) => /^\d{3}\s/.test(l)).map((l) => l.trim().split(/\s+/));
    // The event before a dissolve ends where the dissolve starts (no overlapping record).
    expect(events[0]).toEqual(['001', 'AX', 'AA/V', 'C', '00:00:00:12', '00:00:01:12', '01:00:00:00', '01:00:01:00']);
    // The dissolve: a zero-length outgoing cut then D with its length in frames.
    expect(events[1]).toEqual(['002', 'AX', 'AA/V', 'C', '00:00:01:12', '00:00:01:12', '01:00:01:00', '01:00:01:00']);
    expect(events[2]).toEqual([
      '002',
      'AX',
      'AA/V',
      'D',
      '012',
      '00:00:00:00',
      '00:00:01:12',
      '01:00:01:00',
      '01:00:02:12',
    ]);
    expect(edl).toContain(`* SOURCE FILE: ${one}`);
    expect(edl).toContain(`* FROM CLIP: ${one}`);
    expect(edl).toContain(`* ALTERNATE TAKE: ${alt}`);
    expect(edl).toContain('* COMMENT: Prompt: A red kite <over> the sea | Model: kling-v2-1');
  });
});

describe('shotline concat (real process)', () => {
  const cli = (args: string[]) =>
    run('npm', ['run', '-s', 'cli', '--', 'concat', '--data-dir', join(dir, 'data'), ...args]).catch(
      (e: { code: number; stdout: string; stderr: string }) => e,
    );

  it('concatenates, reports progress on stderr, writes timelines', async () => {
    const out = join(dir, 'cli out.mp4');
    const r = await cli([one, two, '-o', out, '--timeline', 'otio,edl', '--json']);
    const res = JSON.parse(r.stdout) as { mode: string; timelines: string[] };
    expect(res.mode).toBe('copy');
    expect(r.stderr).toMatch(/100%/);
    expect(res.timelines).toEqual([join(dir, 'cli out.otio'), join(dir, 'cli out.edl')]);
    expect(existsSync(out)).toBe(true);
    expect(readFileSync(join(dir, 'cli out.edl'), 'utf8')).toContain('FCM: NON-DROP FRAME');
    // Registered for erasure and retention in the data dir, as an export from the app is (issue 18 item 2).
    const db = new Database(join(dir, 'data', 'shotline.db'), { readonly: true });
    try {
      expect(db.prepare('SELECT kind FROM subject_files WHERE path = ?').get(out)).toEqual({ kind: 'edit' });
    } finally {
      db.close();
    }
  }, 60_000);

  it('exits 2 naming the bad file, and writes nothing', async () => {
    const out = join(dir, 'bad.mp4');
    const r = (await cli([one, join(dir, 'nope.mp4'), '-o', out])) as { code: number; stderr: string };
    expect(r.code).toBe(2);
    expect(r.stderr).toContain('nope.mp4: no such file');
    expect(existsSync(out)).toBe(false);
    const u = (await cli([one, '-o', out, '--transition', 'wipe:1'])) as { code: number; stderr: string };
    expect(u.code).toBe(2);
    expect(u.stderr).toMatch(/expected crossfade:SECONDS/);
  }, 60_000);
});
