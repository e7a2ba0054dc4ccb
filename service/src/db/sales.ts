// SQL for uploads, sales and the product master. Returns plain records; no HTTP, no business rules.
import type { Grain } from '../../../shared/schemas';
import type { SalesRecord } from '../sales/record';
import { ARRAY_BATCH_ROWS, BOOL, DATE, FLOAT8, TEXT } from './arrays';
import type { Database, Sql } from './connection';
import { CopyWriter } from './copy-text';
import { ProductLatest, refreshProducts } from './products-refresh';
import { markDemoStores } from './removal';
import { scoreSnapshots } from './snapshots';

export interface NewUpload {
  filename: string;
  checksum: string;
  format: string;
  grain: Grain;
  /** For weekly uploads: how the file dated its weeks. */
  weekDates?: 'start' | 'end' | null;
  rowsRead: number;
  columns: Record<string, string>;
  /** The upload's warnings; a function is asked once every record is written (some warnings count records). */
  warnings: string[] | (() => string[]);
  /** Generated demo data (demo/seed.ts): its stores are marked as demo stores. */
  demo?: boolean;
}

/** A record as uploads store it: with its product's name in words when the file had a description column. */
export type UploadRecord = SalesRecord & { description?: string | null };

export interface UpsertCounts {
  inserted: number;
  updated: number;
}

/**
 * The records of an upload, built while they are stored (ingest's second pass), with what is known of them before:
 * how many, which stores, which dates.
 */
export interface RecordSource {
  records: number;
  stores: string[];
  firstDate: string | null;
  lastDate: string | null;
  /** Hands every record to the sink, in batches; the sink's promise paces it. */
  emit(sink: (batch: UploadRecord[]) => Promise<void>): Promise<unknown>;
}

/** An array of records as a source. */
export function recordsSource(records: UploadRecord[]): RecordSource {
  let firstDate: string | null = null;
  let lastDate: string | null = null;
  for (const r of records) {
    if (firstDate === null || r.date < firstDate) firstDate = r.date;
    if (lastDate === null || r.date > lastDate) lastDate = r.date;
  }
  return {
    records: records.length,
    stores: [...new Set(records.map((r) => r.storeId))].sort(),
    firstDate,
    lastDate,
    emit: async (sink) => {
      for (let start = 0; start < records.length; start += ARRAY_BATCH_ROWS) await sink(records.slice(start, start + ARRAY_BATCH_ROWS));
    },
  };
}

/**
 * Stores one upload atomically: the upload row, the sales (new days inserted, changed days replaced, identical days
 * left alone) and the refreshed product master. Any failure rolls all of it back. Records are written as the source
 * builds them, so an upload of any size passes through in bounded memory.
 */
