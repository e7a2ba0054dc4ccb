import { describe, expect, it } from 'vitest';
import {
  accuracy,
  bias,
  evaluate,
  exponentialSmoothingForecast,
  mae,
  mase,
  meanOf,
  movingAverageForecast,
  rmse,
  rmsse,
  rmsseScale,
  seasonalNaiveForecast,
  salesValue,
  seasonalNaiveScale,
  wape,
  weightedMeanOf,
} from './index';

// Worked example: actual [10, 0, 5, 5], pred [8, 2, 5, 9]
// errors (pred-actual): -2, 2, 0, 4 ; |e| = 2, 2, 0, 4 (sum 8) ; e^2 = 4, 4, 0, 16 (sum 24)
// MAE = 8/4 = 2 ; RMSE = sqrt(24/4) = sqrt(6) ; WAPE = 8/20 = 0.4 ; bias = 4/20 = 0.2 ; accuracy = 60
const actual = [10, 0, 5, 5];
const pred = [8, 2, 5, 9];

describe('metrics on a worked example', () => {
  it('mae, rmse, wape, bias, accuracy', () => {
    expect(mae(actual, pred)).toBe(2);
    expect(rmse(actual, pred)).toBeCloseTo(Math.sqrt(6), 12);
    expect(wape(actual, pred)).toBeCloseTo(0.4, 12);
    expect(bias(actual, pred)).toBeCloseTo(0.2, 12);
    expect(accuracy(actual, pred)).toBeCloseTo(60, 10);
  });

  it('mase: MAE over the seasonal-naive in-sample MAE (period 7)', () => {
    // train: two weeks; |y[t] - y[t-7]| for t = 7..13: |2-1|,|2-2|,|5-3|,|4-4|,|5-5|,|6-6|,|4-7| = 1,0,2,0,0,0,3 -> 6/7
    const train = [1, 2, 3, 4, 5, 6, 7, 2, 2, 5, 4, 5, 6, 4];
    expect(seasonalNaiveScale(train)).toBeCloseTo(6 / 7, 12);
    expect(mase(actual, pred, train)).toBeCloseTo(2 / (6 / 7), 12); // 2.3333
  });

  it('rmsse: M5 scale counted from the first non-zero value', () => {
    // train [0, 0, 3, 1, 4, 4]: from index 2: diffs -2, 3, 0 -> squares 4, 9, 0 -> mean 13/3
    const train = [0, 0, 3, 1, 4, 4];
    expect(rmsseScale(train)).toBeCloseTo(13 / 3, 12);
    // MSE = 6 -> sqrt(6 / (13/3)) = sqrt(18/13)
    expect(rmsse(actual, pred, train)).toBeCloseTo(Math.sqrt(18 / 13), 12);
  });

  it('evaluate bundles them', () => {
    const e = evaluate(actual, pred, [0, 0, 3, 1, 4, 4]);
    expect(e.n).toBe(4);
    expect(e.mae).toBe(2);
    expect(e.mase).toBeNull(); // 6 training days < one season + 1
    expect(e.rmsse).toBeCloseTo(Math.sqrt(18 / 13), 12);
    expect(evaluate(actual, pred).rmsse).toBeNull();
  });

  it('accuracy is clipped to [0, 100]', () => {
    expect(accuracy([1, 1], [5, 5])).toBe(0); // WAPE 4
    expect(accuracy([3, 4], [3, 4])).toBe(100);
  });
});

describe('edge cases never yield NaN or Infinity', () => {
  it('all-zero actuals', () => {
    expect(wape([0, 0], [1, 0])).toBeNull();
    expect(bias([0, 0], [1, 0])).toBeNull();
    expect(accuracy([0, 0], [0, 0])).toBeNull();
    expect(mae([0, 0], [1, 0])).toBe(0.5);
  });

  it('empty inputs', () => {
    expect(mae([], [])).toBeNull();
    expect(rmse([], [])).toBeNull();
    expect(wape([], [])).toBeNull();
    expect(mase([], [], [1, 2, 3, 4, 5, 6, 7, 8])).toBeNull();
  });

  it('zero or undefined scale', () => {
    const flat = Array(21).fill(3);
    expect(seasonalNaiveScale(flat)).toBe(0);
    expect(mase([1], [2], flat)).toBeNull();
    expect(rmsse([1], [2], flat)).toBeNull();
    expect(rmsse([1], [2], [0, 0, 0])).toBeNull(); // never sold
    expect(rmsse([1], [2], [0, 0, 5])).toBeNull(); // one value after the first sale
    expect(mase([1], [2], [1, 2, 3])).toBeNull(); // shorter than a season
  });

  it('rejects mismatched lengths and non-finite values', () => {
    expect(() => mae([1, 2], [1])).toThrow(RangeError);
    expect(() => wape([1, NaN], [1, 2])).toThrow(RangeError);
    expect(() => rmse([1], [Infinity])).toThrow(RangeError);
    expect(() => mase([1], [1], [1, NaN, 1, 1, 1, 1, 1, 1])).toThrow(RangeError);
  });

  it('meanOf skips nulls', () => {
    expect(meanOf([1, null, 3])).toBe(2);
    expect(meanOf([null])).toBeNull();
  });
});

