// Cell -> number / boolean / id / text. Each returns `undefined` for a value that must be rejected.
import type { Cell } from './cells';

const SIMPLE = /^-?\d+(?:\.\d+)?$/;
const PLAIN = /^[-+]?(?:\d+\.?\d*|\.\d+)(?:[eE][-+]?\d+)?$/;
// A leading 0 is never a thousands group: "0,750" is three quarters (a decimal comma), not 750.
const THOUSANDS = /^(?:0|[1-9]\d{0,2}(?:,\d{3})+)(?:\.\d*)?$/;
const THOUSANDS_DOT_DECIMAL_COMMA = /^[1-9]\d{0,2}(?:\.\d{3})+(?:,\d*)?$/;
const DECIMAL_COMMA = /^\d+,\d*$/;
// With a decimal comma, dots can only group thousands: "1.234" is 1234, "1.234.567" 1234567.
const THOUSANDS_DOT = /^[1-9]\d{0,2}(?:\.\d{3})+$/;
// "1.234" alone: a thousands dot or a decimal point with three decimals. The column decides (see dotReading).
const ONE_THOUSANDS_DOT = /^[-+(]?\s*[$£€]?\s*[1-9]\d{0,2}\.\d{3}\s*[$£€%]?\s*\)?$/;
// A dot that cannot group thousands ("1.5", "0.750", "12.3456"): a decimal point.
const DECIMAL_DOT = /^[-+(]?\s*[$£€]?\s*\d*\.\d+\s*[$£€%]?\s*\)?$/;

/**
 * null for an empty cell, undefined when the cell is not a number. With `decimalComma` (files whose fields are
 * separated by semicolons, as European spreadsheets export them), "2,49" is 2.49, "1.234,5" is 1234.5 and "1.234"
 * is 1234 (dots group thousands); a dot that cannot group thousands is a decimal point, so "0.75" stays 0.75.
 */
export function parseNumber(cell: Cell, decimalComma = false): number | null | undefined {
  if (typeof cell === 'string') {
    // Most cells of real files are plain decimals: test those before any clean-up.
    if (SIMPLE.test(cell) && !(decimalComma && cell.includes('.'))) return Number(cell);
    return parseNumberText(cell, decimalComma);
  }
  if (cell === null) return null;
  if (typeof cell === 'number') return Number.isFinite(cell) ? cell : undefined;
  return undefined;
}

function parseNumberText(raw: string, decimalComma = false): number | null | undefined {
  let s = raw.trim();
  if (s === '') return null;
  let negative = false;
  // Accounting negatives: (12.50)
  if (s.startsWith('(') && s.endsWith(')')) {
    negative = true;
    s = s.slice(1, -1).trim();
  }
  if (s.startsWith('-') || s.startsWith('+')) {
    negative = negative !== (s[0] === '-');
    s = s.slice(1).trimStart();
  }
  if (/^[$£€]/.test(s)) s = s.slice(1).trimStart();
  else if (/[$£€]$/.test(s)) s = s.slice(0, -1).trimEnd(); // "2,49 €"
  if (!negative && s.startsWith('-')) {
    negative = true;
    s = s.slice(1);
  }
  if (s.endsWith('%')) s = s.slice(0, -1).trimEnd();
  if (decimalComma && s.includes(',')) {
    if (THOUSANDS_DOT_DECIMAL_COMMA.test(s)) s = s.replace(/\./g, '').replace(',', '.');
    else if (DECIMAL_COMMA.test(s)) s = s.replace(',', '.');
    else return undefined;
  } else if (decimalComma && THOUSANDS_DOT.test(s)) s = s.replace(/\./g, '');
  else if (THOUSANDS.test(s)) s = s.replace(/,/g, '');
  if (!PLAIN.test(s) || /^[-+]/.test(s)) return undefined;
  const n = Number(s);
  if (!Number.isFinite(n)) return undefined;
  return negative ? -n : n;
}

