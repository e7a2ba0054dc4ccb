// The planning answers agree with each other: /bulk_predict with /predict_with_context whatever was asked before,
// money with the scenario's prices, lost units with expected demand, the order with the status.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { BulkPredictResponse, ForecastResponse, PredictWithContextResponse, type PredictWithContextRequest } from '../../../shared/schemas';
import { storeUpload } from '../db/sales';
import { testBackends } from '../db/testing';
import { generateDemoSales } from '../demo/generate';
import { startTestServer, type TestServer } from '../testing/server';
import { trainAndWait } from '../testing/trained';

const LAST_DAY = '2025-06-30';
const PRODUCTS = Array.from({ length: 8 }, (_, i) => `P${String(i + 1).padStart(4, '0')}`);

describe.each(testBackends)('planning answers on %s', (kind) => {
  let server: TestServer;
  const post = async (path: string, body: unknown) => {
    const res = await fetch(server.url + path, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify(body),
    });
    return { status: res.status, body: (await res.json()) as never };
  };
  const bulk = async (body: Record<string, unknown>) => {
    const res = await post('/bulk_predict', body);
    expect(res.status, JSON.stringify(res.body)).toBe(200);
    return BulkPredictResponse.parse(res.body);
  };
  const context = async (body: PredictWithContextRequest) => {
    const res = await post('/predict_with_context', body);
    expect(res.status, JSON.stringify(res.body)).toBe(200);
    return PredictWithContextResponse.parse(res.body);
  };

  beforeAll(async () => {
    server = await startTestServer(kind, { training: true });
    const withStock = generateDemoSales({ stores: ['Q1'], productsPerStore: PRODUCTS.length, days: 240, endDate: LAST_DAY, seed: 33 });
    // The same kind of data without any inventory column (as M5 has none).
    const noStock = generateDemoSales({ stores: ['Q2'], productsPerStore: 4, days: 240, endDate: LAST_DAY, seed: 34 }).map((r) => ({
      ...r,
      inventoryLevel: null,
    }));
    const meta = (name: string, rows: number) => ({
      filename: name,
      checksum: name,
      format: 'demo',
      grain: 'daily' as const,
      rowsRead: rows,
      columns: {},
      warnings: [],
    });
    await storeUpload(server.db, meta('q1', withStock.length), withStock);
    await storeUpload(server.db, meta('q2', noStock.length), noStock);
    const params = { rounds: 30, objective: 'tweedie' as const, max_depth: 4 };
    await trainAndWait(server, 'Q1', params);
    await trainAndWait(server, 'Q2', params);
  }, 180_000);
  afterAll(async () => server?.close());

  it('/bulk_predict answers the same request the same way whatever was asked before, and as /predict_with_context does', async () => {
    const first = await bulk({ store_id: 'Q1', horizon_days: 7 });
    await bulk({ store_id: 'Q1', horizon_days: 180 });
    await bulk({ store_id: 'Q1', horizon_days: 60, lead_time_days: 30 });
    const again = await bulk({ store_id: 'Q1', horizon_days: 7 });
    expect(again).toEqual(first);
    // The breakdown does not depend on the horizon asked for either: it is the product's demand, not the window's.
    const long = await bulk({ store_id: 'Q1', horizon_days: 180 });
    const byId = new Map(long.predictions.map((p) => [p.product_id, p]));
    for (const p of first.predictions) expect(byId.get(p.product_id)!.demand_breakdown).toEqual(p.demand_breakdown);

    for (const row of first.predictions) {
      const single = await context({ store_id: 'Q1', product_id: row.product_id });
      const s = single.stock_recommendation;
      expect(
        {
          status: row.status,
          priority: row.priority,
          current_stock: row.current_stock,
          order_quantity: row.order_quantity,
          reorder_point: row.reorder_point,
          safety_stock: row.safety_stock,
          days_of_cover: row.days_of_cover,
          expected_revenue: row.expected_revenue,
          revenue_at_risk: row.revenue_at_risk,
          order_value: row.order_value,
          daily: row.demand_breakdown.daily,
          weekly: row.demand_breakdown.weekly,
          monthly: row.demand_breakdown.monthly,
        },
        row.product_id,
      ).toEqual({
        status: s.status,
        priority: s.priority,
        current_stock: s.current_stock,
        order_quantity: s.order_quantity,
        reorder_point: s.reorder_point,
        safety_stock: s.safety_stock,
        days_of_cover: s.days_of_cover,
        expected_revenue: single.financial_impact.expected_revenue,
        revenue_at_risk: single.financial_impact.revenue_at_risk,
        order_value: single.financial_impact.order_value,
        daily: single.demand_estimates.daily,
        weekly: single.demand_estimates.weekly,
        monthly: single.demand_estimates.monthly,
      });
    }
  });

  it('what-if prices and discounts: money is counted at the price customers would pay on each day', async () => {
    const ask = { store_id: 'Q1', product_id: 'P0001', current_stock: 40, lead_time_days: 5, review_days: 7 };
    const base = await context(ask);
    const price = base.financial_impact.price!;
    expect(price).toBeGreaterThan(0);
    // Expected revenue = sum over the 12-day protection period of each day's expected units x that day's price.
    const revenueOf = async (scenario: NonNullable<PredictWithContextRequest['scenario']>, dailyPrice: (day: number) => number) => {
      const f = ForecastResponse.parse((await post('/forecast', { store_id: 'Q1', product_id: 'P0001', horizon_days: 12, scenario })).body);
      return f.forecast.reduce((s, d, i) => s + d.expected_demand * dailyPrice(i), 0);
    };
    const half = await context({ ...ask, scenario: [{ price: price / 2 }] });
    expect(half.financial_impact.price).toBeCloseTo(price / 2, 2);
    expect(half.financial_impact.expected_revenue!).toBeCloseTo(await revenueOf([{ price: price / 2 }], () => price / 2), 0);
    const cut = await context({ ...ask, scenario: [{ price_change_pct: -20 }] });
    expect(cut.financial_impact.price).toBeCloseTo(price * 0.8, 2);
    // A discount (percent off the price) is money the store does not take.
    const discount = await context({ ...ask, scenario: [{ discount: 25, promotion: true }] });
    expect(discount.financial_impact.price).toBeCloseTo(price * 0.75, 2);
    expect(discount.financial_impact.expected_revenue!).toBeCloseTo(
      await revenueOf([{ discount: 25, promotion: true }], () => price * 0.75),
      0,
    );
    // Only on the days the scenario covers: the first three.
    const days = [{ from: '2025-07-01', to: '2025-07-03', price: price / 2 }];
    const partial = await context({ ...ask, scenario: days });
    expect(partial.financial_impact.expected_revenue!).toBeCloseTo(await revenueOf(days, (i) => (i < 3 ? price / 2 : price)), 0);
    expect(partial.notes.join(' ')).toMatch(/2025-07-01\.\.2025-07-03/);
    // Revenue at risk at a price that applies throughout.
    const atRisk = await context({ ...ask, current_stock: 0, scenario: [{ price: price / 2 }] });
    const full = await context({ ...ask, current_stock: 0 });
    expect(atRisk.financial_impact.revenue_at_risk!).toBeLessThan(full.financial_impact.revenue_at_risk!);
  });

  it('revenue at risk never counts more units than the expected demand over the lead time', async () => {
    for (const product_id of PRODUCTS.slice(0, 4)) {
      for (const lead_time_days of [1, 7, 14]) {
        const r = await context({ store_id: 'Q1', product_id, current_stock: 0, lead_time_days });
        const { price, revenue_at_risk } = r.financial_impact;
        // Nothing on hand: every unit demanded before an order arrives is lost, and no more (units shown to the cent).
        const slack = 0.005 * price! + 0.005;
        expect(revenue_at_risk!, `${product_id} L=${lead_time_days}`).toBeLessThanOrEqual(
          r.demand_estimates.over_lead_time * price! + slack,
        );
        expect(revenue_at_risk!, `${product_id} L=${lead_time_days}`).toBeGreaterThanOrEqual(
          r.demand_estimates.over_lead_time * price! - slack,
        );
      }
    }
  });

  it('a reorder-point policy: no order above the reorder point, an order up to the order-up-to level at or below it', async () => {
    for (const product_id of PRODUCTS.slice(0, 4)) {
      const probe = (await context({ store_id: 'Q1', product_id, current_stock: 0, lead_time_days: 5 })).stock_recommendation;
      const above = Math.floor(probe.reorder_point) + 1;
      expect(above).toBeLessThan(probe.order_up_to);
      const r = await context({ store_id: 'Q1', product_id, current_stock: above, lead_time_days: 5, min_order_qty: 500 });
      expect(r.stock_recommendation.order_quantity, product_id).toBe(0);
      expect(['ADEQUATE', 'EXCESS']).toContain(r.stock_recommendation.status);
      expect(r.summary).toMatch(/no order needed/);
      // On order counts: the same position split between shelf and delivery.
      const split = await context({ store_id: 'Q1', product_id, current_stock: 0, on_order: above, lead_time_days: 5 });
      expect(split.stock_recommendation.order_quantity).toBe(0);
      // At or below the reorder point: up to the order-up-to level, raised to the minimum order, then to whole packs.
      const below = Math.floor(probe.reorder_point);
      const low = await context({ store_id: 'Q1', product_id, current_stock: below, lead_time_days: 5 });
      expect(['LOW', 'CRITICAL']).toContain(low.stock_recommendation.status);
      expect(low.stock_recommendation.order_quantity).toBe(Math.ceil(probe.order_up_to - below - 1e-9));
      const moq = await context({ store_id: 'Q1', product_id, current_stock: below, lead_time_days: 5, min_order_qty: 500, pack_size: 48 });
      expect(moq.stock_recommendation.order_quantity).toBe(528);
    }
    // No lead time: nothing can run out before an order arrives; above the reorder point nothing is ordered.
    const zero = await context({ store_id: 'Q1', product_id: 'P0002', current_stock: 0, lead_time_days: 0 });
    const stock = Math.floor(zero.stock_recommendation.reorder_point) + 1;
    const z = await context({ store_id: 'Q1', product_id: 'P0002', current_stock: stock, lead_time_days: 0 });
    expect(z.stock_recommendation.status).toBe('ADEQUATE');
    expect(z.stock_recommendation.order_quantity).toBe(0);
  });

  it('more stock never raises the order; a higher service level or a longer lead time never lowers it', async () => {
    // The property over many inputs is checked on the domain code (inventory/replenishment.test.ts); here end to end.
    const order = async (current_stock: number, service_level: number, lead_time_days: number) =>
      (
        await context({
          store_id: 'Q1',
          product_id: 'P0003',
          current_stock,
          service_level,
          lead_time_days,
          pack_size: 6,
          min_order_qty: 20,
        })
      ).stock_recommendation.order_quantity;
    let previous = Infinity;
    for (const s of [0, 25, 50, 80, 120, 400]) {
      const q = await order(s, 95, 5);
      expect(q, `stock ${s}`).toBeLessThanOrEqual(previous);
      previous = q;
    }
    for (const s of [25, 80]) {
      expect(await order(s, 99, 5)).toBeGreaterThanOrEqual(await order(s, 90, 5));
      expect(await order(s, 95, 10)).toBeGreaterThanOrEqual(await order(s, 95, 3));
    }
  });

  it('/bulk_predict does not call a product of unknown stock CRITICAL, nor order for it', async () => {
    const plan = await bulk({ store_id: 'Q2', horizon_days: 7 });
    expect(plan.predictions).toHaveLength(4);
    for (const p of plan.predictions) {
      expect(p.current_stock).toBeNull();
      expect(p.status).toBe('UNKNOWN');
      expect(p.priority).toBe(5);
      expect(p.order_quantity).toBe(0);
      expect(p.days_of_cover).toBeNull();
      expect(p.revenue_at_risk).toBeNull();
      // What does not depend on the stock is still there.
      expect(p.reorder_point).toBeGreaterThan(0);
      expect(p.predicted_demand).toBeGreaterThan(0);
    }
    expect(plan.summary.critical).toBe(0);
    expect(plan.summary.unknown).toBe(4);
    expect(plan.summary.total_order_quantity).toBe(0);
    const csv = await (await fetch(`${server.url}/bulk_predict/Q2.csv`)).text();
    expect(csv).toMatch(/stock unknown/);
    // /predict_with_context still asks for the stock.
    const single = await post('/predict_with_context', { store_id: 'Q2', product_id: 'P0001' });
    expect(single.status).toBe(422);
  });

  it('notes use the API field names and count in the singular when there is one', async () => {
    const r = await context({
      store_id: 'Q1',
      product_id: 'P0001',
      current_stock: 0,
      lead_time_days: 2.5,
      review_days: 0.5,
      pack_size: 1000,
    });
    expect(r.notes).toContain('lead_time_days 2.5 rounded up to 3 days');
    expect(r.notes).toContain('review_days 0.5 rounded up to 1 day');
    expect(r.stock_recommendation.order_quantity).toBe(1000);
    expect(r.notes.join(' ')).toMatch(/\(1 pack of 1000\)/);
    expect(r.summary).toMatch(/order 1000 units/);
    expect(r.notes.join(' ')).not.toMatch(/\b1 (units|days|packs)\b/);
  });
});
