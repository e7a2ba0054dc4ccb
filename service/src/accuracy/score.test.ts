import { describe, expect, it } from 'vitest';
import { accuracyReport, modelDrift, type ScoredPeriod } from './score';

const row = (product_id: string, period_start: string, expected: number, actual: number | null, reference_value: number): ScoredPeriod => ({
  product_id,
  period_start,
  period_end: period_start,
  expected,
  lower: product_id === 'P1' ? 6 : 0,
  upper: product_id === 'P1' ? 12 : 4,
  reference: 'moving_average',
  reference_value,
  actual,
  interval_level: 90,
});

// Worked by hand: 2024-03-03 is a Sunday (week of Monday 2024-02-26), 2024-03-04 a Monday.
const ROWS = [
  row('P1', '2024-03-03', 10, 8, 7),
  row('P1', '2024-03-04', 10, 14, 7),
  row('P2', '2024-03-03', 2, 0, 1),
  row('P2', '2024-03-04', 2, 3, 1),
  row('P2', '2024-03-05', 2, null, 1),
];

describe('accuracy of saved forecasts', () => {
  it('scores error, bias, coverage and the simple method over the periods whose sales are in', () => {
    const report = accuracyReport(ROWS, 'day', 10);
    expect(report.scored_periods).toBe(4);
    expect(report.pending_periods).toBe(1);
    expect(report.first_period).toBe('2024-03-03');
    expect(report.last_period).toBe('2024-03-04');
    expect(report.reference).toBe('moving_average');
    // actual 8 + 14 + 0 + 3 = 25, forecast 24, |errors| 2 + 4 + 2 + 1 = 9; inside the interval: 8, 0 and 3 (not 14).
    // The simple method: 7 + 7 + 1 + 1 = 16, |errors| 1 + 7 + 1 + 2 = 11.
    expect(report.overall).toEqual({
      periods: 4,
      products: 2,
      actual: 25,
      forecast: 24,
      absolute_error: 9,
      wape: 0.36,
      bias: -0.04,
      coverage: 0.75,
      interval_level: 90,
      reference_forecast: 16,
      reference_wape: 0.44,
      value_added: 0.08,
    });
  });

  it('follows the error week by week (Monday to Sunday)', () => {
    const report = accuracyReport(ROWS, 'day', 10);
    expect(report.over_time_unit).toBe('week');
    expect(report.over_time.map((w) => [w.from, w.to, w.actual, w.forecast, w.wape, w.bias])).toEqual([
      ['2024-02-26', '2024-03-03', 8, 12, 0.5, 0.5],
      ['2024-03-04', '2024-03-10', 17, 12, 0.2941, -0.2941],
    ]);
  });

  it('names the products with the largest error and the largest bias', () => {
    const report = accuracyReport(ROWS, 'day', 1);
    // P1: actual 22, forecast 20, error 6; P2: actual 3, forecast 4, error 3.
    expect(report.largest_error).toEqual([expect.objectContaining({ product_id: 'P1', absolute_error: 6, wape: 0.2727, bias: -0.0909 })]);
    expect(report.largest_bias).toEqual([expect.objectContaining({ product_id: 'P1', forecast: 20, actual: 22 })]);
    const all = accuracyReport(ROWS, 'day', 10);
    expect(all.largest_error.map((p) => p.product_id)).toEqual(['P1', 'P2']);
    expect(all.largest_error[1]).toMatchObject({ wape: 1, bias: 0.3333, coverage: 1 });
  });

  it('gives no ratio where nothing sold, and nothing before any sales are in', () => {
    const zero = accuracyReport([row('P3', '2024-03-03', 1, 0, 0)], 'day', 10);
    expect(zero.overall).toMatchObject({ actual: 0, absolute_error: 1, wape: null, bias: null, reference_wape: null, value_added: null });
    const none = accuracyReport([row('P3', '2024-03-03', 1, null, 0)], 'day', 10);
    expect(none).toMatchObject({ scored_periods: 0, pending_periods: 1, first_period: null, over_time: [], largest_error: [] });
  });

  it('follows monthly forecasts month by month', () => {
    const months = [
      { ...row('P1', '2024-01-01', 100, 90, 80), period_end: '2024-01-31' },
      { ...row('P1', '2024-02-01', 100, 120, 80), period_end: '2024-02-29' },
    ];
    const report = accuracyReport(months, 'month', 10);
    expect(report.over_time.map((m) => [m.from, m.to, m.wape])).toEqual([
      ['2024-01-01', '2024-01-31', 0.1111],
      ['2024-02-01', '2024-02-29', 0.1667],
    ]);
  });
});

describe('a model drifting from its backtest', () => {
  it('is reported when its error on what sold exceeds its backtest error by more than the margin, on enough periods', () => {
    // Backtest 20%: 25% is the edge (20% x 1.25), 30% is past it; 20 product-periods are too few to tell.
    expect(modelDrift(0.2, { periods: 56, absolute_error: 30, actual: 100 })).toMatchObject({ wape: 0.3, drifting: true });
    expect(modelDrift(0.2, { periods: 56, absolute_error: 25, actual: 100 })).toMatchObject({ wape: 0.25, drifting: false });
    expect(modelDrift(0.2, { periods: 20, absolute_error: 90, actual: 100 })).toMatchObject({
      drifting: false,
      note: expect.stringMatching(/Too few/),
    });
    expect(modelDrift(null, { periods: 56, absolute_error: 30, actual: 100 })).toMatchObject({ drifting: false });
    expect(modelDrift(0.2, { periods: 56, absolute_error: 30, actual: 100 }).note).toBe(
      'Its forecasts missed by 30% of what sold, against 20% in its test: train it again on the newer sales.',
    );
  });
});
