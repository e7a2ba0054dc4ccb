// Date cells -> YYYY-MM-DD. Day/month order is decided once for the whole column, never per row.
import type { DateOrder } from '../../../shared/schemas';
import { AppError } from '../errors';
import { showCell } from './cells';
import { Problems, cellError } from './problems';

export type DateKey = string | number | Date;

/** ymd: the order is known. xy: year last, the first two parts are day/month in an order yet to be decided. */
type Parsed =
  | { kind: 'ymd'; y: number; m: number; d: number; time: boolean }
  | { kind: 'xy'; y: number; a: number; b: number; time: boolean }
  /** Three parts of one or two digits ("05/02/10"): a two-digit year, read only in an order the request states. */
  | { kind: 'short'; a: number; b: number; c: number; time: boolean }
  | { kind: 'bad' };

const DAY_MS = 86_400_000;
const TIME = String.raw`(\d{1,2}):(\d{2})(?::(\d{2})(?:[.,]\d+)?)?\s*([AaPp]\.?[Mm]\.?)?\s*(?:Z|UTC|GMT|[+-]\d{2}(?::?\d{2})?)?`;
const YEAR_FIRST = new RegExp(String.raw`^(\d{4})([-/.])(\d{1,2})\2(\d{1,2})(?:(?:T|\s+)${TIME})?$`);
const YEAR_LAST = new RegExp(String.raw`^(\d{1,2})([-/.])(\d{1,2})\2(\d{4})(?:(?:T|\s+|,\s*)${TIME})?$`);
const SHORT_YEAR = new RegExp(String.raw`^(\d{1,2})([-/.])(\d{1,2})\2(\d{2})(?:(?:T|\s+|,\s*)${TIME})?$`);
const COMPACT = /^(\d{4})(\d{2})(\d{2})$/;
const SERIAL = /^\d{5}(?:\.\d+)?$/;
const DAY_MONTH_NAME = new RegExp(
  String.raw`^(\d{1,2})(?:st|nd|rd|th)?[-\s/.]+([A-Za-z]{3,9})\.?[-\s/.,]+(\d{4})(?:(?:T|\s+|,\s*)${TIME})?$`,
);
const MONTH_NAME_DAY = new RegExp(
  String.raw`^([A-Za-z]{3,9})\.?[-\s/.]+(\d{1,2})(?:st|nd|rd|th)?,?[-\s/.]+(\d{4})(?:(?:T|\s+|,\s*)${TIME})?$`,
);
const MONTHS = ['jan', 'feb', 'mar', 'apr', 'may', 'jun', 'jul', 'aug', 'sep', 'oct', 'nov', 'dec'];

function monthFromName(name: string): number {
  const lower = name.toLowerCase();
  const i = MONTHS.indexOf(lower.slice(0, 3));
  if (i < 0) return 0;
  // "Sept" and full names are fine, "Janx" is not.
  const full = ['january', 'february', 'march', 'april', 'may', 'june', 'july', 'august', 'september', 'october', 'november', 'december'][
    i
  ];
  return full.startsWith(lower) || lower === 'sept' ? i + 1 : 0;
}

function hasTime(m: RegExpMatchArray, at: number): boolean {
  if (m[at] === undefined) return false;
  let h = Number(m[at]);
  const ampm = m[at + 3]?.[0]?.toLowerCase();
  if (ampm === 'a' && h === 12) h = 0;
  return h !== 0 || Number(m[at + 1]) !== 0 || Number(m[at + 2] ?? 0) !== 0 || ampm === 'p';
}

function fromSerial(serial: number, date1904: boolean): Parsed {
  if (!(serial >= 1 && serial < 2_958_466)) return { kind: 'bad' };
  const days = Math.floor(serial);
  // Excel's 1900 system counts the non-existent 1900-02-29, hence the 1899-12-30 epoch.
  const epoch = date1904 ? Date.UTC(1904, 0, 1) : Date.UTC(1899, 11, 30);
  const d = new Date(epoch + days * DAY_MS);
  return { kind: 'ymd', y: d.getUTCFullYear(), m: d.getUTCMonth() + 1, d: d.getUTCDate(), time: serial - days > 1e-9 };
}

