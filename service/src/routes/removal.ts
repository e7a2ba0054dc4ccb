import { Hono } from 'hono';
import { z } from 'zod';
import { Identifier } from '../../../shared/schemas';
import { validate } from '../http';
import type { RemovalService } from '../removal/service';

const StoreParam = z.object({ store_id: Identifier });
const StoreProductParams = z.object({ store_id: Identifier, product_id: Identifier });
/** Digits only: a destructive call takes the id as it was answered, not "0x1", "1e0" or " 1". */
const UploadParam = z.object({
  upload_id: z
    .string()
    .regex(/^[1-9]\d{0,14}$/, 'must be a positive whole number (the upload_id an upload answered)')
    .transform(Number),
});

export function removalRoutes(removal: RemovalService) {
  return new Hono()
    .delete('/stores/:store_id', validate('param', StoreParam), async (c) =>
      c.json(await removal.removeStore(c.req.valid('param').store_id)),
    )
    .delete('/products/:store_id/:product_id', validate('param', StoreProductParams), async (c) => {
      const { store_id: storeId, product_id: productId } = c.req.valid('param');
      return c.json(await removal.removeProduct(storeId, productId));
    })
    .delete('/uploads/:upload_id', validate('param', UploadParam), async (c) =>
      c.json(await removal.undoUpload(c.req.valid('param').upload_id)),
    )
    .delete('/demo', async (c) => c.json(await removal.removeDemo()));
}