export async function storeUpload(
  db: Pick<Database, 'sql' | 'kind'>,
  upload: NewUpload,
  input: UploadRecord[] | RecordSource,
): Promise<{ uploadId: number; counts: UpsertCounts; stores: string[]; firstDate: string | null; lastDate: string | null }> {
  const source = Array.isArray(input) ? recordsSource(input) : input;
  const { stores, firstDate, lastDate } = source;
  // Days already checked (assertStorable). Records given whole are checked before the transaction: their first and
  // last dates go into SQL below; a source's batches are checked as they come.
  const days = new Set<string>();
  if (Array.isArray(input)) assertStorable(input, days);

  const stored = await db.sql.begin(async (tx) => {
    const sql = tx as unknown as Sql;
    const [{ id }] = await sql<{ id: string }[]>`
      INSERT INTO uploads (filename, checksum, format, grain, store_ids, rows_read, record_count, inserted, updated,
                           skipped, first_date, last_date, columns, warnings)
      VALUES (${upload.filename}, ${upload.checksum}, ${upload.format}, ${upload.grain}, ${stores}, ${upload.rowsRead},
              ${source.records}, 0, 0, 0, ${firstDate}, ${lastDate}, ${sql.json(upload.columns)}, '[]'::jsonb)
      RETURNING id`;
    const uploadId = Number(id);

    // Uploads are serialised by the table lock (readers are not blocked): what is stored cannot change under this one,
    // and the insert of new keys cannot race another upload.
    await sql`LOCK TABLE sales IN SHARE ROW EXCLUSIVE MODE`;
    // Days no stored row has (a new store, or days after the stored ones) go straight into sales: nothing to compare.
    const [{ overlaps }] = await sql<{ overlaps: boolean }[]>`
      SELECT EXISTS (SELECT 1 FROM sales WHERE store_id = ANY(${stores}::text[])
                     AND date BETWEEN ${firstDate}::date AND ${lastDate}::date) AS overlaps`;
    const latest = new ProductLatest();
    const written = (batch: UploadRecord[]) => {
      assertStorable(batch, days);
      latest.add(batch);
    };
    let counts: UpsertCounts;
    if (!overlaps) {
      const n = await writeSales(sql, db.kind, 'sales', uploadId, source, written);
      counts = { inserted: n, updated: 0 };
    } else {
      await sql`CREATE TEMP TABLE sales_stage (
        store_id text, product_id text, date date, units_sold float8, inventory_level float8, units_ordered float8,
        price float8, discount float8, promotion boolean, category text, region text, extra jsonb, closed boolean) ON COMMIT DROP`;
      await writeSales(sql, db.kind, 'sales_stage', null, source, written);
      counts = await mergeStagedSales(sql, uploadId);
    }
    // Nothing inserted or replaced: the catalog figures stand (costs and descriptions are still taken from the file).
    const unchanged = overlaps && counts.inserted === 0 && counts.updated === 0;
    await refreshProducts(sql, stores, latest, overlaps ? (unchanged ? 'costs' : 'recount') : 'add');
    // Forecasts saved earlier whose days this upload stored are checked against what sold.
    if (!unchanged) await scoreSnapshots(sql, stores, firstDate, lastDate);
    // The upload's grain becomes its stores' (the use-case refused a file of another grain than a store holds).
    await sql`INSERT INTO store_grains (store_id, grain, week_dates)
             SELECT store_id, ${upload.grain}, ${upload.weekDates ?? null} FROM unnest(${stores}::text[]) AS s(store_id)
             ON CONFLICT (store_id) DO UPDATE SET grain = EXCLUDED.grain,
               week_dates = coalesce(EXCLUDED.week_dates, store_grains.week_dates), updated_at = now()`;
    if (upload.demo) await markDemoStores(sql, uploadId, stores);

    const warnings = typeof upload.warnings === 'function' ? upload.warnings() : upload.warnings;
    await sql`UPDATE uploads SET inserted = ${counts.inserted}, updated = ${counts.updated},
             skipped = ${source.records - counts.inserted - counts.updated}, warnings = ${sql.json(warnings)}
             WHERE id = ${uploadId}`;
    return { uploadId, counts, stores, firstDate, lastDate };
  });
  // The planner's row counts stay stale until autovacuum comes round (minutes, or never on a quiet server): reading a
  // fresh 730,000-row store then sorted on disk (1.4 s) instead of walking the key (0.7 s). Statistics after a large
  // change cost a sample of 30,000 rows (tenths of a second), outside the upload's transaction.
  if (stored.counts.inserted + stored.counts.updated >= ANALYZE_AFTER_ROWS) await db.sql`ANALYZE sales`;
  return stored;
}

/** Rows inserted or replaced by one upload from which the sales table's statistics are renewed. */
export const ANALYZE_AFTER_ROWS = 10_000;

/**
 * Rejects, before it is written, a record the database would refuse. It matters for COPY: postgres.js does not
 * surface an error raised inside COPY data, so bad data must never get that far. `days` holds the days already checked.
 */
