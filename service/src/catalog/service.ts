// The catalog endpoints' work: the stores, a store's products and a product's sales at their grain, and a product's
// supplier attributes, with a 404 for an unknown store or product.
import type {
  HistoryResponse,
  ProductsResponse,
  StoresResponse,
  SupplierAttributes,
  SupplierAttributesRequest,
} from '../../../shared/schemas';
import type { Sql, TransactionActivity } from '../db/connection';
import { demoStoreIds } from '../db/removal';
import { listProducts, listStores, productExists, salesHistory, setSupplierAttributes, storeDataState } from '../db/sales';
import { notFound } from '../errors';
import { addDays, periodEnd } from '../features/index';
import { CatalogSnapshot } from './snapshot';

export class CatalogService {
  /** Stores and product lists as committed before a transaction of ours that holds the embedded database (snapshot.ts). */
  private readonly snapshot: CatalogSnapshot;

  constructor(
    private readonly sql: Sql,
    transactions?: TransactionActivity,
  ) {
    this.snapshot = new CatalogSnapshot(transactions);
    this.snapshot.prime('stores', () => this.readStores());
  }

  /** Sets a product's supplier attributes (PUT /products/{store}/{product}); 404 when the store lacks the product. */
  async setSupplier(storeId: string, productId: string, set: SupplierAttributesRequest): Promise<SupplierAttributes> {
    const row = await setSupplierAttributes(this.sql, storeId, productId, set);
    if (!row) throw notFound(`Product "${productId}" in store "${storeId}"`, { store_id: storeId, product_id: productId });
    return {
      store_id: storeId,
      product_id: row.product_id,
      lead_time_days: row.lead_time_days,
      lead_time_sd_days: row.lead_time_sd_days,
      pack_size: row.pack_size,
      min_order_qty: row.min_order_qty,
      unit_cost: row.unit_cost,
      supplier_id: row.supplier_id,
    };
  }

  stores(): Promise<StoresResponse> {
    return this.snapshot.read('stores', () => this.readStores());
  }

  private async readStores(): Promise<StoresResponse> {
    const [stores, demo] = await Promise.all([listStores(this.sql), demoStoreIds(this.sql)]);
    return { stores: stores.map((s) => ({ ...s, demo: demo.has(s.store_id) })) };
  }

  /** A store's products; a store without any is unknown (404). */
  async products(storeId: string): Promise<ProductsResponse> {
    const products = await this.snapshot.read(`products\u0000${storeId}`, () => listProducts(this.sql, storeId), {
      keepIf: (list) => list.length > 0,
    });
    if (products.length === 0) throw notFound(`Store "${storeId}"`, { store_id: storeId });
    return { store_id: storeId, products };
  }

  /**
   * Sales of one product in one store in date order, at the grain they were stored (a day, a week or a month per
   * record: no day is invented), optionally those whose period overlaps two days (inclusive).
   */
  async history(storeId: string, productId: string, range: { from?: string; to?: string } = {}): Promise<HistoryResponse> {
    if (!(await productExists(this.sql, storeId, productId))) {
      throw notFound(`Product "${productId}" in store "${storeId}"`, { store_id: storeId, product_id: productId });
    }
    const grain = (await storeDataState(this.sql, storeId))?.grain ?? 'daily';
    // A period that starts before `from` still overlaps it when it ends on or after it.
    const longest = grain === 'monthly' ? 31 : grain === 'weekly' ? 7 : 1;
    const from = range.from === undefined ? undefined : addDays(range.from, 1 - longest);
    const rows = await salesHistory(this.sql, storeId, productId, { from, to: range.to });
    const history = rows
      .map((r) => ({ ...r, period_end: periodEnd(r.date, grain) }))
      .filter((r) => range.from === undefined || r.period_end >= range.from);
    return { store_id: storeId, product_id: productId, grain, history };
  }
}
