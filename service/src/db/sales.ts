// SQL for uploads, sales and the product master. Returns plain records; no HTTP, no business rules.
import type { SalesRecord } from '../sales/record';
import type { Sql } from './connection';

/** Rows per INSERT statement: each column travels as one array parameter, so the statement count stays small. */
const BATCH_ROWS = 20_000;
const TEXT = 25;
const DATE = 1082;
const FLOAT8 = 701;
const BOOL = 16;

export interface NewUpload {
  filename: string;
  checksum: string;
  format: string;
  grain: string;
  rowsRead: number;
  columns: Record<string, string>;
  warnings: string[];
}

export interface UpsertCounts {
  inserted: number;
  updated: number;
}

export interface UploadRow {
  id: number;
  filename: string;
  uploaded_at: string;
  checksum: string;
  format: string;
  grain: string;
  store_ids: string[];
  record_count: number;
  inserted: number;
  updated: number;
  skipped: number;
  first_date: string | null;
  last_date: string | null;
}

/**
 * Stores one parsed upload atomically: the upload row, the sales (new days inserted, changed days replaced, identical
 * days left alone) and the refreshed product master. Any failure rolls all of it back.
 */
export async function storeUpload(
  sql: Sql,
  upload: NewUpload,
  records: SalesRecord[],
): Promise<{ uploadId: number; counts: UpsertCounts; stores: string[]; firstDate: string | null; lastDate: string | null }> {
  const stores = [...new Set(records.map((r) => r.storeId))].sort();
  let firstDate: string | null = null;
  let lastDate: string | null = null;
  for (const r of records) {
    if (firstDate === null || r.date < firstDate) firstDate = r.date;
    if (lastDate === null || r.date > lastDate) lastDate = r.date;
  }

  return sql.begin(async (tx) => {
    const [{ id }] = await tx<{ id: string }[]>`
      INSERT INTO uploads (filename, checksum, format, grain, store_ids, rows_read, record_count, inserted, updated,
                           skipped, first_date, last_date, columns, warnings)
      VALUES (${upload.filename}, ${upload.checksum}, ${upload.format}, ${upload.grain}, ${stores}, ${upload.rowsRead},
              ${records.length}, 0, 0, 0, ${firstDate}, ${lastDate}, ${tx.json(upload.columns)},
              ${tx.json(upload.warnings)})
      RETURNING id`;
    const uploadId = Number(id);

    const counts: UpsertCounts = { inserted: 0, updated: 0 };
    for (let start = 0; start < records.length; start += BATCH_ROWS) {
      const batch = await upsertSalesBatch(tx as unknown as Sql, records.slice(start, start + BATCH_ROWS), uploadId);
      counts.inserted += batch.inserted;
      counts.updated += batch.updated;
    }
    await refreshProducts(tx as unknown as Sql, stores, records);

    await tx`UPDATE uploads SET inserted = ${counts.inserted}, updated = ${counts.updated},
             skipped = ${records.length - counts.inserted - counts.updated} WHERE id = ${uploadId}`;
    return { uploadId, counts, stores, firstDate, lastDate };
  });
}

async function upsertSalesBatch(sql: Sql, rows: SalesRecord[], uploadId: number): Promise<UpsertCounts> {
  // Explicit element types: postgres.js would otherwise guess each array's type from its first element.
  const col = (oid: number, pick: (r: SalesRecord) => string | number | boolean | null) =>
    sql.array(rows.map(pick) as never[], oid);
  const [result] = await sql<{ inserted: number; updated: number }[]>`
    WITH input AS (
      SELECT * FROM unnest(
        ${col(TEXT, (r) => r.storeId)}::text[], ${col(TEXT, (r) => r.productId)}::text[],
        ${col(DATE, (r) => r.date)}::date[], ${col(FLOAT8, (r) => r.unitsSold)}::float8[],
        ${col(FLOAT8, (r) => r.inventoryLevel)}::float8[], ${col(FLOAT8, (r) => r.unitsOrdered)}::float8[],
        ${col(FLOAT8, (r) => r.price)}::float8[], ${col(FLOAT8, (r) => r.discount)}::float8[],
        ${col(BOOL, (r) => r.promotion)}::bool[], ${col(TEXT, (r) => r.category)}::text[],
        ${col(TEXT, (r) => r.region)}::text[], ${col(TEXT, (r) => (r.extra ? JSON.stringify(r.extra) : null))}::text[]
      ) AS t(store_id, product_id, date, units_sold, inventory_level, units_ordered, price, discount, promotion,
             category, region, extra)
    ), written AS (
      INSERT INTO sales AS s (store_id, product_id, date, units_sold, inventory_level, units_ordered, price, discount,
                              promotion, category, region, extra, upload_id)
      SELECT store_id, product_id, date, units_sold, inventory_level, units_ordered, price, discount, promotion,
             category, region, extra::jsonb, ${uploadId}::bigint
      FROM input
      ON CONFLICT (store_id, product_id, date) DO UPDATE SET
        units_sold = excluded.units_sold, inventory_level = excluded.inventory_level,
        units_ordered = excluded.units_ordered, price = excluded.price, discount = excluded.discount,
        promotion = excluded.promotion, category = excluded.category, region = excluded.region,
        extra = excluded.extra, upload_id = excluded.upload_id
      WHERE (s.units_sold, s.inventory_level, s.units_ordered, s.price, s.discount, s.promotion, s.category, s.region,
             s.extra)
        IS DISTINCT FROM
            (excluded.units_sold, excluded.inventory_level, excluded.units_ordered, excluded.price, excluded.discount,
             excluded.promotion, excluded.category, excluded.region, excluded.extra)
      RETURNING (xmax = 0) AS is_insert
    )
    SELECT count(*) FILTER (WHERE is_insert)::int AS inserted, count(*) FILTER (WHERE NOT is_insert)::int AS updated
    FROM written`;
  return result;
}

