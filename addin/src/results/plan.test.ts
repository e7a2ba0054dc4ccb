import { describe, expect, it } from 'vitest';
import { basis, bulkAnswer, lowBasis } from '../testing/fixtures';
import { basisSummary, doubtsAmong, orderTotals, orderValueText, perDayVsWeek, planHeader, revenueAtRisk, unpricedNote } from './plan';

describe('a store plan in a buyer’s words', () => {
  it('records what a plan was made with: the values asked, else where they came from', () => {
    const plan = bulkAnswer();
    expect(planHeader(plan, { lead_time_days: 4, review_days: 7, service_level: 0.975 }, 'EUR')).toEqual([
      ['Store', 'S001'],
      ['Planning day', '2025-07-01'],
      ['Horizon', '7 days (2025-07-01 to 2025-07-07)'],
      ['Lead time', '4 days'],
      ['Review period', '7 days'],
      ['Service level', '97.5%'],
      ['Model', 'store:S001@1'],
      ['Basis', 'forecasting model trained on this store: 3 products · confidence: 3 normal'],
      ['Currency', 'EUR'],
    ]);
    const header = Object.fromEntries(planHeader(plan, {}));
    expect(header['Lead time']).toBe("each product's own from the data, else the service's default");
    expect(header['Service level']).toBe("the service's default");
    expect(header.Currency).toBe('USD');
  });

  it('names each method and the confidence mix in the basis summary', () => {
    const plan = bulkAnswer();
    plan.predictions[1] = { ...plan.predictions[1], basis: lowBasis() };
    plan.summary = { ...plan.summary, by_method: { model: 2, 'baseline:seasonal_naive': 1 }, by_confidence: { normal: 2, low: 1 } };
    expect(basisSummary(plan)).toBe(
      'forecasting model trained on this store: 2 products; same week last year: 1 product · confidence: 2 normal, 1 low (rough estimate)',
    );
  });

  it('says "unknown" for money it cannot price, never 0.00, and how much of a total is unpriced', () => {
    const plan = bulkAnswer();
    expect(orderValueText(orderTotals(plan), 'USD')).toBe('210.50 USD');
    plan.predictions[1] = { ...plan.predictions[1], order_value: null };
    const part = orderTotals(plan);
    expect(part).toEqual({ units: 70, value: 150, unpriced: 1, products: 2 });
    expect(orderValueText(part, 'USD')).toBe('150.00 USD + unknown');
    expect(unpricedNote(part)).toBe('1 product to order has no unit cost: not in the total');
    plan.predictions[0] = { ...plan.predictions[0], order_value: null };
    const none = orderTotals(plan);
    expect(orderValueText(none, 'USD')).toBe('unknown');
    expect(unpricedNote(none)).toBe('2 products to order have no unit cost: the value is unknown');
    // Nothing to order: a real zero.
    expect(orderValueText(orderTotals({ predictions: [] }), 'USD')).toBe('0.00 USD');
    // Revenue at risk of products without a price is unknown too.
    plan.predictions = plan.predictions.map((p) => ({ ...p, revenue_at_risk: null }));
    expect(revenueAtRisk(plan)).toEqual({ value: null, unknown: 3 });
  });

  it('counts the rough estimates and missing forecasts among a card’s products', () => {
    const rows = bulkAnswer().predictions;
    expect(doubtsAmong(rows)).toBe('');
    rows[0] = { ...rows[0], basis: lowBasis() };
    rows[1] = { ...rows[1], basis: basis({ confidence: 'none' }) };
    expect(doubtsAmong(rows)).toBe('1 rough estimate (low confidence), 1 without a forecast');
  });

  it('lets per day x 7 stand for the next 7 days, or says why not', () => {
    expect(perDayVsWeek(20 / 7, 20)).toBeNull();
    expect(perDayVsWeek(2.9, 20)).toBeNull(); // the service's rounding
    expect(perDayVsWeek(2, 20)).toBe(
      'Per day is the average over the coming weeks; the next 7 days are forecast day by day (weekdays, promotions, trend), so they come to 20.0 rather than 7 × 2.0 = 14.0.',
    );
  });
});
