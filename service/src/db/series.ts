// Reads sales as per-product series for training and forecasting.
import { newColumns, parseDay, setColumn, type CalendarDay, type SeriesInput } from '../features/index';
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
  // Each aggregate with its own ORDER BY would sort the rows again (nine sorts), and a subquery sorted by the key made
  // the planner sort it again above (on disk for a 1,000-product store: 1.4 s against 0.67 s). Read along the key's
  // index, aggregates see each series' days in date order (readSeries checks). Left to its costs, the planner chose a
  // bitmap scan, parallel workers, a sort on disk and 0.1 s of JIT compiling for a quarter of a store in a 10-store
  // table: 0.46-0.73 s against 0.23-0.34 s along the index. So this one read is told how to go.
  const rows = await sql.begin(async (tx) => {
    await tx`SET LOCAL jit = off`;
    await tx`SET LOCAL enable_bitmapscan = off`;
    await tx`SET LOCAL max_parallel_workers_per_gather = 0`;
    return tx<SeriesRow[]>`
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
    FROM sales ${where}
    GROUP BY store_id, product_id
    ORDER BY store_id, product_id`;
  });
  return rows.map(readSeries);
}

/**
 * One series from its aggregated row: the numbers go straight into the frame's columns (features/frame.ts), and the
 * 730 record objects of a two-year series are built only if something reads `records`. A store's first plan reads
 * none, and a cached store holds typed arrays instead of objects (GC kept promoting 730,000 of them per store).
 */
function readSeries(row: SeriesRow): SeriesInput {
  const dates = row.dates.split(',');
  const n = dates.length;
  const days = new Int32Array(n);
  let sorted = true;
  for (let i = 0; i < n; i++) {
    days[i] = parseDay(dates[i]);
    if (i > 0 && days[i] <= days[i - 1]) sorted = false;
  }
  // Aggregates take rows in the order the key's index gives them; a plan that reads otherwise (a small table read
  // whole) gives them in table order: read them in date order then.
  const order = sorted ? null : Array.from({ length: n }, (_, i) => i).sort((x, y) => days[x] - days[y]);
  const units = row.units.split(',');
  const prices = row.prices.split(',');
  const discounts = row.discounts.split(',');
  const promotions = row.promotions.split(',');
  const inventories = row.inventories.split(',');
  const closed = row.closed.split(',');
  const columns = newColumns(n);
  // One record read into again and again: setColumn's rules, without an object per day.
  const scratch = recordOf(row, dates, units, prices, discounts, promotions, inventories, closed, 0);
  let category: string | null = null;
  let region: string | null = null;
  for (let k = 0; k < n; k++) {
    const i = order ? order[k] : k;
    scratch.unitsSold = Number(units[i]);
    scratch.inventoryLevel = numberOrNull(inventories[i]);
    scratch.price = numberOrNull(prices[i]);
    scratch.discount = numberOrNull(discounts[i]);
    scratch.promotion = booleanOrNull(promotions[i]);
    scratch.closed = closed[i] === 't';
    scratch.category = row.categories ? row.categories[i] : row.category;
    scratch.region = row.regions ? row.regions[i] : row.region;
    // The series' category and region: its latest that has one.
    if (scratch.category !== null) category = scratch.category;
    if (scratch.region !== null) region = scratch.region;
    setColumn(columns, k, scratch, days[i]);
  }
  let built: SalesRecord[] | null = null;
  const series = { storeId: row.store_id, productId: row.product_id, category, region, columns } as SeriesInput;
  columns.owner = series;
  Object.defineProperty(series, 'records', {
    enumerable: true,
    configurable: true,
    get: () => (built ??= records(row, order)),
    // Records replaced: the columns no longer describe them.
    set: (value: SalesRecord[]) => {
      built = value;
      delete series.columns;
    },
  });
  return series;
}

function records(row: SeriesRow, order: number[] | null): SalesRecord[] {
  const dates = row.dates.split(',');
  const units = row.units.split(',');
  const prices = row.prices.split(',');
  const discounts = row.discounts.split(',');
  const promotions = row.promotions.split(',');
  const inventories = row.inventories.split(',');
  const closed = row.closed.split(',');
  const out: SalesRecord[] = new Array(dates.length);
  for (let k = 0; k < dates.length; k++)
    out[k] = recordOf(row, dates, units, prices, discounts, promotions, inventories, closed, order ? order[k] : k);
  return out;
}

function recordOf(
  row: SeriesRow,
  dates: string[],
  units: string[],
  prices: string[],
  discounts: string[],
  promotions: string[],
  inventories: string[],
  closed: string[],
  i: number,
): SalesRecord {
  return {
    date: dates[i],
    storeId: row.store_id,
    productId: row.product_id,
    unitsSold: Number(units[i]),
    inventoryLevel: numberOrNull(inventories[i]),
    unitsOrdered: null,
    price: numberOrNull(prices[i]),
    discount: numberOrNull(discounts[i]),
    promotion: booleanOrNull(promotions[i]),
    category: row.categories ? row.categories[i] : row.category,
    region: row.regions ? row.regions[i] : row.region,
    unitCost: null,
    extra: null,
    // Closed days are censored like stock-outs (features/frame.ts). Always set: records of one shape read faster.
    closed: closed[i] === 't',
  };
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
