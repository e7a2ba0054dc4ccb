// The catalog endpoints' work: the stores, a store's products and a product's daily sales, with a 404 for an
// unknown store or product.
import type { HistoryResponse, ProductsResponse, StoresResponse } from '../../../shared/schemas';
import type { Sql } from '../db/connection';
import { listProducts, listStores, productExists, salesHistory } from '../db/sales';
import { notFound } from '../errors';

export class CatalogService {
  constructor(private readonly sql: Sql) {}

  async stores(): Promise<StoresResponse> {
    return { stores: await listStores(this.sql) };
  }

  /** A store's products; a store without any is unknown (404). */
  async products(storeId: string): Promise<ProductsResponse> {
    const products = await listProducts(this.sql, storeId);
    if (products.length === 0) throw notFound(`Store "${storeId}"`, { store_id: storeId });
    return { store_id: storeId, products };
  }

  /** Daily sales of one product in one store in date order, optionally between two days (inclusive). */
  async history(storeId: string, productId: string, range: { from?: string; to?: string } = {}): Promise<HistoryResponse> {
    if (!(await productExists(this.sql, storeId, productId))) {
      throw notFound(`Product "${productId}" in store "${storeId}"`, { store_id: storeId, product_id: productId });
    }
    return { store_id: storeId, product_id: productId, history: await salesHistory(this.sql, storeId, productId, range) };
  }
}
