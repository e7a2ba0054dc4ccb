// Forecast accuracy metrics and naive baselines. Pure functions over arrays.
//
// Conventions: `actual` and `pred` have the same length (else RangeError); every value must be finite (else
// RangeError: a NaN never turns silently into a metric). A metric that is undefined for the input (empty input, zero
// denominator, zero scale) is null, never Infinity or NaN.

export type Series = ArrayLike<number>;

function check(actual: Series, pred: Series): number {
  if (actual.length !== pred.length) throw new RangeError(`actual has ${actual.length} values, pred ${pred.length}`);
  for (let t = 0; t < actual.length; t++) {
    if (!Number.isFinite(actual[t])) throw new RangeError(`actual[${t}] is not finite (${actual[t]})`);
    if (!Number.isFinite(pred[t])) throw new RangeError(`pred[${t}] is not finite (${pred[t]})`);
  }
  return actual.length;
}

function checkOne(name: string, xs: Series): void {
  for (let t = 0; t < xs.length; t++) if (!Number.isFinite(xs[t])) throw new RangeError(`${name}[${t}] is not finite (${xs[t]})`);
}

/** Mean absolute error; null if empty. */
export function mae(actual: Series, pred: Series): number | null {
  const n = check(actual, pred);
  if (n === 0) return null;
  let s = 0;
  for (let t = 0; t < n; t++) s += Math.abs(pred[t] - actual[t]);
  return s / n;
}

/** Root mean squared error; null if empty. */
export function rmse(actual: Series, pred: Series): number | null {
  const n = check(actual, pred);
  if (n === 0) return null;
  let s = 0;
  for (let t = 0; t < n; t++) s += (pred[t] - actual[t]) ** 2;
  return Math.sqrt(s / n);
}

/** Weighted absolute percentage error sum|pred-actual| / sum|actual|; null if sum|actual| = 0 (e.g. all zero). */
export function wape(actual: Series, pred: Series): number | null {
  const n = check(actual, pred);
  let e = 0;
  let y = 0;
  for (let t = 0; t < n; t++) {
    e += Math.abs(pred[t] - actual[t]);
    y += Math.abs(actual[t]);
  }
  return y > 0 ? e / y : null;
}

/** Relative bias sum(pred-actual) / sum(actual): > 0 over-forecast. Null if sum(actual) <= 0. */
export function bias(actual: Series, pred: Series): number | null {
  const n = check(actual, pred);
  let e = 0;
  let y = 0;
  for (let t = 0; t < n; t++) {
    e += pred[t] - actual[t];
    y += actual[t];
  }
  return y > 0 ? e / y : null;
}

/** 100 * (1 - WAPE), clipped to [0, 100]; null when WAPE is. */
export function accuracy(actual: Series, pred: Series): number | null {
  const w = wape(actual, pred);
  if (w === null) return null;
  const a = 100 * (1 - w);
  return a < 0 ? 0 : a > 100 ? 100 : a;
}

/**
 * In-sample MAE of the seasonal naive forecast on the training part: mean over t >= period of |y[t] - y[t-period]|.
 * Null if the training part has no such pair.
 */
export function seasonalNaiveScale(train: Series, period = 7): number | null {
  checkOne('train', train);
  if (!Number.isInteger(period) || period < 1) throw new RangeError(`period must be a positive integer, got ${period}`);
  if (train.length <= period) return null;
  let s = 0;
  for (let t = period; t < train.length; t++) s += Math.abs(train[t] - train[t - period]);
  return s / (train.length - period);
}

/** Mean absolute scaled error: MAE / seasonalNaiveScale(train, period). Null if empty or the scale is 0/undefined. */
export function mase(actual: Series, pred: Series, train: Series, period = 7): number | null {
  const m = mae(actual, pred);
  const scale = seasonalNaiveScale(train, period);
  if (m === null || scale === null || !(scale > 0)) return null;
  return m / scale;
}

/**
 * M5's RMSSE scale: mean squared one-step difference (y[t] - y[t-1])^2 of the training part, counted from the first
 * non-zero value (leading zeros = not yet on sale). Null with fewer than 2 values from there.
 */
export function rmsseScale(train: Series): number | null {
  checkOne('train', train);
  let first = 0;
  while (first < train.length && train[first] === 0) first++;
  if (train.length - first < 2) return null;
  let s = 0;
  for (let t = first + 1; t < train.length; t++) s += (train[t] - train[t - 1]) ** 2;
  return s / (train.length - first - 1);
}

/** Root mean squared scaled error (M5): sqrt(MSE / rmsseScale(train)). Null if empty or the scale is 0/undefined. */
export function rmsse(actual: Series, pred: Series, train: Series): number | null {
  const r = rmse(actual, pred);
  const scale = rmsseScale(train);
  if (r === null || scale === null || !(scale > 0)) return null;
  return Math.sqrt((r * r) / scale);
}

export interface Evaluation {
  n: number;
  mae: number | null;
  rmse: number | null;
  wape: number | null;
  bias: number | null;
  accuracy: number | null;
  /** Null without a training part. */
  mase: number | null;
  rmsse: number | null;
}