function assertStorable(records: SalesRecord[], days: Set<string>): void {
  // Each distinct day is checked once (M5: 1,941 days for 527,800 records; checking each record took a second).
  records.forEach((r, i) => {
    if (!days.has(r.date)) {
      if (!/^\d{4}-\d{2}-\d{2}$/.test(r.date) || !isCalendarDay(r.date)) throw new Error(`record ${i}: "${r.date}" is not a calendar day`);
      days.add(r.date);
    }
    if (typeof r.storeId !== 'string' || typeof r.productId !== 'string') throw new Error(`record ${i}: missing store or product`);
  });
}

function isCalendarDay(date: string): boolean {
  const day = Date.parse(`${date}T00:00:00Z`);
  return !Number.isNaN(day) && new Date(day).toISOString().slice(0, 10) === date;
}

const SALES_COLUMNS = `store_id, product_id, date, units_sold, inventory_level, units_ordered, price, discount,
  promotion, category, region, extra, closed`;

/**
 * Writes the source's records into `table` (sales, with the upload's id, or the stage) as they come: COPY on
 * PostgreSQL, multi-row inserts from arrays on PGlite (which cannot take COPY FROM STDIN over its socket).
 */
async function writeSales(
  sql: Sql,
  kind: Database['kind'],
  table: 'sales' | 'sales_stage',
  uploadId: number | null,
  source: RecordSource,
  written: (batch: UploadRecord[]) => void,
): Promise<number> {
  let n = 0;
  if (kind !== 'postgres') {
    await source.emit(async (batch) => {
      written(batch);
      for (let start = 0; start < batch.length; start += ARRAY_BATCH_ROWS)
        await insertBatch(sql, table, uploadId, batch.slice(start, start + ARRAY_BATCH_ROWS));
      n += batch.length;
    });
    return n;
  }
  const columns = uploadId === null ? SALES_COLUMNS : `${SALES_COLUMNS}, upload_id`;
  const stream = await sql`COPY ${sql(table)} (${sql.unsafe(columns)}) FROM STDIN`.writable();
  const done = new Promise<void>((resolve, reject) => {
    stream.on('finish', resolve);
    stream.on('error', reject);
  });
  const copy = new CopyWriter();
  try {
    await source.emit(async (batch) => {
      written(batch);
      for (const r of batch) {
        copyRow(copy, r);
        if (uploadId !== null) copy.number(uploadId);
        copy.endRow();
      }
      n += batch.length;
      if (!stream.write(copy.take())) await new Promise((resolve) => stream.once('drain', resolve));
      // Always let other requests in between chunks: postgres.js's COPY stream drains on the next tick, so waiting for
      // 'drain' alone never reaches the event loop, and the whole file was formatted in one go while /ready waited.
      await new Promise((resolve) => setImmediate(resolve));
    });
  } catch (e) {
    // The COPY must not end as if complete: failing it makes the server refuse the statement (and so the transaction).
    stream.destroy(e as Error);
    await done.catch(() => {});
    throw e;
  }
  stream.end();
  await done;
  return n;
}

const VALUE_COLUMNS = `units_sold, inventory_level, units_ordered, price, discount, promotion, category, region, extra, closed`;
const prefixed = (prefix: string, columns: string) => columns.replace(/(\w+)/g, `${prefix}$1`);

/**
 * Replaces stored days whose values changed and inserts new days; identical days are left alone. One join of the
 * stage with the stored sales tells each day new, changed or identical; the changed days' old values are kept so the
 * upload can be undone (db/removal.ts). The caller holds the table lock, so the new keys cannot race another upload
 * and no per-row ON CONFLICT speculation is needed.
 */
