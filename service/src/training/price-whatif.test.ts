// A buyer's price what-if must go the right way: a trained model never forecasts fewer sales at a lower price, or
// with a promotion. XGBoost alone learns whatever wiggles the data have; the model's settings constrain it.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ForecastResponse } from '../../../shared/schemas';
import { loadActiveModel } from '../db/training';
import { startTestServer, type TestServer } from '../testing/server';
import { storeDemoSales, trainAndWait } from '../testing/trained';

describe('price and promotion what-ifs on a trained model', () => {
  let server: TestServer;
  beforeAll(async () => {
    server = await startTestServer('pglite', { training: true });
    await storeDemoSales(server, { stores: ['W1'], productsPerStore: 8, days: 400, endDate: '2025-06-30', seed: 5 });
    await trainAndWait(server, 'W1');
  });
  afterAll(async () => server?.close());

  const total = async (productId: string, scenario: unknown[]) => {
    const res = await fetch(`${server.url}/forecast`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ store_id: 'W1', product_id: productId, horizon_days: 14, levels: [80], scenario }),
    });
    expect(res.status).toBe(200);
    return ForecastResponse.parse(await res.json()).forecast.reduce((t, d) => t + d.expected_demand, 0);
  };

  it('gives a steady seller a 50% interval above 0, though the demo store runs out of stock now and then', async () => {
    // Empty-shelf days (inventory 0) are neither learned from nor counted as zero demand in the intervals.
    const res = await fetch(`${server.url}/forecast`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ store_id: 'W1', product_id: 'P0001', horizon_days: 7, levels: [50, 95] }),
    });
    const day1 = ForecastResponse.parse(await res.json()).forecast[0];
    expect(day1.expected_demand).toBeGreaterThan(10);
    const fifty = day1.intervals.find((i) => i.level === 50)!;
    expect(fifty.lower).toBeGreaterThan(0.5 * day1.expected_demand);
    expect(fifty.upper).toBeGreaterThan(day1.expected_demand);
    // The stored calibration skipped the backtest's empty-shelf days.
    const model = (await loadActiveModel(server.db.sql, 'store:W1'))!;
    const residuals = model.residuals as { predicted: number[][]; stockout?: number[][] };
    const empty = (residuals.stockout ?? []).flat().filter((x) => x === 1).length;
    expect(empty).toBeGreaterThan(0);
    expect((model.intervals as { points: number }).points).toBe(residuals.predicted.flat().length - empty);
  });

  it('is trained with price, discount and promotion constrained', async () => {
    const model = (await loadActiveModel(server.db.sql, 'store:W1'))!;
    const names = (model.features as { names: string[] }).names;
    const monotone = (model.params as { monotone: number[] }).monotone;
    expect(monotone).toHaveLength(names.length);
    expect(Object.fromEntries(names.map((n, i) => [n, monotone[i]]).filter(([, m]) => m !== 0))).toEqual({
      price: -1,
      price_rel_28: -1,
      price_rel_max: -1,
      discount: 1,
      promotion: 1,
    });
  });

  it('forecasts never fall as the price is cut, nor rise as it goes up; a promotion never lowers them', async () => {
    for (const product of ['P0001', 'P0002', 'P0003', 'P0004', 'P0005', 'P0006', 'P0007', 'P0008']) {
      const changes = [-60, -30, -10, 0, 10, 30, 100, 400];
      const totals: number[] = [];
      for (const pct of changes) totals.push(await total(product, pct === 0 ? [] : [{ price_change_pct: pct }]));
      // The constraint holds each day's direct effect; through the recursion (a day's lower sales feed the next
      // days' lags) a total may still move by a fraction of a percent (seen: +0.1% for a price rise, -0.6% for a
      // promotion of a slow seller).
      for (let k = 1; k < totals.length; k++)
        expect(totals[k], `${product}: ${changes[k - 1]}% -> ${changes[k]}%`).toBeLessThanOrEqual(totals[k - 1] * 1.01);
      expect(await total(product, [{ promotion: true }])).toBeGreaterThanOrEqual((await total(product, [{ promotion: false }])) * 0.99);
    }
  });
});
