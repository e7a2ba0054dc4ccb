// Workbook cells to CSV for /upload_data: RFC 4180 quoting, Excel date serials in the date column written as ISO days.
export type CellValue = string | number | boolean | null | undefined;

const DAY_MS = 86_400_000;
/** Day 0 of Excel's 1900 date system as used by serials above 60 (the fictitious 1900-02-29 included). */
const EXCEL_EPOCH_MS = Date.UTC(1899, 11, 30);

export function excelSerialToIso(serial: number): string {
  return new Date(EXCEL_EPOCH_MS + Math.floor(serial) * DAY_MS).toISOString().slice(0, 10);
}

export function isoToExcelSerial(iso: string): number {
  return Math.round((Date.parse(`${iso}T00:00:00Z`) - EXCEL_EPOCH_MS) / DAY_MS);
}

/** A serial that is a plausible sales day (1954..2119): only those are turned into dates. */
const plausibleSerial = (v: number) => Number.isFinite(v) && v >= 20_000 && v <= 80_000;

function csvField(value: CellValue): string {
  if (value === null || value === undefined) return '';
  const text = typeof value === 'boolean' ? (value ? 'TRUE' : 'FALSE') : String(value);
  return /[",\r\n]/.test(text) || /^\s|\s$/.test(text) ? `"${text.replace(/"/g, '""')}"` : text;
}

export function csvLine(cells: readonly CellValue[], dateColumns: ReadonlySet<number> = new Set()): string {
  return cells
    .map((cell, i) => (dateColumns.has(i) && typeof cell === 'number' && plausibleSerial(cell) ? excelSerialToIso(cell) : csvField(cell)))
    .join(',');
}

/** True when every cell is empty: trailing blank rows of a used range are dropped. */
export const isBlankRow = (cells: readonly CellValue[]) => cells.every((c) => c === null || c === undefined || c === '');

/** Headers as text; blank header cells stay '' (the service ignores unnamed columns). */
export const headerTexts = (cells: readonly CellValue[]) => cells.map((c) => (c === null || c === undefined ? '' : String(c).trim()));
