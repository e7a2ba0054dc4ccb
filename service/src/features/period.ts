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
