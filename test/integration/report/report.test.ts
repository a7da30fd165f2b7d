/**
 * Issue 17 item 5 through the real core: a batch run on the sandbox (real clips, one take
 * failed by risk control and one refused), its morning report (report.batch), and the report exported where the
 * fake save dialog said, as HTML (self-contained: posters as data URIs, no scripts) and as PDF
 * (read back here: header, every xref offset at its object, trailer, pages, the JPEG posters as
 * DCTDecode images, the text of every shot).
 */
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

import Database from 'better-sqlite3';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';

import { jpegInfo, pdfString, wrap } from '../../../electron/core/app/pdf';
import { createFakeDialogs, type FakeDialogs } from '../../../electron/core/bridge/test-bridge';
import { createCore, type Core } from '../../../electron/core';
import type { BatchReport } from '../../../shared/contract';

let dir: string;
let core: Core;
let dialogs: FakeDialogs;
let storyboardId: string;
let batchId: string;

async function ok<T>(
  p: Promise<{ ok: true; value: T } | { ok: false; error: { code: string; message: string } }>,
): Promise<T> {
  const r = await p;
  if (!r.ok) throw new Error(`${r.error.code}: ${r.error.message}`);
  return r.value;
}

beforeAll(async () => {
  dir = mkdtempSync(join(tmpdir(), 'shotline-report-'));
  dialogs = createFakeDialogs();
  core = createCore({ dataDir: join(dir, 'data'), dialogs });
  const board = {
    name: 'Kite (morning)',
    defaults: { model: 'kling-2.5-turbo', duration: 5 },
    shots: [
      { id: 'kite-wide', prompt: 'a red kite over a beach', takes: 2 },
      // The sandbox fails a task whose prompt has "blockedword" (risk control) and refuses one with
      // "rejectedword" (1301); the engine blocks both with a fix.
      { id: 'kite-fail', prompt: 'a kite blockedword', takes: 1 },
      { id: 'kite-refused', prompt: 'a kite rejectedword', takes: 1 },
    ],
  };
  storyboardId = (await ok(core.call('storyboard.import', { format: 'json', content: JSON.stringify(board) })))
    .storyboardId;
  batchId = (await ok(core.call('queue.enqueue', { storyboardId, provider: 'sandbox', piiMode: 'allow' }))).batchId;
  const live = new Set(['queued', 'submitting', 'running', 'downloading']);
  for (let i = 0; i < 600; i++) {
    const { jobs } = await ok(core.call('queue.list', { batchId }));
    if (jobs.length === 4 && !jobs.some((j) => live.has(j.state))) return;
    await new Promise((r) => setTimeout(r, 200));
  }
  throw new Error('the sandbox batch did not finish in 120 s');
}, 150_000);

afterAll(async () => {
  await core.close();
  rmSync(dir, { recursive: true, force: true });
});

