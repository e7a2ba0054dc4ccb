// Weekly sales -> daily records. The features and forecasts work on a daily calendar; a week's units left on one day
// would read as six days without sales and one spike, so each week is spread evenly over its seven days.
import { formatDay, parseDay } from '../features/dates';
import type { SalesRecord } from '../sales/record';
import { tidy } from './aggregate';

/**
 * One record per day of each week: units and units ordered divided by 7, the other values (price, promotion, stock
 * level, ...) repeated. A week starts on its record's date, or ends on it with `weekEnding` ("Week Ending" columns).
 * Keeps the input's order (store, product, date).
 */
export function spreadWeeks(records: SalesRecord[], weekEnding: boolean): SalesRecord[] {
  const out: SalesRecord[] = new Array(records.length * 7);
  let k = 0;
  for (const r of records) {
    const first = parseDay(r.date) - (weekEnding ? 6 : 0);
    const units = tidy(r.unitsSold / 7);
    const ordered = r.unitsOrdered === null ? null : tidy(r.unitsOrdered / 7);
    for (let d = 0; d < 7; d++) out[k++] = { ...r, date: formatDay(first + d), unitsSold: units, unitsOrdered: ordered };
  }
  return out;
}

/** A date column named like "Week Ending" / "week_end" dates each week by its last day. */
export const isWeekEndingHeader = (header: string) => /end/i.test(header);
