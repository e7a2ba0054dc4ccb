// The simple methods as competitors: Croston/SBA and TSB worked by hand, the seasonal naive at each grain's season,
// and the kinds of series that decide which method serves.
import { describe, expect, it } from 'vitest';
import {
  applicableBaselines,
  baselineForecast,
  baselineLabel,
  referenceForecast,
  crostonSbaForecast,
  fastThreshold,
  methodLabel,
  seriesKind,
  servedValues,
  tsbForecast,
} from './baselines';

describe('intermittent-demand methods', () => {
  it('Croston/SBA: (1 - a/2) x smoothed size / smoothed interval, updated only on sales', () => {
    // Sales of 4 after 3 periods (first: size 4, interval 3), then 2 after 2: size 4 + 0.1(2 - 4) = 3.8,
    // interval 3 + 0.1(2 - 3) = 2.9; forecast 0.95 x 3.8 / 2.9.
    const f = crostonSbaForecast([0, 0, 4, 0, 2], 3);
    expect(f).toHaveLength(3);
    for (const v of f) expect(v).toBeCloseTo((0.95 * 3.8) / 2.9, 10);
    expect(crostonSbaForecast([0, 0, 0], 2)).toEqual([0, 0]);
  });

  it('TSB: smoothed chance of a sale (every period) x smoothed size (on sales)', () => {
    // p: 0, 0, 0.1, 0.09, 0.09 + 0.1(1 - 0.09) = 0.181; size: 4, then 4 + 0.1(2 - 4) = 3.8.
    const [v] = tsbForecast([0, 0, 4, 0, 2], 1);
    expect(v).toBeCloseTo(0.181 * 3.8, 10);
    // A long run without sales decays TSB towards zero, while Croston keeps the last size and interval.
    const dried = [5, 0, 5, 0, ...new Array(40).fill(0)];
    expect(tsbForecast(dried, 1)[0]).toBeLessThan(0.1 * crostonSbaForecast(dried, 1)[0]);
  });
});

describe('baselines at each grain', () => {
  const year = Array.from({ length: 60 }, (_, t) => t);
  it('seasonal naive repeats the same week last year (52 weeks) or the same month last year (12 months)', () => {
    expect(baselineForecast('seasonal_naive', year, 2, 'weekly')).toEqual([60 - 52, 61 - 52]);
    expect(baselineForecast('seasonal_naive', year, 2, 'monthly')).toEqual([60 - 12, 61 - 12]);
    expect(baselineForecast('seasonal_naive', year, 2, 'daily')).toEqual([53, 54]);
  });

  it('the moving average spans 28 days, 8 weeks or 6 months', () => {
    const avg = (k: number) => year.slice(-k).reduce((a, b) => a + b, 0) / k;
    expect(baselineForecast('moving_average', year, 1, 'daily')[0]).toBeCloseTo(avg(28));
    expect(baselineForecast('moving_average', year, 1, 'weekly')[0]).toBeCloseTo(avg(8));
    expect(baselineForecast('moving_average', year, 1, 'monthly')[0]).toBeCloseTo(avg(6));
  });

  it('leaves the seasonal naive out until a whole season and one more period are there', () => {
    expect(applicableBaselines(52, 'weekly')).not.toContain('seasonal_naive');
    expect(applicableBaselines(53, 'weekly')).toContain('seasonal_naive');
    expect(applicableBaselines(13, 'monthly')).toContain('croston_sba');
  });

  it("names the methods in a buyer's words", () => {
    expect(baselineLabel('seasonal_naive', 'weekly')).toBe('same week last year');
    expect(baselineLabel('seasonal_naive', 'monthly')).toBe('same month last year');
    expect(baselineLabel('moving_average', 'weekly')).toBe('average of the last 8 weeks');
    expect(methodLabel('blend:model+seasonal_naive', 'weekly')).toBe('forecasting model averaged with same week last year');
  });
});

describe('kinds of series', () => {
  it('intermittent when most recent periods sold nothing; fast or slow around the scope median', () => {
    const fast = new Array(60).fill(20);
    const slow = new Array(60).fill(2);
    const mid = new Array(60).fill(10);
    const rare = Array.from({ length: 60 }, (_, t) => (t % 4 === 0 ? 3 : 0));
    const from = fastThreshold([fast, slow, mid, rare], 'weekly');
    expect(from).toBe(10);
    expect(seriesKind(fast, 'weekly', from)).toBe('fast');
    expect(seriesKind(mid, 'weekly', from)).toBe('fast');
    expect(seriesKind(slow, 'weekly', from)).toBe('slow');
    expect(seriesKind(rare, 'weekly', from)).toBe('intermittent');
  });

  it('serves a baseline without running the model, and a blend as the average of both', () => {
    let ran = 0;
    const model = () => {
      ran++;
      return [10, 10];
    };
    expect(servedValues('baseline:moving_average', model, [2, 4], 2, 'monthly')).toEqual([3, 3]);
    expect(ran).toBe(0);
    expect(servedValues('blend:model+moving_average', model, [2, 4], 2, 'monthly')).toEqual([6.5, 6.5]);
    expect(servedValues('model', model, [2, 4], 2, 'monthly')).toEqual([10, 10]);
  });
});

describe('the simple method a forecast is judged against', () => {
  const history = Array.from({ length: 30 }, (_, i) => (i % 7) + 1);
  it('is the best simple method of the backtest, where the history allows it', () => {
    const ref = referenceForecast('model', [5, 5], 'seasonal_naive', history, 2, 'daily');
    expect(ref).toEqual({ name: 'seasonal_naive', values: baselineForecast('seasonal_naive', history, 2, 'daily') });
    // Two days cannot make a weekday-of-last-week forecast: the recent average stands in.
    expect(referenceForecast('model', [5], 'seasonal_naive', [3, 4], 1, 'daily').name).toBe('moving_average');
    expect(referenceForecast('blend:model+tsb', [5], null, history, 1, 'daily').name).toBe('moving_average');
  });
  it('is the method itself when a simple method answered', () => {
    expect(referenceForecast('baseline:croston_sba', [0.4, 0.4], 'seasonal_naive', history, 2, 'daily')).toEqual({
      name: 'croston_sba',
      values: [0.4, 0.4],
    });
  });
});
