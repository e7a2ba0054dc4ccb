// Weekly sales -> daily records. The features and forecasts work on a daily calendar; a week's units left on one day
// would read as six days without sales and one spike, so each week is spread evenly over its seven days.
import { isoOfDay } from './dates';
import type { SalesRecord } from '../sales/record';

const tidy = (x: number) => Math.round(x * 1e9) / 1e9;
const dayOf = (iso: string) => Math.round(Date.parse(`${iso}T00:00:00Z`) / 86_400_000);

/**
 * One record per day of each week: units and units ordered divided by 7, the other values (price, promotion, stock
 * level, ...) repeated. A week starts on its record's date, or ends on it with `weekEnding` ("Week Ending" columns).
 * Keeps the input's order (store, product, date).
 */
export function spreadWeeks(records: SalesRecord[], weekEnding: boolean): SalesRecord[] {
  const out: SalesRecord[] = new Array(records.length * 7);
  let k = 0;
  for (const r of records) {
    const first = dayOf(r.date) - (weekEnding ? 6 : 0);
    const units = tidy(r.unitsSold / 7);
    const ordered = r.unitsOrdered === null ? null : tidy(r.unitsOrdered / 7);
    for (let d = 0; d < 7; d++) out[k++] = { ...r, date: isoOfDay(first + d), unitsSold: units, unitsOrdered: ordered };
  }
  return out;
}

/** A date column named like "Week Ending" / "week_end" dates each week by its last day. */
export const isWeekEndingHeader = (header: string) => /end/i.test(header);
