// Periods of the grains sales are kept at: a day, a week (dated by its first day) or a calendar month (dated the 1st).
// Sales are stored at the grain they came in; the daily model reads a daily view of coarser series.
import type { Grain } from '../../../shared/schemas';
import type { SalesRecord } from '../sales/record';
import { formatDay, parseDay } from './dates';
import type { SeriesInput } from './frame';

export type { Grain };

/** Days in the period that starts on `start` (a week: 7; a month: its length). */
export function periodDays(start: string, grain: Grain): number {
  if (grain === 'daily') return 1;
  if (grain === 'weekly') return 7;
  const year = Number(start.slice(0, 4));
  const month = Number(start.slice(5, 7));
  return new Date(Date.UTC(year, month, 0)).getUTCDate();
}

/** The last day of the period that starts on `start`. */
export const periodEnd = (start: string, grain: Grain): string => formatDay(parseDay(start) + periodDays(start, grain) - 1);

/** The first day of the calendar month of `date`. */
export const monthStart = (date: string): string => `${date.slice(0, 7)}-01`;

/** Sums and divisions of decimals drift (0.1 + 0.2); sales figures never need more than 9 decimals. */
export const tidy = (x: number) => Math.round(x * 1e9) / 1e9;

/**
 * A series kept at a coarser grain as the daily model reads it: each period's units (and units ordered) spread evenly
 * over its days, its other values (price, promotion, stock level, ...) repeated. Daily series are returned as they are.
 * Until forecasting works at each store's own grain, this is how weekly and monthly stores are forecast.
 */
export function dailyView(series: SeriesInput, grain: Grain): SeriesInput {
  if (grain === 'daily') return series;
  const records: SalesRecord[] = [];
  for (const r of series.records) {
    const days = periodDays(r.date, grain);
    const first = parseDay(r.date);
    const units = tidy(r.unitsSold / days);
    const ordered = r.unitsOrdered === null ? null : tidy(r.unitsOrdered / days);
    for (let d = 0; d < days; d++) records.push({ ...r, date: formatDay(first + d), unitsSold: units, unitsOrdered: ordered });
  }
  return { ...series, records };
}

// ---------------------------------------------------------------- period time
// A weekly or monthly series is trained and forecast in its own periods: the pipeline (frames, lags, windows, backtest,
// recursion) counts one step per period. It runs on "period time": each period's start date is replaced by a stand-in
// day whose epoch number is the period's ordinal (weeks since 1970, months since year 0), so consecutive periods are
// consecutive stand-in days and every day-counting part of the pipeline counts periods. featureRow maps the stand-in
// back to a real date for the calendar columns (periodRealDay). Daily series are not touched.

/** The period ordinal of a period's start date: epoch day (daily), week number (weekly), month number (monthly). */
export function periodOrdinal(date: string, grain: Grain): number {
  if (grain === 'daily') return parseDay(date);
  if (grain === 'weekly') return Math.floor(parseDay(date) / 7);
  return Number(date.slice(0, 4)) * 12 + Number(date.slice(5, 7)) - 1;
}

/** periodOrdinal of an epoch day. */
export function periodOrdinalOfDay(day: number, grain: Grain): number {
  if (grain === 'daily') return day;
  if (grain === 'weekly') return Math.floor(day / 7);
  return periodOrdinal(formatDay(day), grain);
}

/** An epoch day inside the period with this ordinal (its Thursday for weeks, the 1st for months): for calendar columns. */
export function periodRealDay(ordinal: number, grain: Grain): number {
  if (grain === 'daily') return ordinal;
  if (grain === 'weekly') return ordinal * 7 + 3;
  const year = Math.floor(ordinal / 12);
  return Math.round(Date.UTC(year, ordinal - year * 12, 1) / 86_400_000);
}

/** The start date of the k-th period after the period that starts on `start` (k may be negative). */
export function addPeriods(start: string, k: number, grain: Grain): string {
  if (grain === 'daily') return formatDay(parseDay(start) + k);
  if (grain === 'weekly') return formatDay(parseDay(start) + 7 * k);
  const m = Number(start.slice(0, 4)) * 12 + Number(start.slice(5, 7)) - 1 + k;
  const year = Math.floor(m / 12);
  return `${String(year).padStart(4, '0')}-${String(m - year * 12 + 1).padStart(2, '0')}-01`;
}

/** The stand-in date of a period in period time. */
export const periodTimeDate = (date: string, grain: Grain): string => (grain === 'daily' ? date : formatDay(periodOrdinal(date, grain)));

/** The series in period time (see above); daily series are returned as they are. */
export function toPeriodTime(series: SeriesInput, grain: Grain): SeriesInput {
  if (grain === 'daily') return series;
  return { ...series, records: series.records.map((r) => ({ ...r, date: periodTimeDate(r.date, grain) })) };
}

/** The start of the period that holds `date` (weeks: counted from `anchor`, a week start of the same store). */
export function periodStartOf(date: string, grain: Grain, anchor?: string): string {
  if (grain === 'daily') return date;
  if (grain === 'monthly') return monthStart(date);
  const a = parseDay(anchor ?? date);
  const d = parseDay(date);
  return formatDay(d - ((((d - a) % 7) + 7) % 7));
}