async function mergeStagedSales(sql: Sql, uploadId: number): Promise<UpsertCounts> {
  // Without statistics the planner guesses a temporary table's size: tell it, so it joins by hashing or merging.
  await sql`ANALYZE sales_stage`;
  const [{ changed, inserted }] = await sql<{ changed: number; inserted: number }[]>`
    WITH j AS MATERIALIZED (
      SELECT t.*, s.store_id IS NOT NULL AS stored, s.upload_id AS previous_upload_id,
             ${sql.unsafe(VALUE_COLUMNS.replace(/(\w+)/g, 's.$1 AS old_$1'))}
      FROM sales_stage AS t
      LEFT JOIN sales AS s ON s.store_id = t.store_id AND s.product_id = t.product_id AND s.date = t.date),
    changes AS (
      INSERT INTO upload_changes (upload_id, ${sql.unsafe(SALES_COLUMNS)}, previous_upload_id)
      SELECT ${uploadId}::bigint, store_id, product_id, date, ${sql.unsafe(prefixed('old_', VALUE_COLUMNS))}, previous_upload_id
      FROM j
      WHERE stored AND (${sql.unsafe(prefixed('old_', VALUE_COLUMNS))}) IS DISTINCT FROM (${sql.unsafe(VALUE_COLUMNS)})
      RETURNING 1),
    added AS (
      INSERT INTO sales (${sql.unsafe(SALES_COLUMNS)}, upload_id)
      SELECT ${sql.unsafe(SALES_COLUMNS)}, ${uploadId}::bigint FROM j WHERE NOT stored
      RETURNING 1)
    SELECT (SELECT count(*) FROM changes)::int AS changed, (SELECT count(*) FROM added)::int AS inserted`;
  let updated = 0;
  if (changed > 0)
    updated = (
      await sql`
    UPDATE sales AS s SET
      units_sold = t.units_sold, inventory_level = t.inventory_level, units_ordered = t.units_ordered,
      price = t.price, discount = t.discount, promotion = t.promotion, category = t.category, region = t.region,
      extra = t.extra, closed = t.closed, upload_id = ${uploadId}
    FROM sales_stage AS t
    WHERE s.store_id = t.store_id AND s.product_id = t.product_id AND s.date = t.date
      AND (${sql.unsafe(prefixed('s.', VALUE_COLUMNS))}) IS DISTINCT FROM (${sql.unsafe(prefixed('t.', VALUE_COLUMNS))})`
    ).count;
  return { inserted, updated };
}

async function insertBatch(sql: Sql, table: 'sales' | 'sales_stage', uploadId: number | null, rows: SalesRecord[]): Promise<void> {
  // Explicit element types: postgres.js would otherwise guess each array's type from its first element. A column
  // that is empty in the whole batch travels as an empty array: multi-argument unnest pads it with NULLs.
  const col = (oid: number, pick: (r: SalesRecord) => string | number | boolean | null) => {
    const values = rows.map(pick);
    return sql.array((values.every((v) => v === null) ? [] : values) as never[], oid);
  };
  const columns = uploadId === null ? SALES_COLUMNS : `${SALES_COLUMNS}, upload_id`;
  await sql`
    INSERT INTO ${sql(table)} (${sql.unsafe(columns)})
    SELECT *${uploadId === null ? sql`` : sql`, ${uploadId}::bigint`} FROM unnest(
      ${col(TEXT, (r) => r.storeId)}::text[], ${col(TEXT, (r) => r.productId)}::text[],
      ${col(DATE, (r) => r.date)}::date[], ${col(FLOAT8, (r) => r.unitsSold)}::float8[],
      ${col(FLOAT8, (r) => r.inventoryLevel)}::float8[], ${col(FLOAT8, (r) => r.unitsOrdered)}::float8[],
      ${col(FLOAT8, (r) => r.price)}::float8[], ${col(FLOAT8, (r) => r.discount)}::float8[],
      ${col(BOOL, (r) => r.promotion)}::bool[], ${col(TEXT, (r) => r.category)}::text[],
      ${col(TEXT, (r) => r.region)}::text[], ${col(TEXT, (r) => (r.extra ? JSON.stringify(r.extra) : null))}::jsonb[],
      ${col(BOOL, (r) => r.closed === true)}::bool[])`;
}

/** The sales columns of one record (SALES_COLUMNS order), each followed by a tab. */
function copyRow(w: CopyWriter, r: SalesRecord): void {
  w.text(r.storeId);
  w.text(r.productId);
  w.text(r.date);
  w.number(r.unitsSold);
  w.number(r.inventoryLevel);
  w.number(r.unitsOrdered);
  w.number(r.price);
  w.number(r.discount);
  w.boolean(r.promotion);
  w.text(r.category);
  w.text(r.region);
  w.text(r.extra ? JSON.stringify(r.extra) : null);
  w.boolean(r.closed === true);
}

