// Prediction intervals calibrated from backtest residuals, and the demand distribution of a period (lead time) for
// safety stock. Pure functions; the model is a small JSON object stored with the forecasting model.
// Long file: calibration and its two readers (daily intervals, period demand) share the cell lookup, the scale function
// and the quantile grid; apart, they would have to export those internals.
//
// Method (see README.md):
//  1. Every backtest point (predicted p, actual a) gets a scale-free residual z = (a - p) / scale(p), with the
//     variance function scale(p) = sqrt(offset + p + dispersion p^2) (Poisson at dispersion 0, negative binomial
//     otherwise; the dispersion is a method-of-moments fit on the backtest).
//  2. Points are pooled into horizon groups (default steps 1-7, 8-14, 15-28) and level bins (quantile bins of p),
//     because the shape of the error distribution (skew, mass at zero) changes with the level of demand.
//  3. Each cell keeps split-conformal quantiles of z on a fixed probability grid, the share of zero actuals, and the
//     mean and standard deviation of z.
//  4. interval(): lower = expected + Q(pLo) scale(expected), upper = expected + Q(pLo + level) scale(expected) with
//     pLo = alpha/2 (alpha = 1 - level) when zeros are rare; when the cell has many zero actuals the lower bound is 0
//     and the unused lower tail goes to the upper bound (lowerTail()). Clipped at 0, rounded outwards to 1e-4. The
//     stored quantile function is monotone and the same cell serves every level: nested by construction.
//  5. Sums over several days (lead time): mean and sd of each day from the cell moments, combined with one average
//     pairwise correlation of daily errors, calibrated on the backtest so that window sums are covered as often as
//     the level says.
import { gammaCdf, gammaQuantile, gammaShortfall } from './gamma';
import { normalCdf, normalLoss, normalQuantile } from './normal';

export const INTERVAL_MODEL_VERSION = 'intervals-v1';

/** Backtest errors the intervals are calibrated on: per forecast step h (1-based), predictions and actuals. */
export interface BacktestResiduals {
  horizon: number;
  /** predicted[h-1][k], actual[h-1][k]: the k-th series' forecast and actual h days after the origin. */
  predicted: number[][];
  actual: number[][];
  /** stockout[h-1][k] = 1 when the shelf was empty that day (its sales are not demand); absent = none. */
  stockout?: number[][];
}

/**
 * A level or service level given as a fraction (0.8) or a percent (80): a value above 1 is a percent.
 * Returns the fraction in (0, 1); RangeError for NaN, non-numbers, <= 0, exactly 1 and >= 100.
 */
export function normaliseLevel(x: unknown, name = 'level'): number {
  if (typeof x !== 'number' || !Number.isFinite(x)) throw new RangeError(`${name} must be a number, got ${String(x)}`);
  const f = x > 1 ? x / 100 : x;
  if (!(f > 0 && f < 1)) {
    throw new RangeError(`${name} must be a fraction in (0, 1) or a percent in (1, 100), got ${x}`);
  }
  return f;
}

/** One horizon group x level bin of the calibration. */
export interface IntervalCell {
  /** Backtest points behind the cell. */
  n: number;
  /** Share of actuals equal to 0. */
  zero_share: number;
  /** Mean (bias, > 0 = under-forecast) and standard deviation of z = (actual - predicted) / scale(predicted). */
  mean: number;
  sd: number;
  /** Conformal quantiles of z at `IntervalModel.probs`; below 0.5 rounded down, from 0.5 up rounded up (1e-4). */
  q: number[];
  /** The horizon group had too few points in this bin: this is the bin's cell over all steps. */
  pooled?: boolean;
}

export interface IntervalGroup {
  /** Forecast steps (days ahead, 1-based) from..to, inclusive. */
  from: number;
  to: number;
  /** One cell per level bin. */
  cells: IntervalCell[];
}

