import { describe, expect, it } from 'vitest';
import { applyOverrides, overridesFor, type ForecastOverride } from './apply';

const override = (o: Partial<ForecastOverride> & { id: number }): ForecastOverride => ({
  productId: null,
  category: null,
  from: '2024-03-01',
  to: '2024-03-31',
  multiplier: null,
  quantity: null,
  reason: 'test',
  by: 'buyer',
  createdAt: `2024-02-0${o.id}T00:00:00Z`,
  ...o,
});
const DATES = ['2024-02-28', '2024-02-29', '2024-03-01', '2024-03-02'];

describe('overrides applied to a forecast', () => {
  it('multiplies or replaces the periods that start in its range, and says which applied', () => {
    const double = override({ id: 1, productId: 'A', multiplier: 2 });
    expect(applyOverrides([1, 2, 3, 4], DATES, [double])).toEqual({
      values: [1, 2, 6, 8],
      applied: { id: 1, kind: 'multiplier', value: 2, from: '2024-03-01', to: '2024-03-31', reason: 'test', by: 'buyer' },
    });
    const fixed = override({ id: 2, productId: 'A', quantity: 10, from: '2024-02-29', to: '2024-03-01' });
    expect(applyOverrides([1, 2, 3, 4], DATES, [fixed])?.values).toEqual([1, 10, 10, 4]);
    expect(
      applyOverrides([1, 2, 3, 4], DATES, [override({ id: 3, productId: 'A', multiplier: 2, from: '2024-04-01', to: '2024-04-30' })]),
    ).toBeNull();
  });

  it("takes a product's own override before its category's, and the newer before the older", () => {
    const category = override({ id: 1, category: 'Dairy', multiplier: 0.5 });
    const older = override({ id: 2, productId: 'A', multiplier: 3, from: '2024-03-02' });
    const newer = override({ id: 3, productId: 'A', multiplier: 2, from: '2024-03-02' });
    const other = override({ id: 4, productId: 'B', multiplier: 9 });
    const order = overridesFor([category, older, newer, other], 'A', 'Dairy');
    expect(order.map((o) => o.id)).toEqual([3, 2, 1]);
    // 03-01: only the category's (x0.5); 03-02: the newer own (x2).
    expect(applyOverrides([1, 2, 4, 4], DATES, order)).toEqual({
      values: [1, 2, 2, 8],
      applied: expect.objectContaining({ id: 3, kind: 'multiplier', value: 2, others: [1] }),
    });
    expect(overridesFor([category], 'A', null)).toEqual([]);
  });
});