function parseKey(key: DateKey, date1904: boolean): Parsed {
  if (key instanceof Date) {
    const t = key.getTime();
    if (Number.isNaN(t)) return { kind: 'bad' };
    return { kind: 'ymd', y: key.getUTCFullYear(), m: key.getUTCMonth() + 1, d: key.getUTCDate(), time: t % DAY_MS !== 0 };
  }
  if (typeof key === 'number') {
    const c = COMPACT.exec(String(key));
    if (c) return { kind: 'ymd', y: +c[1], m: +c[2], d: +c[3], time: false };
    return fromSerial(key, date1904);
  }
  const s = key.trim();
  let m = YEAR_FIRST.exec(s);
  if (m) return { kind: 'ymd', y: +m[1], m: +m[3], d: +m[4], time: hasTime(m, 5) };
  m = YEAR_LAST.exec(s);
  if (m) return { kind: 'xy', y: +m[4], a: +m[1], b: +m[3], time: hasTime(m, 5) };
  m = SHORT_YEAR.exec(s);
  if (m) return { kind: 'short', a: +m[1], b: +m[3], c: +m[4], time: hasTime(m, 5) };
  m = COMPACT.exec(s);
  if (m) return { kind: 'ymd', y: +m[1], m: +m[2], d: +m[3], time: false };
  // Serials typed as text are only believable as recent dates (1970-2099); other 5-digit numbers are not dates.
  if (SERIAL.test(s) && Number(s) >= 25_569 && Number(s) < 73_051) return fromSerial(Number(s), date1904);
  m = DAY_MONTH_NAME.exec(s);
  if (m) return { kind: 'ymd', y: +m[3], m: monthFromName(m[2]), d: +m[1], time: hasTime(m, 4) };
  m = MONTH_NAME_DAY.exec(s);
  if (m) return { kind: 'ymd', y: +m[3], m: monthFromName(m[1]), d: +m[2], time: hasTime(m, 4) };
  return { kind: 'bad' };
}

/** Epoch day of a real calendar day, or NaN. */
function dayNumber(y: number, m: number, d: number): number {
  if (y < 1000 || y > 9999 || m < 1 || m > 12 || d < 1 || d > 31) return NaN;
  const t = Date.UTC(y, m - 1, d);
  const back = new Date(t);
  if (back.getUTCMonth() !== m - 1) return NaN;
  return t / DAY_MS;
}

/** Two-digit years: 00-69 are 2000-2069, 70-99 are 1970-1999 (as Excel reads them). */
const fullYear = (yy: number) => (yy < 70 ? 2000 + yy : 1900 + yy);

function dayOf(p: Parsed, order: 'DMY' | 'MDY' | 'YMD'): number {
  if (p.kind === 'ymd') return dayNumber(p.y, p.m, p.d);
  if (p.kind === 'short') {
    if (order === 'YMD') return dayNumber(fullYear(p.a), p.b, p.c);
    return order === 'DMY' ? dayNumber(fullYear(p.c), p.b, p.a) : dayNumber(fullYear(p.c), p.a, p.b);
  }
  if (p.kind === 'bad' || order === 'YMD') return NaN;
  return order === 'DMY' ? dayNumber(p.y, p.b, p.a) : dayNumber(p.y, p.a, p.b);
}

const pad = (n: number) => (n < 10 ? `0${n}` : String(n));
function isoOfDay(day: number): string {
  const d = new Date(day * DAY_MS);
  return `${d.getUTCFullYear()}-${pad(d.getUTCMonth() + 1)}-${pad(d.getUTCDate())}`;
}

export interface ResolvedDates {
  /** Per distinct key: YYYY-MM-DD. */
  iso: string[];
  /** Per distinct key: epoch day. */
  day: Int32Array;
  /** Some value carries a time of day other than midnight: the rows are transactions, not daily totals. */
  hasTime: boolean;
  warning: string | null;
}

export interface DateColumnInput {
  column: string;
  keys: DateKey[];
  /** Per key: the first few rows (file row numbers, in order) that have it, and how many rows do. */
  keyRows: number[][];
  keyCounts: number[];
  /** Rows whose date cell is empty. */
  emptyRows: Problems;
  order?: DateOrder;
  date1904?: boolean;
}

const ORDER_WORDS = { DMY: 'day-month-year', MDY: 'month-day-year' } as const;

