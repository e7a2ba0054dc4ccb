// Answers in the periods a buyer asks for: a store's forecast (in its own periods) summed into days, weeks or months,
// with intervals of each period's total from the forecast's error model (not sums of per-period quantiles). Pure.
import type { Granularity } from '../../../shared/schemas';
import { AppError } from '../errors';
import { addDays, daysAhead, formatDay, parseDay, periodDays, periodStartOf, type Grain } from '../features/index';
import { periodDemand, periodQuantile, type IntervalModel } from '../forecast/index';

const FINEST: Record<Grain, Granularity> = { daily: 'day', weekly: 'week', monthly: 'month' };
const RANK: Record<Granularity, number> = { day: 0, week: 1, month: 2 };

/** The granularity of an answer: the one asked for, else the store's own; finer than the store's is refused. */
export function granularityFor(asked: Granularity | undefined, grain: Grain, storeId: string): Granularity {
  const own = FINEST[grain];
  if (asked === undefined) return own;
  if (RANK[asked] < RANK[own]) {
    throw new AppError(
      422,
      'granularity_too_fine',
      `Store "${storeId}" holds ${grain} sales, so it can be forecast in ${grain === 'weekly' ? 'weeks or months' : 'months'}, not in ${asked}s: a ${grain === 'weekly' ? 'week' : 'month'}'s total says nothing about which day sold. Ask with granularity "${own}".`,
      { field: 'granularity', allowed: grain === 'weekly' ? ['week', 'month'] : ['month'] },
    );
  }
  return asked;
}

export interface AnswerPeriod {
  date: string;
  period_end: string;
  days: number;
}

/** `count` periods of the granularity from the day `start`: days, 7-day weeks, or calendar months (the first may be partial). */
export function answerPeriods(start: string, granularity: Granularity, count: number): AnswerPeriod[] {
  const out: AnswerPeriod[] = [];
  let at = start;
  for (let k = 0; k < count; k++) {
    let days = 1;
    if (granularity === 'week') days = 7;
    if (granularity === 'month') days = periodDays(`${at.slice(0, 7)}-01`, 'monthly') - Number(at.slice(8, 10)) + 1;
    const end = addDays(at, days - 1);
    out.push({ date: at, period_end: end, days });
    at = addDays(end, 1);
  }
  return out;
}

/** Periods of the granularity that cover `days` days from `start`. */
export function periodsCovering(start: string, granularity: Granularity, days: number): number {
  if (granularity === 'day') return days;
  if (granularity === 'week') return Math.ceil(days / 7);
  const last = addDays(start, days - 1);
  return (Number(last.slice(0, 4)) - Number(start.slice(0, 4))) * 12 + Number(last.slice(5, 7)) - Number(start.slice(5, 7)) + 1;
}

/** Store periods from the day after `lastDate` that must be forecast to cover every day up to `end`. */
export function storePeriodsTo(lastDate: string, end: string, grain: Grain): number {
  const days = daysAhead(lastDate, end);
  if (grain === 'daily') return days;
  if (grain === 'weekly') return Math.ceil(days / 7);
  return periodsCovering(addDays(lastDate, 1), 'month', days);
}

/**
 * The store's forecast (values per store period, period k starting at `dates[k]`) as daily shares: for each day from
 * the day after the last stored day, the store period it falls in and the share of that period's units.
 */
function dayShares(dates: string[], grain: Grain): { step: number; share: number }[] {
  const out: { step: number; share: number }[] = [];
  dates.forEach((d, k) => {
    const n = periodDays(d, grain);
    for (let j = 0; j < n; j++) out.push({ step: k, share: 1 / n });
  });
  return out;
}

/** Expected units per day from a store-period forecast (a week's units spread evenly over its days). */
export function dailyPath(values: number[], dates: string[], grain: Grain): number[] {
  if (grain === 'daily') return values;
  return dayShares(dates, grain).map(({ step, share }) => values[step] * share);
}

/**
 * Each answer period's expected units and interval bounds. `firstDay` is the day after the last stored day (the first
 * day of store period 0). A period's total is the sum of the store periods it covers (shares of them, where it covers
 * part of one); its interval comes from the error model of that sum (periodDemand).
 */
export function aggregate(
  path: { values: number[]; dates: string[] },
  grain: Grain,
  firstDay: string,
  periods: AnswerPeriod[],
  levels: number[],
  intervals: IntervalModel,
): { date: string; period_end: string; days: number; expected: number; intervals: { level: number; lower: number; upper: number }[] }[] {
  const shares = dayShares(path.dates, grain);
  const first = parseDay(firstDay);
  return periods.map((p) => {
    const from = parseDay(p.date) - first;
    const byStep = new Map<number, number>();
    for (let d = from; d < from + p.days; d++) {
      const s = shares[d];
      if (!s) throw new RangeError(`day ${formatDay(first + d)} is beyond the forecast`);
      byStep.set(s.step, (byStep.get(s.step) ?? 0) + s.share);
    }
    const steps = [...byStep.keys()].sort((a, b) => a - b);
    const parts = steps.map((k) => path.values[k] * byStep.get(k)!);
    const expected = parts.reduce((a, b) => a + b, 0);
    const total = periodDemand(intervals, parts, steps[0] + 1);
    return {
      date: p.date,
      period_end: p.period_end,
      days: p.days,
      expected,
      intervals: levels.map((level) => {
        const tail = (1 - level) / 2;
        return {
          level: levelPercent(level),
          lower: round(Math.max(0, Math.min(expected, periodQuantile(total, tail)))),
          upper: round(Math.max(expected, periodQuantile(total, 1 - tail))),
        };
      }),
    };
  });
}

/** Expected units per period of the granularity, from daily units starting on `start`. */
export function periodTotals(daily: number[], start: string, granularity: Granularity) {
  const periods = answerPeriods(start, granularity, periodsCovering(start, granularity, daily.length));
  let t = 0;
  return periods.map((p) => {
    let sum = 0;
    for (let j = 0; j < p.days && t < daily.length; j++, t++) sum += daily[t];
    return { date: p.date, period_end: p.period_end, expected_demand: round(sum) };
  });
}

/**
 * Day lengths of the store periods from the day `from` (the first may be cut short by `from`) over `days` days;
 * `anchor` is a start of one of the store's periods (its weeks may start on any weekday).
 */
export function periodLengthsFrom(from: string, grain: Grain, days: number, anchor: string): number[] {
  const out: number[] = [];
  let at = from;
  for (let covered = 0; covered < days;) {
    const start = periodStartOf(at, grain, anchor);
    const n = periodDays(start, grain) - daysAhead(start, at);
    out.push(n);
    covered += n;
    at = addDays(at, n);
  }
  return out;
}

const round = (x: number) => Math.round(x * 1000) / 1000;

/** A level as answers name it: 0.95 -> 95 (one decimal). */
export const levelPercent = (level: number) => Math.round(level * 1000) / 10;
