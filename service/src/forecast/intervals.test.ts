import { describe, expect, it } from 'vitest';
import {
  calibrateIntervals,
  combineDailyErrors,
  demandQuantile,
  errorMoments,
  expectedShortfall,
  interval,
  intervals,
  lowerTail,
  normaliseLevel,
  periodDemand,
  periodQuantile,
  type IntervalModel,
} from './intervals';
import { residualsOf, syntheticSeries, type SyntheticOptions, type SyntheticSeries } from './testing';

/** Calibrates on the even series, returns the model and the odd (held-out) series. */
function split(o: SyntheticOptions): { model: IntervalModel; test: SyntheticSeries[] } {
  const all = syntheticSeries(o);
  const model = calibrateIntervals(residualsOf(all.filter((_, i) => i % 2 === 0)));
  return { model, test: all.filter((_, i) => i % 2 === 1) };
}

/** Share of held-out actuals inside the interval at `level`. */
function coverage(model: IntervalModel, test: SyntheticSeries[], level: number): number {
  let inside = 0;
  let n = 0;
  for (const s of test) {
    s.actual.forEach((a, h) => {
      const r = interval(model, { expected: s.mean, step: h + 1, level });
      n++;
      if (a >= r.lower && a <= r.upper) inside++;
    });
  }
  return inside / n;
}

/** Share of held-out series whose first `days` actuals sum to at most the period quantile at `level`. */
function sumCoverage(model: IntervalModel, test: SyntheticSeries[], days: number, level: number): number {
  let inside = 0;
  for (const s of test) {
    const q = periodQuantile(periodDemand(model, new Array<number>(days).fill(s.mean)), level);
    if (s.actual.slice(0, days).reduce((x, y) => x + y, 0) <= q) inside++;
  }
  return inside / test.length;
}

describe('normaliseLevel', () => {
  it('reads a value above 1 as a percent', () => {
    expect(normaliseLevel(0.8)).toBe(0.8);
    expect(normaliseLevel(80)).toBe(0.8);
    expect(normaliseLevel(95)).toBe(0.95);
    expect(normaliseLevel(99.5)).toBeCloseTo(0.995, 12);
    expect(normaliseLevel(0.5)).toBe(0.5);
  });

  it('throws a RangeError on nonsense', () => {
    for (const bad of [0, -0.5, -80, 1, 100, 150, NaN, Infinity, '80', null, undefined]) {
      expect(() => normaliseLevel(bad), String(bad)).toThrow(RangeError);
    }
  });
});

