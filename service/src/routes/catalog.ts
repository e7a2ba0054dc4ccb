import { Hono } from 'hono';
import { z } from 'zod';
import { HistoryQuery, Identifier, type HistoryResponse, type ProductsResponse, type StoresResponse } from '../../../shared/schemas';
import type { Sql } from '../db/connection';
import { listProducts, listStores, productExists, salesHistory } from '../db/sales';
import { notFound } from '../errors';
import { validate } from '../http';

const StoreParam = z.object({ store_id: Identifier });
const StoreProductParams = z.object({ store_id: Identifier, product_id: Identifier });

export function catalogRoutes(sql: Sql) {
  return new Hono()
    .get('/stores', async (c) => {
      const body: StoresResponse = { stores: await listStores(sql) };
      return c.json(body);
    })
    .get('/products/:store_id', validate('param', StoreParam), async (c) => {
      const storeId = c.req.valid('param').store_id;
      const products = await listProducts(sql, storeId);
      if (products.length === 0) throw notFound(`Store "${storeId}"`, { store_id: storeId });
      const body: ProductsResponse = { store_id: storeId, products };
      return c.json(body);
    })
    .get('/history/:store_id/:product_id', validate('param', StoreProductParams), validate('query', HistoryQuery), async (c) => {
      const { store_id: storeId, product_id: productId } = c.req.valid('param');
      if (!(await productExists(sql, storeId, productId))) {
        throw notFound(`Product "${productId}" in store "${storeId}"`, { store_id: storeId, product_id: productId });
      }
      const body: HistoryResponse = {
        store_id: storeId,
        product_id: productId,
        history: await salesHistory(sql, storeId, productId, c.req.valid('query')),
      };
      return c.json(body);
    });
}
