// Ordering within a budget over HTTP on both backends: without limits the store plan's own orders; a smaller budget
// buys the most valuable units first and leaves more units short; a product without a unit cost is named, not bought.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { BulkPredictResponse, ErrorBody, PurchasePlanResponse } from '../../../shared/schemas';
import { testBackends } from '../db/testing';
import { startTestServer, type TestServer } from '../testing/server';

const day = (k: number) => new Date(Date.UTC(2024, 0, 1 + k)).toISOString().slice(0, 10);

describe.each(testBackends)('POST /purchase_plan on %s', (kind) => {
  let server: TestServer;
  const send = async (method: string, path: string, body?: unknown) => {
    const res = await fetch(server.url + path, {
      method,
      ...(body === undefined ? {} : { headers: { 'content-type': 'application/json' }, body: JSON.stringify(body) }),
    });
    return { status: res.status, body: (await res.json()) as unknown };
  };
  const plan = async (body: Record<string, unknown> = {}) => {
    const res = await send('POST', '/purchase_plan', { store_id: 'B1', horizon_days: 7, ...body });
    expect(res.status, JSON.stringify(res.body)).toBe(200);
    return PurchasePlanResponse.parse(res.body);
  };

  beforeAll(async () => {
    server = await startTestServer(kind);
    // Four products, out of stock on the last day: A sells well at a good margin, B well at a thin one, C slowly at a
    // high one; D has no unit cost.
    const sales = { A: 12, B: 12, C: 3, D: 8 };
    const prices = { A: 5, B: 2.2, C: 9, D: 4 };
    const rows = ['B1', 'B2'].flatMap((store) =>
      Object.entries(sales).flatMap(([p, n]) =>
        Array.from({ length: 90 }, (_, k) => `${day(k)},${store},${p},${n + (k % 5) - 2},${prices[p as 'A']},${k === 89 ? 0 : 50}`),
      ),
    );
    const form = new FormData();
    form.append('file', new Blob([['date,store_id,product_id,units_sold,price,inventory_level', ...rows].join('\n') + '\n']), 'sales.csv');
    expect((await fetch(`${server.url}/upload_data`, { method: 'POST', body: form })).status).toBe(200);
    const costs = [
      ['A', 2],
      ['B', 2],
      ['C', 3],
    ] as const;
    for (const store of ['B1', 'B2'])
      for (const [p, cost] of costs) {
        expect((await send('PUT', `/products/${store}/${p}`, { unit_cost: cost, pack_size: p === 'A' ? 6 : null })).status).toBe(200);
      }
  });
  afterAll(async () => server?.close());

  it('without a budget orders what the store plan does, and names the product it cannot rank', async () => {
    const store = BulkPredictResponse.parse((await send('POST', '/bulk_predict', { store_id: 'B1', horizon_days: 7 })).body);
    const full = await plan();
    const own = new Map(store.predictions.map((p) => [p.product_id, p.order_quantity]));
    expect(full.orders.map((o) => [o.product_id, o.order_quantity])).toEqual(full.orders.map((o) => [o.product_id, own.get(o.product_id)]));
    expect(full.orders.every((o) => o.order_quantity === o.unconstrained_order_quantity)).toBe(true);
    expect(full.orders.map((o) => o.product_id).sort()).toEqual(['A', 'B', 'C', 'D']);
    expect(full.unranked).toEqual([{ store_id: 'B1', product_id: 'D', reason: 'no unit cost' }]);
    expect(full.expected_units_short).toBeCloseTo(full.expected_units_short_unconstrained, 3);
    const cost = { A: 2, B: 2, C: 3 };
    const spent = full.orders.filter((o) => o.product_id !== 'D').reduce((s, o) => s + o.order_quantity * cost[o.product_id as 'A'], 0);
    expect(full.spend).toBeCloseTo(spent, 2);
    expect(full.unconstrained_spend).toBeCloseTo(spent, 2);
    // Pack of 6 for A: every A line is one pack (or its first block).
    expect(full.lines.filter((l) => l.product_id === 'A').every((l) => l.units % 6 === 0)).toBe(true);
  });

  it('a budget of 25%, 50% and 75% of that spend buys the most valuable units first and leaves more units short', async () => {
    const full = await plan();
    let previousShort = Infinity;
    for (const share of [0.25, 0.5, 0.75, 1]) {
      const cut = await plan({ budget: full.unconstrained_spend * share });
      expect(cut.spend).toBeLessThanOrEqual(full.unconstrained_spend * share + 1e-6);
      cut.lines.forEach((l, i) => {
        if (i > 0 && l.value_per_money !== null && cut.lines[i - 1].value_per_money !== null)
          expect(l.value_per_money).toBeLessThanOrEqual(cut.lines[i - 1].value_per_money! + 1e-9);
      });
      expect(cut.expected_units_short).toBeLessThanOrEqual(previousShort + 1e-6);
      previousShort = cut.expected_units_short;
      // D has no cost: under a budget it is not bought.
      expect(cut.orders.find((o) => o.product_id === 'D')?.order_quantity).toBe(0);
    }
    const quarter = await plan({ budget: full.unconstrained_spend * 0.25 });
    // B's thin margin (0.2 on 2) is the last thing a small budget buys.
    expect(quarter.orders.find((o) => o.product_id === 'B')?.order_quantity).toBe(0);
    expect(quarter.lines[0].product_id).not.toBe('B');
    expect(quarter.expected_units_short).toBeGreaterThan(full.expected_units_short);
  });

  it('ranks the units of several stores together against one budget', async () => {
    const one = await plan();
    const both = await plan({ store_id: undefined, store_ids: ['B1', 'B1'] });
    expect(both.store_ids).toEqual(['B1']);
    expect(both.orders).toEqual(one.orders);
    // B2 is a copy of B1: the two share a budget of one store's plan and buy from both.
    const shared = await plan({ store_id: undefined, store_ids: ['B1', 'B2'], budget: one.unconstrained_spend });
    expect(shared.store_ids).toEqual(['B1', 'B2']);
    expect(shared.spend).toBeLessThanOrEqual(one.unconstrained_spend + 1e-6);
    expect(new Set(shared.lines.map((l) => l.store_id))).toEqual(new Set(['B1', 'B2']));
    const unlimited = await plan({ store_id: undefined, store_ids: ['B1', 'B2'] });
    expect(unlimited.unconstrained_spend).toBeCloseTo(2 * one.unconstrained_spend, 2);
    expect(unlimited.orders.filter((o) => o.store_id === 'B2').map((o) => o.order_quantity)).toEqual(
      one.orders.map((o) => o.order_quantity),
    );
  });

  it('answers 404 for a store it does not hold and 422 naming a bad field', async () => {
    const twice = await send('POST', '/purchase_plan', { store_id: 'B1', store_ids: ['B1'] });
    expect(twice.status).toBe(422);
    expect(ErrorBody.parse(twice.body).error.message).toMatch(/store_id or store_ids/);
    expect((await send('POST', '/purchase_plan', { store_id: 'NOPE' })).status).toBe(404);
    const bad = await send('POST', '/purchase_plan', { store_id: 'B1', budget: -5 });
    expect(bad.status).toBe(422);
    expect(ErrorBody.parse(bad.body).error.message).toMatch(/budget/);
  });
});
