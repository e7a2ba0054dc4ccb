// The product master's figures after an upload: counts and dates added (an upload of new days) or recounted, and the
// latest unit cost and description of each product in the file.
import { ARRAY_BATCH_ROWS, DATE, FLOAT8, INT4, TEXT } from './arrays';
import type { Sql } from './connection';
import type { SalesRecord } from '../sales/record';

/** As sales.ts's UploadRecord: a record with its product's name in words, when the file had one. */
type UploadRecord = SalesRecord & { description?: string | null };

/** Per product of the upload: its records' count and dates, and the latest category, region, unit cost, description. */
export class ProductLatest {
  readonly series = new Map<string, SeriesFigures>();
  readonly costs = new Map<string, { storeId: string; productId: string; date: string; value: number }>();
  readonly descriptions = new Map<string, { storeId: string; productId: string; date: string; value: string }>();
  private last: SeriesFigures | null = null;

  add(records: UploadRecord[]): void {
    for (const r of records) {
      let f = this.last;
      if (f === null || f.storeId !== r.storeId || f.productId !== r.productId) {
        const key = `${r.storeId}\u0000${r.productId}`;
        f = this.series.get(key) ?? null;
        if (f === null) {
          f = {
            storeId: r.storeId,
            productId: r.productId,
            records: 0,
            first: r.date,
            last: r.date,
            category: null,
            categoryDate: '',
            region: null,
            regionDate: '',
          };
          this.series.set(key, f);
        }
        this.last = f;
      }
      f.records++;
      if (r.date < f.first) f.first = r.date;
      if (r.date > f.last) f.last = r.date;
      if (r.category !== null && r.date >= f.categoryDate) {
        f.category = r.category;
        f.categoryDate = r.date;
      }
      if (r.region !== null && r.date >= f.regionDate) {
        f.region = r.region;
        f.regionDate = r.date;
      }
      if (r.unitCost !== null) keepLatest(this.costs, r, r.unitCost);
      if (typeof r.description === 'string' && r.description.trim() !== '') keepLatest(this.descriptions, r, r.description);
    }
  }
}

interface SeriesFigures {
  storeId: string;
  productId: string;
  records: number;
  first: string;
  last: string;
  category: string | null;
  categoryDate: string;
  region: string | null;
  regionDate: string;
}

function keepLatest<T>(map: Map<string, { storeId: string; productId: string; date: string; value: T }>, r: UploadRecord, value: T): void {
  const key = `${r.storeId}\u0000${r.productId}`;
  const seen = map.get(key);
  if (!seen || r.date >= seen.date) map.set(key, { storeId: r.storeId, productId: r.productId, date: r.date, value });
}

/**
 * Adds an upload of only new days to the catalog figures: counts add up, dates widen, and the category and region of
 * the later days win. The same figures as recounting (refreshProducts) without reading the stores' sales again.
 */
async function addToProducts(sql: Sql, latest: ProductLatest): Promise<void> {
  const rows = [...latest.series.values()];
  for (let i = 0; i < rows.length; i += ARRAY_BATCH_ROWS) {
    const batch = rows.slice(i, i + ARRAY_BATCH_ROWS);
    const col = (oid: number, pick: (f: SeriesFigures) => string | number | null) => sql.array(batch.map(pick) as never[], oid);
    await sql`
      INSERT INTO products AS p (store_id, product_id, category, region, records, first_date, last_date)
      SELECT * FROM unnest(${col(TEXT, (f) => f.storeId)}::text[], ${col(TEXT, (f) => f.productId)}::text[],
                           ${col(TEXT, (f) => f.category)}::text[], ${col(TEXT, (f) => f.region)}::text[],
                           ${col(INT4, (f) => f.records)}::int[], ${col(DATE, (f) => f.first)}::date[],
                           ${col(DATE, (f) => f.last)}::date[])
      ON CONFLICT (store_id, product_id) DO UPDATE SET
        category = CASE WHEN p.last_date IS NULL OR excluded.last_date > p.last_date
                        THEN coalesce(excluded.category, p.category) ELSE coalesce(p.category, excluded.category) END,
        region = CASE WHEN p.last_date IS NULL OR excluded.last_date > p.last_date
                      THEN coalesce(excluded.region, p.region) ELSE coalesce(p.region, excluded.region) END,
        records = p.records + excluded.records,
        first_date = least(p.first_date, excluded.first_date), last_date = greatest(p.last_date, excluded.last_date),
        updated_at = now()`;
  }
}

/**
 * Brings the catalog figures of the touched stores' products up to date (`add`: the upload held only new days, see
 * addToProducts; `recount`: count the stores' sales again; `costs`: nothing changed) and records the latest unit cost
 * and description seen (by date within the upload; an upload's non-empty description replaces a stored one).
 */
export async function refreshProducts(
  sql: Sql,
  stores: string[],
  latest: ProductLatest,
  figures: 'add' | 'recount' | 'costs',
): Promise<void> {
  if (stores.length === 0) return;
  if (figures === 'add') await addToProducts(sql, latest);
  else if (figures === 'recount')
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

  await setLatest(sql, 'unit_cost', [...latest.costs.values()]);
  // PostgreSQL text cannot hold NUL characters.
  await setLatest(
    sql,
    'description',
    [...latest.descriptions.values()].map((d) => ({ ...d, value: d.value.replace(/\0/g, '') })),
  );
}

/** The product columns an upload's latest values set, with their array types. */
const LATEST_COLUMNS = { unit_cost: { oid: FLOAT8, cast: 'float8[]' }, description: { oid: TEXT, cast: 'text[]' } } as const;

/** Sets one product column to each product's latest value from the upload. */
async function setLatest(
  sql: Sql,
  column: keyof typeof LATEST_COLUMNS,
  latest: { storeId: string; productId: string; value: string | number }[],
): Promise<void> {
  const { oid, cast } = LATEST_COLUMNS[column];
  for (let i = 0; i < latest.length; i += ARRAY_BATCH_ROWS) {
    const batch = latest.slice(i, i + ARRAY_BATCH_ROWS);
    await sql`
      UPDATE products AS p SET ${sql(column)} = l.value
      FROM unnest(${sql.array(
        batch.map((l) => l.storeId),
        TEXT,
      )}::text[], ${sql.array(
        batch.map((l) => l.productId),
        TEXT,
      )}::text[], ${sql.array(batch.map((l) => l.value) as never[], oid)}::${sql.unsafe(cast)})
        AS l(store_id, product_id, value)
      WHERE p.store_id = l.store_id AND p.product_id = l.product_id`;
  }
}
