// Supplier reality over HTTP on both backends: a product's lead time and its spread, pack size and minimum order
// set with PUT /products/{store}/{product}, used by /predict_with_context and /bulk_predict, and a fill-rate target.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { BulkPredictResponse, ErrorBody, PredictWithContextResponse, SupplierAttributes } from '../../../shared/schemas';
import { testBackends } from '../db/testing';
import { startTestServer, type TestServer } from '../testing/server';

const day = (k: number) => new Date(Date.UTC(2024, 0, 1 + k)).toISOString().slice(0, 10);

describe.each(testBackends)('supplier attributes on %s', (kind) => {
  let server: TestServer;
  const send = async (method: string, path: string, body?: unknown) => {
    const res = await fetch(server.url + path, {
      method,
      ...(body === undefined ? {} : { headers: { 'content-type': 'application/json' }, body: JSON.stringify(body) }),
    });
    return { status: res.status, body: (await res.json()) as unknown };
  };
  const recommend = async (extra: Record<string, unknown> = {}) => {
    const res = await send('POST', '/predict_with_context', { store_id: 'Q1', product_id: 'A', current_stock: 0, ...extra });
    expect(res.status, JSON.stringify(res.body)).toBe(200);
    return PredictWithContextResponse.parse(res.body).stock_recommendation;
  };

  beforeAll(async () => {
    server = await startTestServer(kind);
    const rows = Array.from({ length: 120 }, (_, k) => `${day(k)},Q1,A,${15 + (k % 7) * 2}`);
    const form = new FormData();
    form.append('file', new Blob([['date,store_id,product_id,units_sold', ...rows].join('\n') + '\n']), 'sales.csv');
    expect((await fetch(`${server.url}/upload_data`, { method: 'POST', body: form })).status).toBe(200);
  });
  afterAll(async () => server?.close());

  it("keeps a product's supplier and uses it: a lead time that varies needs more safety stock, packs and a minimum order round the order", async () => {
    const before = await recommend({ lead_time_days: 6 });
    expect(before).toMatchObject({ lead_time_days: 6, lead_time_sd_days: 0, service_measure: 'cycle' });
    const put = await send('PUT', '/products/Q1/A', {
      lead_time_days: 6,
      lead_time_sd_days: 2,
      pack_size: 12,
      min_order_qty: 48,
      supplier_id: 'ACME',
    });
    expect(put.status, JSON.stringify(put.body)).toBe(200);
    expect(SupplierAttributes.parse(put.body)).toEqual({
      store_id: 'Q1',
      product_id: 'A',
      lead_time_days: 6,
      lead_time_sd_days: 2,
      pack_size: 12,
      min_order_qty: 48,
      unit_cost: null,
      supplier_id: 'ACME',
    });
    const after = await recommend();
    expect(after).toMatchObject({ lead_time_days: 6, lead_time_sd_days: 2 });
    expect(after.safety_stock).toBeGreaterThan(before.safety_stock);
    expect(after.order_quantity % 12).toBe(0);
    expect(after.order_quantity).toBeGreaterThanOrEqual(48);
    // The request still has the last word.
    expect((await recommend({ lead_time_sd_days: 0 })).safety_stock).toBeCloseTo(before.safety_stock, 1);
    // Left out: kept; null: cleared.
    const cleared = SupplierAttributes.parse((await send('PUT', '/products/Q1/A', { pack_size: null })).body);
    expect(cleared).toMatchObject({ pack_size: null, lead_time_sd_days: 2, supplier_id: 'ACME' });
    const plan = BulkPredictResponse.parse((await send('POST', '/bulk_predict', { store_id: 'Q1', horizon_days: 7 })).body);
    expect(plan.predictions[0].safety_stock).toBeCloseTo((await recommend()).safety_stock, 0);
  });

  it('plans for a fill rate when asked: less safety stock than the same cycle service level, each said at order-up-to', async () => {
    const cycle = await recommend({ service_level: 0.95 });
    const fill = await recommend({ service_level: 0.95, service_measure: 'fill_rate' });
    expect(fill.service_measure).toBe('fill_rate');
    expect(fill.safety_stock).toBeLessThan(cycle.safety_stock);
    expect(fill.expected_fill_rate!).toBeCloseTo(0.95, 2);
    expect(cycle.expected_cycle_service_level!).toBeCloseTo(0.95, 2);
  });

  it('answers 404 for a product the store lacks and 422 naming the field for a bad value or an empty body', async () => {
    expect((await send('PUT', '/products/Q1/NOPE', { lead_time_days: 3 })).status).toBe(404);
    const cases: [unknown, RegExp][] = [
      [{}, /at least one attribute/],
      [{ lead_time_sd_days: -1 }, /lead_time_sd_days/],
      [{ pack_size: 0 }, /pack_size/],
      [{ lead_time_days: 2.5 }, /lead_time_days/],
      [{ colour: 'red' }, /colour/],
    ];
    for (const [body, message] of cases) {
      const res = await send('PUT', '/products/Q1/A', body);
      expect(res.status, JSON.stringify(body)).toBe(422);
      expect(ErrorBody.parse(res.body).error.message).toMatch(message);
    }
    expect(
      (await send('POST', '/predict_with_context', { store_id: 'Q1', product_id: 'A', current_stock: 0, service_measure: 'fill' })).status,
    ).toBe(422);
  });
});
