// Periods as a buyer reads them: "Tue 1 Jul 2025", "Week of 7 Jul 2025", "Jul 2025" (or "16–31 Jul 2025" for a month
// begun mid-month), and past sales summed into the same periods as a forecast, so both sit side by side. Pure.
import type { ForecastPoint, Grain, Granularity, HistoryPoint } from '../../../shared/schemas';
import { historyPerDay } from './history';

const DAY_MS = 86_400_000;
const MONTHS = ['Jan', 'Feb', 'Mar', 'Apr', 'May', 'Jun', 'Jul', 'Aug', 'Sep', 'Oct', 'Nov', 'Dec'];
const WEEKDAYS = ['Sun', 'Mon', 'Tue', 'Wed', 'Thu', 'Fri', 'Sat'];

const dayMs = (iso: string) => Date.parse(`${iso}T00:00:00Z`);
const isoOf = (ms: number) => new Date(ms).toISOString().slice(0, 10);
const addDays = (iso: string, days: number) => isoOf(dayMs(iso) + days * DAY_MS);
const parts = (iso: string) => ({ year: Number(iso.slice(0, 4)), month: Number(iso.slice(5, 7)), day: Number(iso.slice(8, 10)) });
/** The last day of the calendar month of `iso`. */
const monthEnd = (iso: string) => isoOf(Date.UTC(parts(iso).year, parts(iso).month, 0));
const monthStart = (iso: string) => `${iso.slice(0, 7)}-01`;

/** "Tue 1 Jul 2025". */
export function dayLabel(iso: string): string {
  const { year, month, day } = parts(iso);
  return `${WEEKDAYS[new Date(dayMs(iso)).getUTCDay()]} ${day} ${MONTHS[month - 1]} ${year}`;
}

/** The name of a period: a day, "Week of 7 Jul 2025", "Jul 2025", or a range for a month that is not whole. */
export function periodLabel(date: string, periodEnd: string, granularity: Granularity): string {
  const from = parts(date);
  if (granularity === 'day' || date === periodEnd) return dayLabel(date);
  if (granularity === 'week') return `Week of ${from.day} ${MONTHS[from.month - 1]} ${from.year}`;
  if (date === monthStart(date) && periodEnd === monthEnd(date)) return `${MONTHS[from.month - 1]} ${from.year}`;
  const to = parts(periodEnd);
  const sameMonth = from.year === to.year && from.month === to.month;
  return sameMonth
    ? `${from.day}–${to.day} ${MONTHS[to.month - 1]} ${to.year}`
    : `${from.day} ${MONTHS[from.month - 1]} – ${to.day} ${MONTHS[to.month - 1]} ${to.year}`;
}

/** The last day of a forecast period (the service gives it for weeks and months; a day ends on itself). */
export function pointEnd(p: Pick<ForecastPoint, 'date' | 'period_end'>, granularity: Granularity): string {
  if (p.period_end) return p.period_end;
  if (granularity === 'week') return addDays(p.date, 6);
  if (granularity === 'month') return monthEnd(p.date);
  return p.date;
}

/** A store's own periods: what it answers in when no granularity is asked for. */
export const GRAIN_GRANULARITY: Record<Grain, Granularity> = { daily: 'day', weekly: 'week', monthly: 'month' };
const RANK: Record<Granularity, number> = { day: 0, week: 1, month: 2 };

/** Whether a store of this grain can answer in these periods (a weekly store's weeks say nothing of its days). */
export const canAnswerIn = (granularity: Granularity, grain: Grain) => RANK[granularity] >= RANK[GRAIN_GRANULARITY[grain]];

const UNIT: Record<Granularity, [string, string]> = { day: ['day', 'days'], week: ['week', 'weeks'], month: ['month', 'months'] };

/** "weeks" ("week" for one). */
export const periodWord = (granularity: Granularity, n = 2) => UNIT[granularity][n === 1 ? 0 : 1];

/** "1 week", "4 weeks". */
export const periodsText = (n: number, granularity: Granularity) => `${n} ${periodWord(granularity, n)}`;

/** How many periods of history to show before a forecast: 13 weeks of days, half a year of weeks, a year of months. */
export const HISTORY_PERIODS: Record<Granularity, number> = { day: 91, week: 26, month: 12 };

/** The first day of history to fetch for a forecast starting on `firstForecastDay`: whole periods before it. */
export function historyFrom(firstForecastDay: string, granularity: Granularity): string {
  const n = HISTORY_PERIODS[granularity];
  if (granularity === 'day') return addDays(firstForecastDay, -n);
  if (granularity === 'week') return addDays(firstForecastDay, -7 * n);
  const { year, month } = parts(firstForecastDay);
  return isoOf(Date.UTC(year, month - 1 - n, 1));
}

export interface PeriodSales {
  date: string;
  period_end: string;
  units_sold: number;
}

/**
 * Past sales in the periods of a forecast: 7-day weeks counted back from its first day, or calendar months (the
 * one it starts in cut at the day before). Weekly or monthly records are first spread evenly over their days. A
 * period that starts before `from` (the history asked for) is left out, as only part of it was fetched.
 */
export function salesInPeriods(
  history: readonly HistoryPoint[],
  firstForecastDay: string,
  granularity: Granularity,
  from?: string,
): PeriodSales[] {
  const days = historyPerDay(history).filter((h) => h.date < firstForecastDay);
  const periods = new Map<string, PeriodSales>();
  const first = dayMs(firstForecastDay);
  for (const h of days) {
    let start = h.date;
    let end = h.date;
    if (granularity === 'week') {
      const back = Math.ceil((first - dayMs(h.date)) / DAY_MS / 7);
      start = addDays(firstForecastDay, -7 * back);
      end = addDays(start, 6);
    } else if (granularity === 'month') {
      start = monthStart(h.date);
      const last = monthEnd(h.date);
      end = last < firstForecastDay ? last : addDays(firstForecastDay, -1);
    }
    if (from !== undefined && start < from) continue;
    const period = periods.get(start) ?? { date: start, period_end: end, units_sold: 0 };
    period.units_sold += h.units_sold;
    periods.set(start, period);
  }
  return [...periods.values()].sort((a, b) => a.date.localeCompare(b.date));
}
