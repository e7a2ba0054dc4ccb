// The store and product ids already stored, for telling an upload about look-alike ids (upload use-case).
import type { Sql } from './connection';

/** Every store with sales, and the products with sales in the given stores. */
export async function storedIds(sql: Sql, storeIds: string[]): Promise<{ stores: string[]; products: string[] }> {
  const stores = await sql<{ store_id: string }[]>`SELECT DISTINCT store_id FROM products WHERE records > 0 ORDER BY store_id`;
  const products = await sql<{ product_id: string }[]>`
    SELECT DISTINCT product_id FROM products WHERE store_id = ANY(${storeIds}::text[]) AND records > 0 ORDER BY product_id`;
  return { stores: stores.map((r) => r.store_id), products: products.map((r) => r.product_id) };
}

/** Whether the store has any stored sales. */
export async function storeExists(sql: Sql, storeId: string): Promise<boolean> {
  const rows = await sql`SELECT 1 FROM products WHERE store_id = ${storeId} AND records > 0 LIMIT 1`;
  return rows.length > 0;
}
