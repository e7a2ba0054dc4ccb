// Reads sales as per-product series for training and forecasting.
import type { CalendarDay, SeriesInput } from '../features/index';
import type { SalesRecord } from '../sales/record';
import type { Sql } from './connection';

/** One series as the database aggregates it: each number column as one comma-separated text, '' for NULL. */
interface SeriesRow {
  store_id: string;
  product_id: string;
  dates: string;
  units: string;
  prices: string;
  discounts: string;
  promotions: string;
  inventories: string;
  closed: string;
  /** Per day, or null when every day has the one value in `category` (the usual case: cheaper to send). */
  categories: (string | null)[] | null;
  category: string | null;
  regions: (string | null)[] | null;
  region: string | null;
}

const numberOrNull = (v: string) => (v === '' ? null : Number(v));
const booleanOrNull = (v: string) => (v === '' ? null : v === 't');

/**
 * All series of one store (or of every store, or of some products), each with its records in date order. The
 * database sends one row per series with its columns aggregated, which parses several times faster than a row per
 * day (a 1,000-product store of two years: 730,000 days).
 */
export async function loadSeries(sql: Sql, filter: { storeId?: string; productIds?: string[] } = {}): Promise<SeriesInput[]> {
  if (filter.storeId !== undefined && !filter.productIds) return loadStoreSeries(sql, filter.storeId);
  const where =
    filter.storeId !== undefined && filter.productIds
      ? sql`WHERE store_id = ${filter.storeId} AND product_id = ANY(${sql.array(filter.productIds)}::text[])`
      : filter.productIds
        ? sql`WHERE product_id = ANY(${sql.array(filter.productIds)}::text[])`
        : sql``;
  return loadSeriesWhere(sql, where);
}

/** Products per part of a store's load: below twice this a store is read in one query. */
const PART_PRODUCTS = 125;
const MAX_PARTS = 4;

/**
 * A store's series, read in up to four product ranges at once: the database aggregates one range while this process
 * parses another (a 1,000-product store of two years is 730,000 days). The ranges' bounds come from the catalog, and
 * the first and last are open, so a product the catalog does not list yet is still read.
 */
async function loadStoreSeries(sql: Sql, storeId: string): Promise<SeriesInput[]> {
  const ids = (await sql<{ product_id: string }[]>`SELECT product_id FROM products WHERE store_id = ${storeId} ORDER BY product_id`).map(
    (r) => r.product_id,
  );
  const parts = Math.min(MAX_PARTS, Math.floor(ids.length / PART_PRODUCTS));
  if (parts < 2) return loadSeriesWhere(sql, sql`WHERE store_id = ${storeId}`);
  const bounds = Array.from({ length: parts - 1 }, (_, i) => ids[Math.round(((i + 1) * ids.length) / parts)]);
  const ranges = Array.from({ length: parts }, (_, i) => {
    const from = i === 0 ? sql`` : sql`AND product_id >= ${bounds[i - 1]}`;
    const to = i === parts - 1 ? sql`` : sql`AND product_id < ${bounds[i]}`;
    return loadSeriesWhere(sql, sql`WHERE store_id = ${storeId} ${from} ${to}`);
  });
  return (await Promise.all(ranges)).flat();
}

type Fragment = ReturnType<Sql['unsafe']>;

async function loadSeriesWhere(sql: Sql, where: Fragment): Promise<SeriesInput[]> {
  // Each aggregate with its own ORDER BY would sort the rows again (nine sorts): the rows come sorted instead, and the
  // records are checked to be in date order below.
  const rows = await sql<SeriesRow[]>`
    SELECT store_id, product_id,
           string_agg(date::text, ',') AS dates,
           string_agg(units_sold::text, ',') AS units,
           string_agg(coalesce(price::text, ''), ',') AS prices,
           string_agg(coalesce(discount::text, ''), ',') AS discounts,
           string_agg(CASE WHEN promotion IS NULL THEN '' WHEN promotion THEN 't' ELSE 'f' END, ',') AS promotions,
           string_agg(coalesce(inventory_level::text, ''), ',') AS inventories,
           string_agg(CASE WHEN closed THEN 't' ELSE 'f' END, ',') AS closed,
           CASE WHEN count(category) = 0 OR (count(category) = count(*) AND min(category) = max(category)) THEN NULL ELSE json_agg(category) END AS categories,
           min(category) AS category,
           CASE WHEN count(region) = 0 OR (count(region) = count(*) AND min(region) = max(region)) THEN NULL ELSE json_agg(region) END AS regions,
           min(region) AS region
    FROM (SELECT * FROM sales ${where} ORDER BY store_id, product_id, date) AS s
    GROUP BY store_id, product_id
    ORDER BY store_id, product_id`;
  return rows.map((row) => {
    const dates = row.dates.split(',');
    const units = row.units.split(',');
    const prices = row.prices.split(',');
    const discounts = row.discounts.split(',');
    const promotions = row.promotions.split(',');
    const inventories = row.inventories.split(',');
    const closed = row.closed.split(',');
    const series: SeriesInput = { storeId: row.store_id, productId: row.product_id, category: null, region: null, records: [] };
    for (let i = 0; i < dates.length; i++) {
      const category = row.categories ? row.categories[i] : row.category;
      const region = row.regions ? row.regions[i] : row.region;
      if (category !== null) series.category = category;
      if (region !== null) series.region = region;
      const record: SalesRecord = {
        date: dates[i],
        storeId: row.store_id,
        productId: row.product_id,
        unitsSold: Number(units[i]),
        inventoryLevel: numberOrNull(inventories[i]),
        unitsOrdered: null,
        price: numberOrNull(prices[i]),
        discount: numberOrNull(discounts[i]),
        promotion: booleanOrNull(promotions[i]),
        category,
        region,
        unitCost: null,
        extra: null,
      };
      // Closed days are censored like stock-outs (features/frame.ts); open days carry no flag.
      if (closed[i] === 't') record.closed = true;
      series.records.push(record);
    }
    // Aggregates take rows in the order they come, which the sorted subquery gives; should a plan ever differ, sort.
    const records = series.records;
    for (let i = 1; i < records.length; i++) {
      if (records[i - 1].date >= records[i].date) {
        records.sort((x, y) => (x.date < y.date ? -1 : x.date > y.date ? 1 : 0));
        series.category = [...records].reverse().find((r) => r.category !== null)?.category ?? null;
        series.region = [...records].reverse().find((r) => r.region !== null)?.region ?? null;
        break;
      }
    }
    return series;
  });
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
