// The period of an upload's data (its grain), read from the spacing of each series' dates: daily, weekly or monthly.
// Weekly and monthly records are kept at their own grain, dated by the first day of their period: nothing is spread
// over days here, and no day is invented.
import type { Grain, WeekDates } from '../../../shared/schemas';
import { AppError } from '../errors';
import { formatDay, parseDay } from '../features/dates';
import { monthStart, periodDays } from '../features/period';
import type { SalesRecord } from '../sales/record';

/** Fewest distinct dates that make a file weekly, or monthly, on its own (two or three could be a sparse daily file). */
const MIN_WEEKLY_DATES = 4;
const MIN_MONTHLY_DATES = 3;

export interface GrainEvidence {
  /** What the dates alone show; 'daily' when they show nothing else. */
  grain: Grain;
  /** The dates alone are enough to tell (false: too few dates, and they fit a coarser grain too). */
  conclusive: boolean;
  /** Two consecutive dates of one series that show the grain. */
  example: [string, string] | null;
  /** Grains the dates do not contradict. */
  fits: Set<Grain>;
}

/** Where a date sits in its month: 'end' for the month's last day, else its day of month ("01".."31"). */
function monthPosition(date: string): string {
  return Number(date.slice(8, 10)) === periodDays(monthStart(date), 'monthly') ? 'end' : date.slice(8);
}
const monthIndex = (date: string) => Number(date.slice(0, 4)) * 12 + Number(date.slice(5, 7));

/** Reads the grain from records sorted by store, product and date (one record per series and date). */
export function grainEvidence(records: SalesRecord[]): GrainEvidence {
  let weekly = true;
  let monthly = true;
  let weekExample: [string, string] | null = null;
  let monthExample: [string, string] | null = null;
  let gaps = 0;
  // Monthly dates sit at one place in their month: all on the same day, or all on the month's last day.
  let position: string | null = null;
  let prev: SalesRecord | null = null;
  // Files repeat few distinct dates over many records: read each date once.
  const days = new Map<string, { day: number; at: string; month: number }>();
  for (const r of records) {
    let known = days.get(r.date);
    if (!known) {
      known = { day: parseDay(r.date), at: monthPosition(r.date), month: monthIndex(r.date) };
      days.set(r.date, known);
    }
    if (position === null) position = known.at;
    else if (known.at !== position) monthly = false;
    if (prev && prev.storeId === r.storeId && prev.productId === r.productId) {
      const before = days.get(prev.date)!;
      gaps++;
      if ((known.day - before.day) % 7 !== 0) weekly = false;
      else weekExample ??= [prev.date, r.date];
      if (known.month - before.month < 1) monthly = false;
      else monthExample ??= [prev.date, r.date];
    }
    prev = r;
  }
  const fits = new Set<Grain>(['daily']);
  if (weekly) fits.add('weekly');
  if (monthly) fits.add('monthly');
  if (gaps > 0 && monthly && days.size >= MIN_MONTHLY_DATES) return { grain: 'monthly', conclusive: true, example: monthExample, fits };
  if (gaps > 0 && weekly && days.size >= MIN_WEEKLY_DATES) return { grain: 'weekly', conclusive: true, example: weekExample, fits };
  return { grain: 'daily', conclusive: fits.size === 1, example: null, fits };
}

/**
 * The records dated by the first day of their period: a week-ending date moves to its week's first day, a monthly
 * date to the 1st of its month. Daily records are returned as they are.
 */
export function datedByPeriodStart(records: SalesRecord[], grain: Grain, weekDates: WeekDates | null): SalesRecord[] {
  if (grain === 'daily' || (grain === 'weekly' && weekDates !== 'end')) return records;
  if (grain === 'weekly') return records.map((r) => ({ ...r, date: formatDay(parseDay(r.date) - 6) }));
  return records.map((r) => ({ ...r, date: monthStart(r.date) }));
}

/** What a date column's header says about week dates: "Week Ending" / "week_end" -> end; "Week Start(ing)" / "week beginning" -> start. */
export function weekDatesOfHeader(header: string): WeekDates | null {
  if (/end/i.test(header)) return 'end';
  if (/start|begin/i.test(header)) return 'start';
  return null;
}

export interface GrainOptions {
  /** The file lists individual sales (lines with times or transaction ids): they were summed into days. */
  transactions: boolean;
  /** The date column's header. */
  dateHeader: string;
  /** The request's week_dates. */
  weekDates?: WeekDates;
  /** The grain each store already holds (stores with stored sales only). */
  knownGrains?: ReadonlyMap<string, Grain>;
}

export interface GrainReading {
  grain: Grain;
  weekDates: WeekDates | null;
  /** The records dated by the first day of their period. */
  records: SalesRecord[];
  warnings: string[];
}

/**
 * Decides the upload's grain: from its dates when they tell, else the grain its stores already hold when the dates fit
 * it, else daily. A store's data keeps one grain: a file of another grain for it is refused (422 grain_mismatch).
 */
export function readGrain(records: SalesRecord[], options: GrainOptions): GrainReading {
  const evidence: GrainEvidence = options.transactions
    ? { grain: 'daily', conclusive: true, example: null, fits: new Set(['daily']) }
    : grainEvidence(records);
  const stores = [...new Set(records.map((r) => r.storeId))];
  let grain = evidence.grain;
  const held = new Set(stores.flatMap((s) => options.knownGrains?.get(s) ?? []));
  if (!evidence.conclusive && held.size === 1) {
    const [storeGrain] = held;
    if (evidence.fits.has(storeGrain)) grain = storeGrain;
  }
  for (const store of stores) {
    const heldGrain = options.knownGrains?.get(store);
    if (heldGrain && heldGrain !== grain) {
      throw new AppError(
        422,
        'grain_mismatch',
        `Store "${store}" holds ${heldGrain} sales, but this file's dates are ${grain}${evidence.example ? ` (e.g. ${evidence.example[0]} then ${evidence.example[1]})` : ''}. ` +
          `A store's sales keep one period: upload this file under another store id, or remove the store's data first (DELETE /stores/${encodeURIComponent(store)}).`,
        { store_id: store, stored_grain: heldGrain, file_grain: grain },
      );
    }
  }

  const warnings: string[] = [];
  const example = evidence.example ? ` (e.g. ${evidence.example[0]} then ${evidence.example[1]})` : '';
  let weekDates: WeekDates | null = null;
  if (grain === 'weekly') {
    const fromHeader = weekDatesOfHeader(options.dateHeader);
    weekDates = options.weekDates ?? fromHeader ?? 'start';
    const day = weekDates === 'start' ? 'first' : 'last';
    const basis = options.weekDates
      ? `as week_dates=${weekDates} says`
      : fromHeader
        ? `as the column "${options.dateHeader}" says`
        : `assumed: if they are the ${weekDates === 'start' ? 'last' : 'first'} days of the weeks, upload again with week_dates=${weekDates === 'start' ? 'end' : 'start'}`;
    warnings.push(
      `The data is weekly${example}: each record is one week's sales, kept as a week. Its dates were read as the ${day} day of each week (${basis}).`,
    );
  } else if (grain === 'monthly') {
    warnings.push(`The data is monthly${example}: each record is one calendar month's sales, kept as a month (dated the 1st).`);
  }
  if (options.weekDates && grain !== 'weekly') warnings.push(`week_dates was not used: the data is ${grain}, not weekly.`);
  return { grain, weekDates, records: datedByPeriodStart(records, grain, weekDates), warnings };
}
