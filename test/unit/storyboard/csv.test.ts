import { describe, expect, it } from 'vitest';

import { detectSeparator, parseCsv } from '../../../shared/storyboard/csv';
import { parseStoryboard } from '../../../shared/storyboard/validate';

describe('CSV separators and BOM (Excel in European locales)', () => {
  it('reads semicolon-separated rows with quoted semicolons, commas and newlines', () => {
    const r = parseCsv('id;prompt;takes\r\na;"A kite; red, wide";2\r\nb;"two\nlines";1\r\n');
    expect(r.error).toBeNull();
    expect(r.separator).toBe(';');
    expect(r.records.map((x) => [x.line, x.cells])).toEqual([
      [1, ['id', 'prompt', 'takes']],
      [2, ['a', 'A kite; red, wide', '2']],
      [3, ['b', 'two\nlines', '1']],
    ]);
  });

  it('drops a UTF-8 BOM and honours Excel\'s "sep=" line (rows keep their spreadsheet numbers)', () => {
    const r = parseCsv('\uFEFFsep=;\nid;prompt\na;x, y\n');
    expect(r.separator).toBe(';');
    expect(r.records).toEqual([
      { line: 2, cells: ['id', 'prompt'] },
      { line: 3, cells: ['a', 'x, y'] },
    ]);
  });

  it('keeps commas as the separator when the header has more of them (ties too)', () => {
    expect(detectSeparator('id,prompt,model\na;b,c')).toBe(',');
    expect(detectSeparator('"a;b;c",d\n')).toBe(',');
    expect(detectSeparator('id;prompt,model;takes\n')).toBe(';');
    expect(detectSeparator('id\n')).toBe(',');
  });

  it('a semicolon storyboard with a BOM validates like the comma one', () => {
    const semi = parseStoryboard('\uFEFFid;prompt;model;duration;takes\na;A kite, red;kling-2.5-turbo;5;2\n', {
      file: 'board.csv',
    });
    const comma = parseStoryboard('id,prompt,model,duration,takes\na,"A kite, red",kling-2.5-turbo,5,2\n', {
      file: 'board.csv',
    });
    expect(semi.ok).toBe(true);
    expect(semi.storyboard?.shots).toEqual(comma.storyboard?.shots);
  });

  it('a row with more cells than the header names the separator to quote', () => {
    const r = parseStoryboard('id;prompt;model\na;a kite; red;kling-2.5-turbo\n', { file: 'semi.csv' });
    expect(r.ok).toBe(false);
    expect(r.problems.find((p) => p.row === 2 && p.message.includes('4 cells'))?.message).toContain(
      'quote cells that contain semicolons',
    );
  });

  it('lists every problem of every row with file, row, field and value', () => {
    const text =
      'id;prompt;model;duration;takes;colour\na;x;kling-v9;5;1;red\nb;y;kling-2.5-turbo;7;0;\n;z;kling-2.5-turbo;5;x;\n';
    const r = parseStoryboard(text, { file: 'many.csv' });
    expect(r.ok).toBe(false);
    const got = r.problems.map((p) => `${p.file}:${p.row ?? '-'}:${p.field ?? '-'}:${p.value ?? '-'}`);
    expect(got).toEqual(
      expect.arrayContaining([
        'many.csv:1:colour:"colour"',
        'many.csv:2:model:"kling-v9"',
        'many.csv:3:takes:0',
        'many.csv:4:takes:"x"',
        'many.csv:4:id:-',
      ]),
    );
    expect(new Set(r.problems.map((p) => p.row))).toEqual(new Set([1, 2, 3, 4]));
    for (const p of r.problems) expect(p.message.length).toBeGreaterThan(10);
  });
});