/**
 * In a decimal-comma column, how a text cell uses a dot: 'either' for one dot before three digits ("1.234": 1234
 * with a thousands dot, or 1.234 with a decimal point), 'decimal' for a dot that can only be a decimal point
 * ("1.5", "0.750"), null otherwise. A column holding both cannot be read one way.
 */
export function dotReading(cell: Cell): 'either' | 'decimal' | null {
  if (typeof cell !== 'string' || !cell.includes('.') || cell.includes(',')) return null;
  const s = cell.trim();
  if (ONE_THOUSANDS_DOT.test(s)) return 'either';
  return DECIMAL_DOT.test(s) ? 'decimal' : null;
}

const TRUE_WORDS = new Set(['1', 'true', 'yes', 'y', 't']);
const FALSE_WORDS = new Set(['0', 'false', 'no', 'n', 'f']);

export function parseBoolean(cell: Cell): boolean | null | undefined {
  if (typeof cell === 'boolean') return cell;
  if (typeof cell === 'number') return Number.isFinite(cell) ? cell > 0 : undefined;
  if (cell === null) return null;
  if (typeof cell !== 'string') return undefined;
  const s = cell.trim().toLowerCase();
  if (s === '') return null;
  if (TRUE_WORDS.has(s)) return true;
  if (FALSE_WORDS.has(s)) return false;
  const n = parseNumberText(s);
  return n === undefined || n === null ? undefined : n > 0;
}

// Characters that make Excel (or the add-in writing back to a sheet) treat the text as a formula.
const FORMULA_START = /^[=+@\t\r]/;

/**
 * Store and product ids: trimmed text; numbers as their shortest text ("2", not "2.0").
 * null when empty, undefined when the id could act as a formula.
 */
export function parseId(cell: Cell): string | null | undefined {
  if (typeof cell === 'string') {
    if (FORMULA_START.test(cell)) return undefined;
    // One spelling per id: "Käse" typed on a Mac (decomposed ä) and on Windows (composed) is one product.
    const s = cell.trim().normalize('NFC');
    if (s === '') return null;
    if (FORMULA_START.test(s)) return undefined;
    // Exports through float columns (pandas) turn 17850 into "17850.0"; they are the same id.
    return /^-?\d+\.0+$/.test(s) ? s.slice(0, s.indexOf('.')) : s;
  }
  return otherText(cell);
}

/** Category, region: trimmed text, null when empty. */
export function parseText(cell: Cell): string | null {
  if (typeof cell === 'string') {
    const s = cell.trim();
    return s === '' ? null : s;
  }
  return otherText(cell);
}

function otherText(cell: Cell): string | null {
  if (cell === null) return null;
  if (typeof cell === 'number') return String(cell);
  if (typeof cell === 'boolean') return cell ? 'TRUE' : 'FALSE';
  if (cell instanceof Date) return isoDateTime(cell);
  return String(cell);
}

const CANONICAL_NUMBER = /^-?(?:0|[1-9]\d{0,14})(?:\.\d+)?$/;

/**
 * A non-canonical column's cell for `extra`: numbers as numbers, text as text, undefined when empty.
 * Only canonical decimals become numbers so that codes like "00123" keep their leading zeros.
 */
export function parseExtra(cell: Cell): string | number | undefined {
  if (typeof cell === 'string') {
    const s = cell.trim();
    if (s === '') return undefined;
    return CANONICAL_NUMBER.test(s) ? Number(s) : s;
  }
  if (typeof cell === 'number') return Number.isFinite(cell) ? cell : undefined;
  return otherText(cell) ?? undefined;
}

function isoDateTime(d: Date): string {
  if (Number.isNaN(d.getTime())) return 'Invalid Date';
  const iso = d.toISOString();
  return iso.endsWith('T00:00:00.000Z') ? iso.slice(0, 10) : iso.slice(0, 19);
}
