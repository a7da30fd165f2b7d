/** Pure pieces of the media pipeline: concat list escaping, timecodes, MP4 box walk, tool lookup errors. */
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

import { afterAll, describe, expect, it } from 'vitest';

import {
  ascii,
  concatLine,
  containerFor,
  copyArgs,
  frameLayout,
  parseTimelineFormats,
  PRESETS,
  requireTool,
  stripMetadataArgs,
  timecode,
  timelinePath,
} from '../../../electron/core/media';
import { Edit, type ProbeResult } from '../../../shared/media';
import { truncatedBox } from '../../../electron/core/media/boxes';

const dir = mkdtempSync(join(tmpdir(), 'shotline-media-unit-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

const box = (type: string, payload: number, declared = payload + 8): Buffer => {
  const b = Buffer.alloc(8 + payload);
  b.writeUInt32BE(declared, 0);
  b.write(type, 4, 'latin1');
  return b;
};

describe('media units', () => {
  it("escapes concat list paths: ' becomes '\\''", () => {
    expect(concatLine(`/tmp/it's "here" é.mp4`)).toBe(`file '/tmp/it'\\''s "here" é.mp4'`);
    expect(copyArgs('/l.txt', '/o.mp4', 'mp4')).toEqual(expect.arrayContaining(['-c', 'copy', '-map_metadata', '-1']));
  });

  it('writes the container the file name says, and refuses names that would lie', () => {
    expect(containerFor('/x/edit.mp4', false)).toBe('mp4');
    expect(containerFor('/x/EDIT.M4V', false)).toBe('mp4');
    expect(containerFor('/x/edit.mov', false)).toBe('mov');
    expect(containerFor('/x/edit.mov', true)).toBe('mov');
    expect(() => containerFor('/x/edit.mp4', true)).toThrow(
      /ProRes goes in a QuickTime \.mov file, not \.mp4: name it \/x\/edit\.mov/,
    );
    expect(() => containerFor('/x/edit.mkv', false)).toThrow(/Cannot write an edit as "\.mkv": use \.mp4/);
    expect(() => containerFor('/x/edit', false)).toThrow(/no extension/);
  });

  it('formats non-drop timecodes', () => {
    expect(timecode(0, 24)).toBe('00:00:00:00');
    expect(timecode(24 * 3600 + 25, 24)).toBe('01:00:01:01');
    expect(timecode(30 * 61 + 29, 30)).toBe('00:01:01:29');
  });

  it('finds a cut-short MP4 box', () => {
    const ok = join(dir, 'ok.mp4');
    writeFileSync(ok, Buffer.concat([box('ftyp', 8), box('mdat', 100)]));
    expect(truncatedBox(ok)).toBeNull();
    const cut = join(dir, 'cut.mp4');
    writeFileSync(cut, Buffer.concat([box('ftyp', 8), box('mdat', 50, 1000)]));
    expect(truncatedBox(cut)).toMatch(/box "mdat" needs 1016 bytes, the file has 74/);
  });

  it('names the fix when ffmpeg is missing', () => {
    const old = process.env.PATH;
    const env = process.env.SHOTLINE_FFMPEG;
    delete process.env.SHOTLINE_FFMPEG;
    process.env.PATH = dir;
    try {
      expect(() => requireTool('ffmpeg')).toThrow(/ffmpeg not found: install it .*or set its path in Settings/);
      expect(() => requireTool('ffprobe', { ffprobe: join(dir, 'nope') })).toThrow(/is not an executable file/);
    } finally {
      process.env.PATH = old;
      if (env !== undefined) process.env.SHOTLINE_FFMPEG = env;
    }
  });

  it('presets strip metadata and pick the editor formats', () => {
    expect(stripMetadataArgs('mp4')).toEqual(expect.arrayContaining(['-map_metadata', '-1', '-fflags', '+bitexact']));
    expect(PRESETS.prores).toMatchObject({ format: 'mov', pixFmt: 'yuv422p10le' });
    expect(PRESETS.hevc.video).toContain('hvc1');
    expect(PRESETS.h264.video).toContain('filter_units=remove_types=6');
  });

  it("offsets a stream copy back by the first clip's audio priming", () => {
    expect(copyArgs('/l.txt', '/o.mp4', 'mp4', 1024 / 48000)).toEqual(
      expect.arrayContaining(['-output_ts_offset', '-0.021333']),
    );
    expect(copyArgs('/l.txt', '/o.mp4', 'mp4', 0)).not.toContain('-output_ts_offset');
  });

  it('folds EDL text to ASCII, parses --timeline lists, names timelines after the render', () => {
    expect(ascii('Plan & "tests" é ü – ok\nnext')).toBe('Plan & "tests" e u ? ok next');
    expect(parseTimelineFormats('fcp7, edl,otio')).toEqual(['fcp7', 'edl', 'otio']);
    expect(parseTimelineFormats('')).toEqual([]);
    expect(() => parseTimelineFormats('edl,aaf')).toThrow(
      '--timeline "aaf": expected fcp7, edl, fcpxml or otio (comma-separated)',
    );
    expect(timelinePath('/x/my cut.v2.mp4', 'fcp7')).toBe('/x/my cut.v2.xml');
    expect(timelinePath('/x/cut.mov', 'fcpxml')).toBe('/x/cut.fcpxml');
  });

  describe('frame layout (plan.frames)', () => {
    const probe = (file: string, fps: string, frames: number, audioS: number | null = null): ProbeResult => {
      const [n = 1, d = 1] = fps.split('/').map(Number);
      return {
        file,
        formatName: 'mov,mp4',
        durationS: Math.max(frames / (n / d), audioS ?? 0),
        sizeBytes: 1000,
        streams: audioS === null ? 1 : 2,
        video: {
          codec: 'h264',
          profile: 'High',
          width: 96,
          height: 64,
          sar: '1:1',
          fpsFraction: fps,
          fps: n / d,
          timebase: '1/12288',
          pixFmt: 'yuv420p',
          frames,
          durationS: frames / (n / d),
        },
        audio:
          audioS === null
            ? null
            : { codec: 'aac', sampleRate: 48000, channels: 2, channelLayout: 'stereo', durationS: audioS },
      };
    };
    const lay = (edit: Edit, probes: ProbeResult[], fps = '24/1') => frameLayout(Edit.parse(edit), probes, fps);

    it('uses video frames (not a longer audio), trims to own frames, converts other rates, rounds fades', () => {
      const f = lay(
        {
          clips: [
            { file: 'a.mp4', inS: 0.5, transition: { kind: 'crossfade', seconds: 0.375 } },
            { file: 'b.mp4', outS: 1.5 },
            { file: 'c.mp4' },
          ],
        },
        [probe('a.mp4', '24/1', 48, 2.54), probe('b.mp4', '24/1', 48), probe('c.mp4', '25/1', 50)],
      );
      expect(f.map((x) => [x.srcIn, x.srcOut, x.rec, x.fade])).toEqual([
        [12, 48, 36, 9],
        [0, 36, 36, 0],
        [0, 50, 48, 0],
      ]);
    });

    it('refuses impossible trims and fades with the clip, its frames and the fix', () => {
      const two = [probe('a.mp4', '24/1', 48), probe('b.mp4', '24/1', 48)];
      expect(() => lay({ clips: [{ file: 'a.mp4', inS: 3 }, { file: 'b.mp4' }] }, two)).toThrow(
        'clip 1 (a.mp4): in 3 s is at or past its last video frame (48 frames, 2.000 s); use an earlier in point',
      );
      expect(() => lay({ clips: [{ file: 'a.mp4', inS: 1, outS: 1 }, { file: 'b.mp4' }] }, two)).toThrow(
        /clip 1 \(a.mp4\): in 1 s is not before out 1 s .*swap or widen them/,
      );
      expect(() =>
        lay({ clips: [{ file: 'a.mp4', transition: { kind: 'crossfade', seconds: 0.01 } }, { file: 'b.mp4' }] }, two),
      ).toThrow(/less than one frame at 24\/1 fps; make it longer or remove it/);
      expect(() =>
        lay({ clips: [{ file: 'a.mp4', transition: { kind: 'crossfade', seconds: 2 } }, { file: 'b.mp4' }] }, two),
      ).toThrow(
        /crossfade of 2 s \(48 frames\) after clip 1 is longer than a clip it joins \(48 frames, 2.00 s\); shorten it/,
      );
      const three = [...two, probe('c.mp4', '24/1', 48)];
      expect(() =>
        lay(
          {
            clips: [
              { file: 'a.mp4', transition: { kind: 'crossfade', seconds: 1.5 } },
              { file: 'b.mp4', transition: { kind: 'crossfade', seconds: 1 } },
              { file: 'c.mp4' },
            ],
          },
          three,
        ),
      ).toThrow(
        'clip 2 (b.mp4) is 48 frames but its crossfades in and out take 36 + 24; shorten a crossfade or lengthen the clip',
      );
    });
  });
});
