// SQL for buyers' forecast overrides. No rules: which override applies to which forecast is overrides/apply.ts.
import type { Sql } from './connection';

export interface OverrideRow {
  id: number;
  store_id: string;
  product_id: string | null;
  category: string | null;
  date_from: string;
  date_to: string;
  multiplier: number | null;
  quantity: number | null;
  reason: string;
  created_by: string | null;
  created_at: string;
  ended_at: string | null;
  ended_by: string | null;
}

const COLUMNS = `id::int, store_id, product_id, category, date_from::text, date_to::text, multiplier, quantity, reason,
  created_by, created_at::text, ended_at::text, ended_by`;

export async function insertOverride(
  sql: Sql,
  o: Pick<
    OverrideRow,
    'store_id' | 'product_id' | 'category' | 'date_from' | 'date_to' | 'multiplier' | 'quantity' | 'reason' | 'created_by'
  >,
): Promise<OverrideRow> {
  const [row] = await sql<OverrideRow[]>`
    INSERT INTO forecast_overrides (store_id, product_id, category, date_from, date_to, multiplier, quantity, reason, created_by)
    VALUES (${o.store_id}, ${o.product_id}, ${o.category}, ${o.date_from}, ${o.date_to}, ${o.multiplier}, ${o.quantity},
            ${o.reason}, ${o.created_by})
    RETURNING ${sql.unsafe(COLUMNS)}`;
  return row;
}

/** Overrides of a store (every store when null), newest first; `active`: only those not ended. */
export async function listOverrides(sql: Sql, storeId: string | null, active: boolean): Promise<OverrideRow[]> {
  return sql<OverrideRow[]>`
    SELECT ${sql.unsafe(COLUMNS)} FROM forecast_overrides
    WHERE (${storeId}::text IS NULL OR store_id = ${storeId}::text) AND (NOT ${active} OR ended_at IS NULL)
    ORDER BY created_at DESC, id DESC`;
}

/** Ends an override; null when there is none of that id, the row as it was when it had already ended. */
export async function endOverride(sql: Sql, id: number, by: string | null): Promise<{ row: OverrideRow; ended: boolean } | null> {
  const [ended] = await sql<OverrideRow[]>`
    UPDATE forecast_overrides SET ended_at = now(), ended_by = ${by}
    WHERE id = ${id} AND ended_at IS NULL RETURNING ${sql.unsafe(COLUMNS)}`;
  if (ended) return { row: ended, ended: true };
  const [row] = await sql<OverrideRow[]>`SELECT ${sql.unsafe(COLUMNS)} FROM forecast_overrides WHERE id = ${id}`;
  return row ? { row, ended: false } : null;
}

/** The stores' products and categories, to refuse an override of something the store does not hold. */
export async function storeHolds(sql: Sql, storeId: string, productId: string | null, category: string | null): Promise<boolean> {
  const rows = await sql`
    SELECT 1 FROM products WHERE store_id = ${storeId} AND records > 0
      AND (${productId}::text IS NULL OR product_id = ${productId}::text)
      AND (${category}::text IS NULL OR category = ${category}::text)
    LIMIT 1`;
  return rows.length > 0;
}