export function resolveDates(input: DateColumnInput): ResolvedDates {
  const { column, keys } = input;
  const parsed = keys.map((k) => parseKey(k, input.date1904 ?? false));
  if (!input.order) refuseShortYears(input, parsed);
  const order = input.order ? { order: input.order, warning: null } : chooseOrder(input, parsed);

  const day = new Int32Array(keys.length);
  const iso: string[] = new Array(keys.length);
  const bad = new Uint8Array(keys.length);
  let anyBad = false;
  let hasTime = false;
  const isoCache = new Map<number, string>();
  parsed.forEach((p, i) => {
    const n = dayOf(p, order.order);
    if (Number.isNaN(n)) {
      bad[i] = 1;
      anyBad = true;
      iso[i] = '';
      return;
    }
    day[i] = n;
    let s = isoCache.get(n);
    if (s === undefined) isoCache.set(n, (s = isoOfDay(n)));
    iso[i] = s;
    if (p.kind !== 'bad' && p.time) hasTime = true;
  });

  const empty = input.emptyRows.count > 0;
  if (anyBad || empty) {
    const problems = rowsOfKeys(input, (id) => bad[id] === 1, true);
    if (problems.count > 0) {
      const forced = input.order === 'YMD' ? ' (date_format=YMD was sent, so dates must start with the year)' : '';
      throw cellError(
        'invalid_date',
        column,
        problems,
        empty && !anyBad ? 'empty dates' : 'dates that cannot be read',
        `Every row needs a real calendar date, e.g. 2022-01-31, 31-01-2022 or 01/31/2022${forced}.`,
      );
    }
  }
  return { iso, day, hasTime, warning: order.warning };
}

/**
 * The rows whose key matches (and the empty ones, when asked), first rows in file order: the first rows of all
 * such rows are among the first rows of their keys, so the per-key rows suffice.
 */
export function rowsOfKeys(
  input: Pick<DateColumnInput, 'keys' | 'keyRows' | 'keyCounts' | 'emptyRows'>,
  matches: (id: number) => boolean,
  withEmpty = false,
): Problems {
  const found: { row: number; value: string }[] = [];
  let count = 0;
  input.keys.forEach((key, id) => {
    if (!matches(id)) return;
    count += input.keyCounts[id];
    for (const row of input.keyRows[id]) found.push({ row, value: showCell(key) });
  });
  if (withEmpty) {
    count += input.emptyRows.count;
    input.emptyRows.rows.forEach((row, i) => found.push({ row, value: input.emptyRows.values[i] }));
  }
  found.sort((a, b) => a.row - b.row);
  const problems = new Problems();
  for (const f of found) problems.add(f.row, f.value);
  problems.count = count;
  return problems;
}

/** The per-key rows of a column given as one key id per row (-1 empty), for readers that hold all their rows. */
export function keyRowsOf(
  keyCount: number,
  ids: ArrayLike<number>,
  rowNumbers: ArrayLike<number>,
): Pick<DateColumnInput, 'keyRows' | 'keyCounts' | 'emptyRows'> {
  const keyRows: number[][] = Array.from({ length: keyCount }, () => []);
  const keyCounts: number[] = new Array<number>(keyCount).fill(0);
  const emptyRows = new Problems();
  for (let r = 0; r < ids.length; r++) {
    const id = ids[r];
    if (id < 0) emptyRows.add(rowNumbers[r], showCell(null));
    else if (keyCounts[id]++ < 5) keyRows[id].push(rowNumbers[r]);
  }
  return { keyRows, keyCounts, emptyRows };
}

/** Without date_format, "05/02/10" could be any of three days: say so, with what each order would make of it. */
function refuseShortYears(input: DateColumnInput, parsed: Parsed[]): void {
  const first = parsed.findIndex((p) => p.kind === 'short');
  if (first < 0) return;
  const row = input.keyRows[first][0];
  const value = showCell(input.keys[first]);
  const reading = (order: 'DMY' | 'MDY' | 'YMD') => {
    const day = dayOf(parsed[first], order);
    if (Number.isNaN(day)) return 'not a date';
    return new Date(day * DAY_MS).toLocaleDateString('en-GB', { timeZone: 'UTC', day: 'numeric', month: 'long', year: 'numeric' });
  };
  throw new AppError(
    422,
    'ambiguous_date',
    `Column "${input.column}" has dates with two-digit years, such as "${value}" (row ${row}), so which part is the day, ` +
      `the month and the year is not certain. Send date_format=DMY for day-month-year (${reading('DMY')}), ` +
      `date_format=MDY for month-day-year (${reading('MDY')}) or date_format=YMD for year-month-day (${reading('YMD')}); ` +
      'years 00-69 are read as 2000-2069 and 70-99 as 1970-1999. Or write the years with four digits.',
    { column: input.column, rows: [row], values: [value] },
  );
}

