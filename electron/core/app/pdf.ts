/**
 * A small PDF 1.4 writer (no browser, no dependency): pages of text in Helvetica (one of the
 * 14 standard fonts, so nothing is embedded; WinAnsiEncoding, characters outside Latin-1
 * become "?") and JPEG images embedded as they are (DCTDecode), with a classic xref table.
 * Used by the morning report (./report-pdf.ts).
 */

export interface PdfImage {
  jpeg: Buffer;
  width: number;
  height: number;
  /** 1 gray, 3 RGB, 4 CMYK. */
  components: number;
}

type Op =
  | { kind: 'text'; x: number; y: number; size: number; text: string; bold?: boolean }
  | { kind: 'image'; x: number; y: number; w: number; h: number; image: PdfImage };

/** Width and height of a JPEG from its SOF marker; null when the bytes are not a JPEG. */
export function jpegInfo(jpeg: Buffer): PdfImage | null {
  if (jpeg.length < 4 || jpeg[0] !== 0xff || jpeg[1] !== 0xd8) return null;
  let i = 2;
  while (i + 9 < jpeg.length) {
    if (jpeg[i] !== 0xff) return null;
    const marker = jpeg[i + 1] as number;
    const len = jpeg.readUInt16BE(i + 2);
    // SOF0-SOF15 except DHT (C4), JPG (C8) and DAC (CC).
    if (marker >= 0xc0 && marker <= 0xcf && marker !== 0xc4 && marker !== 0xc8 && marker !== 0xcc) {
      return {
        jpeg,
        height: jpeg.readUInt16BE(i + 5),
        width: jpeg.readUInt16BE(i + 7),
        components: jpeg[i + 9] as number,
      };
    }
    i += 2 + len;
  }
  return null;
}

/** A PDF string literal in WinAnsi: Latin-1 kept, anything else "?", ( ) \ escaped. */
export function pdfString(s: string): string {
  let out = '';
  for (const ch of s.normalize('NFC')) {
    const c = ch.codePointAt(0) as number;
    const b = c === 0x2192 ? '->' : c === 0x2026 ? '...' : c === 0x2014 || c === 0x2013 ? '-' : c < 256 ? ch : '?';
    out += b === '(' || b === ')' || b === '\\' ? `\\${b}` : b;
  }
  return `(${out})`;
}

/** Helvetica's average glyph width is about half the font size: enough to wrap text lines. */
export function wrap(text: string, size: number, width: number): string[] {
  const max = Math.max(8, Math.floor(width / (size * 0.5)));
  const lines: string[] = [];
  let line = '';
  for (const word of text.split(/\s+/)) {
    if (!word) continue;
    if (line && line.length + 1 + word.length > max) {
      lines.push(line);
      line = '';
    }
    let w = word;
    while (w.length > max) {
      lines.push(w.slice(0, max));
      w = w.slice(max);
    }
    line = line ? `${line} ${w}` : w;
  }
  if (line) lines.push(line);
  return lines.length ? lines : [''];
}

export class PdfDoc {
  readonly width = 595; // A4 in points
  readonly height = 842;
  private readonly pages: Op[][] = [];

  newPage(): void {
    this.pages.push([]);
  }

  private get page(): Op[] {
    if (!this.pages.length) this.newPage();
    return this.pages[this.pages.length - 1] as Op[];
  }

  text(x: number, y: number, size: number, text: string, bold = false): void {
    this.page.push({ kind: 'text', x, y, size, text, bold });
  }

  image(x: number, y: number, w: number, h: number, image: PdfImage): void {
    this.page.push({ kind: 'image', x, y, w, h, image });
  }