export interface IntervalModel {
  version: typeof INTERVAL_MODEL_VERSION;
  /** Last calibrated step (days ahead). */
  horizon: number;
  /** scale(p) = sqrt(offset + p + dispersion * p^2). */
  scale: { offset: number; dispersion: number };
  /** Upper edges (inclusive, units/day of the prediction) of the level bins except the last, ascending. */
  bins: number[];
  /** Cumulative probabilities of the stored quantiles. */
  probs: number[];
  groups: IntervalGroup[];
  /** Beyond the horizon, z is multiplied by (step / horizon)^growth (0 = keep the last group as is). */
  growth: number;
  /** Average pairwise correlation of the daily errors of one series, for sums over several days. */
  correlation: number;
  correlation_source: 'backtest' | 'fixed' | 'default';
  /** Backtest points and series used. */
  points: number;
  series: number;
  notes: string[];
}

export interface CalibrationOptions {
  /** Last step of each horizon group but the last; default [7, 14] (groups 1-7, 8-14, 15-horizon). */
  horizonGroups?: number[];
  /** Most level bins; default 8. */
  maxBins?: number;
  /** Fewest points in a cell; a smaller horizon-group cell uses its bin over all steps. Default 200. */
  minPointsPerCell?: number;
  /** offset of the variance function (units^2), > 0; default 1. */
  offset?: number;
  /** Growth exponent beyond the calibrated horizon; default 0 (the last group's errors). */
  growth?: number;
  /** Fixed correlation of daily errors in [0, 1] (skips its calibration). */
  correlation?: number;
  /** Correlation used when the backtest has too few series to calibrate it; default 0.2. */
  defaultCorrelation?: number;
  /** Fewest series to calibrate the correlation; default 30. */
  minSeriesForCorrelation?: number;
}

/** Cumulative probabilities of the stored quantiles: tails down to 0.5% and every 2.5% in between. */
export const QUANTILE_PROBS: readonly number[] = [
  0.005,
  0.01,
  ...Array.from({ length: 39 }, (_, i) => Math.round((i + 1) * 25) / 1000),
  0.99,
  0.995,
];

const CORRELATION_LEVELS = [0.9, 0.95, 0.98];
const CORRELATION_WINDOWS = [7, 14, 28];
const CORRELATION_GRID = Array.from({ length: 21 }, (_, i) => i / 20);

const round4 = (x: number) => Math.round(x * 1e4) / 1e4;
const floor4 = (x: number) => Math.floor(x * 1e4 + 1e-7) / 1e4;
const ceil4 = (x: number) => Math.ceil(x * 1e4 - 1e-7) / 1e4;

// ------------------------------------------------------------------------------------------------ calibration

