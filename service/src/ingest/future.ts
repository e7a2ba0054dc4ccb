// Sales dated after today: a wrong year or day/month order, unless the request says they are meant (allow_future).
import type { Grain, WeekDates } from '../../../shared/schemas';
import { rowsOfKeys, type ResolvedDates } from './dates';
import { cellError } from './problems';
import type { TableData } from './table';

const DAY_MS = 86_400_000;

/**
 * 422 future_dates naming the rows whose period starts after today (UTC). A day's grace: somewhere on Earth it is
 * already tomorrow. A week dated by its last day, or a month by any of its days, is future only when it starts after today.
 */
export function refuseFutureDates(
  data: Pick<TableData, 'date'>,
  dates: ResolvedDates,
  grain: Grain,
  weekDates: WeekDates | null,
  now = Date.now(),
): void {
  const lastDay = Math.floor(now / DAY_MS) + 1;
  const future = new Uint8Array(dates.day.length);
  let any = false;
  dates.day.forEach((day, i) => {
    let start = day;
    if (grain === 'weekly' && weekDates === 'end') start = day - 6;
    else if (grain === 'monthly') start = day - (Number(dates.iso[i].slice(8, 10)) - 1);
    if (start > lastDay) {
      future[i] = 1;
      any = true;
    }
  });
  if (!any) return;
  const problems = rowsOfKeys(data.date, (id) => future[id] === 1);
  const today = new Date(now).toISOString().slice(0, 10);
  throw cellError(
    'future_dates',
    data.date.header,
    problems,
    `sales dated after today (${today})`,
    'Sales cannot be in the future: check the year and the day/month order of those dates and correct them, ' +
      'or send allow_future=true to store them anyway (e.g. planned or test data).',
  );
}
