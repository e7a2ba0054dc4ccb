import { Hono } from 'hono';
import { z } from 'zod';
import { OverrideRequest, OverridesQuery } from '../../../shared/schemas';
import type { KeyIdentity } from '../auth/middleware';
import { validate } from '../http';
import type { OverrideService } from '../overrides/service';

/** Digits only, as an id is answered. */
const OverrideParam = z.object({
  override_id: z
    .string()
    .regex(/^[1-9]\d{0,15}$/, 'must be an override id as answered (digits)')
    .transform(Number),
});

export function overrideRoutes(overrides: OverrideService) {
  return new Hono<{ Variables: { apiKey?: KeyIdentity } }>()
    .post('/overrides', validate('json', OverrideRequest), async (c) =>
      c.json(await overrides.create(c.req.valid('json'), c.get('apiKey')?.name ?? null), 201),
    )
    .get('/overrides', validate('query', OverridesQuery), async (c) => {
      const q = c.req.valid('query');
      return c.json(await overrides.list(q.store_id, q.active === 'true'));
    })
    .delete('/overrides/:override_id', validate('param', OverrideParam), async (c) =>
      c.json(await overrides.end(c.req.valid('param').override_id, c.get('apiKey')?.name ?? null)),
    );
}