export async function countSales(sql: Sql): Promise<number> {
  const [{ n }] = await sql<{ n: number }[]>`SELECT count(*)::int AS n FROM sales`;
  return n;
}

// ---------------------------------------------------------------- catalog reads

export interface StoreRow {
  store_id: string;
  grain: Grain;
  products: number;
  records: number;
  first_date: string;
  last_date: string;
}

export async function listStores(sql: Sql): Promise<StoreRow[]> {
  return sql<StoreRow[]>`
    SELECT p.store_id, coalesce(max(g.grain), 'daily') AS grain, count(*)::int AS products,
           sum(p.records)::int AS records, min(p.first_date) AS first_date, max(p.last_date) AS last_date
    FROM products p LEFT JOIN store_grains g ON g.store_id = p.store_id
    WHERE p.records > 0
    GROUP BY p.store_id ORDER BY p.store_id`;
}

export interface ProductRow {
  product_id: string;
  category: string | null;
  /** The product's name in words, from an upload's description column; null when no upload named it. */
  description: string | null;
  records: number;
  first_date: string;
  last_date: string;
}

export async function listProducts(sql: Sql, storeId: string): Promise<ProductRow[]> {
  return sql<ProductRow[]>`
    SELECT product_id, category, description, records, first_date, last_date
    FROM products WHERE store_id = ${storeId} AND records > 0
    ORDER BY product_id`;
}

export async function productExists(sql: Sql, storeId: string, productId: string): Promise<boolean> {
  const rows = await sql`SELECT 1 FROM products WHERE store_id = ${storeId} AND product_id = ${productId} AND records > 0`;
  return rows.length > 0;
}

export interface SalesRow {
  date: string;
  units_sold: number;
  inventory_level: number | null;
  units_ordered: number | null;
  price: number | null;
  discount: number | null;
  promotion: boolean | null;
  category: string | null;
  region: string | null;
  extra: Record<string, string | number> | null;
  closed: boolean;
}

export async function salesHistory(
  sql: Sql,
  storeId: string,
  productId: string,
  range: { from?: string; to?: string } = {},
): Promise<SalesRow[]> {
  return sql<SalesRow[]>`
    SELECT date, units_sold, inventory_level, units_ordered, price, discount, promotion, category, region, extra, closed
    FROM sales
    WHERE store_id = ${storeId} AND product_id = ${productId}
      AND date >= ${range.from ?? '0001-01-01'}::date AND date <= ${range.to ?? '9999-12-31'}::date
    ORDER BY date`;
}

/**
 * The store's last stored date (the first day of its last period), its grain, and a version that changes whenever an
 * upload or removal (db/removal.ts; its ids come from the same sequence) touches the store.
 */
export async function storeDataState(sql: Sql, storeId: string): Promise<{ lastDate: string; version: number; grain: Grain } | null> {
  const [row] = await sql<{ last_date: string | null; version: number | null; grain: Grain | null }[]>`
    SELECT (SELECT max(last_date) FROM products WHERE store_id = ${storeId}) AS last_date,
           greatest((SELECT max(id)::int FROM uploads WHERE ${storeId} = ANY(store_ids)),
                    (SELECT max(id)::int FROM data_removals WHERE ${storeId} = ANY(store_ids))) AS version,
           (SELECT grain FROM store_grains WHERE store_id = ${storeId}) AS grain`;
  return row.last_date ? { lastDate: row.last_date, version: row.version ?? 0, grain: row.grain ?? 'daily' } : null;
}

export interface ProductAttributesRow {
  product_id: string;
  category: string | null;
  unit_cost: number | null;
  lead_time_days: number | null;
  lead_time_sd_days: number | null;
  pack_size: number | null;
  min_order_qty: number | null;
  supplier_id: string | null;
}

