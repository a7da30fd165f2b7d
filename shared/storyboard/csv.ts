/**
 * RFC 4180 CSV: quoted fields may hold commas, quotes ("") and newlines. Each record keeps
 * the line it starts on, so problems can name the row a person sees in a spreadsheet.
 */

export interface CsvRecord {
  /** 1-based line number where the record starts. */
  line: number;
  cells: string[];
}

export function parseCsv(text: string): { records: CsvRecord[]; error: { line: number; message: string } | null } {
  const src = text.charCodeAt(0) === 0xfeff ? text.slice(1) : text;
  const records: CsvRecord[] = [];
  let cells: string[] = [];
  let cell = '';
  let quoted = false;
  let line = 1;
  let start = 1;
  let i = 0;
  let afterQuote = false;
  const endRecord = (): void => {
    cells.push(cell);
    // Skip blank lines (one empty cell).
    if (!(cells.length === 1 && cells[0] === '')) records.push({ line: start, cells });
    cells = [];
    cell = '';
  };
  while (i < src.length) {
    const c = src[i] as string;
    if (quoted) {
      if (c === '"') {
        if (src[i + 1] === '"') {
          cell += '"';
          i += 2;
          continue;
        }
        quoted = false;
        afterQuote = true;
        i++;
        continue;
      }
      if (c === '\n') line++;
      cell += c;
      i++;
      continue;
    }
    if (c === '"' && cell === '' && !afterQuote) {
      quoted = true;
      i++;
      continue;
    }
    if (c === ',') {
      cells.push(cell);
      cell = '';
      afterQuote = false;
      i++;
      continue;
    }
    if (c === '\r' || c === '\n') {
      endRecord();
      afterQuote = false;
      if (c === '\r' && src[i + 1] === '\n') i++;
      i++;
      line++;
      start = line;
      continue;
    }
    if (afterQuote) return { records, error: { line, message: 'text after a closing quote; put the whole cell in quotes and double any quote inside ("")' } };
    cell += c;
    i++;
  }
  if (quoted) return { records, error: { line: start, message: 'a quoted cell is not closed; add the closing "' } };
  if (cell !== '' || cells.length > 0) endRecord();
  return { records, error: null };
}

/** One CSV cell: quoted when it holds a comma, quote or newline. */
export function csvCell(v: unknown): string {
  if (v === undefined || v === null) return '';
  const s = typeof v === 'string' ? v : JSON.stringify(v);
  return /[",\r\n]/.test(s) ? `"${s.replace(/"/g, '""')}"` : s;
}
