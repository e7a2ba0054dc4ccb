import { Hono } from 'hono';
import { z } from 'zod';
import { AccuracyQuery, Identifier } from '../../../shared/schemas';
import type { AccuracyService } from '../accuracy/service';
import { validate } from '../http';

const StoreParam = z.object({ store_id: Identifier });

export function accuracyRoutes(accuracy: AccuracyService) {
  return new Hono().get('/accuracy/:store_id', validate('param', StoreParam), validate('query', AccuracyQuery), async (c) =>
    c.json(await accuracy.storeAccuracy(c.req.valid('param').store_id, c.req.valid('query'))),
  );
}