export async function productAttributes(sql: Sql, storeId: string): Promise<ProductAttributesRow[]> {
  return sql<ProductAttributesRow[]>`
    SELECT product_id, category, unit_cost, lead_time_days, lead_time_sd_days, pack_size, min_order_qty, supplier_id
    FROM products WHERE store_id = ${storeId} AND records > 0 ORDER BY product_id`;
}

/** The supplier attributes to set on a product (absent: kept; null: cleared). */
export type SupplierAttributes = Partial<
  Pick<ProductAttributesRow, 'unit_cost' | 'lead_time_days' | 'lead_time_sd_days' | 'pack_size' | 'min_order_qty' | 'supplier_id'>
>;

/** Sets a product's supplier attributes; null when the store holds no such product. */
export async function setSupplierAttributes(
  sql: Sql,
  storeId: string,
  productId: string,
  set: SupplierAttributes,
): Promise<ProductAttributesRow | null> {
  const has = (k: keyof SupplierAttributes) => set[k] !== undefined;
  const [row] = await sql<ProductAttributesRow[]>`
    UPDATE products SET
      unit_cost = CASE WHEN ${has('unit_cost')} THEN ${set.unit_cost ?? null}::float8 ELSE unit_cost END,
      lead_time_days = CASE WHEN ${has('lead_time_days')} THEN ${set.lead_time_days ?? null}::int ELSE lead_time_days END,
      lead_time_sd_days = CASE WHEN ${has('lead_time_sd_days')} THEN ${set.lead_time_sd_days ?? null}::float8 ELSE lead_time_sd_days END,
      pack_size = CASE WHEN ${has('pack_size')} THEN ${set.pack_size ?? null}::float8 ELSE pack_size END,
      min_order_qty = CASE WHEN ${has('min_order_qty')} THEN ${set.min_order_qty ?? null}::float8 ELSE min_order_qty END,
      supplier_id = CASE WHEN ${has('supplier_id')} THEN ${set.supplier_id ?? null}::text ELSE supplier_id END,
      updated_at = now()
    WHERE store_id = ${storeId} AND product_id = ${productId} AND records > 0
    RETURNING product_id, category, unit_cost, lead_time_days, lead_time_sd_days, pack_size, min_order_qty, supplier_id`;
  return row ?? null;
}

/** The grain of each store that holds sales (stores whose sales predate grains hold daily sales). */
export async function storeGrains(sql: Sql): Promise<Map<string, Grain>> {
  const rows = await sql<{ store_id: string; grain: Grain }[]>`
    SELECT g.store_id, g.grain FROM store_grains g
    WHERE EXISTS (SELECT 1 FROM products p WHERE p.store_id = g.store_id AND p.records > 0)`;
  return new Map(rows.map((r) => [r.store_id, r.grain]));
}

/** A store's first and last stored dates and how many distinct dates it has: its history's shape, without its rows. */
export async function storeDateSpan(sql: Sql, storeId: string): Promise<{ first: string; last: string; dates: number } | null> {
  const [row] = await sql<{ first: string | null; last: string | null; dates: number }[]>`
    SELECT min(date)::text AS first, max(date)::text AS last, count(DISTINCT date)::int AS dates FROM sales WHERE store_id = ${storeId}`;
  return row?.first && row.last ? { first: row.first, last: row.last, dates: row.dates } : null;
}

/**
 * Each store's date span from the catalog (cheap): first and last date, and the most records any one product has, a
 * lower bound of its distinct dates (storeDateSpan counts them exactly, at the cost of reading the store's sales).
 */
export async function storeSpans(
  sql: Sql,
  storeIds: string[],
): Promise<{ store_id: string; first: string; last: string; dates: number }[]> {
  if (storeIds.length === 0) return [];
  return sql<{ store_id: string; first: string; last: string; dates: number }[]>`
    SELECT store_id, min(first_date)::text AS first, max(last_date)::text AS last, max(records)::int AS dates
    FROM products WHERE store_id = ANY(${storeIds}) AND records > 0 GROUP BY store_id ORDER BY store_id`;
}
