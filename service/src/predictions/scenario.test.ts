import { describe, expect, it } from 'vitest';
import { scenarioPriceNotes, scenarioPrices } from './scenario';

describe('what-if prices by day', () => {
  it('no scenario, or one without price or discount: the base price every day', () => {
    expect(scenarioPrices(undefined, 5.41, '2025-07-01', 3)).toMatchObject({ prices: [5.41, 5.41, 5.41], changed: false });
    expect(scenarioPrices([{ promotion: true }], 5.41, '2025-07-01', 2)).toMatchObject({ prices: [5.41, 5.41], changed: false });
  });

  it('price, price change and discount (a percent off the price), on the days they cover, later entries winning', () => {
    const p = scenarioPrices(
      [
        { price: 4, to: '2025-07-02' },
        { price_change_pct: -10, from: '2025-07-02' },
        { discount: 25, from: '2025-07-04', to: '2025-07-04' },
      ],
      5,
      '2025-07-01',
      5,
    );
    // Day 1: 4; day 2: 4 x 0.9; days 3 and 5: 5 x 0.9; day 4: 5 x 0.9 x 0.75.
    expect(p.prices.map((x) => Math.round(x! * 1e6) / 1e6)).toEqual([4, 3.6, 4.5, 3.375, 4.5]);
    expect(p.changed).toBe(true);
    // In one entry an absolute price is set before the change applies, as the forecast's features read it.
    expect(scenarioPrices([{ price: 10, price_change_pct: 50 }], 5, '2025-07-01', 1).prices).toEqual([15]);
  });

  it('an unknown base price stays unknown unless the scenario sets the price', () => {
    expect(scenarioPrices([{ price_change_pct: -10 }], null, '2025-07-01', 1).prices).toEqual([null]);
    expect(scenarioPrices([{ price: 3, to: '2025-07-01' }], null, '2025-07-01', 2).prices).toEqual([3, null]);
  });

  it('notes name the runs of days at a what-if price', () => {
    const p = scenarioPrices([{ discount: 50, to: '2025-07-03' }], 5.41, '2025-07-01', 6);
    expect(scenarioPriceNotes(p, 5.41, '2025-07-01')).toEqual([
      'what-if price 2.71 per unit on 2025-07-01..2025-07-03 (5.41 less a 50% discount)',
    ]);
    const one = scenarioPrices([{ price: 2, from: '2025-07-02', to: '2025-07-02' }], 5, '2025-07-01', 3);
    expect(scenarioPriceNotes(one, 5, '2025-07-01')).toEqual(['what-if price 2 per unit on 2025-07-02']);
  });
});
