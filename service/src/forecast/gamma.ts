// Gamma distribution (shape k, scale theta): CDF, quantile and partial expectation, for demand over several days
// (a moment-matched gamma is the usual model of lead-time demand: never negative, right-skewed for slow movers,
// close to normal for fast movers). Pure numeric code.
import { normalCdf, normalQuantile } from './normal';

const LANCZOS = [
  0.99999999999980993, 676.5203681218851, -1259.1392167224028, 771.32342877765313, -176.61502916214059, 12.507343278686905,
  -0.13857109526572012, 9.9843695780195716e-6, 1.5056327351493116e-7,
];

/** ln Gamma(x) for x > 0 (Lanczos, g = 7). */
export function lnGamma(x: number): number {
  if (x < 0.5) return Math.log(Math.PI / Math.abs(Math.sin(Math.PI * x))) - lnGamma(1 - x);
  const y = x - 1;
  let a = LANCZOS[0];
  const t = y + 7.5;
  for (let i = 1; i < 9; i++) a += LANCZOS[i] / (y + i);
  return 0.5 * Math.log(2 * Math.PI) + (y + 0.5) * Math.log(t) - t + Math.log(a);
}

/** Above this shape the Wilson-Hilferty cube-root normal approximation is used (error far below 1e-6). */
const LARGE_SHAPE = 1e4;

/** Regularised lower incomplete gamma P(a, x) (series below a + 1, continued fraction above). */
function gammaP(a: number, x: number): number {
  if (!(a > 0)) throw new RangeError(`gamma shape must be > 0, got ${a}`);
  if (!(x > 0)) return 0;
  if (x === Infinity) return 1;
  if (a > LARGE_SHAPE) return normalCdf(whZ(x / a, a));
  const lead = -x + a * Math.log(x) - lnGamma(a);
  if (x < a + 1) {
    let ap = a;
    let del = 1 / a;
    let sum = del;
    for (let i = 0; i < 100_000; i++) {
      ap += 1;
      del *= x / ap;
      sum += del;
      if (Math.abs(del) < Math.abs(sum) * 1e-16) break;
    }
    return Math.min(1, sum * Math.exp(lead));
  }
  const tiny = 1e-300;
  let b = x + 1 - a;
  let c = 1 / tiny;
  let d = 1 / b;
  let h = d;
  for (let i = 1; i < 100_000; i++) {
    const an = -i * (i - a);
    b += 2;
    d = an * d + b;
    if (Math.abs(d) < tiny) d = tiny;
    c = b + an / c;
    if (Math.abs(c) < tiny) c = tiny;
    d = 1 / d;
    const del = d * c;
    h *= del;
    if (Math.abs(del - 1) < 1e-16) break;
  }
  return Math.max(0, 1 - Math.exp(lead) * h);
}

/** Wilson-Hilferty: (X / (k theta))^(1/3) is about normal with mean 1 - 1/(9k) and variance 1/(9k). */
function whZ(ratio: number, k: number): number {
  const v = 1 / (9 * k);
  return (Math.cbrt(ratio) - (1 - v)) / Math.sqrt(v);
}

function whQuantile(p: number, k: number): number {
  const v = 1 / (9 * k);
  const b = 1 - v + normalQuantile(p) * Math.sqrt(v);
  return b > 0 ? k * b * b * b : 0;
}

function check(shape: number, scale: number): void {
  if (!(shape > 0 && Number.isFinite(shape))) throw new RangeError(`gamma shape must be finite and > 0, got ${shape}`);
  if (!(scale > 0 && Number.isFinite(scale))) throw new RangeError(`gamma scale must be finite and > 0, got ${scale}`);
}

/** P(X <= x) for X ~ Gamma(shape, scale). */
export function gammaCdf(x: number, shape: number, scale: number): number {
  check(shape, scale);
  return gammaP(shape, x / scale);
}

/** The p-quantile of Gamma(shape, scale), p in (0, 1): Wilson-Hilferty start, then safeguarded Newton. */
export function gammaQuantile(p: number, shape: number, scale: number): number {
  check(shape, scale);
  if (!(p > 0 && p < 1)) throw new RangeError(`gamma quantile needs a probability in (0, 1), got ${p}`);
  const k = shape;
  if (k > LARGE_SHAPE) return scale * whQuantile(p, k);
  // Bracket [lo, hi] with P(lo) < p <= P(hi), on the unit-scale variable.
  let lo = 0;
  let hi = Math.max(k, 1);
  while (gammaP(k, hi) < p) {
    lo = hi;
    hi *= 2;
  }
  let x = whQuantile(p, k);
  if (!(x > lo && x < hi)) x = (lo + hi) / 2;
  const lg = lnGamma(k);
  for (let i = 0; i < 400; i++) {
    const f = gammaP(k, x) - p;
    if (f < 0) lo = x;
    else hi = x;
    if (Math.abs(f) < 1e-15 || hi - lo <= 1e-14 * hi) break;
    const density = Math.exp((k - 1) * Math.log(x) - x - lg);
    let next = density > 0 ? x - f / density : NaN;
    // Newton outside the bracket: bisect (geometrically towards 0, where small shapes put tiny quantiles).
    if (!(next > lo && next < hi)) next = lo > 0 ? (lo + hi) / 2 : hi / 16;
    x = next;
  }
  return scale * x;
}

/** E[max(0, X - s)] for X ~ Gamma(shape, scale): k theta (1 - P(k + 1, s / theta)) - s (1 - P(k, s / theta)). */
export function gammaShortfall(s: number, shape: number, scale: number): number {
  check(shape, scale);
  const mean = shape * scale;
  if (!(s > 0)) return mean - s;
  const y = s / scale;
  return Math.max(0, mean * (1 - gammaP(shape + 1, y)) - s * (1 - gammaP(shape, y)));
}
