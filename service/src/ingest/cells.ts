// The value of one cell after reading, whatever the file type: CSV gives strings, XLSX any of these.
export type Cell = string | number | boolean | Date | null;

/** A cell as a user would recognise it in an error message. */
export function showCell(cell: Cell): string {
  if (cell === null || cell === '') return '(empty)';
  if (cell instanceof Date) return Number.isNaN(cell.getTime()) ? '(invalid date)' : cell.toISOString().replace('T00:00:00.000Z', '');
  if (typeof cell === 'boolean') return cell ? 'TRUE' : 'FALSE';
  const text = String(cell);
  return text.length > 60 ? `${text.slice(0, 57)}...` : text;
}

export function isBlank(cell: Cell): boolean {
  if (cell === null) return true;
  if (typeof cell === 'string') return cell.length === 0 || cell.trim().length === 0;
  return false;
}

/** Spreadsheet column letter for a 0-based column index (0 -> A, 26 -> AA). */
export function columnLetter(index: number): string {
  let n = index + 1;
  let out = '';
  while (n > 0) {
    const r = (n - 1) % 26;
    out = String.fromCharCode(65 + r) + out;
    n = Math.floor((n - 1) / 26);
  }
  return out;
}

export const fmt = (n: number): string => n.toLocaleString('en-US');

/** "1 row", "12 rows", "1,234 rows" */
export const plural = (n: number, noun: string): string => `${fmt(n)} ${noun}${n === 1 ? '' : 's'}`;

/** Lets requests that came in meanwhile (/ready, /stores during a large upload) be answered before going on. */
export const letOthersIn = () => new Promise<void>((resolve) => setImmediate(resolve));
