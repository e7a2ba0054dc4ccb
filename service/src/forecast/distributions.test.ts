import { describe, expect, it } from 'vitest';
import { gammaCdf, gammaQuantile, gammaShortfall, lnGamma } from './gamma';
import { normalCdf, normalLoss, normalQuantile } from './normal';

describe('normal distribution', () => {
  it('quantiles and CDF match tables', () => {
    expect(normalQuantile(0.5)).toBe(0);
    expect(normalQuantile(0.8)).toBeCloseTo(0.8416212335729143, 12);
    expect(normalQuantile(0.9)).toBeCloseTo(1.2815515655446004, 12);
    expect(normalQuantile(0.95)).toBeCloseTo(1.6448536269514722, 12);
    expect(normalQuantile(0.975)).toBeCloseTo(1.959963984540054, 12);
    expect(normalQuantile(0.001)).toBeCloseTo(-3.090232306167813, 11);
    expect(normalQuantile(1e-10)).toBeCloseTo(-6.361340902404056, 9);
    expect(normalCdf(0)).toBe(0.5);
    expect(normalCdf(1.959963984540054)).toBeCloseTo(0.975, 13);
    expect(normalCdf(-3)).toBeCloseTo(0.0013498980316301, 14);
    for (const p of [1e-6, 0.01, 0.3, 0.7, 0.99, 0.999999]) expect(normalCdf(normalQuantile(p))).toBeCloseTo(p, 13);
    expect(() => normalQuantile(0)).toThrow(RangeError);
    expect(() => normalQuantile(1)).toThrow(RangeError);
  });

  it('loss function L(z) = E[max(0, Z - z)]', () => {
    expect(normalLoss(0)).toBeCloseTo(0.3989422804014327, 14); // phi(0)
    expect(normalLoss(-5)).toBeCloseTo(5, 6); // far below: ~ -z
    expect(normalLoss(5)).toBeLessThan(1e-6);
  });
});

describe('gamma distribution', () => {
  it('lnGamma, CDF and quantile match known values', () => {
    expect(lnGamma(5)).toBeCloseTo(Math.log(24), 12);
    expect(lnGamma(0.5)).toBeCloseTo(Math.log(Math.sqrt(Math.PI)), 12);
    expect(gammaCdf(5, 5, 1)).toBeCloseTo(0.5595067149347875, 12);
    // Gamma(1/2, 2) is chi-square with 1 degree of freedom: 95% quantile 3.841458820694124.
    expect(gammaQuantile(0.95, 0.5, 2)).toBeCloseTo(3.841458820694124, 9);
    // Exponential: quantile -ln(1 - p).
    expect(gammaQuantile(0.9, 1, 3)).toBeCloseTo(-3 * Math.log(0.1), 9);
    for (const [k, th] of [
      [0.05, 1],
      [0.7, 2],
      [3, 0.5],
      [120, 1],
      [5000, 0.01],
      [2e5, 1],
    ]) {
      for (const p of [0.01, 0.5, 0.95, 0.999]) {
        const q = gammaQuantile(p, k, th);
        expect(q).toBeGreaterThanOrEqual(0);
        expect(gammaCdf(q, k, th), `${k} ${th} ${p}`).toBeCloseTo(p, 6);
      }
    }
  });

  it('shortfall E[max(0, X - s)]: mean - s below 0, matches numeric integration', () => {
    expect(gammaShortfall(0, 3, 2)).toBe(6);
    expect(gammaShortfall(-1, 3, 2)).toBe(7);
    // Gamma(3, 2) beyond 5, midpoint rule on a fine grid.
    let acc = 0;
    const dx = 1e-3;
    for (let x = 5 + dx / 2; x < 200; x += dx) acc += (x - 5) * Math.exp(2 * Math.log(x) - x / 2 - lnGamma(3) - 3 * Math.log(2)) * dx;
    expect(gammaShortfall(5, 3, 2)).toBeCloseTo(acc, 6);
  });
});