/** Recomputes the catalog figures of the touched stores' products and records the latest unit cost seen. */
async function refreshProducts(sql: Sql, stores: string[], records: SalesRecord[]): Promise<void> {
  if (stores.length === 0) return;
  await sql`
    INSERT INTO products AS p (store_id, product_id, category, region, records, first_date, last_date)
    SELECT store_id, product_id,
           (array_agg(category ORDER BY date DESC) FILTER (WHERE category IS NOT NULL))[1],
           (array_agg(region ORDER BY date DESC) FILTER (WHERE region IS NOT NULL))[1],
           count(*)::int, min(date), max(date)
    FROM sales WHERE store_id = ANY(${stores}::text[])
    GROUP BY store_id, product_id
    ON CONFLICT (store_id, product_id) DO UPDATE SET
      category = coalesce(excluded.category, p.category), region = coalesce(excluded.region, p.region),
      records = excluded.records, first_date = excluded.first_date, last_date = excluded.last_date,
      updated_at = now()`;

  const latestCost = new Map<string, { storeId: string; productId: string; date: string; cost: number }>();
  for (const r of records) {
    if (r.unitCost === null) continue;
    const key = `${r.storeId}\u0000${r.productId}`;
    const seen = latestCost.get(key);
    if (!seen || r.date >= seen.date) latestCost.set(key, { storeId: r.storeId, productId: r.productId, date: r.date, cost: r.unitCost });
  }
  if (latestCost.size === 0) return;
  const costs = [...latestCost.values()];
  await sql`
    UPDATE products AS p SET unit_cost = c.unit_cost
    FROM unnest(${sql.array(costs.map((c) => c.storeId), TEXT)}::text[],
                ${sql.array(costs.map((c) => c.productId), TEXT)}::text[],
                ${sql.array(costs.map((c) => c.cost), FLOAT8)}::float8[]) AS c(store_id, product_id, unit_cost)
    WHERE p.store_id = c.store_id AND p.product_id = c.product_id`;
}

export async function countSales(sql: Sql): Promise<number> {
  const [{ n }] = await sql<{ n: number }[]>`SELECT count(*)::int AS n FROM sales`;
  return n;
}

export async function listUploads(sql: Sql, limit = 50): Promise<UploadRow[]> {
  return sql<UploadRow[]>`
    SELECT id::int, filename, uploaded_at, checksum, format, grain, store_ids, record_count, inserted, updated, skipped,
           first_date, last_date
    FROM uploads ORDER BY id DESC LIMIT ${limit}`;
}

// ---------------------------------------------------------------- catalog reads

export interface StoreRow {
  store_id: string;
  products: number;
  records: number;
  first_date: string;
  last_date: string;
}

export async function listStores(sql: Sql): Promise<StoreRow[]> {
  return sql<StoreRow[]>`
    SELECT store_id, count(*)::int AS products, sum(records)::int AS records,
           min(first_date) AS first_date, max(last_date) AS last_date
    FROM products WHERE records > 0
    GROUP BY store_id ORDER BY store_id`;
}

export interface ProductRow {
  product_id: string;
  category: string | null;
  records: number;
  first_date: string;
  last_date: string;
}

export async function listProducts(sql: Sql, storeId: string): Promise<ProductRow[]> {
  return sql<ProductRow[]>`
    SELECT product_id, category, records, first_date, last_date
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
}

export async function salesHistory(
  sql: Sql,
  storeId: string,
  productId: string,
  range: { from?: string; to?: string } = {},
): Promise<SalesRow[]> {
  return sql<SalesRow[]>`
    SELECT date, units_sold, inventory_level, units_ordered, price, discount, promotion, category, region, extra
    FROM sales
    WHERE store_id = ${storeId} AND product_id = ${productId}
      AND date >= ${range.from ?? '0001-01-01'}::date AND date <= ${range.to ?? '9999-12-31'}::date
    ORDER BY date`;
}