/** Builds an IntervalModel from backtest residuals (per step h = 1..horizon: predictions and actuals of every series). */
export function calibrateIntervals(residuals: BacktestResiduals, opts: CalibrationOptions = {}): IntervalModel {
  const H = residuals.predicted.length;
  if (!Number.isInteger(residuals.horizon) || residuals.horizon !== H || residuals.actual.length !== H) {
    throw new RangeError(`residuals: horizon ${residuals.horizon} with ${H} predicted and ${residuals.actual.length} actual steps`);
  }
  const offset = opts.offset ?? 1;
  if (!(offset > 0 && Number.isFinite(offset))) throw new RangeError(`offset must be > 0, got ${offset}`);
  const maxBins = opts.maxBins ?? 8;
  if (!Number.isInteger(maxBins) || maxBins < 1) throw new RangeError(`maxBins must be a positive integer, got ${maxBins}`);
  const minPoints = opts.minPointsPerCell ?? 200;
  if (!Number.isInteger(minPoints) || minPoints < 1) throw new RangeError(`minPointsPerCell must be a positive integer, got ${minPoints}`);
  const growth = opts.growth ?? 0;
  if (!(growth >= 0 && Number.isFinite(growth))) throw new RangeError(`growth must be >= 0, got ${growth}`);
  const notes: string[] = [];

  // Points, clipped at 0 (units are never negative). Days the shelf was empty are left out: their sales are not
  // demand, and counting their zeros would pull the lower bounds of steady sellers down to 0.
  let out = residuals.stockout;
  // A backtest made only of stock-out days (never seen) would leave nothing: then they are all used.
  if (out && residuals.predicted.every((p, h) => p.every((_, k) => out![h]?.[k] === 1))) out = undefined;
  const skip = (h: number, k: number) => out !== undefined && out[h]?.[k] === 1;
  let N = 0;
  for (let h = 0; h < H; h++) {
    const p = residuals.predicted[h];
    const a = residuals.actual[h];
    if (p.length !== a.length) throw new RangeError(`residuals step ${h + 1}: ${p.length} predictions, ${a.length} actuals`);
    for (let k = 0; k < p.length; k++) {
      if (!Number.isFinite(p[k]) || !Number.isFinite(a[k])) throw new RangeError(`residuals step ${h + 1}, series ${k}: not finite`);
      if (!skip(h, k)) N++;
    }
  }
  if (N === 0) throw new RangeError('no backtest points to calibrate intervals from');
  const pred = new Float64Array(N);
  const act = new Float64Array(N);
  const step = new Int32Array(N);
  let at = 0;
  for (let h = 0; h < H; h++) {
    for (let k = 0; k < residuals.predicted[h].length; k++) {
      if (skip(h, k)) continue;
      pred[at] = Math.max(0, residuals.predicted[h][k]);
      act[at] = Math.max(0, residuals.actual[h][k]);
      step[at] = h + 1;
      at++;
    }
  }

  // Variance function: method of moments for Var(a - p) = p + dispersion p^2.
  let num = 0;
  let den = 0;
  for (let i = 0; i < N; i++) {
    num += (act[i] - pred[i]) ** 2 - pred[i];
    den += pred[i] * pred[i];
  }
  const dispersion = den > 0 ? Math.min(100, Math.max(0, num / den)) : 0;
  const scaleOf = (p: number) => Math.sqrt(offset + p + dispersion * p * p);

  // Horizon groups.
  const bounds = [...new Set(opts.horizonGroups ?? [7, 14])].filter((b) => Number.isInteger(b) && b >= 1 && b < H).sort((x, y) => x - y);
  const ranges: { from: number; to: number }[] = [];
  let from = 1;
  for (const b of bounds) {
    ranges.push({ from, to: b });
    from = b + 1;
  }
  ranges.push({ from, to: H });
  const groupOfStep = new Int32Array(H + 1);
  ranges.forEach((r, g) => {
    for (let s = r.from; s <= r.to; s++) groupOfStep[s] = g;
  });
  const groupCounts = ranges.map(() => 0);
  for (let i = 0; i < N; i++) groupCounts[groupOfStep[step[i]]]++;

  // Level bins: quantiles of the predictions, then merge bins too small to fill every group.
  const sorted = Float64Array.from(pred).sort();
  const nBins = Math.max(1, Math.min(maxBins, Math.floor(Math.min(...groupCounts) / minPoints)));
  let edges: number[] = [];
  for (let b = 1; b < nBins; b++) {
    const e = sorted[Math.ceil((b * N) / nBins) - 1];
    if (e < sorted[N - 1] && (edges.length === 0 || e > edges[edges.length - 1])) edges.push(e);
  }
  edges = mergeSmallBins(edges, sorted, minPoints * ranges.length);
  // Bin with the edges as stored, so that serving puts a prediction in the same bin as calibration did.
  edges = [...new Set(edges.map(round6))];

  const binOf = (p: number) => binIndex(edges, p);
  const nCells = edges.length + 1;
  const zs: number[][][] = ranges.map(() => Array.from({ length: nCells }, () => []));
  const zeros: number[][] = ranges.map(() => new Array<number>(nCells).fill(0));
  for (let i = 0; i < N; i++) {
    const g = groupOfStep[step[i]];
    const b = binOf(pred[i]);
    zs[g][b].push((act[i] - pred[i]) / scaleOf(pred[i]));
    if (act[i] === 0) zeros[g][b]++;
  }
  const pooled: IntervalCell[] = [];
  for (let b = 0; b < nCells; b++) {
    const all = zs.flatMap((cells) => cells[b]);
    const z0 = zeros.reduce((s, cells) => s + cells[b], 0);
    pooled.push(cellOf(all, z0));
  }
  const groups: IntervalGroup[] = ranges.map((r, g) => ({
    ...r,
    cells: zs[g].map((z, b) => (z.length >= minPoints ? cellOf(z, zeros[g][b]) : { ...pooled[b], pooled: true })),
  }));
  if (N < minPoints) notes.push(`only ${N} backtest points (fewer than ${minPoints}): intervals are rough`);

  const series = residuals.predicted[0]?.length ?? 0;
  const model: IntervalModel = {
    version: INTERVAL_MODEL_VERSION,
    horizon: H,
    scale: { offset, dispersion: round6(dispersion) },
    bins: edges,
    probs: [...QUANTILE_PROBS],
    groups,
    growth,
    correlation: 0,
    correlation_source: 'default',
    points: N,
    series,
    notes,
  };

  if (opts.correlation !== undefined) {
    if (!(opts.correlation >= 0 && opts.correlation <= 1)) throw new RangeError(`correlation must be in [0, 1], got ${opts.correlation}`);
    model.correlation = opts.correlation;
    model.correlation_source = 'fixed';
  } else {
    const fallback = opts.defaultCorrelation ?? 0.2;
    if (!(fallback >= 0 && fallback <= 1)) throw new RangeError(`defaultCorrelation must be in [0, 1], got ${fallback}`);
    const rho = calibrateCorrelation(model, residuals, opts.minSeriesForCorrelation ?? 30);
    if (rho === null) {
      model.correlation = fallback;
      notes.push(`too few series or steps to calibrate the correlation of daily errors: ${fallback} assumed`);
    } else {
      model.correlation = rho;
      model.correlation_source = 'backtest';
    }
  }
  return model;
}