describe('baselines', () => {
  const history = [9, 9, 9, 1, 2, 3, 4, 5, 6, 7]; // last 7: 1..7

  it('seasonal naive repeats the last 7 days', () => {
    expect(seasonalNaiveForecast(history, 10)).toEqual([1, 2, 3, 4, 5, 6, 7, 1, 2, 3]);
    expect(seasonalNaiveForecast([5, -1, 0, 0, 0, 0, 0], 2)).toEqual([5, 0]); // negatives clip to 0
    expect(seasonalNaiveForecast([2, 4], 3)).toEqual([3, 3, 3]); // shorter than a period: mean
    expect(seasonalNaiveForecast([], 2)).toEqual([0, 0]);
    expect(seasonalNaiveForecast(history, 0)).toEqual([]);
  });

  it('moving average is the mean of the last 28 days', () => {
    const h = [
      ...Array(10).fill(100),
      ...Array(28)
        .fill(0)
        .map((_, k) => (k % 2 ? 2 : 4)),
    ]; // last 28 average 3
    expect(movingAverageForecast(h, 3)).toEqual([3, 3, 3]);
    expect(movingAverageForecast([1, 2, 3], 2)).toEqual([2, 2]);
    expect(movingAverageForecast([1, 2, 3], 1, 2)).toEqual([2.5]);
    expect(movingAverageForecast([], 2)).toEqual([0, 0]);
  });

  it('baselines score with the metrics (seasonal naive is exact on a weekly pattern)', () => {
    const week = [3, 1, 0, 2, 5, 8, 6];
    const train = [...week, ...week, ...week];
    const f = seasonalNaiveForecast(train, 14);
    expect(evaluate([...week, ...week], f, train)).toMatchObject({ mae: 0, wape: 0, accuracy: 100, bias: 0, mase: null });
  });
});

describe('M5 level-12 weighting', () => {
  it('weightedMeanOf weighs values and skips nulls and zero weights', () => {
    // (1*3 + 4*1) / (3 + 1) = 7/4; the null and the zero-weight value do not count.
    expect(weightedMeanOf([1, 4, null, 100], [3, 1, 5, 0])).toBe(1.75);
    expect(weightedMeanOf([null, 2], [1, 0])).toBeNull();
    expect(() => weightedMeanOf([1], [1, 2])).toThrow(RangeError);
    expect(() => weightedMeanOf([1], [-1])).toThrow(RangeError);
    expect(() => weightedMeanOf([1], [NaN])).toThrow(RangeError);
  });

  it('salesValue sums units x price over the last days, skipping unknown prices', () => {
    const units = [9, 1, 2, 3, 4];
    const price = [100, NaN, 2, 0, 1.5];
    // Last 4 days: 1 x NaN (skipped) + 2 x 2 + 3 x 0 (skipped) + 4 x 1.5 = 10; day 0 is outside the window.
    expect(salesValue(units, price, 4)).toBe(10);
    expect(salesValue(units, price, 50)).toBe(910);
    expect(() => salesValue([1], [1, 2])).toThrow(RangeError);
  });
});

describe('exponential smoothing baseline', () => {
  it('follows the level with a given alpha', () => {
    // level 10 -> 10 + 0.5 (20 - 10) = 15 -> 15 + 0.5 (0 - 15) = 7.5
    expect(exponentialSmoothingForecast([10, 20, 0], 3, 0.5)).toEqual([7.5, 7.5, 7.5]);
    expect(exponentialSmoothingForecast([], 2)).toEqual([0, 0]);
    expect(() => exponentialSmoothingForecast([1, 2], 2, 0)).toThrow(RangeError);
  });

  it('picks a small alpha for noise around a level and a large one for a random walk', () => {
    const noisy = Array.from({ length: 200 }, (_, t) => 10 + (t % 2 === 0 ? 3 : -3));
    // Alternating 13, 7: a small alpha stays near 10, a large one chases the last value.
    expect(Math.abs(exponentialSmoothingForecast(noisy, 1)[0] - 10)).toBeLessThan(0.2);
    const walk = [1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12, 13, 14, 15, 16, 17, 18, 19, 20];
    // The largest alpha on the grid (0.5) tracks a trend best, so the level is within 2 of the last value.
    expect(exponentialSmoothingForecast(walk, 1)[0]).toBeGreaterThan(18);
  });
});
