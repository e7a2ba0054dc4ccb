// Reads sales as per-product series for training and forecasting.
import type { CalendarDay, SeriesInput } from '../features/index';
import type { SalesRecord } from '../sales/record';
import type { Sql } from './connection';

interface SeriesRow {
  store_id: string;
  product_id: string;
  date: string;
  units_sold: number;
  price: number | null;
  discount: number | null;
  promotion: boolean | null;
  inventory_level: number | null;
  category: string | null;
  region: string | null;
  closed: boolean;
}

/** All series of one store (or of every store), each with its records in date order. */
export async function loadSeries(sql: Sql, filter: { storeId?: string; productIds?: string[] } = {}): Promise<SeriesInput[]> {
  const rows = await sql<SeriesRow[]>`
    SELECT store_id, product_id, date, units_sold, price, discount, promotion, inventory_level, category, region, closed
    FROM sales
    WHERE (${filter.storeId ?? null}::text IS NULL OR store_id = ${filter.storeId ?? null})
      AND (${filter.productIds ? sql.array(filter.productIds) : null}::text[] IS NULL
           OR product_id = ANY(${filter.productIds ? sql.array(filter.productIds) : null}::text[]))
    ORDER BY store_id, product_id, date`;
  const series: SeriesInput[] = [];
  let current: SeriesInput | null = null;
  for (const r of rows) {
    if (!current || current.storeId !== r.store_id || current.productId !== r.product_id) {
      current = { storeId: r.store_id, productId: r.product_id, category: null, region: null, records: [] };
      series.push(current);
    }
    if (r.category !== null) current.category = r.category;
    if (r.region !== null) current.region = r.region;
    const record: SalesRecord = {
      date: r.date,
      storeId: r.store_id,
      productId: r.product_id,
      unitsSold: r.units_sold,
      inventoryLevel: r.inventory_level,
      unitsOrdered: null,
      price: r.price,
      discount: r.discount,
      promotion: r.promotion,
      category: r.category,
      region: r.region,
      unitCost: null,
      extra: null,
    };
    // Closed days are censored like stock-outs (features/frame.ts); open days carry no flag.
    if (r.closed) record.closed = true;
    current.records.push(record);
  }
  return series;
}

export async function storeIds(sql: Sql): Promise<string[]> {
  const rows = await sql<{ store_id: string }[]>`SELECT DISTINCT store_id FROM products WHERE records > 0 ORDER BY store_id`;
  return rows.map((r) => r.store_id);
}

/** The stored events calendar (holidays, SNAP days), one row per day and region; empty when none was uploaded. */
export async function loadCalendarDays(sql: Sql): Promise<CalendarDay[]> {
  const rows = await sql<{ date: string; region: string; events: CalendarDay['events']; snap: boolean | null }[]>`
    SELECT date, region, events, snap FROM calendar_events ORDER BY date`;
  return rows.map((r) => ({ date: r.date, state: r.region || null, events: r.events, snap: r.snap }));
}
