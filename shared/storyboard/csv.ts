/**
 * RFC 4180 CSV: quoted fields may hold the separator, quotes ("") and newlines. Each record
 * keeps the line it starts on, so problems can name the row a person sees in a spreadsheet.
 * The separator is a comma, or a semicolon as Excel writes CSV where the decimal mark is a
 * comma (most of Europe): read from Excel's "sep=;" first line when there is one, else from
 * the header row. A UTF-8 byte order mark (Excel's "CSV UTF-8") is dropped.
 */

export interface CsvRecord {
  /** 1-based line number where the record starts. */
  line: number;
  cells: string[];
}

export type CsvSeparator = ',' | ';';

export interface CsvParse {
  records: CsvRecord[];
  error: { line: number; message: string } | null;
  separator: CsvSeparator;
}

/** The header row's separator: the one of ',' and ';' found more often outside quotes (ties: ','). */
export function detectSeparator(text: string): CsvSeparator {
  let commas = 0;
  let semis = 0;
  let quoted = false;
  for (let i = 0; i < text.length; i++) {
    const c = text[i];
    if (c === '"') quoted = !quoted;
    else if (!quoted && (c === '\n' || c === '\r')) break;
    else if (!quoted && c === ',') commas++;
    else if (!quoted && c === ';') semis++;
  }
  return semis > commas ? ';' : ',';
}

export function parseCsv(text: string): CsvParse {
  let src = text.charCodeAt(0) === 0xfeff ? text.slice(1) : text;
  // Excel's "sep=;" line names the separator; it is not a record (line numbers still count it).
  const sepLine = /^sep=([,;])[ \t]*(\r\n|\n|\r|$)/i.exec(src);
  let firstLine = 1;
  let sep: CsvSeparator;
  if (sepLine) {
    sep = sepLine[1] as CsvSeparator;
    src = src.slice(sepLine[0].length);
    firstLine = 2;
  } else sep = detectSeparator(src);
  const { records, error } = parseWith(src, sep, firstLine);
  for (const r of records) r.cells = r.cells.map(unguard);
  return { records, error, separator: sep };
}

function parseWith(
  src: string,
  sep: CsvSeparator,
  firstLine: number,
): { records: CsvRecord[]; error: { line: number; message: string } | null } {
  const records: CsvRecord[] = [];
  let cells: string[] = [];
  let cell = '';
  let quoted = false;
  let line = firstLine;
  let start = firstLine;
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
    if (c === sep) {
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
    if (afterQuote)
      return {
        records,
        error: {
          line,
          message: 'text after a closing quote; put the whole cell in quotes and double any quote inside ("")',
        },
      };
    cell += c;
    i++;
  }
  if (quoted) return { records, error: { line: start, message: 'a quoted cell is not closed; add the closing "' } };
  if (cell !== '' || cells.length > 0) endRecord();
  return { records, error: null };
}

/** A cell a spreadsheet would run as a formula (=, +, -, @, tab, CR first), as the audit CSV guards it. */
const FORMULA_START = /^[=+\-@\t\r]/;

/**
 * One CSV cell: quoted when it holds a comma, quote or newline; a cell that starts like a
 * formula gets a leading apostrophe so a spreadsheet shows it as text (issue 16.7, the same
 * rule as electron/core/privacy/audit.ts). parseCsv removes that apostrophe again.
 */
export function csvCell(v: unknown): string {
  if (v === undefined || v === null) return '';
  let s = typeof v === 'string' ? v : JSON.stringify(v);
  if (FORMULA_START.test(s)) s = `'${s}`;
  return /[",\r\n]/.test(s) ? `"${s.replace(/"/g, '""')}"` : s;
}

/** The inverse of csvCell's formula guard, so an exported storyboard reads back unchanged. */
function unguard(cell: string): string {
  return cell.startsWith("'") && FORMULA_START.test(cell.slice(1)) ? cell.slice(1) : cell;
}
