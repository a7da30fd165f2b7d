/**
 * The morning report as a PDF (issue 17 item 5), written by ./pdf.ts: A4 pages, the title and
 * summary, then one block per shot: its poster (the JPEG as it is) beside its heading and one
 * line per take with the fix of each failure. A block never splits across pages.
 */
import { readFileSync } from 'node:fs';

import type { BatchReport } from '../../../shared/contract';
import { jpegInfo, PdfDoc, wrap, type PdfImage } from './pdf';
import { reportTitle, shotHeading, summaryLines, takeLine } from './report-text';

const MARGIN = 40;
const POSTER_W = 128;
const POSTER_H = 72;
const LINE = 12;

function poster(file: string | null): PdfImage | null {
  if (!file) return null;
  try {
    return jpegInfo(readFileSync(file));
  } catch {
    return null;
  }
}

export function reportPdf(r: BatchReport): Buffer {
  const doc = new PdfDoc();
  const textX = MARGIN + POSTER_W + 14;
  const textW = doc.width - textX - MARGIN;
  let y = doc.height - MARGIN;
  doc.newPage();
  doc.text(MARGIN, (y -= 18), 18, reportTitle(r), true);
  y -= 8;
  for (const line of summaryLines(r))
    for (const part of wrap(line, 10, doc.width - 2 * MARGIN)) doc.text(MARGIN, (y -= LINE), 10, part);
  y -= 10;
  for (const s of r.shots) {
    const heading = wrap(shotHeading(s), 11, textW);
    const takes = s.takes.flatMap((t) => wrap(takeLine(t), 9, textW));
    const height = Math.max(POSTER_H, heading.length * 14 + takes.length * 11) + 14;
    if (y - height < MARGIN) {
      doc.newPage();
      y = doc.height - MARGIN;
    }
    const top = y - 6;
    const img = poster(s.poster);
    if (img) {
      const k = Math.min(POSTER_W / Math.max(1, img.width), POSTER_H / Math.max(1, img.height));
      doc.image(MARGIN, top - img.height * k, img.width * k, img.height * k, img);
    } else {
      doc.text(MARGIN, top - POSTER_H / 2, 9, 'no take done');
    }
    let ty = top;
    for (const line of heading) doc.text(textX, (ty -= 13), 11, line, true);
    for (const line of takes) doc.text(textX, (ty -= 11), 9, line);
    y -= height;
  }
  return doc.toBuffer();
}
