// The period of an upload's data (its grain), read from the spacing of each series' dates: daily, weekly or monthly.
// Weekly and monthly records are kept at their own grain, dated by the first day of their period: nothing is spread
// over days here, and no day is invented.
import type { Grain, WeekDates } from '../../../shared/schemas';
import { AppError } from '../errors';
import { formatDay, parseDay } from '../features/dates';
import { monthStart, periodDays } from '../features/period';

/** Fewest distinct dates that make a file weekly, or monthly, on its own (two or three could be a sparse daily file). */
export const MIN_WEEKLY_DATES = 4;
export const MIN_MONTHLY_DATES = 3;

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
export function monthPosition(date: string): string {
  return Number(date.slice(8, 10)) === periodDays(monthStart(date), 'monthly') ? 'end' : date.slice(8);
}
export const monthIndex = (date: string) => Number(date.slice(0, 4)) * 12 + Number(date.slice(5, 7));

/**
 * The date a record of this grain is stored under, the first day of its period: a week-ending date moves to its
 * week's first day, a monthly date to the 1st of its month; daily dates stay.
 */
export function periodStartOf(grain: Grain, weekDates: WeekDates | null): (iso: string) => string {
  if (grain === 'daily' || (grain === 'weekly' && weekDates !== 'end')) return (iso) => iso;
  if (grain === 'weekly') return (iso) => formatDay(parseDay(iso) - 6);
  return monthStart;
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
  warnings: string[];
}

/**
 * Decides the upload's grain: from its dates when they tell, else the grain its stores already hold when the dates fit
 * it, else daily. A store's data keeps one grain: a file of another grain for it is refused (422 grain_mismatch).
 */
export function readGrain(dates: GrainEvidence, stores: string[], options: GrainOptions): GrainReading {
  const evidence: GrainEvidence = options.transactions
    ? { grain: 'daily', conclusive: true, example: null, fits: new Set(['daily']) }
    : dates;
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
  return { grain, weekDates, warnings };
}
