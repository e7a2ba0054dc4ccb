// The events calendar (holidays, events, SNAP days) that training and serving read through loadCalendarDays (db/series.ts).
import type { CalendarDay } from '../features/index';
import type { Sql } from './connection';

export interface CalendarSummary {
  days: number;
  regions: string[];
  first_date: string | null;
  last_date: string | null;
  event_days: number;
  snap_days: number;
}

/**
 * Stores calendar rows in one transaction: a row replaces what was stored for its (date, region); other days stay.
 * Returns how many rows were new and how many replaced.
 */
export async function storeCalendar(sql: Sql, days: CalendarDay[]): Promise<{ inserted: number; replaced: number }> {
  const dates = days.map((d) => d.date);
  const regions = days.map((d) => d.state ?? '');
  const events = days.map((d) => JSON.stringify(d.events ?? []));
  const snaps = days.map((d) => (d.snap === null || d.snap === undefined ? null : d.snap === true || Number(d.snap) === 1));
  return sql.begin(async (tx) => {
    // unnest of arrays: one statement for any number of rows, the same on PostgreSQL and PGlite.
    const rows = await tx<{ inserted: boolean }[]>`
      INSERT INTO calendar_events (date, region, events, snap)
      SELECT d, r, e::jsonb, s
      FROM unnest(${tx.array(dates)}::date[], ${tx.array(regions)}::text[], ${tx.array(events)}::text[], ${tx.array(snaps as never[])}::boolean[])
           AS t(d, r, e, s)
      ON CONFLICT (date, region) DO UPDATE SET events = excluded.events, snap = excluded.snap
      RETURNING (xmax = 0) AS inserted`;
    const inserted = rows.filter((r) => r.inserted).length;
    return { inserted, replaced: rows.length - inserted };
  });
}

export async function calendarSummary(sql: Sql): Promise<CalendarSummary> {
  const [row] = await sql<{ days: number; first_date: string | null; last_date: string | null; event_days: number; snap_days: number }[]>`
    SELECT count(DISTINCT date)::int AS days, min(date)::text AS first_date, max(date)::text AS last_date,
           count(DISTINCT date) FILTER (WHERE jsonb_array_length(events) > 0)::int AS event_days,
           count(DISTINCT date) FILTER (WHERE snap)::int AS snap_days
    FROM calendar_events`;
  const regions = await sql<{ region: string }[]>`SELECT DISTINCT region FROM calendar_events WHERE region <> '' ORDER BY region`;
  return { ...row, regions: regions.map((r) => r.region) };
}
