// The series (store x product) of an upload and the days each one has, known before any record is built: which
// series repeat a day (their rows are merged), how many records the file makes, and the grain its dates show.
import type { Grain } from '../../../shared/schemas';
import type { GrainEvidence } from './grain';
import { monthPosition, monthIndex, MIN_MONTHLY_DATES, MIN_WEEKLY_DATES } from './grain';

/** Store and product ids are dictionary indices below 2^26 (the row cap is far lower), so a pair fits one number. */
const PAIR = 2 ** 26;

export class SeriesIndex {
  private readonly byPair = new Map<number, number>();
  /** Per series: its store's and product's dictionary index (store -1 without a store column). */
  readonly store: number[] = [];
  readonly product: number[] = [];
  private lastPair = -1;
  private lastSeries = -1;

  get size(): number {
    return this.store.length;
  }

  /** The series of a (store, product) pair, numbered in order of first appearance. */
  of(store: number, product: number): number {
    const pair = (store + 1) * PAIR + product;
    if (pair === this.lastPair) return this.lastSeries;
    let series = this.byPair.get(pair);
    if (series === undefined) {
      series = this.store.length;
      this.byPair.set(pair, series);
      this.store.push(store);
      this.product.push(product);
    }
    this.lastPair = pair;
    this.lastSeries = series;
    return series;
  }
}

/**
 * The days of each series, one bit per day of the file's span. Bits cost series x span / 8 bytes (10,000 series over
 * two years: 0.9 MB), whatever the number of rows.
 */
export class SeriesDays {
  private readonly bits: Uint8Array;
  private readonly span: number;
  /** Per series: 1 when some day came twice (its rows merge into one record per day). */
  readonly repeats: Uint8Array;
  /** Distinct (series, day) pairs: the records the upload makes. */
  records = 0;

  constructor(
    readonly series: number,
    readonly firstDay: number,
    lastDay: number,
  ) {
    this.span = lastDay - firstDay + 1;
    this.bits = new Uint8Array(SeriesDays.bytes(series, firstDay, lastDay));
    this.repeats = new Uint8Array(series);
  }

  /** Marks the day; false when the series already had it. */
  add(series: number, day: number): boolean {
    const bit = series * this.span + (day - this.firstDay);
    const byte = bit >>> 3;
    const mask = 1 << (bit & 7);
    if ((this.bits[byte] & mask) !== 0) {
      this.repeats[series] = 1;
      return false;
    }
    this.bits[byte] |= mask;
    this.records++;
    return true;
  }

  /** The series' days in increasing order. */
  *days(series: number): Generator<number> {
    const start = series * this.span;
    for (let d = 0; d < this.span; d++) {
      const bit = start + d;
      if ((this.bits[bit >>> 3] & (1 << (bit & 7))) !== 0) yield this.firstDay + d;
    }
  }

  /** Bytes the bits take (the limit check of the caller). */
  static bytes(series: number, firstDay: number, lastDay: number): number {
    return Math.ceil((series * (lastDay - firstDay + 1)) / 8);
  }
}

/**
 * What the dates show about the grain (see grain.ts's grainEvidence over records): series visited in store then
 * product order, each one's days in order, so the example pair is the one a reader of the sorted file meets first.
 */
export function grainEvidenceOfSeries(
  days: SeriesDays,
  order: number[],
  isoOfDay: (day: number) => string,
  distinctDays: number[],
): GrainEvidence {
  let weekly = true;
  let monthly = true;
  let weekExample: [string, string] | null = null;
  let monthExample: [string, string] | null = null;
  let gaps = 0;
  let position: string | null = null;
  for (const day of distinctDays) {
    const at = monthPosition(isoOfDay(day));
    if (position === null) position = at;
    else if (at !== position) monthly = false;
  }
  for (const series of order) {
    let prev = -1;
    for (const day of days.days(series)) {
      if (prev >= 0) {
        gaps++;
        if ((day - prev) % 7 !== 0) weekly = false;
        else weekExample ??= [isoOfDay(prev), isoOfDay(day)];
        if (monthIndex(isoOfDay(day)) - monthIndex(isoOfDay(prev)) < 1) monthly = false;
        else monthExample ??= [isoOfDay(prev), isoOfDay(day)];
      }
      prev = day;
    }
    if (!weekly && !monthly) break;
  }
  const fits = new Set<Grain>(['daily']);
  if (weekly) fits.add('weekly');
  if (monthly) fits.add('monthly');
  const dates = distinctDays.length;
  if (gaps > 0 && monthly && dates >= MIN_MONTHLY_DATES) return { grain: 'monthly', conclusive: true, example: monthExample, fits };
  if (gaps > 0 && weekly && dates >= MIN_WEEKLY_DATES) return { grain: 'weekly', conclusive: true, example: weekExample, fits };
  return { grain: 'daily', conclusive: fits.size === 1, example: null, fits };
}
