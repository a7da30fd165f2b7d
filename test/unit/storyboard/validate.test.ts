import { mkdirSync, mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

import { describe, expect, it } from 'vitest';

import { loadStoryboard } from '../../../electron/core/storyboard';
import { parseCsv } from '../../../shared/storyboard/csv';
import { formatProblem, type StoryboardProblem } from '../../../shared/storyboard/schema';
import { estimateStoryboard, parseStoryboard, toVideoRequest } from '../../../shared/storyboard/validate';

const MINIMAL = '{"name":"demo","shots":[{"id":"a","prompt":"a red kite over the sea","model":"kling-v1","mode":"std","duration":5,"aspectRatio":"16:9","takes":1}]}';

const json = (shots: unknown[], extra: Record<string, unknown> = {}): string => JSON.stringify({ name: 'bad', ...extra, shots });
const shot = (o: Record<string, unknown> = {}): Record<string, unknown> => ({ id: 's1', prompt: 'a kite', model: 'kling-v1', ...o });

function problems(content: string, file = 'board.json'): StoryboardProblem[] {
  const r = parseStoryboard(content, { file, fileExists: () => false, resolvePath: (p) => `/boards/${p}` });
  expect(r.ok).toBe(false);
  return r.problems;
}

describe('storyboard format', () => {
  it('accepts the minimal file of DESIGN.md section 4', () => {
    const r = parseStoryboard(MINIMAL, { file: 'demo.json' });
    expect(r.ok).toBe(true);
    if (!r.ok) return;
    expect(r.storyboard.name).toBe('demo');
    expect(r.storyboard.shots).toHaveLength(1);
    const s = r.storyboard.shots[0];
    expect(s).toMatchObject({ id: 'a', kind: 'text2video', model: 'kling-v1', mode: 'std', duration: 5, aspectRatio: '16:9', takes: 1, unitsPerTake: 1 });
  });

  it('merges defaults (file defaults over built-in ones, shot fields over both)', () => {
    const r = parseStoryboard(json([shot({ id: 'a' }), shot({ id: 'b', mode: 'pro', takes: 3 })], { defaults: { model: 'kling-v1-6', duration: 10, takes: 2 } }), { file: 'x.json' });
    expect(r.ok).toBe(true);
    if (!r.ok) return;
    const [a, b] = r.storyboard.shots;
    expect(a).toMatchObject({ model: 'kling-v1', mode: 'std', duration: 10, aspectRatio: '16:9', takes: 2 });
    expect(b).toMatchObject({ mode: 'pro', takes: 3 });
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
    const csv = 'id,prompt,model,duration,camera,takes\n' + 'a,"a kite, red",kling-v1,5,zoom_in,2\n' + 'b,"say ""hi""",kling-v1,,"{""type"":""simple"",""config"":{""pan"":3}}",\n';
    const r = parseStoryboard(csv, { file: 'board.csv', format: 'csv' });
    expect(r.ok).toBe(true);
    if (!r.ok) return;
    expect(r.storyboard.name).toBe('board');
    expect(r.storyboard.shots[0]).toMatchObject({ id: 'a', prompt: 'a kite, red', takes: 2, camera: { type: 'simple', config: { zoom: -5 } } });
    expect(r.storyboard.shots[1]).toMatchObject({ id: 'b', prompt: 'say "hi"', duration: 5, takes: 1, camera: { type: 'simple', config: { pan: 3 } } });
    expect(r.storyboard.shots[1]?.row).toBe(3);
  });

  it('parses CSV records that span lines and keeps the line they start on', () => {
    const { records, error } = parseCsv('a,b\r\n"1\n2",3\n\n4,5');
    expect(error).toBeNull();
    expect(records.map((r) => r.line)).toEqual([1, 2, 5]);
    expect(records[1]?.cells).toEqual(['1\n2', '3']);
  });

  it('estimates units per shot and in total', () => {
    const r = parseStoryboard(json([shot({ id: 'a', takes: 2 }), shot({ id: 'b', model: 'kling-v2-5-turbo', mode: 'pro', duration: 10 })]), { file: 'x.json' });
    expect(r.ok).toBe(true);
    if (!r.ok) return;
    const e = estimateStoryboard(r.storyboard.shots);
    expect(e.shots.map((s) => s.units)).toEqual([2, 5]);
    expect(e.totalUnits).toBe(7);
    expect(e.jobs).toBe(3);
    expect(e.totalCurrency.currency).toBe('USD');
  });

  it('builds the Kling request of a take (aspect ratio only for text to video)', () => {
    const r = parseStoryboard(json([shot({ aspectRatio: '9:16', camera: 'forward_up' })]), { file: 'x.json' });
    if (!r.ok) throw new Error('invalid');
    const req = toVideoRequest(r.storyboard.shots[0] as never, 'ext-1', { prompt: 'masked' });
    expect(req).toMatchObject({ kind: 'text2video', aspectRatio: '9:16', prompt: 'masked', externalTaskId: 'ext-1', camera: { type: 'forward_up' } });
  });
});

/** Twenty-odd kinds of bad input: each names file, row or shot, field, value and what is allowed. */
describe('storyboard problems', () => {
  type Want = Partial<Omit<StoryboardProblem, 'message'>> & { message: RegExp };
  const cases: Array<[string, string, Want, string?]> = [
    ['not JSON', '{"name": "x", "shots": [', { message: /not valid JSON/ }],
    ['not an object', '[1,2]', { message: /must be a JSON object/ }],
    ['unknown top-level field', json([shot()], { author: 'me' }), { field: 'author', message: /unknown top-level field "author"/ }],
    ['missing name', JSON.stringify({ shots: [shot()] }), { field: 'name', message: /1 to 100 characters/ }],
    ['no shots', json([]), { field: 'shots', message: /non-empty list/ }],
    ['unknown shot field with a suggestion', json([shot({ promt: 'x' })]), { shot: '"s1"', field: 'promt', value: '"x"', message: /did you mean "prompt"/ }],
    ['missing id', json([{ prompt: 'x', model: 'kling-v1' }]), { shot: 'shots[0]', field: 'id', message: /every shot needs an id/ }],
    ['duplicate id', json([shot(), shot()]), { shot: '"s1"', field: 'id', message: /duplicate shot id/ }],
    ['id with spaces', json([shot({ id: 'shot one' })]), { field: 'id', value: '"shot one"', message: /letters, digits/ }],
    ['unknown model', json([shot({ model: 'kling-v9' })]), { field: 'model', value: '"kling-v9"', message: /kling-v1, kling-v1-5/ }],
    ['bad mode', json([shot({ mode: 'ultra' })]), { field: 'mode', value: '"ultra"', message: /std or pro/ }],
    ['duration the model does not offer', json([shot({ duration: 7 })]), { field: 'duration', message: /7 s is not offered by kling-v1; use 5, 10 s/ }],
    ['duration as text', json([shot({ duration: '5' })]), { field: 'duration', value: '"5"', message: /seconds/ }],
    ['aspect ratio', json([shot({ aspectRatio: '4:3' })]), { field: 'aspectRatio', value: '"4:3"', message: /16:9, 9:16, 1:1/ }],
    ['cfgScale out of range', json([shot({ cfgScale: 1.5 })]), { field: 'cfgScale', value: '1.5', message: /from 0 to 1/ }],
    ['unknown camera preset', json([shot({ camera: 'barrel_roll' })]), { field: 'camera', message: /preset name/ }],
    ['simple camera with two axes', json([shot({ camera: { type: 'simple', config: { pan: 2, zoom: 2 } } })]), { field: 'camera.config', message: /exactly one/ }],
    ['takes zero', json([shot({ takes: 0 })]), { field: 'takes', value: '0', message: /whole number from 1 to 20/ }],
    ['takes fractional', json([shot({ takes: 2.5 })]), { field: 'takes', value: '2.5', message: /whole number/ }],
    ['missing image file', json([shot({ startImage: 'frames/a.png' })]), { field: 'startImage', message: /no such file \(looked for \/boards\/frames\/a\.png\)/ }],
    ['image not png/jpg', json([shot({ startImage: 'a.gif' })]), { field: 'startImage', message: /\.png, \.jpg or \.jpeg/ }],
    ['plain http image URL', json([shot({ startImage: 'http://example.com/a.png' })]), { field: 'startImage', message: /https/ }],
    ['end frame where the model has none', json([shot({ model: 'kling-v2-5-turbo', startImage: 'https://example.com/a.png', endImage: 'https://example.com/b.png' })]), { field: 'endImage', message: /not available on kling-v2-5-turbo std 5 s/ }],
    ['prompt too long', json([shot({ prompt: 'x'.repeat(2501) })]), { field: 'prompt', message: /at most 2500/ }],
    ['text to video without a prompt', json([shot({ prompt: '' })]), { field: 'prompt', message: /prompt is required/ }],
    ['motion brush with camera', json([shot({ startImage: 'https://e.com/a.png', camera: 'forward_up', motionBrush: { staticMask: 'https://e.com/m.png' } })]), { message: /camera control cannot be combined with motion brush/ }],
    ['@previous on the first shot', json([shot({ startImage: '@previous' })]), { field: 'startImage', message: /first shot has no previous shot/ }],
    ['missing model', json([{ id: 'a', prompt: 'x' }]), { field: 'model', message: /missing \(set it on the shot or in defaults\)/ }],
    ['id in defaults', json([shot()], { defaults: { id: 'x' } }), { field: 'defaults.id', message: /cannot be a default/ }],
    ['bad default', json([shot()], { defaults: { mode: 'max' } }), { field: 'defaults.mode', message: /std or pro/ }],
    ['CSV unknown column', 'id,prompt,model,negative_prompt\na,x,kling-v1,y\n', { row: 1, field: 'negative_prompt', message: /did you mean "negativePrompt"/ }, 'board.csv'],
    ['CSV duration not a number', 'id,prompt,model,duration\na,x,kling-v1,five\n', { row: 2, shot: '"a"', field: 'duration', value: '"five"', message: /not a number/ }, 'board.csv'],
    ['CSV unclosed quote', 'id,prompt\na,"unclosed\n', { row: 2, message: /not closed/ }, 'board.csv'],
    ['CSV extra cells', 'id,prompt,model\na,x,kling-v1,extra\n', { row: 2, message: /4 cells but the header has 3 columns/ }, 'board.csv'],
    ['CSV bad JSON in camera cell', 'id,prompt,model,camera\na,x,kling-v1,"{oops"\n', { row: 2, field: 'camera', message: /not valid JSON/ }, 'board.csv'],
  ];

  it.each(cases)('%s', (_name, content, want, file = 'board.json') => {
    const ps = problems(content, file);
    const match = ps.find((p) => want.message.test(p.message) && (want.field === undefined || p.field === want.field));
    expect(match, `got: ${ps.map(formatProblem).join(' | ')}`).toBeDefined();
    if (!match) return;
    expect(match.file).toBe(file);
    for (const k of ['row', 'shot', 'field', 'value'] as const) if (want[k] !== undefined) expect(match[k]).toBe(want[k]);
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
