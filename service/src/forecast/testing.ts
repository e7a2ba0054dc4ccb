// Synthetic demand for the interval and replenishment tests: seeded random numbers, Poisson and negative-binomial
// draws, and BacktestResiduals built from series with a known mean.
import type { BacktestResiduals } from './intervals';

/** mulberry32: small seeded generator of uniforms in [0, 1). */
export function rng(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

export function normal(u: () => number): number {
  let x = 0;
  while (x === 0) x = u();
  return Math.sqrt(-2 * Math.log(x)) * Math.cos(2 * Math.PI * u());
}

/** Poisson(mean): Knuth's product method on chunks of at most 30 (a sum of Poissons is Poisson). */
export function poisson(u: () => number, mean: number): number {
  let n = 0;
  let rest = mean;
  while (rest > 0) {
    const m = Math.min(rest, 30);
    rest -= m;
    const limit = Math.exp(-m);
    let p = u();
    while (p > limit) {
      n++;
      p *= u();
    }
  }
  return n;
}

/** Gamma(shape, scale): Marsaglia and Tsang. */
export function gamma(u: () => number, shape: number, scale: number): number {
  if (shape < 1) return gamma(u, shape + 1, scale) * u() ** (1 / shape);
  const d = shape - 1 / 3;
  const c = 1 / Math.sqrt(9 * d);
  for (;;) {
    let x: number;
    let v: number;
    do {
      x = normal(u);
      v = 1 + c * x;
    } while (v <= 0);
    v = v * v * v;
    const w = u();
    if (w < 1 - 0.0331 * x ** 4 || Math.log(w) < 0.5 * x * x + d * (1 - v + Math.log(v))) return d * v * scale;
  }
}

/** Negative binomial with mean `mean` and size r (variance mean + mean^2 / r): a gamma-Poisson mixture. */
function negBinomial(u: () => number, mean: number, size: number): number {
  if (mean <= 0) return 0;
  return poisson(u, gamma(u, size, mean / size));
}

export interface SyntheticSeries {
  /** Known daily mean (what a perfect model predicts). */
  mean: number;
  /** Actual units of days 1..horizon. */
  actual: number[];
}

export interface SyntheticOptions {
  series: number;
  horizon?: number;
  seed?: number;
  /** Means log-uniform in [min, max]. */
  minMean?: number;
  maxMean?: number;
  /** Negative binomial size; undefined = Poisson. */
  size?: number;
  /** Lognormal sd of a per-series level error: the actual mean is mean * exp(sd Z - sd^2/2) for the whole window. */
  levelError?: number;
  /** Share of series with mean 0 and no sales. */
  zeroShare?: number;
}

export function syntheticSeries(o: SyntheticOptions): SyntheticSeries[] {
  const u = rng(o.seed ?? 1);
  const H = o.horizon ?? 28;
  const lo = Math.log(o.minMean ?? 0.2);
  const hi = Math.log(o.maxMean ?? 50);
  return Array.from({ length: o.series }, () => {
    if (o.zeroShare && u() < o.zeroShare) return { mean: 0, actual: new Array<number>(H).fill(0) };
    const mean = Math.exp(lo + (hi - lo) * u());
    const s = o.levelError ?? 0;
    const trueMean = s > 0 ? mean * Math.exp(s * normal(u) - (s * s) / 2) : mean;
    const actual = Array.from({ length: H }, () => (o.size === undefined ? poisson(u, trueMean) : negBinomial(u, trueMean, o.size)));
    return { mean, actual };
  });
}

/** BacktestResiduals of a perfect-mean model on the series. */
export function residualsOf(series: readonly SyntheticSeries[]): BacktestResiduals {
  const H = series[0]?.actual.length ?? 0;
  return {
    horizon: H,
    predicted: Array.from({ length: H }, () => series.map((s) => s.mean)),
    actual: Array.from({ length: H }, (_, h) => series.map((s) => s.actual[h])),
  };
}
