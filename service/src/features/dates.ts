// Calendar arithmetic on "epoch days" (days since 1970-01-01, UTC). Allocation-free so it can run in hot loops.

const MS_PER_DAY = 86_400_000;

/** Days since 1970-01-01 of a proleptic Gregorian date (Howard Hinnant's days_from_civil). */
export function daysFromCivil(y: number, m: number, d: number): number {
  y -= m <= 2 ? 1 : 0;
  const era = Math.floor(y / 400);
  const yoe = y - era * 400;
  const doy = Math.floor((153 * (m + (m > 2 ? -3 : 9)) + 2) / 5) + d - 1;
  const doe = yoe * 365 + Math.floor(yoe / 4) - Math.floor(yoe / 100) + doy;
  return era * 146097 + doe - 719468;
}

function digit(s: string, i: number): number {
  const c = s.charCodeAt(i) - 48;
  return c >= 0 && c <= 9 ? c : -1;
}

/** Parses "YYYY-MM-DD" (exactly) to an epoch day. Throws RangeError on anything else, including impossible dates. */
export function parseDay(date: string): number {
  if (typeof date !== 'string' || date.length !== 10 || date.charCodeAt(4) !== 45 || date.charCodeAt(7) !== 45) {
    throw new RangeError(`invalid date "${date}": expected YYYY-MM-DD`);
  }
  const y0 = digit(date, 0),
    y1 = digit(date, 1),
    y2 = digit(date, 2),
    y3 = digit(date, 3);
  const m0 = digit(date, 5),
    m1 = digit(date, 6),
    d0 = digit(date, 8),
    d1 = digit(date, 9);
  if ((y0 | y1 | y2 | y3 | m0 | m1 | d0 | d1) < 0) throw new RangeError(`invalid date "${date}": expected YYYY-MM-DD`);
  const y = y0 * 1000 + y1 * 100 + y2 * 10 + y3;
  const m = m0 * 10 + m1;
  const d = d0 * 10 + d1;
  if (m < 1 || m > 12 || d < 1 || d > daysInMonth(y, m)) throw new RangeError(`invalid date "${date}"`);
  return daysFromCivil(y, m, d);
}

function daysInMonth(y: number, m: number): number {
  if (m === 2) return (y % 4 === 0 && y % 100 !== 0) || y % 400 === 0 ? 29 : 28;
  return m === 4 || m === 6 || m === 9 || m === 11 ? 30 : 31;
}

/** Epoch day -> "YYYY-MM-DD". */
export function formatDay(day: number): string {
  return new Date(day * MS_PER_DAY).toISOString().slice(0, 10);
}

/** Year, month (1-12), day of month (1-31) of an epoch day, packed as y*10000 + m*100 + d (no allocation). */
export function civilPacked(day: number): number {
  const z = day + 719468;
  const era = Math.floor(z / 146097);
  const doe = z - era * 146097;
  const yoe = Math.floor((doe - Math.floor(doe / 1460) + Math.floor(doe / 36524) - Math.floor(doe / 146096)) / 365);
  const doy = doe - (365 * yoe + Math.floor(yoe / 4) - Math.floor(yoe / 100));
  const mp = Math.floor((5 * doy + 2) / 153);
  const d = doy - Math.floor((153 * mp + 2) / 5) + 1;
  const m = mp < 10 ? mp + 3 : mp - 9;
  const y = yoe + era * 400 + (m <= 2 ? 1 : 0);
  return y * 10000 + m * 100 + d;
}

/** Day of week, Monday = 0 .. Sunday = 6. */
export function dayOfWeek(day: number): number {
  return (((day + 3) % 7) + 7) % 7;
}

/** ISO-8601 week number (1..53). */
export function isoWeek(day: number): number {
  const thursday = day - dayOfWeek(day) + 3;
  const y = Math.floor(civilPacked(thursday) / 10000);
  return Math.floor((thursday - daysFromCivil(y, 1, 1)) / 7) + 1;
}

// Lookup table of calendar parts for 1900-01-01 .. 2199-12-31, built on first use (~110k days, 440 KB).
const TABLE_START = -25567; // 1900-01-01
const TABLE_END = 84006; // 2200-01-01
let partsTable: Uint8Array | null = null;

function buildPartsTable(): Uint8Array {
  const t = new Uint8Array((TABLE_END - TABLE_START) * 4);
  for (let d = TABLE_START; d < TABLE_END; d++) {
    const ymd = civilPacked(d);
    const o = (d - TABLE_START) * 4;
    t[o] = dayOfWeek(d);
    t[o + 1] = ymd % 100;
    t[o + 2] = isoWeek(d);
    t[o + 3] = Math.floor(ymd / 100) % 100;
  }
  return t;
}

/**
 * Writes day of week (Mon=0), day of month, ISO week, month of an epoch day into out[offset..offset+3].
 */
export function writeDateParts(day: number, out: Float32Array, offset: number): void {
  if (day >= TABLE_START && day < TABLE_END) {
    const t = partsTable ?? (partsTable = buildPartsTable());
    const o = (day - TABLE_START) * 4;
    out[offset] = t[o];
    out[offset + 1] = t[o + 1];
    out[offset + 2] = t[o + 2];
    out[offset + 3] = t[o + 3];
    return;
  }
  const ymd = civilPacked(day);
  out[offset] = dayOfWeek(day);
  out[offset + 1] = ymd % 100;
  out[offset + 2] = isoWeek(day);
  out[offset + 3] = Math.floor(ymd / 100) % 100;
}

/** The day `days` after `date` (YYYY-MM-DD). */
export const addDays = (date: string, days: number): string => formatDay(parseDay(date) + days);

/** Days from `from` to `to` (1 = the next day). */
export const daysAhead = (from: string, to: string): number => parseDay(to) - parseDay(from);
