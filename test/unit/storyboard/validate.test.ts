import { mkdirSync, mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

import { describe, expect, it } from 'vitest';

import { loadStoryboard } from '../../../electron/core/storyboard';
import { parseCsv } from '../../../shared/storyboard/csv';
import { formatProblem, type StoryboardProblem } from '../../../shared/storyboard/schema';
import { estimateStoryboard, parseStoryboard, toVideoRequest } from '../../../shared/storyboard/validate';

const MINIMAL =
  '{"name":"demo","shots":[{"id":"a","prompt":"a red kite over the sea","model":"kling-2.5-turbo","duration":5,"aspectRatio":"16:9","takes":1}]}';

const json = (shots: unknown[], extra: Record<string, unknown> = {}): string =>
  JSON.stringify({ name: 'bad', ...extra, shots });
const shot = (o: Record<string, unknown> = {}): Record<string, unknown> => ({
  id: 's1',
  prompt: 'a kite',
  model: 'kling-2.5-turbo',
  ...o,
});

function problems(content: string, file = 'board.json'): StoryboardProblem[] {
  const r = parseStoryboard(content, { file, fileExists: () => false, resolvePath: (p) => `/boards/${p}` });
  expect(r.ok).toBe(false);
  return r.problems;
}

describe('storyboard format', () => {
  it('accepts the minimal file of the README', () => {
    const r = parseStoryboard(MINIMAL, { file: 'demo.json' });
    expect(r.ok).toBe(true);
    if (!r.ok) return;
    expect(r.storyboard.name).toBe('demo');
    expect(r.storyboard.shots).toHaveLength(1);
    const s = r.storyboard.shots[0];
    expect(s).toMatchObject({
      id: 'a',
      kind: 'text2video',
      model: 'kling-2.5-turbo',
      resolution: '720p',
      audio: 'off',
      duration: 5,
      aspectRatio: '16:9',
      takes: 1,
      unitsPerTake: 1.5,
    });
  });

  it('merges defaults (file defaults over built-in ones, shot fields over both)', () => {
    const r = parseStoryboard(
      json([shot({ id: 'a' }), shot({ id: 'b', mode: 'pro', takes: 3 })], {
        defaults: { model: 'kling-2.6', duration: 10, takes: 2 },
      }),
      { file: 'x.json' },
    );
    expect(r.ok).toBe(true);
    if (!r.ok) return;
    const [a, b] = r.storyboard.shots;
    expect(a).toMatchObject({
      model: 'kling-2.5-turbo',
      resolution: '720p',
      duration: 10,
      aspectRatio: '16:9',
      takes: 2,
    });
    // The first format's mode is read as a resolution.
    expect(b).toMatchObject({ resolution: '1080p', takes: 3 });
  });

  it('resolves relative image paths against the storyboard folder and checks they exist', () => {
    const dir = mkdtempSync(join(tmpdir(), 'sb-img-'));
    mkdirSync(join(dir, 'frames'));
    writeFileSync(join(dir, 'frames', 'start.png'), 'x');
    const file = join(dir, 'board.json');
    writeFileSync(file, json([shot({ startImage: 'frames/start.png', prompt: 'the kite lifts' })]));
    const l = loadStoryboard({ path: file }, { cwd: '/' });
    expect(l.result.ok).toBe(true);
    if (!l.result.ok) return;
    expect(l.result.storyboard.shots[0]?.startImage).toBe(join(dir, 'frames', 'start.png'));
    expect(l.result.storyboard.shots[0]?.kind).toBe('image2video');
    // And a missing one names the path it looked for.
    writeFileSync(file, json([shot({ startImage: 'frames/missing.png' })]));
    const bad = loadStoryboard({ path: file });
    expect(bad.result.ok).toBe(false);
    expect(bad.result.problems[0]?.message).toContain(join(dir, 'frames', 'missing.png'));
  });

  it('reads CSV with the same column names, quoted cells, JSON camera cells and blank cells as unset', () => {
    const csv =
      'id,prompt,model,duration,camera,takes\n' +
      'a,"a kite, red",kling-2.5-turbo,5,zoom_in,2\n' +
      'b,"say ""hi""",kling-v2-6,,"{""type"":""simple"",""config"":{""pan"":3}}",\n';
    const r = parseStoryboard(csv, { file: 'board.csv', format: 'csv' });
    expect(r.ok).toBe(true);
    if (!r.ok) return;
    expect(r.storyboard.name).toBe('board');
    expect(r.storyboard.shots[0]).toMatchObject({
      id: 'a',
      prompt: 'a kite, red. The camera slowly zooms in.',
      takes: 2,
      camera: 'The camera slowly zooms in.',
    });
    // A legacy model name is read as its live id; the first format's camera_control object becomes words.
    expect(r.storyboard.shots[1]).toMatchObject({
      id: 'b',
      model: 'kling-2.6',
      prompt: 'say "hi". The camera pans right.',
      duration: 5,
      takes: 1,
    });
    expect(r.storyboard.shots[1]?.row).toBe(3);
  });

  it('parses CSV records that span lines and keeps the line they start on', () => {
    const { records, error } = parseCsv('a,b\r\n"1\n2",3\n\n4,5');
    expect(error).toBeNull();
    expect(records.map((r) => r.line)).toEqual([1, 2, 5]);
    expect(records[1]?.cells).toEqual(['1\n2', '3']);
  });

  it('estimates units per shot and in total', () => {
    const r = parseStoryboard(
      json([
        shot({ id: 'a', takes: 2 }),
        shot({ id: 'b', resolution: '1080p', duration: 10 }),
        shot({ id: 'c', model: 'kling-3.0', duration: 4, audio: 'native', resolution: '4k' }),
        shot({ id: 'd', model: 'kling-2.6', resolution: '1080p', audio: 'native' }),
      ]),
      { file: 'x.json' },
    );
    expect(r.ok).toBe(true);
    if (!r.ok) return;
    const e = estimateStoryboard(r.storyboard.shots);
    // kling-api.md §12.1: 2.5 Turbo 0.3/0.5 u/s, 3.0 4K 3.0 u/s (audio or not), 2.6 with audio 1.0 u/s at 1080p.
    expect(e.shots.map((s) => s.units)).toEqual([3, 5, 12, 5]);
    expect(e.totalUnits).toBe(25);
    expect(e.jobs).toBe(5);
    expect(e.notes.join(' ')).toContain('4K');
    expect(e.totalCurrency.currency).toBe('USD');
  });

  it('builds the Kling request of a take (aspect ratio only for text to video)', () => {
    const r = parseStoryboard(json([shot({ aspectRatio: '9:16', camera: 'forward_up' })]), { file: 'x.json' });
    if (!r.ok) throw new Error('invalid');
    const s = r.storyboard.shots[0];
    if (!s) throw new Error('no shot');
    // The camera is words in the prompt the engine filters and sends.
    expect(s.prompt).toBe('a kite. The camera moves forward and tilts up.');
    const req = toVideoRequest(s, 'ext-1', { prompt: 'masked' });
    expect(req).toEqual({
      kind: 'text2video',
      model: 'kling-2.5-turbo',
      resolution: '720p',
      duration: 5,
      audio: 'off',
      aspectRatio: '9:16',
      prompt: 'masked',
      externalTaskId: 'ext-1',
    });
  });

  it('estimates the same units whatever the resolution was called (mode pro = 1080p)', () => {
    const a = parseStoryboard(json([shot({ mode: 'pro' })]), { file: 'x.json' });
    const b = parseStoryboard(json([shot({ resolution: '1080p' })]), { file: 'x.json' });
    if (!a.ok || !b.ok) throw new Error('invalid');
    expect(estimateStoryboard(a.storyboard.shots).totalUnits).toBe(estimateStoryboard(b.storyboard.shots).totalUnits);
  });

  it('reads a shot stored by the first format (mode, legacy name) and refuses a retired one with the fix', () => {
    const stored = {
      id: 'a',
      index: 0,
      row: null,
      kind: 'text2video',
      prompt: 'x',
      model: 'kling-v2-6',
      mode: 'pro',
      duration: 5,
      aspectRatio: '16:9',
      takes: 1,
      unitsPerTake: 0,
    };
    expect(toVideoRequest(stored as never, 'e')).toMatchObject({
      model: 'kling-2.6',
      resolution: '1080p',
      audio: 'off',
    });
    expect(() => toVideoRequest({ ...stored, model: 'kling-v1' } as never, 'e')).toThrow(
      /use kling-2.5-turbo.*storyboard upgrade/,
    );
  });
});

/** Twenty-odd kinds of bad input: each names file, row or shot, field, value and what is allowed. */
describe('storyboard problems', () => {
  type Want = Partial<Omit<StoryboardProblem, 'message'>> & { message: RegExp };
  const cases: Array<[string, string, Want, string?]> = [
    ['not JSON', '{"name": "x", "shots": [', { message: /not valid JSON/ }],
    ['not an object', '[1,2]', { message: /must be a JSON object/ }],
    [
      'unknown top-level field',
      json([shot()], { author: 'me' }),
      { field: 'author', message: /unknown top-level field "author"/ },
    ],
    ['missing name', JSON.stringify({ shots: [shot()] }), { field: 'name', message: /1 to 100 characters/ }],
    ['no shots', json([]), { field: 'shots', message: /non-empty list/ }],
    [
      'unknown shot field with a suggestion',
      json([shot({ promt: 'x' })]),
      { shot: '"s1"', field: 'promt', value: '"x"', message: /did you mean "prompt"/ },
    ],
    [
      'missing id',
      json([{ prompt: 'x', model: 'kling-2.5-turbo' }]),
      { shot: 'shots[0]', field: 'id', message: /every shot needs an id/ },
    ],
    ['duplicate id', json([shot(), shot()]), { shot: '"s1"', field: 'id', message: /duplicate shot id/ }],
    [
      'id with spaces',
      json([shot({ id: 'shot one' })]),
      { field: 'id', value: '"shot one"', message: /letters, digits/ },
    ],
    [
      'unknown model',
      json([shot({ model: 'kling-v9' })]),
      { field: 'model', value: '"kling-v9"', message: /Live models: kling-3.0, kling-3.0-turbo/ },
    ],
    [
      'retired model, named with its replacement',
      json([shot({ model: 'kling-v1' })]),
      {
        shot: '"s1"',
        field: 'model',
        value: '"kling-v1"',
        message: /discontinued.*use kling-2.5-turbo instead.*storyboard upgrade/,
      },
    ],
    [
      'retired model in defaults',
      json([{ id: 's1', prompt: 'x' }], { defaults: { model: 'kling-v2-1-master' } }),
      { field: 'defaults.model', message: /retired by Kling on 2026-09-15; use kling-3.0/ },
    ],
    [
      'bad mode',
      json([shot({ mode: 'ultra' })]),
      { field: 'mode', value: '"ultra"', message: /std \(= 720p\) or pro/ },
    ],
    [
      'mode and resolution disagree',
      json([shot({ mode: 'pro', resolution: '720p' })]),
      { field: 'mode', message: /means 1080p but resolution is 720p/ },
    ],
    [
      'resolution the model does not make',
      json([shot({ resolution: '4k' })]),
      {
        field: 'resolution',
        value: '"4k"',
        message: /does not make 4k; use 720p, 1080p; use kling-3.0, kling-3.0-omni/,
      },
    ],
    [
      'duration the model does not offer',
      json([shot({ duration: 7 })]),
      {
        field: 'duration',
        message: /7 s is not offered by kling-2.5-turbo; use 5, 10 s, or a model with 7 s \(kling-3.0/,
      },
    ],
    [
      'audio on a silent model',
      json([shot({ audio: 'native' })]),
      { field: 'audio', message: /kling-2.5-turbo makes silent clips; use kling-3.0/ },
    ],
    [
      'native audio on 2.6 below 1080p',
      json([shot({ model: 'kling-2.6', audio: 'native' })]),
      { field: 'audio', message: /native audio only at 1080p/ },
    ],
    [
      '3.0 Turbo cannot be silent',
      json([shot({ model: 'kling-3.0-turbo', audio: 'off' })]),
      { field: 'audio', message: /always makes sound/ },
    ],
    [
      'negative prompt on a model without one',
      json([shot({ model: 'kling-3.0', negativePrompt: 'blur' })]),
      { field: 'negativePrompt', message: /put what to avoid in the prompt/ },
    ],
    ['duration as text', json([shot({ duration: '5' })]), { field: 'duration', value: '"5"', message: /seconds/ }],
    [
      'aspect ratio',
      json([shot({ aspectRatio: '4:3' })]),
      { field: 'aspectRatio', value: '"4:3"', message: /16:9, 9:16, 1:1/ },
    ],
    [
      'cfgScale, which no live model takes',
      json([shot({ cfgScale: 0.5 })]),
      { field: 'cfgScale', value: '0.5', message: /no live Kling model takes cfg scale/ },
    ],
    [
      'unknown camera preset',
      json([shot({ camera: 'barrel_roll' })]),
      { field: 'camera', message: /not a preset; use one of/ },
    ],
    [
      'camera_control object no words can say',
      json([shot({ camera: { type: 'simple', config: { pan: 2, zoom: 2 } } })]),
      { field: 'camera', message: /describe the move in words/ },
    ],
    ['takes zero', json([shot({ takes: 0 })]), { field: 'takes', value: '0', message: /whole number from 1 to 20/ }],
    ['takes fractional', json([shot({ takes: 2.5 })]), { field: 'takes', value: '2.5', message: /whole number/ }],
    [
      'missing image file',
      json([shot({ startImage: 'frames/a.png' })]),
      { field: 'startImage', message: /no such file \(looked for \/boards\/frames\/a\.png\)/ },
    ],
    [
      'image not png/jpg',
      json([shot({ startImage: 'a.gif' })]),
      { field: 'startImage', message: /\.png, \.jpg or \.jpeg/ },
    ],
    [
      'plain http image URL',
      json([shot({ startImage: 'http://example.com/a.png' })]),
      { field: 'startImage', message: /https/ },
    ],
    [
      'end frame below the resolution the model needs',
      json([shot({ startImage: 'https://example.com/a.png', endImage: 'https://example.com/b.png' })]),
      { field: 'endImage', message: /start \+ end frame only at 1080p/ },
    ],
    [
      'end frame on a model without one',
      json([
        shot({
          model: 'kling-3.0-turbo',
          startImage: 'https://example.com/a.png',
          endImage: 'https://example.com/b.png',
        }),
      ]),
      { field: 'endImage', message: /takes only a start frame; use kling-3.0/ },
    ],
    [
      'end frame without a start frame',
      json([shot({ model: 'kling-3.0', endImage: 'https://example.com/b.png' })]),
      { field: 'startImage', message: /an end frame needs a start frame/ },
    ],
    ['prompt too long', json([shot({ prompt: 'x'.repeat(2501) })]), { field: 'prompt', message: /at most 2500/ }],
    [
      'text to video without a prompt',
      json([shot({ prompt: '' })]),
      { field: 'prompt', message: /prompt is required/ },
    ],
    [
      'motion brush, which no live model takes',
      json([shot({ startImage: 'https://e.com/a.png', motionBrush: { staticMask: 'https://e.com/m.png' } })]),
      { field: 'motionBrush', message: /no live Kling model takes a motion brush/ },
    ],
    [
      '@previous on the first shot',
      json([shot({ startImage: '@previous' })]),
      { field: 'startImage', message: /first shot has no previous shot/ },
    ],
    [
      'missing model',
      json([{ id: 'a', prompt: 'x' }]),
      { field: 'model', message: /missing \(set it on the shot or in defaults\)/ },
    ],
    [
      'id in defaults',
      json([shot()], { defaults: { id: 'x' } }),
      { field: 'defaults.id', message: /cannot be a default/ },
    ],
    [
      'bad default',
      json([shot()], { defaults: { mode: 'max' } }),
      { field: 'defaults.mode', message: /std \(= 720p\) or pro/ },
    ],
    [
      'CSV unknown column',
      'id,prompt,model,negative_prompt\na,x,kling-2.5-turbo,y\n',
      { row: 1, field: 'negative_prompt', message: /did you mean "negativePrompt"/ },
      'board.csv',
    ],
    [
      'CSV duration not a number',
      'id,prompt,model,duration\na,x,kling-2.5-turbo,five\n',
      { row: 2, shot: '"a"', field: 'duration', value: '"five"', message: /not a number/ },
      'board.csv',
    ],
    ['CSV unclosed quote', 'id,prompt\na,"unclosed\n', { row: 2, message: /not closed/ }, 'board.csv'],
    [
      'CSV extra cells',
      'id,prompt,model\na,x,kling-2.5-turbo,extra\n',
      { row: 2, message: /4 cells but the header has 3 columns/ },
      'board.csv',
    ],
    [
      'CSV bad JSON in camera cell',
      'id,prompt,model,camera\na,x,kling-2.5-turbo,"{oops"\n',
      { row: 2, field: 'camera', message: /not valid JSON/ },
      'board.csv',
    ],
  ];

  it.each(cases)('%s', (_name, content, want, file = 'board.json') => {
    const ps = problems(content, file);
    const match = ps.find((p) => want.message.test(p.message) && (want.field === undefined || p.field === want.field));
    expect(match, `got: ${ps.map(formatProblem).join(' | ')}`).toBeDefined();
    if (!match) return;
    expect(match.file).toBe(file);
    for (const k of ['row', 'shot', 'field', 'value'] as const)
      if (want[k] !== undefined) expect(match[k]).toBe(want[k]);
    // The readable line carries the file and the field.
    const line = formatProblem(match);
    expect(line.startsWith(file)).toBe(true);
    if (match.field) expect(line).toContain(match.field);
  });

  it('lists every problem of the file, not just the first', () => {
    const ps = problems(json([shot({ mode: 'x' }), shot({ id: 's2', duration: 7 }), shot({ id: 's3', takes: 0 })]));
    expect(ps.map((p) => p.shot)).toEqual(['"s1"', '"s2"', '"s3"']);
  });
});
