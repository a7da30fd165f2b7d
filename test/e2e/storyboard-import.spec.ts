/**
 * Issue 11 item 7: a CSV with many problems lists every problem of every row (file, row,
 * field, value, fix) and imports nothing; a semicolon-separated CSV with a UTF-8 BOM (Excel's
 * "CSV UTF-8" in European locales) is read. Real core, renderer in Chromium over the bridge.
 */
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';

import { expect, test } from './fixtures';

test.use({ viewport: { width: 1440, height: 900 } });

test('a CSV with many problems lists every one of them; an Excel semicolon CSV with a BOM imports', async ({
  app,
  dataDir,
}) => {
  // Excel, European locale: BOM, semicolons, CRLF, a comma inside a prompt.
  const excel = join(dataDir, 'excel.csv');
  writeFileSync(
    excel,
    '\uFEFFid;prompt;model;duration;takes\r\nopening;A kite, red, over the sea;kling-2.5-turbo;5;2\r\nclose;The string snaps;kling-2.5-turbo;10;1\r\n',
  );
  await app.getByLabel('Storyboard file to import').setInputFiles(excel);
  const cards = app.getByTestId('shot-card');
  await expect(cards).toHaveCount(2);
  await expect(cards.first()).toContainText('opening');
  await expect(cards.first()).toContainText('A kite, red, over the sea');
  await expect(cards.nth(1)).toContainText('10 s');
  await expect(app.getByTestId('import-report')).toHaveCount(0);

  // Five problems on four rows: each is listed with its row, field and value.
  const bad = join(dataDir, 'bad.csv');
  writeFileSync(
    bad,
    'id,prompt,model,takes,colour\na,x,kling-v9,1,red\nb,y,kling-2.5-turbo,0,\n,z,kling-2.5-turbo,two,\n',
  );
  await app.getByLabel('Storyboard file to import').setInputFiles(bad);
  const report = app.getByTestId('import-report');
  await expect(report).toContainText('problems in bad.csv; nothing was imported');
  const rows = report.getByTestId('import-problem');
  const cells = async (): Promise<string[][]> =>
    rows.evaluateAll((trs) => trs.map((tr) => [...tr.querySelectorAll('td')].map((td) => td.textContent ?? '')));
  const got = await cells();
  const has = (row: string, field: string, value: string): boolean =>
    got.some((c) => c[0] === 'bad.csv' && c[1] === row && c[3] === field && c[4] === value && (c[5] ?? '').length > 10);
  expect(has('1', 'colour', '"colour"')).toBe(true);
  expect(has('2', 'model', '"kling-v9"')).toBe(true);
  expect(has('3', 'takes', '0')).toBe(true);
  expect(has('4', 'takes', '"two"')).toBe(true);
  expect(got.some((c) => c[1] === '4' && c[3] === 'id')).toBe(true);
  expect(got.length).toBeGreaterThanOrEqual(5);
  // Nothing was imported: the storyboard is the Excel one.
  await expect(cards).toHaveCount(2);
  await expect(cards.first()).toContainText('opening');
});
