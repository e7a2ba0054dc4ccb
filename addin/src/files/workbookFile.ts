// The file adapter (SheetJS, loaded on demand): reads the .xlsx/.csv files a user picks for their headers (in Excel
// and in a browser alike), and outside Excel builds the result workbook the Excel adapter would have written, as an
// .xlsx download.
import * as XLSX from 'xlsx';
import { excelSerialToIso, headerTexts, isoToExcelSerial, type CellValue } from '../mapping/csv';
import { NUMBER_FORMATS, tableHeaderRow, type SheetSpec } from '../results/sheets';
import { fileKind, type FileKind } from './download';

interface FileSheet {
  name: string;
  headers: string[];
  /** The first rows under the header. */
  rows: CellValue[][];
}

export interface FilePreview {
  fileName: string;
  kind: FileKind;
  sheets: FileSheet[];
}

/** Headers and a few rows of each sheet, to pre-detect and confirm the column mapping before uploading. */
export function previewWorkbookFile(bytes: ArrayBuffer | Uint8Array, fileName: string, maxRows = 5): FilePreview {
  const kind = fileKind(fileName);
  if (kind === 'other') return { fileName, kind, sheets: [] };
  const data = bytes instanceof Uint8Array ? bytes : new Uint8Array(bytes);
  const book = XLSX.read(data, {
    type: 'array',
    sheetRows: maxRows + 1,
    raw: kind === 'csv',
    cellDates: false,
    cellNF: true,
    dense: false,
  });
  const sheets = book.SheetNames.map((name) => {
    const sheet = book.Sheets[name];
    // Date cells are shown as days, as Excel shows them.
    for (const [address, cell] of Object.entries(sheet)) {
      if (address.startsWith('!') || typeof cell !== 'object' || cell === null) continue;
      const c = cell as XLSX.CellObject;
      if (c.t === 'n' && typeof c.v === 'number' && c.z !== undefined && XLSX.SSF.is_date(String(c.z))) {
        sheet[address] = { t: 's', v: excelSerialToIso(c.v) };
      }
    }
    const rows = XLSX.utils.sheet_to_json<CellValue[]>(sheet, { header: 1, raw: true, defval: null, blankrows: false });
    const [header = [], ...body] = rows;
    return { name, headers: headerTexts(header), rows: body.slice(0, maxRows) };
  }).filter((s) => s.headers.some((h) => h !== ''));
  return { fileName, kind, sheets };
}

/**
 * The same sheets as the Excel adapter writes: a title line, the header block (what the table was made with), a
 * note line, then the table with its number formats.
 */
export function buildWorkbook(specs: readonly SheetSpec[]): Uint8Array {
  const book = XLSX.utils.book_new();
  for (const spec of specs) {
    const headerRow = tableHeaderRow(spec);
    const aoa: (string | number | null)[][] = [[spec.title], ...(spec.header ?? []).map(([k, v]) => [k, v]), spec.note ? [spec.note] : []];
    if (spec.rows.length === 0) {
      aoa.push([spec.emptyText ?? 'Nothing to show.']);
    } else {
      aoa.push(spec.columns.map((c) => c.header));
      for (const row of spec.rows) {
        aoa.push(
          spec.columns.map((c, j) => {
            const v = row[j] ?? null;
            return c.kind === 'date' && typeof v === 'string' ? isoToExcelSerial(v) : v;
          }),
        );
      }
    }
    const sheet = XLSX.utils.aoa_to_sheet(aoa);
    if (spec.rows.length) {
      spec.columns.forEach((c, j) => {
        if (c.kind === 'text' || c.kind === 'status') return;
        for (let i = 0; i < spec.rows.length; i++) {
          const cell = sheet[XLSX.utils.encode_cell({ r: headerRow + 1 + i, c: j })];
          if (cell && cell.t === 'n') cell.z = NUMBER_FORMATS[c.kind];
        }
      });
      sheet['!cols'] = spec.columns.map((c) => ({ wch: Math.max(10, Math.min(28, c.header.length + 2)) }));
      sheet['!autofilter'] = {
        ref: XLSX.utils.encode_range({
          s: { r: headerRow, c: 0 },
          e: { r: headerRow + spec.rows.length, c: spec.columns.length - 1 },
        }),
      };
    }
    XLSX.utils.book_append_sheet(book, sheet, spec.sheetName);
  }
  return new Uint8Array(XLSX.write(book, { type: 'array', bookType: 'xlsx', compression: true }) as ArrayBuffer);
}