describe('calibrated intervals on synthetic demand (calibrate on one half, check the other)', () => {
  // 4000 series x 28 days, means log-uniform in [0.2, 50]; a perfect-mean model, so only demand noise remains.
  const cases: [string, SyntheticOptions][] = [
    ['Poisson', { series: 4000, seed: 1 }],
    ['negative binomial, size 3', { series: 4000, seed: 2, size: 3 }],
    ['negative binomial, size 1 (very overdispersed)', { series: 4000, seed: 3, size: 1 }],
  ];
  for (const [name, o] of cases) {
    it(`${name}: 80% and 95% intervals cover about 80% and 95% of held-out actuals`, () => {
      const { model, test } = split(o);
      expect(Math.abs(coverage(model, test, 0.8) - 0.8)).toBeLessThan(0.02);
      expect(Math.abs(coverage(model, test, 0.95) - 0.95)).toBeLessThan(0.015);
    });
  }

  it('a biased model (forecasts 80% of the mean) is corrected by the calibration', () => {
    const all = syntheticSeries({ series: 4000, seed: 8, size: 3 });
    const biased = all.map((s) => ({ ...s, mean: 0.8 * s.mean }));
    const model = calibrateIntervals(residualsOf(biased.filter((_, i) => i % 2 === 0)));
    const test = biased.filter((_, i) => i % 2 === 1);
    expect(Math.abs(coverage(model, test, 0.8) - 0.8)).toBeLessThan(0.02);
    expect(errorMoments(model, { expected: 20, step: 1 }).bias).toBeGreaterThan(3); // ~ 0.25 x 20 = 5 units short
  });

  it('errors scale with the level of demand', () => {
    const { model } = split({ series: 2000, seed: 4, size: 3 });
    const w = (e: number) => {
      const r = interval(model, { expected: e, step: 3, level: 0.8 });
      return r.upper - r.lower;
    };
    expect(w(1)).toBeLessThan(w(10));
    expect(w(10)).toBeLessThan(w(100));
    // Negative binomial size 3: sd(100) = sqrt(100 + 100^2 / 3) = 58.6, so the 80% interval is about 2 x 1.28 x 58.6 wide.
    expect(w(100)).toBeGreaterThan(100);
    expect(model.scale.dispersion).toBeGreaterThan(0.25);
    expect(model.scale.dispersion).toBeLessThan(0.45);
  });

  it('intervals are nested across levels and never negative', () => {
    const { model } = split({ series: 2000, seed: 5, size: 2, zeroShare: 0.2 });
    const levels = [0.05, 0.2, 0.5, 0.6, 0.7, 0.8, 0.85, 0.9, 0.95, 0.975, 0.99, 0.999];
    for (const expected of [0, 0.01, 0.1, 0.3, 0.7, 1, 2.5, 5, 12, 40, 300, 5000]) {
      for (const step of [1, 5, 8, 14, 15, 28, 40]) {
        let prev = { lower: Infinity, upper: -Infinity };
        for (const level of levels) {
          const r = interval(model, { expected, step, level });
          expect(r.lower).toBeGreaterThanOrEqual(0);
          expect(r.upper).toBeGreaterThanOrEqual(r.lower);
          expect(r.lower, `${expected} ${step} ${level}`).toBeLessThanOrEqual(prev.lower);
          expect(r.upper, `${expected} ${step} ${level}`).toBeGreaterThanOrEqual(prev.upper);
          prev = r;
        }
      }
    }
  });

  it('lowerTail: equal tails without zeros, all of alpha above when zeros are common, monotone in between', () => {
    expect(lowerTail(0.2, 0)).toBeCloseTo(0.1, 12);
    expect(lowerTail(0.2, 0.3)).toBe(0); // lower bound 0 anyway: [0, Q(0.8)]
    expect(lowerTail(0.2, 0.07)).toBeCloseTo(0.06, 12); // ramp alpha - 2 pi
    let prev = -1;
    for (let a = 0.001; a < 1; a += 0.001) {
      const t = lowerTail(a, 0.07);
      expect(t).toBeGreaterThanOrEqual(prev - 1e-15);
      expect(t).toBeLessThanOrEqual(a / 2 + 1e-15);
      prev = t;
    }
  });

  it('zero-demand and intermittent items: the interval includes 0, lower is 0', () => {
    const all = syntheticSeries({ series: 4000, seed: 6, zeroShare: 0.3, minMean: 0.05, maxMean: 20 });
    const model = calibrateIntervals(residualsOf(all.filter((_, i) => i % 2 === 0)));
    const test = all.filter((_, i) => i % 2 === 1);
    const zero = interval(model, { expected: 0, step: 1, level: 0.95 });
    expect(zero.lower).toBe(0);
    expect(zero.upper).toBeGreaterThanOrEqual(0);
    expect(zero.upper).toBeLessThan(1);
    // A slow mover (most days 0): the interval starts at 0 at every level.
    for (const level of [50, 80, 95]) {
      const slow = interval(model, { expected: 0.3, step: 10, level });
      expect(slow.lower).toBe(0);
      expect(slow.upper).toBeGreaterThan(0);
    }
    // Items that sell: coverage still about right (dead items are always covered).
    const selling = test.filter((s) => s.mean > 0);
    expect(Math.abs(coverage(model, selling, 0.8) - 0.8)).toBeLessThan(0.04);
    expect(
      coverage(
        model,
        test.filter((s) => s.mean === 0),
        0.8,
      ),
    ).toBe(1);
  });

  it('levels 0.8 and 80 give the same interval', () => {
    const { model } = split({ series: 1000, seed: 7 });
    for (const expected of [0, 0.4, 3, 30]) {
      expect(interval(model, { expected, step: 2, level: 80 })).toEqual(interval(model, { expected, step: 2, level: 0.8 }));
      expect(interval(model, { expected, step: 20, level: 95 })).toEqual(interval(model, { expected, step: 20, level: 0.95 }));
    }
    expect(() => interval(model, { expected: 1, step: 1, level: 0 })).toThrow(RangeError);
    expect(() => interval(model, { expected: 1, step: 0, level: 0.8 })).toThrow(RangeError);
    expect(() => interval(model, { expected: NaN, step: 1, level: 0.8 })).toThrow(RangeError);
  });

  it('beyond the calibrated horizon: the last group, or a growth rule', () => {
    const all = syntheticSeries({ series: 1000, seed: 9 });
    const flat = calibrateIntervals(residualsOf(all));
    expect(interval(flat, { expected: 10, step: 60, level: 0.9 })).toEqual(interval(flat, { expected: 10, step: 28, level: 0.9 }));
    const growing = calibrateIntervals(residualsOf(all), { growth: 0.5 });
    const at28 = interval(growing, { expected: 10, step: 28, level: 0.9 });
    const at56 = interval(growing, { expected: 10, step: 56, level: 0.9 });
    expect(at56.upper - 10).toBeCloseTo(Math.SQRT2 * (at28.upper - 10), 2);
  });

  it('the model is small, JSON-serialisable and gives the same intervals after a round trip', () => {
    const { model } = split({ series: 4000, seed: 10, size: 3 });
    const text = JSON.stringify(model);
    expect(text.length).toBeLessThan(20_000);
    const back = JSON.parse(text) as IntervalModel;
    expect(intervals(back, [0, 1, 5, 50, 500], 0.9)).toEqual(intervals(model, [0, 1, 5, 50, 500], 0.9));
    expect(model.groups.map((g) => [g.from, g.to])).toEqual([
      [1, 7],
      [8, 14],
      [15, 28],
    ]);
    expect(model.bins.length).toBeGreaterThan(2);
  });

  it('demandQuantile: 0 up to the share of zeros, non-decreasing in p', () => {
    const { model } = split({ series: 2000, seed: 11, minMean: 0.1, maxMean: 2 });
    expect(demandQuantile(model, { expected: 0.2, step: 1, p: 0.5 })).toBe(0);
    let prev = -1;
    for (let p = 0.01; p < 1; p += 0.01) {
      const q = demandQuantile(model, { expected: 1.5, step: 1, p });
      expect(q).toBeGreaterThanOrEqual(prev);
      prev = q;
    }
  });

  it('small backtests still calibrate (one bin, pooled cells, default correlation) and say so', () => {
    const model = calibrateIntervals(residualsOf(syntheticSeries({ series: 5, seed: 12 })));
    expect(model.bins).toEqual([]);
    expect(model.correlation_source).toBe('default');
    expect(model.correlation).toBe(0.2);
    expect(model.notes.join(' ')).toMatch(/rough/);
    const r = interval(model, { expected: 4, step: 3, level: 0.8 });
    expect(r.lower).toBeGreaterThanOrEqual(0);
    expect(r.upper).toBeGreaterThan(4);
  });

  it('rejects malformed residuals', () => {
    expect(() => calibrateIntervals({ horizon: 0, predicted: [], actual: [] })).toThrow(RangeError);
    expect(() => calibrateIntervals({ horizon: 1, predicted: [[1, 2]], actual: [[1]] })).toThrow(RangeError);
    expect(() => calibrateIntervals({ horizon: 2, predicted: [[1]], actual: [[1]] })).toThrow(RangeError);
    expect(() => calibrateIntervals({ horizon: 1, predicted: [[NaN]], actual: [[1]] })).toThrow(RangeError);
  });
});