const round6 = (x: number) => Math.round(x * 1e6) / 1e6;

/** Removes edges until every bin of the sorted predictions has at least `min` points (or one bin is left). */
function mergeSmallBins(edges: number[], sorted: Float64Array, min: number): number[] {
  const out = [...edges];
  for (;;) {
    if (out.length === 0) return out;
    const counts = new Array<number>(out.length + 1).fill(0);
    let prev = 0;
    out.forEach((e, b) => {
      const end = upperBound(sorted, e);
      counts[b] = end - prev;
      prev = end;
    });
    counts[out.length] = sorted.length - prev;
    let smallest = 0;
    for (let b = 1; b < counts.length; b++) if (counts[b] < counts[smallest]) smallest = b;
    if (counts[smallest] >= min) return out;
    // Merge with the smaller neighbour: drop the edge between them.
    if (smallest === 0) out.splice(0, 1);
    else if (smallest === counts.length - 1) out.splice(smallest - 1, 1);
    else out.splice(counts[smallest - 1] <= counts[smallest + 1] ? smallest - 1 : smallest, 1);
  }
}

/** Number of values <= x in a sorted array. */
function upperBound(sorted: Float64Array, x: number): number {
  let lo = 0;
  let hi = sorted.length;
  while (lo < hi) {
    const mid = (lo + hi) >> 1;
    if (sorted[mid] <= x) lo = mid + 1;
    else hi = mid;
  }
  return lo;
}

function binIndex(edges: readonly number[], p: number): number {
  let b = 0;
  while (b < edges.length && p > edges[b]) b++;
  return b;
}

function cellOf(z: number[], zeroCount: number): IntervalCell {
  const n = z.length;
  if (n === 0) return { n: 0, zero_share: 0, mean: 0, sd: 0, q: QUANTILE_PROBS.map(() => 0) };
  const s = Float64Array.from(z).sort();
  let mean = 0;
  for (let i = 0; i < n; i++) mean += s[i];
  mean /= n;
  let ss = 0;
  for (let i = 0; i < n; i++) ss += (s[i] - mean) ** 2;
  const sd = n > 1 ? Math.sqrt(ss / (n - 1)) : 0;
  // Split-conformal order statistics: the ceil((n+1)p)-th smallest for the upper half, floor((n+1)p)-th for the lower.
  const q = QUANTILE_PROBS.map((p) => {
    if (p >= 0.5) return ceil4(s[Math.min(n, Math.ceil((n + 1) * p)) - 1]);
    return floor4(s[Math.max(1, Math.floor((n + 1) * p)) - 1]);
  });
  return { n, zero_share: round6(zeroCount / n), mean: round4(mean), sd: ceil4(sd), q };
}

/**
 * Average pairwise correlation rho of a series' daily errors, chosen on a grid in [0, 1] (step 0.05) so that window
 * sums of the backtest (windows of 7, 14, 28 days and the horizon, from the origin) fall below the gamma quantile of
 * periodDemand as often as the level says, at the service levels that matter (0.9, 0.95, 0.98; least squares over
 * the checks). Null when the backtest is too small.
 */
