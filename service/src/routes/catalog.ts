import { Hono } from 'hono';
import { z } from 'zod';
import { HistoryQuery, Identifier, SupplierAttributesRequest } from '../../../shared/schemas';
import type { CatalogService } from '../catalog/service';
import { validate } from '../http';

const StoreParam = z.object({ store_id: Identifier });
const StoreProductParams = z.object({ store_id: Identifier, product_id: Identifier });

export function catalogRoutes(catalog: CatalogService) {
  return new Hono()
    .get('/stores', async (c) => c.json(await catalog.stores()))
    .get('/products/:store_id', validate('param', StoreParam), async (c) => c.json(await catalog.products(c.req.valid('param').store_id)))
    .put(
      '/products/:store_id/:product_id',
      validate('param', StoreProductParams),
      validate('json', SupplierAttributesRequest),
      async (c) => {
        const { store_id: storeId, product_id: productId } = c.req.valid('param');
        return c.json(await catalog.setSupplier(storeId, productId, c.req.valid('json')));
      },
    )
    .get('/history/:store_id/:product_id', validate('param', StoreProductParams), validate('query', HistoryQuery), async (c) => {
      const { store_id: storeId, product_id: productId } = c.req.valid('param');
      return c.json(await catalog.history(storeId, productId, c.req.valid('query')));
    });
}