describe('demand over several days (lead time)', () => {
  it('combineDailyErrors: quadrature when independent, linear when fully correlated', () => {
    // Four days of sd 3: independent sqrt(4 x 9) = 6; correlated 4 x 3 = 12; rho 0.5: sqrt(0.5 x 36 + 0.5 x 144) = sqrt(90).
    expect(combineDailyErrors([3, 3, 3, 3], 0)).toBeCloseTo(6, 12);
    expect(combineDailyErrors([3, 3, 3, 3], 1)).toBeCloseTo(12, 12);
    expect(combineDailyErrors([3, 3, 3, 3], 0.5)).toBeCloseTo(Math.sqrt(90), 12);
    expect(() => combineDailyErrors([1], 1.5)).toThrow(RangeError);
  });

  it('Poisson days are independent: the calibrated correlation is ~0 and 12-day sums are covered at 90/95/98%', () => {
    const { model, test } = split({ series: 4000, seed: 1 });
    expect(model.correlation_source).toBe('backtest');
    expect(model.correlation).toBeLessThanOrEqual(0.05);
    for (const level of [0.9, 0.95, 0.98]) expect(Math.abs(sumCoverage(model, test, 12, level) - level)).toBeLessThan(0.02);
  });

  it('a persistent level error makes daily errors correlated: the calibration finds it and keeps sums covered', () => {
    // Each series' true mean is off by a lognormal factor (sd 0.4) for the whole window: errors do not average out.
    const o: SyntheticOptions = { series: 4000, seed: 5, levelError: 0.4 };
    const { model, test } = split(o);
    expect(model.correlation).toBeGreaterThanOrEqual(0.2);
    for (const days of [5, 12, 28]) expect(Math.abs(sumCoverage(model, test, days, 0.95) - 0.95)).toBeLessThan(0.02);
    // Treating the days as independent would under-cover.
    const independent = { ...model, correlation: 0 };
    expect(sumCoverage(independent, test, 28, 0.95)).toBeLessThan(0.9);
  });

  it('expectedShortfall: at least mean - stock, at most the mean', () => {
    const d = { mean: 50, bias: 0, sd: Math.sqrt(50) };
    // Stock 30 against 50 expected: about 20 units short, plus a hair for the chance that demand is lower.
    expect(expectedShortfall(d, 30)).toBeGreaterThanOrEqual(20);
    expect(expectedShortfall(d, 30)).toBeLessThan(20.01);
    expect(expectedShortfall(d, 0)).toBeCloseTo(50, 10);
    expect(expectedShortfall(d, 500)).toBeLessThan(1e-9);
    expect(expectedShortfall({ mean: 1, bias: 0, sd: 1 }, 0, 'normal')).toBe(1);
    expect(expectedShortfall({ mean: 10, bias: 0, sd: 0 }, 4)).toBe(6);
  });
});

describe('stock-out days in the backtest', () => {
  it("are left out of the calibration, so empty-shelf zeros do not pull a steady seller's lower bound to 0", () => {
    // 300 series selling about 20 a day; one day in five the shelf was empty and 0 sold.
    const predicted: number[][] = [];
    const actual: number[][] = [];
    const stockout: number[][] = [];
    for (let h = 0; h < 28; h++) {
      predicted.push([]);
      actual.push([]);
      stockout.push([]);
      for (let k = 0; k < 300; k++) {
        const empty = (h * 300 + k) % 5 === 0;
        predicted[h].push(20);
        actual[h].push(empty ? 0 : 14 + ((h * 7 + k * 3) % 13));
        stockout[h].push(empty ? 1 : 0);
      }
    }
    const counted = calibrateIntervals({ horizon: 28, predicted, actual });
    const censored = calibrateIntervals({ horizon: 28, predicted, actual, stockout });
    expect(interval(counted, { expected: 20, step: 1, level: 0.5 }).lower).toBe(0);
    expect(interval(censored, { expected: 20, step: 1, level: 0.5 }).lower).toBeGreaterThan(14);
    expect(censored.points).toBe(28 * 300 - 28 * 60);
  });
});
