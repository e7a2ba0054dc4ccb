// The overrides use-case: set, list and end a buyer's adjustments of the forecasts (POST/GET/DELETE /overrides),
// and the active ones of a store as the forecasts apply them (overrides/apply.ts).
import type { ForecastOverride as OverrideAnswer, OverrideRequest } from '../../../shared/schemas';
import type { Sql } from '../db/connection';
import { storeExists } from '../db/known-ids';
import { endOverride, insertOverride, listOverrides, storeHolds, type OverrideRow } from '../db/overrides';
import { AppError, notFound } from '../errors';
import type { ForecastOverride } from './apply';

const answer = (r: OverrideRow): OverrideAnswer => ({
  id: r.id,
  store_id: r.store_id,
  product_id: r.product_id,
  category: r.category,
  from: r.date_from,
  to: r.date_to,
  multiplier: r.multiplier,
  quantity: r.quantity,
  reason: r.reason,
  created_by: r.created_by,
  created_at: new Date(r.created_at).toISOString(),
  active: r.ended_at === null,
  ended_at: r.ended_at === null ? null : new Date(r.ended_at).toISOString(),
  ended_by: r.ended_by,
});

export class OverrideService {
  constructor(private readonly sql: Sql) {}

  async create(request: OverrideRequest, by: string | null): Promise<OverrideAnswer> {
    if (!(await storeExists(this.sql, request.store_id))) throw notFound(`Store "${request.store_id}"`, { store_id: request.store_id });
    const productId = request.product_id ?? null;
    const category = request.category ?? null;
    if (!(await storeHolds(this.sql, request.store_id, productId, category))) {
      throw productId !== null
        ? notFound(`Product "${productId}" in store "${request.store_id}"`, { store_id: request.store_id, product_id: productId })
        : notFound(`Category "${category}" in store "${request.store_id}"`, { store_id: request.store_id, category });
    }
    const row = await insertOverride(this.sql, {
      store_id: request.store_id,
      product_id: productId,
      category,
      date_from: request.from,
      date_to: request.to,
      multiplier: request.multiplier ?? null,
      quantity: request.quantity ?? null,
      reason: request.reason,
      created_by: by,
    });
    return answer(row);
  }

  async list(storeId: string | undefined, active: boolean): Promise<{ overrides: OverrideAnswer[] }> {
    return { overrides: (await listOverrides(this.sql, storeId ?? null, active)).map(answer) };
  }

  async end(id: number, by: string | null): Promise<OverrideAnswer> {
    const result = await endOverride(this.sql, id, by);
    if (!result) throw notFound(`Override ${id}`, { override_id: id });
    if (!result.ended) {
      throw new AppError(409, 'already_ended', `Override ${id} was already ended on ${result.row.ended_at}`, { override_id: id });
    }
    return answer(result.row);
  }
}

/** The store's active overrides, as the forecasts apply them. */
export async function activeOverrides(sql: Sql, storeId: string): Promise<ForecastOverride[]> {
  return (await listOverrides(sql, storeId, true)).map((r) => ({
    id: r.id,
    productId: r.product_id,
    category: r.category,
    from: r.date_from,
    to: r.date_to,
    multiplier: r.multiplier,
    quantity: r.quantity,
    reason: r.reason,
    by: r.created_by,
    createdAt: new Date(r.created_at).toISOString(),
  }));
}