function calibrateCorrelation(model: IntervalModel, residuals: BacktestResiduals, minSeries: number): number | null {
  const H = model.horizon;
  const n = residuals.predicted[0]?.length ?? 0;
  if (n < minSeries || H < 2) return null;
  if (residuals.predicted.some((p) => p.length !== n)) return null;
  const windows = [...new Set([...CORRELATION_WINDOWS.filter((w) => w < H), H])].filter((w) => w >= 2);
  // Per window and series: actual sum, forecast sum + bias, sum of variances, sum of sds.
  const stats = windows.map(() => ({ a: new Float64Array(n), m: new Float64Array(n), v: new Float64Array(n), s: new Float64Array(n) }));
  for (let k = 0; k < n; k++) {
    let a = 0;
    let m = 0;
    let v = 0;
    let s = 0;
    let wi = 0;
    for (let h = 1; h <= H && wi < windows.length; h++) {
      const p = Math.max(0, residuals.predicted[h - 1][k]);
      const e = errorMoments(model, { expected: p, step: h });
      a += Math.max(0, residuals.actual[h - 1][k]);
      m += p + e.bias;
      v += e.sd * e.sd;
      s += e.sd;
      if (h === windows[wi]) {
        stats[wi].a[k] = a;
        stats[wi].m[k] = m;
        stats[wi].v[k] = v;
        stats[wi].s[k] = s;
        wi++;
      }
    }
  }
  let best = 0;
  let bestLoss = Infinity;
  for (const rho of CORRELATION_GRID) {
    let loss = 0;
    for (const st of stats) {
      const covered = CORRELATION_LEVELS.map(() => 0);
      for (let k = 0; k < n; k++) {
        // A <= quantile(level) <=> F(A) <= level (continuous, increasing F); no demand is always covered.
        const F =
          st.a[k] <= 0 ? 0 : periodCdf({ mean: st.m[k], bias: 0, sd: Math.sqrt((1 - rho) * st.v[k] + rho * st.s[k] * st.s[k]) }, st.a[k]);
        CORRELATION_LEVELS.forEach((l, li) => {
          if (F <= l + 1e-12) covered[li]++;
        });
      }
      CORRELATION_LEVELS.forEach((l, li) => {
        loss += (covered[li] / n - l) ** 2;
      });
    }
    if (loss < bestLoss - 1e-12) {
      bestLoss = loss;
      best = rho;
    }
  }
  return best;
}

// ------------------------------------------------------------------------------------------------ use

export interface PointQuery {
  /** Forecast (expected units) of the day; negative is read as 0. */
  expected: number;
  /** Days ahead, 1-based. */
  step: number;
}

export interface IntervalQuery extends PointQuery {
  /** 0.8 or 80. */
  level: number;
}

function checkQuery(q: PointQuery): void {
  if (!Number.isFinite(q.expected)) throw new RangeError(`expected must be a finite number, got ${q.expected}`);
  if (!Number.isInteger(q.step) || q.step < 1) throw new RangeError(`step must be an integer >= 1, got ${q.step}`);
}

/** Cell, scale and beyond-horizon factor for a forecast of `expected` units `step` days ahead. */
function locate(model: IntervalModel, q: PointQuery): { cell: IntervalCell; scale: number; factor: number; expected: number } {
  checkQuery(q);
  const expected = Math.max(0, q.expected);
  const group = model.groups.find((g) => q.step >= g.from && q.step <= g.to) ?? model.groups[model.groups.length - 1];
  const cell = group.cells[binIndex(model.bins, expected)];
  const { offset, dispersion } = model.scale;
  const scale = Math.sqrt(offset + expected + dispersion * expected * expected);
  const factor = q.step > model.horizon && model.growth > 0 ? (q.step / model.horizon) ** model.growth : 1;
  return { cell, scale, factor, expected };
}

