/**
 * Scenes, elements and motion in the storyboard (shared/storyboard/{validate,scenes,elements}.ts,
 * README.md, "Storyboards"; kling-api.md §5, §7, §10): every kind of bad scene refused with file, row,
 * shot, field and the fix (JSON and CSV fixtures), the scenes and elements of a good file, the
 * estimate of a scene (one charge a take, split by duration), and motion control's rules.
 */
import { mkdirSync, mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

import { describe, expect, it } from 'vitest';

import { loadStoryboard } from '../../../electron/core/storyboard';
import { buildWireBody } from '../../../shared/kling';
import { pngBase64 } from '../kling/png';
import type { StoryboardProblem } from '../../../shared/storyboard/schema';
import {
  estimateStoryboard,
  parseStoryboard,
  toVideoRequest,
  type ParseResult,
} from '../../../shared/storyboard/validate';

const FIXTURES = join(__dirname, '../../fixtures/storyboards');
const board = (shots: unknown[], extra: Record<string, unknown> = {}): string =>
  JSON.stringify({ name: 'scenes', defaults: { model: 'kling-3.0', resolution: '1080p' }, ...extra, shots });
const parse = (content: string, file = 'board.json'): ParseResult =>
  parseStoryboard(content, { file, resolvePath: (p) => `/boards/${p}` });
const brief = (ps: StoryboardProblem[]): string[] => ps.map((p) => `${p.shot} ${p.field}: ${p.message}`);
function ok(r: ParseResult): NonNullable<ParseResult['storyboard']> {
  if (!r.ok) throw new Error(brief(r.problems).join('\n'));
  return r.storyboard;
}

describe('a storyboard with every kind of bad scene', () => {
  // What each bad scene must be refused with: shot, field, and the words of the fix.
  const expected: Array<[string, string, RegExp]> = [
    ['"quiet"', 'audio', /kling-2\.5-turbo makes silent clips; use kling-3\.0/],
    ['"seven7"', 'scene', /scene seven has 7 shots; a scene has 1-6: split it/],
    [
      '"long3"',
      'duration',
      /scene long lasts 16 s together \(long1 5 \+ long2 5 \+ long3 6\); a scene lasts 3-15 s: shorten its shots or split it/,
    ],
    ['"half1"', 'duration', /0\.5 s; a shot of a scene lasts whole seconds, at least 1/],
    ['"wordy1"', 'prompt', /a shot of a scene takes at most 512 characters; shorten it/],
    [
      '"mixed2"',
      'model',
      /kling-3\.0-omni here but kling-3\.0 on shot mixed1; set model on every shot of scene mixed, or put it in defaults/,
    ],
    [
      '"crowd1"',
      'elements',
      /scene crowd sends ana, ben, cy, dee together: 4 elements; kling-3\.0 takes at most 3; use kling-3\.0-omni/,
    ],
  ];

  it.each([
    ['bad-scenes.json', null],
    ['bad-scenes.csv', { seven7: 8, long3: 11, half1: 12, wordy1: 14, mixed2: 17, crowd1: 18, quiet: 20 }],
  ] as const)('%s is refused with file, row, shot, field and the fix, and nothing else', (file, rows) => {
    const r = parseStoryboard(readFileSync(join(FIXTURES, file), 'utf8'), {
      file,
      knownElements: ['ana', 'ben', 'cy', 'dee'],
    });
    expect(r.ok).toBe(false);
    expect(r.problems).toHaveLength(expected.length);
    for (const [shot, field, why] of expected) {
      const p = r.problems.find((x) => x.shot === shot && x.field === field);
      expect(p, `${shot} ${field}`).toBeDefined();
      expect(p?.file).toBe(file);
      expect(p?.message).toMatch(why);
      expect(p?.row).toBe(rows ? rows[JSON.parse(shot) as keyof typeof rows] : null);
    }
    expect(r.problems.find((p) => p.shot === '"wordy1"')?.value).toBe('"600 characters"');
  });
});

describe('scenes', () => {
  const hall = [
    {
      id: 'a',
      scene: 'hall',
      prompt: 'Wide shot of the hall',
      duration: 4,
      audio: 'native',
      startImage: 'https://example.com/a.png',
    },
    { id: 'b', scene: 'hall', prompt: 'Close-up of a face', duration: 3, audio: 'native' },
    {
      id: 'c',
      scene: 'hall',
      prompt: 'The door closes',
      duration: 2,
      audio: 'native',
      endImage: 'https://example.com/c.png',
    },
    { id: 'd', prompt: 'The street outside', duration: 5 },
  ];

  it('consecutive shots with one scene name are one scene: one charge a take, split by duration; jobs are shots x takes', () => {
    const sb = ok(parse(board(hall.map((s) => ({ ...s, takes: s.id === 'd' ? 1 : 2 })))));
    expect(sb.scenes).toEqual([
      { id: 'hall', shotIds: ['a', 'b', 'c'], durations: [4, 3, 2], duration: 9, takes: 2, unitsPerTake: 10.8 },
    ]);
    // 1.2 u/s (3.0, 1080p, native audio) x 9 s = 10.8, shared 4.8 + 3.6 + 2.4.
    expect(sb.shots.map((s) => [s.id, s.kind, s.unitsPerTake])).toEqual([
      ['a', 'image2video', 4.8],
      ['b', 'image2video', 3.6],
      ['c', 'image2video', 2.4],
      ['d', 'text2video', 4],
    ]);
    const e = estimateStoryboard(sb.shots);
    expect(e.totalUnits).toBe(10.8 * 2 + 4);
    expect(e.jobs).toBe(3 * 2 + 1);
    expect(e.notes).toContain(
      'scene hall: a take is one generation and one charge, 10.8 u (1.2 u/s at 1080p with sound x 9 s), shown split over its 3 shots by duration',
    );
  });

  it('shares that do not divide evenly still add up to the one charge', () => {
    const sb = ok(
      parse(
        board(
          [1, 1, 1].map((d, i) => ({ id: `s${i}`, scene: 'x', prompt: 'p', duration: d })),
          { defaults: { model: 'kling-3.0', resolution: '720p' } },
        ),
      ),
    );
    // 0.6 u/s x 3 s = 1.8 over three 1 s shots.
    expect(sb.shots.reduce((a, s) => a + s.unitsPerTake, 0)).toBeCloseTo(1.8, 9);
  });

  it('refuses a scene name used again after another shot, frames in the middle, mixed takes, a model without multi-shot and motion in a scene', () => {
    const r = parse(
      board([
        { id: 'a', scene: 'hall', prompt: 'a', duration: 3 },
        {
          id: 'b',
          scene: 'hall',
          prompt: 'b',
          duration: 3,
          startImage: 'https://example.com/b.png',
          endImage: 'https://example.com/b2.png',
          takes: 2,
        },
        { id: 'c', scene: 'hall', prompt: 'c', duration: 3 },
        { id: 'x', prompt: 'between', duration: 5 },
        { id: 'd', scene: 'hall', prompt: 'd', duration: 3 },
        { id: 'e', scene: 'old', prompt: 'e', duration: 5, model: 'kling-2.6' },
        { id: 'f', scene: 'old', prompt: 'f', duration: 5, model: 'kling-2.6' },
        {
          id: 'g',
          scene: 'moves',
          prompt: 'g',
          duration: 5,
          motionReference: 'https://example.com/m.mp4',
          characterOrientation: 'image',
          startImage: 'https://example.com/g.png',
        },
        { id: 'h', scene: 'moves', prompt: 'h', duration: 5 },
        { id: 'i', scene: 'mute', prompt: 'i', duration: 3 },
        { id: 'j', scene: 'mute', duration: 3 },
      ]),
    );
    expect(r.ok).toBe(false);
    const got = brief(r.problems);
    expect(got).toContain(
      '"b" takes: scene hall is one generation: 2 here but 1 on shot a; set takes on every shot of scene hall, or put it in defaults',
    );
    expect(got).toContain(
      '"b" startImage: a start frame belongs to the first shot of scene hall (a); move it there, or take this shot out of the scene',
    );
    expect(got).toContain(
      '"b" endImage: an end frame belongs to the last shot of scene hall (c); move it there, or take this shot out of the scene',
    );
    expect(got).toContain(
      '"d" scene: scene hall already ended (its shots start at "a") and another shot came between; put its shots together, one after another, or give these shots another scene name',
    );
    expect(got).toContain(
      '"e" model: kling-2.6 makes one shot per generation; a scene (several shots in one generation) needs kling-3.0, kling-3.0-turbo, kling-3.0-omni, or remove "scene" from these shots',
    );
    expect(got).toContain(
      '"j" prompt: each shot of scene mute needs a prompt: Kling reads the scene as "shot n, seconds, words;"',
    );
    expect(got).toContain(
      '"g" motionReference: motion control makes one shot of its own; take this shot out of the scene (remove "scene") or remove the motion reference',
    );
  });

  it('"@previous" is allowed on the first shot of a scene (also after another scene), a scene shot may last 1 or 2 s, and sceneRequest-ready shots keep their scene', () => {
    const sb = ok(
      parse(
        board([
          { id: 'a', scene: 's1', prompt: 'a', duration: 2 },
          { id: 'b', scene: 's1', prompt: 'b', duration: 1 },
          { id: 'c', scene: 's2', prompt: 'c', duration: 3, startImage: '@previous' },
        ]),
      ),
    );
    expect(sb.scenes.map((s) => [s.id, s.duration])).toEqual([
      ['s1', 3],
      ['s2', 3],
    ]);
    expect(sb.shots.map((s) => [s.id, s.scene, s.kind])).toEqual([
      ['a', 's1', 'text2video'],
      ['b', 's1', 'text2video'],
      ['c', 's2', 'image2video'],
    ]);
  });
});

describe('elements', () => {
  function folder(): string {
    const dir = mkdtempSync(join(tmpdir(), 'sb-el-'));
    mkdirSync(join(dir, 'mara'));
    for (const f of ['front.png', 'side.png', 'back.jpg'])
      writeFileSync(join(dir, 'mara', f), Buffer.from(pngBase64(400, 500), 'base64'));
    writeFileSync(join(dir, 'start.png'), 'x');
    return dir;
  }

  it('top-level elements resolve their files against the storyboard folder; shots name them; toVideoRequest takes the library ids', () => {
    const dir = folder();
    const file = join(dir, 'board.json');
    writeFileSync(
      file,
      board([{ id: 'a', prompt: '@mara waves', duration: 5, startImage: 'start.png', elements: ['mara'] }], {
        elements: [
          {
            id: 'mara',
            name: 'Mara',
            frontalImage: 'mara/front.png',
            referenceImages: ['mara/side.png', 'mara/back.jpg'],
            subject: 'actor-7',
          },
          { id: 'cup', klingId: '321922438904313' },
          { id: 'dog', video: 'https://example.com/dog.mp4' },
        ],
      }),
    );
    const l = loadStoryboard({ path: file });
    const sb = ok(l.result);
    expect(sb.elements).toEqual([
      {
        id: 'mara',
        name: 'Mara',
        description: 'Mara',
        source: 'images',
        frontalImage: join(dir, 'mara/front.png'),
        referenceImages: [join(dir, 'mara/side.png'), join(dir, 'mara/back.jpg')],
        subject: 'actor-7',
      },
      { id: 'cup', name: 'cup', description: 'cup', source: 'existing', klingId: '321922438904313' },
      { id: 'dog', name: 'dog', description: 'dog', source: 'video', video: 'https://example.com/dog.mp4' },
    ]);
    const shot = sb.shots[0];
    if (!shot) throw new Error('no shot');
    expect(shot.elements).toEqual(['mara']);
    const req = toVideoRequest(shot, 'ext-1', { elements: { mara: '77' } });
    expect(req.elements).toEqual([{ elementId: '77', alias: 'mara' }]);
    expect(() => toVideoRequest(shot, 'ext-1')).toThrow(/element "mara" has no Kling id yet; create it first/);
    expect(
      (buildWireBody({ ...req, startImage: 'https://example.com/s.png' }, 'new').body as { contents: unknown[] })
        .contents,
    ).toContainEqual({ type: 'element', element_id: '77', id: 'mara' });
  });

  it('the core loader checks element image bytes as Kling will (size, pixels, format), naming the element and field', () => {
    const dir = mkdtempSync(join(tmpdir(), 'sb-el-bytes-'));
    writeFileSync(join(dir, 'tiny.png'), Buffer.from(pngBase64(100, 120), 'base64'));
    writeFileSync(join(dir, 'good.png'), Buffer.from(pngBase64(400, 400), 'base64'));
    writeFileSync(join(dir, 'wide.png'), Buffer.from(pngBase64(1200, 300), 'base64'));
    writeFileSync(join(dir, 'text.jpg'), 'not an image');
    const file = join(dir, 'board.json');
    writeFileSync(
      file,
      board([{ id: 'a', prompt: 'x', duration: 5 }], {
        elements: [{ id: 'mara', frontalImage: 'tiny.png', referenceImages: ['good.png', 'wide.png', 'text.jpg'] }],
      }),
    );
    const l = loadStoryboard({ path: file });
    expect(l.result.ok).toBe(false);
    expect(l.result.problems.map((p) => `${p.field}: ${p.message}`)).toEqual([
      expect.stringMatching(/^elements\[mara\]\.frontalImage: 100x120 .*300/),
      expect.stringMatching(/^elements\[mara\]\.referenceImages\[1\]: .*aspect/),
      'elements[mara].referenceImages[2]: not a PNG or JPEG image (Kling accepts .jpg, .jpeg and .png)',
    ]);
    writeFileSync(
      file,
      board([{ id: 'a', prompt: 'x', duration: 5 }], {
        elements: [{ id: 'mara', frontalImage: 'good.png', referenceImages: ['good.png'] }],
      }),
    );
    expect(loadStoryboard({ path: file }).result.ok).toBe(true);
  });

  it('refuses bad elements and bad uses, each with the fix', () => {
    const r = parse(
      board(
        [
          { id: 'a', prompt: '@mara waves', duration: 5, elements: ['mara'] },
          { id: 'b', prompt: 'hi', duration: 5, startImage: 'https://example.com/s.png', elements: ['mra'] },
          {
            id: 'c',
            prompt: '@ghost and @mara; mail me at x@mara.org',
            duration: 5,
            startImage: 'https://example.com/s.png',
            elements: ['mara'],
          },
          { id: 'd', prompt: 'x', duration: 5, model: 'kling-2.6', elements: ['mara'] },
          { id: 'e', prompt: 'x', duration: 5, model: 'kling-o1', elements: ['cat'] },
        ],
        {
          elements: [
            { id: 'mara', frontalImage: 'https://example.com/f.png', referenceImages: ['https://example.com/r.png'] },
            { id: 'dog', video: 'clips/dog.avi' },
            { id: 'owl', video: 'clips/owl.mp4' },
            { id: 'cat', video: 'https://example.com/cat.mp4' },
            { id: 'twice', klingId: '1', video: 'https://example.com/v.mp4' },
            { id: 'half', frontalImage: 'https://example.com/f.png' },
            { id: 'bad', frontalImage: 'http://example.com/f.png', referenceImages: ['../r.png'], colour: 'red' },
          ],
        },
      ),
    );
    const got = brief(r.problems);
    expect(got).toContain(
      'null elements[dog].video: element videos must be an https URL of an .mp4 or .mov (a 3-8 s clip)',
    );
    expect(got).toContain(
      'null elements[owl].video: Kling fetches element videos by URL only (kling-api.md §5.1, §7): upload the clip and give its https URL',
    );
    expect(got).toContain(
      'null elements[twice]: gives video and klingId; give exactly one of: frontalImage + referenceImages, video, klingId',
    );
    expect(got).toContain(
      'null elements[half].referenceImages: missing; give 1-3 more images of the same subject (other angles) besides the frontal one',
    );
    expect(got.find((g) => g.startsWith('null elements[bad].colour: unknown field "colour"'))).toBeDefined();
    expect(got).toContain(
      '"a" elements: on kling-3.0 elements ride with image to video, which needs a first frame (kling-api.md §5.4); add a startImage, or use kling-3.0-omni',
    );
    expect(
      got.find((g) => g.startsWith('"b" elements: no element "mra" (did you mean "mara"?); known: mara, cat;')),
    ).toBeDefined();
    expect(got).toContain(
      '"c" prompt: the prompt names @ghost, which is no element of this shot; add "ghost" to the shot\'s elements (and declare it in the top-level elements), or write the name without "@"',
    );
    expect(got.filter((g) => g.startsWith('"c" prompt'))).toHaveLength(1);
    expect(got).toContain('"d" elements: kling-2.6 takes no elements; use kling-3.0, kling-3.0-omni, kling-o1');
    expect(got).toContain(
      '"e" elements: cat is a video element; kling-o1 takes image elements only; use kling-3.0-omni or kling-3.0, or an element made from images',
    );
  });

  it('refuses two elements of one generation where one id begins the other (@ana and @anabel)', () => {
    const r = parseStoryboard(
      board([
        { id: 'a', prompt: '@ana meets @anabel', model: 'kling-3.0-omni', duration: 5, elements: ['ana', 'anabel'] },
      ]),
      { file: 'b.json', knownElements: ['ana', 'anabel'] },
    );
    expect(brief(r.problems)).toEqual([
      '"a" elements: ana and anabel go to Kling together and one begins the other, which Kling\'s prompts confuse (kling-api.md §5.2); rename one element (e.g. ana_a)',
    ]);
  });

  it('3.0 Omni counts element kinds: at most 3 video elements (kling-api.md §5.5)', () => {
    const els = ['v1', 'v2', 'v3', 'v4'].map((id) => ({ id, video: `https://example.com/${id}.mp4` }));
    const r = parse(
      board(
        [{ id: 'a', prompt: 'four of them', model: 'kling-3.0-omni', duration: 5, elements: ['v1', 'v2', 'v3', 'v4'] }],
        { elements: els },
      ),
    );
    expect(brief(r.problems)).toEqual([
      '"a" elements: 4 video elements; kling-3.0-omni takes at most 3 video-character elements (kling-api.md §5.5); send fewer, or split the shot',
    ]);
  });

  it('CSV: elements is one ";"-separated cell; ids come from the library the caller passes', () => {
    const csv = 'id,prompt,model,duration,elements\na,"@ana, @ben",kling-3.0-omni,5,"ana; ben"\n';
    const sb = ok(parseStoryboard(csv, { file: 'b.csv', knownElements: ['ana', 'ben'] }));
    expect(sb.shots[0]?.elements).toEqual(['ana', 'ben']);
    const bad = parseStoryboard(csv, { file: 'b.csv' });
    expect(brief(bad.problems)[0]).toMatch(
      /no element "ana"; a CSV storyboard has no top-level elements: create it in the element library first/,
    );
  });
});

describe('motion control', () => {
  const m = (o: Record<string, unknown> = {}): Record<string, unknown> => ({
    id: 'm',
    prompt: 'she dances',
    model: 'kling-3.0',
    duration: 10,
    startImage: 'https://example.com/she.png',
    motionReference: 'https://example.com/dance.mp4',
    characterOrientation: 'image',
    ...o,
  });

  it('a motion shot: kind motion, the reference sound kept by default, priced on motion rows with the duration as the upper bound', () => {
    const sb = ok(parse(board([m()])));
    const s = sb.shots[0];
    expect(s).toMatchObject({
      kind: 'motion',
      audio: 'native',
      motionReference: 'https://example.com/dance.mp4',
      characterOrientation: 'image',
      unitsPerTake: 12,
    });
    if (!s) return;
    expect(toVideoRequest(s, 'e')).toMatchObject({
      kind: 'motion',
      motion: { video: 'https://example.com/dance.mp4', orientation: 'image' },
      startImage: 'https://example.com/she.png',
    });
    expect(estimateStoryboard(sb.shots).notes).toContain(
      "m: motion control is billed on the output's seconds, which follow the reference video; the estimate counts its duration (10 s) as the upper bound",
    );
    expect(ok(parse(board([m({ audio: 'off' })]))).shots[0]?.audio).toBe('off');
  });

  it('refuses a local reference, a missing orientation, an orientation alone, 4K, a model without motion control, too long for the orientation', () => {
    const got = (o: Record<string, unknown>): string[] => brief(parse(board([m(o)])).problems);
    expect(got({ motionReference: 'clips/dance.mp4' })).toContain(
      '"m" motionReference: Kling fetches reference videos by URL only (kling-api.md §5.1): upload it and give the https URL',
    );
    expect(got({ characterOrientation: undefined })[0]).toMatch(
      /^"m" characterOrientation: missing; motionReference needs it: image/,
    );
    expect(got({ motionReference: undefined })).toContain(
      '"m" characterOrientation: only with motionReference (motion control); remove it, or add the reference video',
    );
    expect(got({ resolution: '4k' })).toContain(
      '"m" resolution: motion control makes 720p or 1080p, no 4K; set resolution 1080p',
    );
    expect(got({ model: 'kling-3.0-omni' })).toContain(
      '"m" model: kling-3.0-omni has no motion control; use kling-3.0, kling-2.6',
    );
    expect(got({ duration: 15 })[0]).toMatch(
      /^"m" duration: 15 s; with orientation image the reference video lasts 3-10 s/,
    );
  });
});

describe("an element's data subject", () => {
  it("is its own, else the shots' that name it when they all agree (defaults.subject included), else none", () => {
    const el = (id: string, subject?: string): Record<string, unknown> => ({
      id,
      klingId: '123',
      ...(subject ? { subject } : {}),
    });
    const sb = ok(
      parse(
        board(
          [
            { id: 's1', prompt: '@own @shared @mixed @unset', elements: ['own', 'shared', 'mixed', 'unset'] },
            { id: 's2', prompt: '@shared @mixed', elements: ['shared', 'mixed'], subject: 'bob' },
            { id: 's3', prompt: '@shared', elements: ['shared'] },
          ],
          {
            defaults: { model: 'kling-3.0-omni', resolution: '1080p', subject: 'ann' },
            elements: [el('own', 'zed'), el('shared'), el('mixed'), el('unset'), el('unused')],
          },
        ),
      ),
    );
    const subjects = Object.fromEntries(sb.elements.map((e) => [e.id, e.subject ?? null]));
    // s2's own subject (bob) differs from the default (ann) the others carry.
    expect(subjects).toEqual({ own: 'zed', shared: null, mixed: null, unset: 'ann', unused: null });
    const agree = ok(
      parse(
        board(
          [
            { id: 's1', prompt: '@x', elements: ['x'] },
            { id: 's2', prompt: '@x again', elements: ['x'] },
          ],
          {
            defaults: { model: 'kling-3.0-omni', resolution: '1080p', subject: 'ann' },
            elements: [el('x')],
          },
        ),
      ),
    );
    expect(agree.elements[0]?.subject).toBe('ann');
    const none = ok(
      parse(
        board([{ id: 's1', prompt: '@x', elements: ['x'] }], {
          defaults: { model: 'kling-3.0-omni', resolution: '1080p' },
          elements: [el('x')],
        }),
      ),
    );
    expect(none.elements[0]?.subject).toBeUndefined();
  });
});
