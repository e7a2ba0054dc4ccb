import { describe, expect, it } from 'vitest';
import { generateDemoSales } from './generate';

describe('generated demo sales', () => {
  const records = generateDemoSales({ endDate: '2025-12-31', seed: 7 });
  const byProduct = new Map<string, typeof records>();
  for (const r of records) {
    const key = `${r.storeId}/${r.productId}`;
    byProduct.set(key, [...(byProduct.get(key) ?? []), r]);
  }
  const mean = (xs: number[]) => xs.reduce((a, b) => a + b, 0) / xs.length;

  it('covers a few stores x ~50 products x 2 years, ending on the requested day', () => {
    expect(new Set(records.map((r) => r.storeId)).size).toBe(3);
    expect(byProduct.size).toBe(150);
    const dates = records.map((r) => r.date).sort();
    expect(dates.at(-1)).toBe('2025-12-31');
    expect(dates[0]).toBe('2024-01-02');
  });

  it('is deterministic for a seed', () => {
    const again = generateDemoSales({ endDate: '2025-12-31', seed: 7 });
    expect(again.slice(0, 500)).toEqual(records.slice(0, 500));
  });

  it('has weekly seasonality: weekends sell more than midweek', () => {
    const dow = (d: string) => new Date(`${d}T00:00:00Z`).getUTCDay();
    const weekend = mean(records.filter((r) => dow(r.date) === 6 || dow(r.date) === 0).map((r) => r.unitsSold));
    const midweek = mean(records.filter((r) => dow(r.date) === 2 || dow(r.date) === 3).map((r) => r.unitsSold));
    expect(weekend).toBeGreaterThan(midweek * 1.15);
  });

  it('has yearly seasonality: toys sell more in December than in June', () => {
    const toys = records.filter((r) => r.category === 'Toys');
    const dec = mean(toys.filter((r) => r.date.slice(5, 7) === '12').map((r) => r.unitsSold));
    const jun = mean(toys.filter((r) => r.date.slice(5, 7) === '06').map((r) => r.unitsSold));
    expect(dec).toBeGreaterThan(jun * 1.5);
  });

  it('has promotions that lift sales, price changes, stock-outs and slow movers', () => {
    const promo = records.filter((r) => r.promotion);
    expect(promo.length / records.length).toBeGreaterThan(0.05);
    expect(promo.every((r) => (r.discount ?? 0) > 0)).toBe(true);
    let lifted = 0;
    let compared = 0;
    let priceChanges = 0;
    let stockouts = 0;
    let slow = 0;
    for (const rows of byProduct.values()) {
      const on = rows.filter((r) => r.promotion).map((r) => r.unitsSold);
      const off = rows.filter((r) => !r.promotion).map((r) => r.unitsSold);
      if (on.length > 10) {
        compared++;
        if (mean(on) > mean(off)) lifted++;
      }
      const listPrices = new Set(rows.filter((r) => !r.promotion).map((r) => r.price));
      if (listPrices.size > 1) priceChanges++;
      if (rows.some((r) => r.inventoryLevel === 0)) stockouts++;
      if (mean(rows.map((r) => r.unitsSold)) < 1) slow++;
    }
    expect(lifted / compared).toBeGreaterThan(0.8);
    expect(priceChanges).toBeGreaterThan(50);
    expect(stockouts).toBeGreaterThan(10);
    expect(slow).toBeGreaterThanOrEqual(20);
  });

  it('never sells more than is on the shelf and never goes negative', () => {
    expect(records.every((r) => r.unitsSold >= 0 && (r.inventoryLevel ?? 0) >= 0)).toBe(true);
  });
});