/** Stored quantile function of z at probability p (linear between grid points, flat beyond the ends). */
function zQuantile(probs: readonly number[], q: readonly number[], p: number): number {
  const last = probs.length - 1;
  if (p <= probs[0] + 1e-12) return q[0];
  if (p >= probs[last] - 1e-12) return q[last];
  let i = 0;
  while (i < last && probs[i + 1] < p - 1e-12) i++;
  // probs[i] < p <= probs[i + 1] (within 1e-12): snap to the grid point when equal.
  if (Math.abs(probs[i + 1] - p) <= 1e-12) return q[i + 1];
  const t = (p - probs[i]) / (probs[i + 1] - probs[i]);
  return q[i] + t * (q[i + 1] - q[i]);
}

/**
 * The p-quantile of one day's demand (units, >= 0): 0 when p <= the cell's share of zero actuals, else
 * expected + Q_z(p) scale(expected). Non-decreasing in p.
 */
export function demandQuantile(model: IntervalModel, q: PointQuery & { p: number }): number {
  if (!(q.p > 0 && q.p < 1)) throw new RangeError(`p must be in (0, 1), got ${q.p}`);
  const { cell, scale, factor, expected } = locate(model, q);
  if (q.p <= cell.zero_share) return 0;
  return Math.max(0, expected + factor * zQuantile(model.probs, cell.q, q.p) * scale);
}

/**
 * Probability left below the interval, for a miss probability alpha = 1 - level and a share of zero actuals pi:
 * alpha / 2 (equal tails) when zeros are rare, 0 when pi >= alpha / 2 (the lower bound would be 0 anyway, so all of
 * alpha goes to the upper tail: [0, Q(level)] instead of [0, Q(1 - alpha / 2)], which would cover level + alpha / 2),
 * and a ramp of slope 1 in between: max(0, min(alpha / 2, alpha - 2 pi)). It is non-decreasing in alpha with slope
 * <= 1, so the lower bound never rises and the upper bound 1 - alpha + pLo never falls as the level grows: nested.
 */
export function lowerTail(alpha: number, zeroShare: number): number {
  return Math.max(0, Math.min(alpha / 2, alpha - 2 * zeroShare));
}

/**
 * Central prediction interval at `level` (0.8 or 80): [p_lo, p_hi] quantiles with p_lo = (1 - level) / 2. Never
 * negative, rounded outwards to 1e-4, nested across levels. Beyond the calibrated horizon the last group is used
 * (times the growth factor).
 */
export function interval(model: IntervalModel, q: IntervalQuery): { lower: number; upper: number } {
  const alpha = 1 - normaliseLevel(q.level);
  const { cell, scale, factor, expected } = locate(model, q);
  const pLo = lowerTail(alpha, cell.zero_share);
  const lower = pLo <= cell.zero_share ? 0 : Math.max(0, expected + factor * zQuantile(model.probs, cell.q, pLo) * scale);
  const upper = Math.max(0, expected + factor * zQuantile(model.probs, cell.q, 1 - alpha + pLo) * scale);
  return { lower: Math.max(0, floor4(lower)), upper: Math.max(floor4(lower), ceil4(upper)) };
}

/** Intervals of a whole forecast path: day i of `expected` is step i + 1. */
export function intervals(model: IntervalModel, expected: readonly number[], level: number): { lower: number[]; upper: number[] } {
  const lower: number[] = [];
  const upper: number[] = [];
  expected.forEach((e, i) => {
    const r = interval(model, { expected: e, step: i + 1, level });
    lower.push(r.lower);
    upper.push(r.upper);
  });
  return { lower, upper };
}

/** Bias (mean of actual - forecast, > 0 = under-forecast) and standard deviation of one day's error, in units. */
export function errorMoments(model: IntervalModel, q: PointQuery): { bias: number; sd: number } {
  const { cell, scale, factor } = locate(model, q);
  return { bias: factor * cell.mean * scale, sd: factor * cell.sd * scale };
}

// ------------------------------------------------------------------------------------------------ sums of days

/** Demand over a period of days: forecast sum (`mean`), expected forecast error (`bias`) and standard deviation. */
export interface PeriodDemand {
  mean: number;
  bias: number;
  sd: number;
}

/**
 * Standard deviation of a sum of daily errors with standard deviations `sds` and one average pairwise correlation
 * rho: Var = sum sd_t^2 + rho sum_{s != t} sd_s sd_t = (1 - rho) sum sd_t^2 + rho (sum sd_t)^2.
 * rho = 0: independent days (adds in quadrature); rho = 1: fully correlated (adds linearly).
 */