describe('the morning report (issue 17 item 5)', () => {
  let report: BatchReport;

  it('has a poster per done shot, each take with its state and review, the fix of each failure, time and cost', async () => {
    const { jobs } = await ok(core.call('queue.list', { batchId }));
    const t2 = jobs.find((j) => j.shotId === 'kite-wide' && j.take === 2);
    await ok(core.call('review.set', { jobId: t2?.id as string, rating: 4, note: 'lovely light', picked: true }));
    report = await ok(core.call('report.batch', { batchId }));
    expect(report.storyboard).toBe('Kite (morning)');
    expect(report.shots.map((s) => [s.shotId, s.status])).toEqual([
      ['kite-wide', 'done'],
      ['kite-fail', 'blocked'],
      ['kite-refused', 'blocked'],
    ]);
    expect(report.counts).toEqual({ done: 2, failed: 0, blocked: 2, canceled: 0, open: 0 });
    const wide = report.shots[0];
    expect(wide?.takes.map((t) => [t.take, t.state])).toEqual([
      [1, 'done'],
      [2, 'done'],
    ]);
    expect(wide?.takes[1]).toMatchObject({ picked: true, rating: 4, note: 'lovely light', rejected: false });
    expect(wide?.takes[0]).toMatchObject({ picked: false, rating: null, note: '' });
    expect(jpegInfo(readFileSync(wide?.poster as string))?.width).toBeGreaterThan(0);
    expect(report.shots[1]?.poster).toBeNull();
    for (const s of report.shots.slice(1)) expect(s.takes[0]?.fix, s.shotId).toBeTruthy();
    expect(report.estimatedUnits).toBeGreaterThan(0);
    expect(report.billedUnits).toBeGreaterThan(0);
    expect(report.minutes).toBeGreaterThanOrEqual(0);
  });

  it('refuses an unknown batch with what to do', async () => {
    const r = await core.call('report.batch', { batchId: 'nope' });
    expect(r.ok ? null : r.error).toMatchObject({ code: 'not_found', where: 'batchId' });
  });

  it('writes only where the save dialog said', async () => {
    const r = await core.call('report.export', { batchId, format: 'html', output: join(dir, 'free.html') });
    expect(r.ok ? null : r.error).toMatchObject({ code: 'forbidden' });
  });

  it('exports a self-contained HTML page with every shot', async () => {
    const out = join(dir, 'Kite report.html');
    dialogs.answerSave(out);
    expect(await ok(core.call('dialog.saveOutput', { storyboardId, kind: 'html' }))).toMatchObject({ path: out });
    expect(dialogs.shown.at(-1)?.title).toBe('Export the report of Kite (morning)');
    const r = await ok(core.call('report.export', { batchId, format: 'html', output: out }));
    expect(r).toMatchObject({ file: out, shots: 3 });
    const html = readFileSync(out, 'utf8');
    expect(html).not.toMatch(/<script|\bon\w+=|https?:\/\/|src="(?!data:)/i);
    expect(html).toContain(`content="default-src 'none'; img-src data:; style-src 'unsafe-inline'"`);
    for (const s of report.shots) expect(html).toContain(`data-shot="${s.shotId}"`);
    expect(html.match(/<img src="data:image\/jpeg;base64,/g)).toHaveLength(1);
    expect(html).toContain('Fix: ');
    expect(html).toContain('T2 done, billed');
    expect(html).toContain('(picked, rated 4/5)');
    expect(html).toContain('Note: &quot;lovely light&quot;');
    expect(html).not.toContain(join(dir, 'data')); // no path of the data dir in a page for a producer

    // Registered as an export of the batch's clips (erasure and retention find it).
    const db = new Database(join(dir, 'data', 'shotline.db'), { readonly: true });
    try {
      const rows = db.prepare('SELECT clip_path FROM export_clips WHERE export_path = ?').all(out);
      expect(rows).toHaveLength(2);
    } finally {
      db.close();
    }
  });

  it('exports a PDF whose structure reads back, with the posters as JPEG images and the text of every shot', async () => {
    const out = join(dir, 'Kite report.pdf');
    dialogs.answerSave(out);
    await ok(core.call('dialog.saveOutput', { storyboardId, kind: 'pdf' }));
    await ok(core.call('report.export', { batchId, format: 'pdf', output: out }));
    const pdf = readFileSync(out);
    const text = pdf.toString('latin1');
    expect(text.startsWith('%PDF-1.4\n')).toBe(true);
    expect(text.trimEnd().endsWith('%%EOF')).toBe(true);
    const startxref = Number(/startxref\n(\d+)\n%%EOF\s*$/.exec(text)?.[1]);
    expect(text.slice(startxref, startxref + 5)).toBe('xref\n');
    const [, first, count] = /^xref\n(\d+) (\d+)\n/.exec(text.slice(startxref)) ?? [];
    expect(Number(first)).toBe(0);
    const entries = text
      .slice(startxref)
      .split('\n')
      .slice(2, 2 + Number(count));
    entries.slice(1).forEach((e, i) => {
      const offset = Number(e.slice(0, 10));
      expect(text.slice(offset, offset + `${i + 1} 0 obj`.length)).toBe(`${i + 1} 0 obj`);
    });
    expect(text).toMatch(new RegExp(`trailer\\n<< /Size ${count} /Root 1 0 R >>`));
    // Every stream's /Length is its byte length.
    for (const m of text.matchAll(/\/Length (\d+) >>\nstream\n/g)) {
      const start = (m.index ?? 0) + m[0].length;
      expect(text.slice(start + Number(m[1]), start + Number(m[1]) + 10)).toBe('\nendstream');
    }
    const images = [...text.matchAll(/\/Subtype \/Image \/Width (\d+) \/Height (\d+) [^>]*\/Filter \/DCTDecode/g)];
    expect(images).toHaveLength(1);
    expect(Number(images[0]?.[1])).toBeGreaterThan(0);
    expect(text).toContain('\\(picked, rated 4/5\\)');
    expect(text).toContain('"lovely light"');
    const pages = Number(/\/Type \/Pages \/Kids \[[^\]]*\] \/Count (\d+)/.exec(text)?.[1]);
    expect(pages).toBe((text.match(/\/Type \/Page /g) ?? []).length);
    for (const s of report.shots) expect(text).toContain(pdfString(s.shotId).slice(1, -1));
    expect(text).toContain('Morning report: Kite \\(morning\\)');
  });

  it('writes PDF strings safely and wraps long lines', () => {
    expect(pdfString('a (b) \\ c → d ✓')).toBe('(a \\(b\\) \\\\ c -> d ?)');
    const lines = wrap('word '.repeat(60), 10, 200);
    expect(lines.length).toBeGreaterThan(5);
    for (const l of lines) expect(l.length).toBeLessThanOrEqual(40);
  });
});