/** All metrics at once; `train` is the history before the forecast window (for the scaled metrics). */
export function evaluate(actual: Series, pred: Series, train?: Series, period = 7): Evaluation {
  return {
    n: check(actual, pred),
    mae: mae(actual, pred),
    rmse: rmse(actual, pred),
    wape: wape(actual, pred),
    bias: bias(actual, pred),
    accuracy: accuracy(actual, pred),
    mase: train ? mase(actual, pred, train, period) : null,
    rmsse: train ? rmsse(actual, pred, train) : null,
  };
}

/** Mean of the non-null values (e.g. per-series MASE), null if none. */
export function meanOf(values: readonly (number | null)[]): number | null {
  let s = 0;
  let c = 0;
  for (const v of values) {
    if (v === null) continue;
    s += v;
    c++;
  }
  return c > 0 ? s / c : null;
}

/**
 * Mean of the non-null values weighted by `weights` (same length, each >= 0 and finite), null if no non-null value
 * has a positive weight. M5 weighs each item x store series by its dollar sales of the last 28 training days.
 */
export function weightedMeanOf(values: readonly (number | null)[], weights: readonly number[]): number | null {
  if (values.length !== weights.length) throw new RangeError(`${values.length} values, ${weights.length} weights`);
  let s = 0;
  let w = 0;
  for (let i = 0; i < values.length; i++) {
    const wi = weights[i];
    if (!Number.isFinite(wi) || wi < 0) throw new RangeError(`weights[${i}] is not a finite non-negative number (${wi})`);
    const v = values[i];
    if (v === null || wi === 0) continue;
    s += v * wi;
    w += wi;
  }
  return w > 0 ? s / w : null;
}

/**
 * Sales value of the last `days` values of a history: sum of units x price, skipping days without a known price
 * (NaN or <= 0). M5's level-12 weight of a series, before normalising.
 */
export function salesValue(units: Series, price: Series, days = 28): number {
  if (units.length !== price.length) throw new RangeError(`units has ${units.length} values, price ${price.length}`);
  checkOne('units', units);
  let s = 0;
  for (let t = Math.max(0, units.length - days); t < units.length; t++) {
    const p = price[t];
    if (Number.isFinite(p) && p > 0) s += units[t] * p;
  }
  return s;
}

// ---- Baselines: forecast functions (history, horizon) -> horizon values, >= 0 ----

function checkHorizon(horizon: number): void {
  if (!Number.isInteger(horizon) || horizon < 0) throw new RangeError(`horizon must be a non-negative integer, got ${horizon}`);
}

/**
 * Mean of the last `window` values (fewer if the history is shorter), repeated over the horizon, clipped at 0.
 * Empty history forecasts 0.
 */
export function movingAverageForecast(history: Series, horizon: number, window = 28): number[] {
  checkOne('history', history);
  checkHorizon(horizon);
  if (!Number.isInteger(window) || window < 1) throw new RangeError(`window must be a positive integer, got ${window}`);
  const n = history.length;
  const a = n > window ? n - window : 0;
  let s = 0;
  for (let t = a; t < n; t++) s += history[t];
  const m = n > a ? s / (n - a) : 0;
  return new Array<number>(horizon).fill(m > 0 ? m : 0);
}

/**
 * Seasonal naive: repeats the last `period` values (day h of the horizon = history[n - period + (h mod period)]),
 * clipped at 0. A history shorter than one period falls back to its mean (movingAverageForecast).
 */
export function seasonalNaiveForecast(history: Series, horizon: number, period = 7): number[] {
  checkOne('history', history);
  checkHorizon(horizon);
  if (!Number.isInteger(period) || period < 1) throw new RangeError(`period must be a positive integer, got ${period}`);
  const n = history.length;
  if (n < period) return movingAverageForecast(history, horizon, period);
  const out = new Array<number>(horizon);
  for (let h = 0; h < horizon; h++) {
    const v = history[n - period + (h % period)];
    out[h] = v > 0 ? v : 0;
  }
  return out;
}

/**
 * Simple exponential smoothing (M5's "ES" benchmark at item x store level): the smoothed level after the last value,
 * repeated over the horizon, clipped at 0. The level starts at the first value; without `alpha`, alpha is the value of
 * 0.01, 0.02, ..., 0.5 with the least in-sample one-step squared error. Empty history forecasts 0.
 */
export function exponentialSmoothingForecast(history: Series, horizon: number, alpha?: number): number[] {
  checkOne('history', history);
  checkHorizon(horizon);
  if (alpha !== undefined && !(alpha > 0 && alpha <= 1)) throw new RangeError(`alpha must be in (0, 1], got ${alpha}`);
  const n = history.length;
  if (n === 0) return new Array<number>(horizon).fill(0);
  const run = (a: number) => {
    let level = history[0];
    let sse = 0;
    for (let t = 1; t < n; t++) {
      const e = history[t] - level;
      sse += e * e;
      level += a * e;
    }
    return { level, sse };
  };
  let best = alpha === undefined ? { level: 0, sse: Infinity } : run(alpha);
  if (alpha === undefined) {
    for (let k = 1; k <= 50; k++) {
      const r = run(k / 100);
      if (r.sse < best.sse) best = r;
    }
  }
  return new Array<number>(horizon).fill(best.level > 0 ? best.level : 0);
}