export function combineDailyErrors(sds: readonly number[], correlation: number): number {
  if (!(correlation >= 0 && correlation <= 1)) throw new RangeError(`correlation must be in [0, 1], got ${correlation}`);
  let v = 0;
  let s = 0;
  for (const sd of sds) {
    if (!(sd >= 0 && Number.isFinite(sd))) throw new RangeError(`a daily standard deviation must be finite and >= 0, got ${sd}`);
    v += sd * sd;
    s += sd;
  }
  return Math.sqrt(Math.max(0, (1 - correlation) * v + correlation * s * s));
}

/** Demand over the days of `forecast` (forecast[i] is step fromStep + i, fromStep default 1) under the model. */
export function periodDemand(model: IntervalModel, forecast: readonly number[], fromStep = 1): PeriodDemand {
  let mean = 0;
  let bias = 0;
  const sds: number[] = [];
  forecast.forEach((f, i) => {
    const e = errorMoments(model, { expected: f, step: fromStep + i });
    mean += Math.max(0, f);
    bias += e.bias;
    sds.push(e.sd);
  });
  return { mean, bias, sd: combineDailyErrors(sds, model.correlation) };
}

/**
 * Shape of the distribution of a sum of days: 'gamma' (default) matches a gamma to the mean (forecast + bias) and sd:
 * never negative and right-skewed for slow movers, close to normal for fast movers; 'normal' is the textbook
 * mean + z sd. The correlation of a calibrated IntervalModel is fitted with 'gamma'.
 */
export type SumDistribution = 'gamma' | 'normal';

/** Gamma parameters of a period's demand, or null when the mean is not positive or there is no spread. */
function gammaOf(d: PeriodDemand): { shape: number; scale: number } | null {
  const mu = d.mean + d.bias;
  if (!(mu > 0 && d.sd > 0)) return null;
  const shape = (mu * mu) / (d.sd * d.sd);
  const scale = (d.sd * d.sd) / mu;
  // A mean of almost nothing against a spread (5e-324 / 1) has no gamma in doubles: the normal stands in.
  if (!(shape > 0 && Number.isFinite(shape) && scale > 0 && Number.isFinite(scale))) return null;
  return { shape, scale };
}

/** Quantile of period demand at `level` (0.95 or 95), >= 0. Without spread it is max(0, mean + bias). */
export function periodQuantile(d: PeriodDemand, level: number, distribution: SumDistribution = 'gamma'): number {
  const l = normaliseLevel(level);
  const mu = d.mean + d.bias;
  if (!(d.sd > 0)) return Math.max(0, mu);
  const g = distribution === 'gamma' ? gammaOf(d) : null;
  if (g) return gammaQuantile(l, g.shape, g.scale);
  return Math.max(0, mu + normalQuantile(l) * d.sd);
}

/** P(period demand <= x). */
export function periodCdf(d: PeriodDemand, x: number, distribution: SumDistribution = 'gamma'): number {
  const mu = d.mean + d.bias;
  if (!(d.sd > 0)) return x >= mu ? 1 : 0;
  const g = distribution === 'gamma' ? gammaOf(d) : null;
  if (g) return gammaCdf(x, g.shape, g.scale);
  return normalCdf((x - mu) / d.sd);
}

/**
 * Expected unmet demand E[max(0, D - stock)] of the period. Gamma: exact partial expectation. Normal: sd L(z), kept
 * within [max(0, mu - stock), mu] with mu = max(0, mean + bias) (demand is never negative).
 */
export function expectedShortfall(d: PeriodDemand, stock: number, distribution: SumDistribution = 'gamma'): number {
  const mu = Math.max(0, d.mean + d.bias);
  const floor = Math.max(0, mu - stock);
  if (!(d.sd > 0)) return floor;
  const g = distribution === 'gamma' ? gammaOf(d) : null;
  if (g) return Math.min(mu, Math.max(floor, gammaShortfall(stock, g.shape, g.scale)));
  const raw = d.sd * normalLoss((stock - (d.mean + d.bias)) / d.sd);
  return Math.min(mu, Math.max(floor, raw));
}