function chooseOrder(input: DateColumnInput, parsed: Parsed[]): { order: 'DMY' | 'MDY' | 'YMD'; warning: string | null } {
  let dayFirst = -1;
  let monthFirst = -1;
  let undecided = -1;
  // Keys are in order of first appearance, so each index is the earliest row of its kind.
  parsed.forEach((p, i) => {
    if (p.kind !== 'xy' || p.a === p.b) return;
    const firstBig = p.a > 12;
    const secondBig = p.b > 12;
    // Both over 12 is no evidence either way: the value is invalid under any order.
    if (firstBig && !secondBig) {
      if (dayFirst < 0) dayFirst = i;
    } else if (secondBig && !firstBig) {
      if (monthFirst < 0) monthFirst = i;
    } else if (!firstBig && undecided < 0) undecided = i;
  });
  if (dayFirst >= 0 && monthFirst >= 0) {
    const p = new Problems();
    const rowOf = (id: number) => input.keyRows[id][0];
    for (const id of [dayFirst, monthFirst]) p.add(rowOf(id), showCell(input.keys[id]));
    throw new AppError(
      422,
      'invalid_date',
      `Column "${input.column}" mixes day-first dates (row ${p.rows[0]}: "${p.values[0]}") and month-first dates ` +
        `(row ${p.rows[1]}: "${p.values[1]}"). Use one date format throughout the column.`,
      { column: input.column, rows: p.rows, values: p.values },
    );
  }
  if (dayFirst >= 0) return { order: 'DMY', warning: null };
  if (monthFirst >= 0) return { order: 'MDY', warning: null };
  // Without an undecided value both orders give the same dates.
  if (undecided < 0) return { order: 'DMY', warning: null };

  const dmy = regularity(parsed, 'DMY');
  const mdy = regularity(parsed, 'MDY');
  const cmp = compareRegularity(dmy, mdy);
  const undecidedKey = input.keys[undecided];
  // Day.month.year is how every country that writes dates with dots writes them; month-first dates use / or -.
  if (cmp === 0 && typeof undecidedKey === 'string' && /^\d{1,2}\.\d{1,2}\.\d{4}/.test(undecidedKey.trim())) {
    return { order: 'DMY', warning: null };
  }
  if (cmp === 0) {
    const row = input.keyRows[undecided][0];
    const value = showCell(input.keys[undecided]);
    const p = parsed[undecided] as { a: number; b: number; y: number };
    const name = (m: number, d: number) =>
      new Date(Date.UTC(p.y, m - 1, d)).toLocaleDateString('en-GB', { timeZone: 'UTC', day: 'numeric', month: 'long', year: 'numeric' });
    throw new AppError(
      422,
      'ambiguous_date',
      `Column "${input.column}" has dates such as "${value}" (row ${row}) that could be day-month-year (${name(p.b, p.a)}) ` +
        `or month-day-year (${name(p.a, p.b)}), and the file does not show which. Send date_format=DMY or date_format=MDY.`,
      { column: input.column, rows: [row], values: [value] },
    );
  }
  const order = cmp > 0 ? 'DMY' : 'MDY';
  const other = order === 'DMY' ? 'MDY' : 'DMY';
  return {
    order,
    warning:
      `Dates in column "${input.column}" such as "${showCell(input.keys[undecided])}" were read as ${ORDER_WORDS[order]} ` +
      `because that spaces them most evenly; send date_format=${other} if they are ${ORDER_WORDS[other]}.`,
  };
}

interface Regularity {
  /** How many gaps between consecutive distinct dates equal the most common gap. */
  modal: number;
  /** That gap is a day or a week. */
  usual: boolean;
  median: number;
}

function regularity(parsed: Parsed[], order: 'DMY' | 'MDY'): Regularity {
  const days = [...new Set(parsed.map((p) => dayOf(p, order)).filter((d) => !Number.isNaN(d)))].sort((x, y) => x - y);
  const counts = new Map<number, number>();
  const gaps: number[] = [];
  for (let i = 1; i < days.length; i++) {
    const g = days[i] - days[i - 1];
    gaps.push(g);
    counts.set(g, (counts.get(g) ?? 0) + 1);
  }
  let modal = 0;
  let gap = 0;
  for (const [g, c] of counts) {
    if (c > modal || (c === modal && g < gap)) {
      modal = c;
      gap = g;
    }
  }
  gaps.sort((x, y) => x - y);
  return { modal, usual: gap === 1 || gap === 7, median: gaps.length ? gaps[gaps.length >> 1] : 0 };
}

/** >0 when `a` is the more regular reading, <0 for `b`, 0 when nothing tells them apart. */
function compareRegularity(a: Regularity, b: Regularity): number {
  if (a.modal !== b.modal) return a.modal - b.modal;
  if (a.usual !== b.usual) return a.usual ? 1 : -1;
  return b.median - a.median;
}
