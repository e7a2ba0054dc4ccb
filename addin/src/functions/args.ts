// Cell-function arguments as Excel hands them over: single values or ranges (matrices), dates as serial numbers or
// text. Everything here is pure; a bad argument throws BadArgument, which the functions turn into #VALUE!.
import type { Granularity } from '../../../shared/schemas';
import { excelSerialToIso } from '../mapping/csv';

export class BadArgument extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'BadArgument';
  }
}

export type Cell = string | number | boolean | null | undefined;
export type Grid = Cell[][];

/** A value or a range, as a matrix (Excel passes matrices for range parameters; tests may pass plain values). */
export function asGrid(value: unknown): Grid {
  if (Array.isArray(value)) {
    if (value.length === 0) return [[null]];
    return value.map((row) => (Array.isArray(row) ? (row as Cell[]) : [row as Cell]));
  }
  return [[value as Cell]];
}

export const isBlank = (v: Cell) => v === null || v === undefined || (typeof v === 'string' && v.trim() === '');

export interface Shape {
  rows: number;
  cols: number;
}

/**
 * The shape several ranges combine to, as Excel's own array arithmetic does: a single cell, row or column repeats
 * along the other dimension; two different lengths above one cannot be combined.
 */
export function broadcastShape(args: Record<string, Grid>): Shape {
  let rows = 1;
  let cols = 1;
  for (const [name, grid] of Object.entries(args)) {
    const r = grid.length;
    const c = Math.max(...grid.map((row) => row.length));
    if (r > 1) {
      if (rows > 1 && r !== rows)
        throw new BadArgument(`${name} has ${r} rows where another range has ${rows}: give ranges of the same size, or single cells`);
      rows = r;
    }
    if (c > 1) {
      if (cols > 1 && c !== cols)
        throw new BadArgument(`${name} has ${c} columns where another range has ${cols}: give ranges of the same size, or single cells`);
      cols = c;
    }
  }
  return { rows, cols };
}

/** The value of `grid` at (r, c) of the combined shape. */
export const at = (grid: Grid, r: number, c: number): Cell => {
  const row = grid.length === 1 ? grid[0] : grid[r];
  return row.length === 1 ? row[0] : row[c];
};

/** A store or product id: text, or a number written without formatting (product 1001 is "1001"). */
export function parseId(value: Cell, name: string): string {
  if (typeof value === 'number' && Number.isFinite(value)) return String(value);
  if (typeof value === 'string' && value.trim() !== '') return value.trim();
  throw new BadArgument(`${name} must be an id (text or a number), not ${describe(value)}`);
}

const ISO_DAY = /^(\d{4})-(\d{2})-(\d{2})(?:[T ][\d:.]+Z?)?$/;
/** Serial numbers from here on are dates (1000 = 1902-09-26); smaller numbers are counts of days. */
export const FIRST_DATE_SERIAL = 1000;

/** A day as YYYY-MM-DD from an Excel date serial (days since 1899-12-30; a time of day is ignored) or ISO text. */
export function parseDate(value: Cell, name: string): string {
  if (typeof value === 'number' && Number.isFinite(value)) {
    if (value < FIRST_DATE_SERIAL || value > 2_958_465) throw new BadArgument(`${name} ${value} is not a date serial number`);
    return excelSerialToIso(value);
  }
  if (typeof value === 'string') {
    const text = value.trim();
    const m = ISO_DAY.exec(text);
    if (m) {
      const day = `${m[1]}-${m[2]}-${m[3]}`;
      const parsed = new Date(`${day}T00:00:00Z`);
      if (!Number.isNaN(parsed.getTime()) && parsed.toISOString().startsWith(day)) return day;
    }
    if (/^\d+(\.\d+)?$/.test(text)) return parseDate(Number(text), name);
    throw new BadArgument(`${name} "${text}" is not a date: use a date cell, DATE(2025,7,1) or text like 2025-07-01`);
  }
  throw new BadArgument(`${name} must be a date, not ${describe(value)}`);
}

/** A whole number of days (or of other periods: `unit`) 1..max. */
export function parseDays(value: Cell, name: string, max: number, unit = 'days'): number {
  const n = typeof value === 'string' && value.trim() !== '' ? Number(value) : value;
  if (typeof n !== 'number' || !Number.isInteger(n) || n < 1 || n > max) {
    throw new BadArgument(`${name} must be a whole number of ${unit} from 1 to ${max}, not ${describe(value)}`);
  }
  return n;
}

/** A probability as a fraction (0.95) or a percent (95), like FORECAST.ETS.CONFINT's confidence_level; null when omitted. */
export function parseLevel(value: Cell, name: string): number | null {
  if (isBlank(value)) return null;
  const text = typeof value === 'string' ? value.trim() : null;
  const n = text === null ? value : text.endsWith('%') ? Number(text.slice(0, -1)) / 100 : Number(text);
  if (typeof n !== 'number' || !Number.isFinite(n) || n <= 0 || n >= 100 || n === 1) {
    throw new BadArgument(`${name} must be between 0 and 1 (0.95) or a percent (95), not ${describe(value)}`);
  }
  return n > 1 ? n / 100 : n;
}

const GRANULARITY_WORDS: Record<string, Granularity> = {
  day: 'day',
  days: 'day',
  daily: 'day',
  week: 'week',
  weeks: 'week',
  weekly: 'week',
  month: 'month',
  months: 'month',
  monthly: 'month',
};

/** Periods of an answer: "day", "week" or "month" (also plural, or "daily"...; any case); null when omitted. */
export function parseGranularity(value: Cell, name: string): Granularity | null {
  if (isBlank(value)) return null;
  const granularity = typeof value === 'string' ? GRANULARITY_WORDS[value.trim().toLowerCase()] : undefined;
  if (!granularity) throw new BadArgument(`${name} must be "day", "week" or "month", not ${describe(value)}`);
  return granularity;
}

/** A non-negative number, or null when omitted. */
export function parseQuantity(value: Cell, name: string, max = Number.MAX_SAFE_INTEGER): number | null {
  if (isBlank(value)) return null;
  const n = typeof value === 'string' ? Number(value.trim()) : value;
  if (typeof n !== 'number' || !Number.isFinite(n) || n < 0 || n > max)
    throw new BadArgument(`${name} must be a number from 0 to ${max}, not ${describe(value)}`);
  return n;
}

function describe(value: Cell): string {
  if (value === null || value === undefined || value === '') return 'an empty cell';
  if (typeof value === 'string') return `"${value.length > 40 ? `${value.slice(0, 40)}…` : value}"`;
  return String(value);
}
