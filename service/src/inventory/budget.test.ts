import { describe, expect, it } from 'vitest';
import { budgetPlan, type BudgetCandidate } from './budget';
import { replenishmentPlan } from './replenishment';

/** A product's candidate as the store plan makes it: its unconstrained plan at `stock`, Poisson demand of `daily` a day. */
function candidate(
  productId: string,
  daily: number,
  price: number,
  unitCost: number | null,
  extra: Partial<BudgetCandidate> = {},
): BudgetCandidate {
  const plan = replenishmentPlan({
    dailyForecast: Array(28).fill(daily),
    currentStock: 0,
    leadTimeDays: 5,
    reviewDays: 7,
    serviceLevel: 0.95,
    packSize: extra.packSize ?? null,
    minOrderQty: extra.minOrderQty ?? null,
  });
  return {
    productId,
    position: 0,
    orderQuantity: plan.order_quantity,
    packSize: null,
    minOrderQty: null,
    unitCost,
    price,
    protection: plan.demand_model.protection,
    distribution: plan.demand_model.distribution,
    ...extra,
  };
}

describe('ordering within a budget', () => {
  const products = [candidate('A', 10, 5, 2), candidate('B', 10, 2.2, 2), candidate('C', 3, 9, 3)];
  const unconstrained = products.map((p) => p.orderQuantity);
  const cost = products.reduce((s, p) => s + p.orderQuantity * p.unitCost!, 0);

  it('with no budget, or one that fits everything, orders what the unconstrained plans do', () => {
    for (const budget of [null, cost, cost * 2]) {
      const plan = budgetPlan(products, budget, null);
      expect(products.map((p) => plan.orders.get(p.productId))).toEqual(unconstrained);
      expect(plan.spend).toBeCloseTo(cost, 6);
      expect(plan.expectedShort).toBeCloseTo(plan.expectedShortUnconstrained, 6);
    }
  });

  it('a small budget buys the most valuable units first: those likeliest to sell at the highest margin per money', () => {
    const plan = budgetPlan(products, cost * 0.25, null);
    expect(plan.spend).toBeLessThanOrEqual(cost * 0.25);
    // The first units of every product sell almost surely; per money, C's (margin 6 on 3) beat A's (3 on 2) beat B's (0.2 on 2).
    expect(plan.lines[0].productId).toBe('C');
    expect(plan.orders.get('B')).toBe(0);
    expect(plan.orders.get('A')).toBeGreaterThan(0);
    // Value per money never rises down the list, and the cumulative spend is the running sum.
    plan.lines.forEach((l, i) => {
      if (i > 0) expect(l.valuePerMoney).toBeLessThanOrEqual(plan.lines[i - 1].valuePerMoney + 1e-9);
      expect(l.cumulativeCost).toBeCloseTo(
        plan.lines.slice(0, i + 1).reduce((s, x) => s + x.cost, 0),
        6,
      );
    });
    // More money never leaves more units short.
    const shorts = [0, 0.1, 0.25, 0.5, 0.75, 1].map((f) => budgetPlan(products, cost * f, null).expectedShort);
    shorts.forEach((s, i) => i > 0 && expect(s).toBeLessThanOrEqual(shorts[i - 1] + 1e-9));
    expect(shorts[0]).toBeGreaterThan(shorts[5]);
  });

  it('orders in whole packs, the first block at least the minimum order, and stops a product at the first block that does not fit', () => {
    const packed = candidate('P', 10, 5, 1, { packSize: 12, minOrderQty: 30 });
    const plan = budgetPlan([packed], 40, null);
    // First block: the MOQ rounded up to packs (36 units, 36 money); the next pack (12) would pass 40.
    expect(plan.lines.map((l) => l.units)).toEqual([36]);
    expect(plan.orders.get('P')).toBe(36);
    expect(budgetPlan([packed], 20, null).orders.get('P')).toBe(0);
    // A capacity in units binds the same way.
    expect(budgetPlan([packed], null, 50).orders.get('P')).toBe(48);
  });

  it('ranks a huge order in at most 2,001 blocks, and a pack too small to matter as whole units (found by fuzzing)', () => {
    const huge = { ...candidate('H', 10, 5, 1), orderQuantity: 1e9, minOrderQty: 1e9 };
    // One block per unit would be a billion of them (the fuzzer's order of a minimum of 1e9 units hung the ranking).
    const plan = budgetPlan([huge], null, null);
    expect(plan.orders.get('H')).toBe(1e9);
    expect(plan.lines.length).toBeLessThanOrEqual(2_001);
    const tiny = { ...candidate('T', 10, 5, 1), packSize: 5e-324 };
    const cut = budgetPlan([tiny], 10, null);
    expect(cut.lines.every((l) => Number.isInteger(l.units))).toBe(true);
    expect(cut.spend).toBeLessThanOrEqual(10);
    const many = budgetPlan([{ ...candidate('M', 10, 5, 1), orderQuantity: 1e7 }], 1e9, null);
    expect(many.lines.length).toBeLessThanOrEqual(2_001);
    expect(many.orders.get('M')).toBe(1e7);
  });

  it('leaves out, and names, products it cannot rank under a budget: no unit cost', () => {
    const plan = budgetPlan([...products, candidate('X', 10, 5, null)], cost, null);
    expect(plan.unranked).toEqual([{ productId: 'X', reason: 'no unit cost' }]);
    expect(plan.orders.get('X')).toBe(0);
    expect(budgetPlan([candidate('X', 10, 5, null)], null, null).orders.get('X')).toBeGreaterThan(0);
  });
});
