/** Pure pieces of the media pipeline: concat list escaping, timecodes, MP4 box walk, tool lookup errors. */
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

import { afterAll, describe, expect, it } from 'vitest';

import { concatLine, containerFor, copyArgs, PRESETS, requireTool, stripMetadataArgs, timecode } from '../../../electron/core/media';
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
    expect(() => containerFor('/x/edit.mp4', true)).toThrow(/ProRes goes in a QuickTime \.mov file, not \.mp4: name it \/x\/edit\.mov/);
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
});
