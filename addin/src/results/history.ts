// History next to a daily forecast: weekly and monthly records (one per period, as the service stores them) shown as
// their average per day over the period, so past and forecast are in the same units.
import type { HistoryPoint } from '../../../shared/schemas';

const DAY_MS = 86_400_000;
const dayOf = (iso: string) => Date.parse(`${iso}T00:00:00Z`);
const isoOf = (ms: number) => new Date(ms).toISOString().slice(0, 10);

/** One point per day: a period's units divided evenly over its days (daily points are returned as they are). */
export function historyPerDay(history: readonly HistoryPoint[]): HistoryPoint[] {
  const out: HistoryPoint[] = [];
  for (const h of history) {
    const first = dayOf(h.date);
    const days = Math.round((dayOf(h.period_end) - first) / DAY_MS) + 1;
    if (days <= 1) {
      out.push(h);
      continue;
    }
    const perDay = h.units_sold / days;
    for (let d = 0; d < days; d++) {
      const date = isoOf(first + d * DAY_MS);
      out.push({ ...h, date, period_end: date, units_sold: perDay });
    }
  }
  return out;
}