  /** The whole file. */
  toBuffer(): Buffer {
    const objects: Buffer[] = []; // objects[n - 1] is object n
    const add = (body: Buffer | string): number => {
      objects.push(Buffer.isBuffer(body) ? body : Buffer.from(body, 'latin1'));
      return objects.length;
    };
    const stream = (dict: string, data: Buffer): Buffer =>
      Buffer.concat([
        Buffer.from(`<< ${dict} /Length ${data.length} >>\nstream\n`, 'latin1'),
        data,
        Buffer.from('\nendstream', 'latin1'),
      ]);
    const catalog = add(''); // filled once the pages object number is known
    const pagesObj = add('');
    const font = add('<< /Type /Font /Subtype /Type1 /BaseFont /Helvetica /Encoding /WinAnsiEncoding >>');
    const bold = add('<< /Type /Font /Subtype /Type1 /BaseFont /Helvetica-Bold /Encoding /WinAnsiEncoding >>');
    const imageIds = new Map<PdfImage, number>();
    const kids: number[] = [];
    for (const ops of this.pages.length ? this.pages : [[]]) {
      const names: string[] = [];
      let content = '';
      for (const op of ops) {
        if (op.kind === 'text') {
          content += `BT /${op.bold ? 'F2' : 'F1'} ${op.size} Tf ${op.x.toFixed(2)} ${op.y.toFixed(2)} Td ${pdfString(op.text)} Tj ET\n`;
        } else {
          let id = imageIds.get(op.image);
          if (id === undefined) {
            const cs =
              op.image.components === 1 ? 'DeviceGray' : op.image.components === 4 ? 'DeviceCMYK' : 'DeviceRGB';
            id = add(
              stream(
                `/Type /XObject /Subtype /Image /Width ${op.image.width} /Height ${op.image.height} /ColorSpace /${cs} /BitsPerComponent 8 /Filter /DCTDecode`,
                op.image.jpeg,
              ),
            );
            imageIds.set(op.image, id);
          }
          names.push(`/Im${id} ${id} 0 R`);
          content += `q ${op.w.toFixed(2)} 0 0 ${op.h.toFixed(2)} ${op.x.toFixed(2)} ${op.y.toFixed(2)} cm /Im${id} Do Q\n`;
        }
      }
      const contents = add(stream('', Buffer.from(content, 'latin1')));
      const xobjects = names.length ? ` /XObject << ${[...new Set(names)].join(' ')} >>` : '';
      kids.push(
        add(
          `<< /Type /Page /Parent ${pagesObj} 0 R /MediaBox [0 0 ${this.width} ${this.height}] /Resources << /Font << /F1 ${font} 0 R /F2 ${bold} 0 R >>${xobjects} >> /Contents ${contents} 0 R >>`,
        ),
      );
    }
    objects[catalog - 1] = Buffer.from(`<< /Type /Catalog /Pages ${pagesObj} 0 R >>`, 'latin1');
    objects[pagesObj - 1] = Buffer.from(
      `<< /Type /Pages /Kids [${kids.map((k) => `${k} 0 R`).join(' ')}] /Count ${kids.length} >>`,
      'latin1',
    );

    // Header with a comment of high bytes (marks the file as binary), objects, xref, trailer.
    const parts: Buffer[] = [Buffer.from('%PDF-1.4\n%\xe2\xe3\xcf\xd3\n', 'latin1')];
    let offset = parts[0]?.length ?? 0;
    const offsets: number[] = [];
    objects.forEach((body, i) => {
      offsets.push(offset);
      const obj = Buffer.concat([Buffer.from(`${i + 1} 0 obj\n`, 'latin1'), body, Buffer.from('\nendobj\n', 'latin1')]);
      parts.push(obj);
      offset += obj.length;
    });
    const xref =
      `xref\n0 ${objects.length + 1}\n0000000000 65535 f \n` +
      offsets.map((o) => `${String(o).padStart(10, '0')} 00000 n \n`).join('') +
      `trailer\n<< /Size ${objects.length + 1} /Root ${catalog} 0 R >>\nstartxref\n${offset}\n%%EOF\n`;
    parts.push(Buffer.from(xref, 'latin1'));
    return Buffer.concat(parts);
  }
}
