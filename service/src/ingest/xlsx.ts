// XLSX -> rows for the Table, through exceljs's streaming reader: neither the file nor its sheets are held whole.
import { Readable } from 'node:stream';
import ExcelJS from 'exceljs';
import { AppError } from '../errors';
import { type Cell, fmt, plural } from './cells';
import type { Table } from './table';
import { bufferBytes, fileBytes, prepareXlsx, type ZipBytes } from './zip';

// Cells right of this are never part of a sales table; skipping them keeps a stray cell in column XFD cheap.
const MAX_COLUMNS = 1024;

export interface XlsxOptions {
  sheet?: string;
  maxRows: number;
  maxDecompressedBytes: number;
}

export interface XlsxResult {
  sheet: string;
  date1904: boolean;
  warnings: string[];
}

interface SheetInfo {
  name: string;
  state?: string;
  rId?: string;
}

/** What exceljs's reader knows once workbook.xml and its relationships are parsed (they come first, see zip.ts). */
interface Internals {
  model?: { sheets?: SheetInfo[] };
  workbookRels?: { Id: string; Target: string }[];
  properties?: { model?: { date1904?: boolean } };
}

/** Reads the workbook's chosen sheet into the table; `workbook` is its bytes or the path it was saved to. */
export async function readXlsx(workbook: Buffer | string, table: Table, options: XlsxOptions): Promise<XlsxResult> {
  const bytes = typeof workbook === 'string' ? await fileBytes(workbook) : bufferBytes(workbook);
  try {
    return await readSheet(bytes, table, options);
  } finally {
    await bytes.close();
  }
}

async function readSheet(bytes: ZipBytes, table: Table, options: XlsxOptions): Promise<XlsxResult> {
  const magic = await bytes.read(0, 4);
  if (magic.equals(Buffer.from([0xd0, 0xcf, 0x11, 0xe0]))) {
    throw new AppError(
      415,
      'unsupported_file_type',
      'The file is named .xlsx but is an old .xls workbook or a password-protected one. Open it in Excel and save as .xlsx without a password.',
    );
  }
  if (!magic.equals(Buffer.from([0x50, 0x4b, 0x03, 0x04]))) {
    throw new AppError(
      415,
      'unsupported_file_type',
      'The file is named .xlsx but is not an Excel workbook. Upload an .xlsx, .csv or .csv.gz file.',
    );
  }
  const input = Readable.from(await prepareXlsx(bytes, options.maxDecompressedBytes));
  const reader = new ExcelJS.stream.xlsx.WorkbookReader(input, {
    sharedStrings: 'cache',
    // Styles tell exceljs which numbers are dates.
    styles: 'cache',
    hyperlinks: 'ignore',
    worksheets: 'emit',
    entries: 'ignore',
  });
  const internals = reader as unknown as Internals;
  const maxCells = Math.max(options.maxRows, 10_000) * 64;
  const seen: string[] = [];
  let chosen: string | null = null;
  let cellCount = 0;
  let formulasWithoutResult = 0;
  try {
    for await (const worksheet of reader) {
      // exceljs takes the workbook's name for a sheet whose relationship it can match (zip.ts makes every target a
      // form it matches); a part no relationship points at keeps exceljs's default "Sheet<n>".
      const name = (worksheet as unknown as { name: string }).name;
      seen.push(name);
      if (!isWanted(name, options.sheet, internals)) continue;
      chosen = name;
      for await (const row of worksheet) {
        const values = row.values as unknown[];
        const cells: Cell[] = [];
        let count = 0;
        values.forEach((v, col) => {
          cellCount++;
          if (col > MAX_COLUMNS) return;
          const cell = normalise(v);
          if (cell === null && isFormula(v)) formulasWithoutResult++;
          cells[col - 1] = cell;
          if (col > count) count = col;
        });
        if (cellCount > maxCells) {
          throw new AppError(
            413,
            'too_many_rows',
            `The sheet "${name}" has more than ${fmt(maxCells)} cells, more than one upload may have. Split it into smaller files.`,
            { maxCells },
          );
        }
        for (let i = 0; i < count; i++) if (cells[i] === undefined) cells[i] = null;
        table.row(cells, count, row.number);
      }
      break;
    }
  } catch (e) {
    if (e instanceof AppError) throw e;
    throw new AppError(
      422,
      'invalid_file',
      `The workbook could not be read: ${(e as Error).message}. Open it in Excel and save it again as .xlsx.`,
    );
  } finally {
    input.destroy();
  }
  if (chosen === null) {
    const names = internals.model?.sheets?.map((s) => s.name) ?? seen;
    if (options.sheet === undefined) throw new AppError(422, 'empty_file', 'The workbook has no worksheet that could be read.');
    throw new AppError(
      422,
      'sheet_not_found',
      `The workbook has no sheet named "${options.sheet}". Its sheets are: ${names.map((n) => `"${n}"`).join(', ')}.`,
      { sheet: options.sheet, sheets: names },
    );
  }
  const warnings: string[] = [];
  if (formulasWithoutResult > 0) {
    warnings.push(
      `${plural(formulasWithoutResult, 'formula cell')} had no saved result and were read as empty; open the workbook in Excel and save it to store the results.`,
    );
  }
  return { sheet: chosen, date1904: internals.properties?.model?.date1904 === true, warnings };
}

function isWanted(name: string, wanted: string | undefined, internals: Internals): boolean {
  if (wanted !== undefined) {
    return name === wanted || name.trim().toLowerCase() === wanted.trim().toLowerCase();
  }
  // Default: the first worksheet in tab order the user can see (not a hidden sheet, not a chart sheet).
  const sheets = internals.model?.sheets ?? [];
  const hidden = (s: SheetInfo) => s.state === 'hidden' || s.state === 'veryHidden';
  const isWorksheet = (s: SheetInfo) =>
    /worksheets\/sheet\d+\.xml$/.test(internals.workbookRels?.find((r) => r.Id === s.rId)?.Target ?? '');
  const first = sheets.find((s) => !hidden(s) && isWorksheet(s));
  if (first) return first.name === name;
  const own = sheets.find((s) => s.name === name);
  return own === undefined || !hidden(own);
}

function isFormula(v: unknown): boolean {
  return typeof v === 'object' && v !== null && ('formula' in v || 'sharedFormula' in v);
}

/** exceljs cell values (rich text, formulas, hyperlinks, errors) -> plain cells. */
function normalise(v: unknown): Cell {
  if (v === null || v === undefined) return null;
  if (typeof v === 'string' || typeof v === 'boolean') return v;
  if (typeof v === 'number') return Number.isFinite(v) ? v : null;
  if (v instanceof Date) return v;
  if (typeof v === 'object') {
    const o = v as Record<string, unknown>;
    if (Array.isArray(o.richText)) return o.richText.map((r: { text?: string }) => r.text ?? '').join('');
    // Formulas: the value Excel last calculated; the formula text itself is never data.
    if ('formula' in o || 'sharedFormula' in o) return o.result === undefined ? null : normalise(o.result);
    if ('error' in o) return String(o.error);
    if ('text' in o) return normalise(o.text);
  }
  return null;
}
