// Demand over periods from a daily forecast. Day 1 of a forecast is tomorrow. Beyond the forecast horizon, days are
// extrapolated with the mean of all forecast days (a 28-day horizon holds 4 whole weeks, so the weekly pattern
// averages out).

/** RangeError unless the forecast is a non-empty array of finite values >= 0. */
export function checkForecast(forecast: readonly number[], name = 'dailyForecast'): void {
  if (!Array.isArray(forecast) || forecast.length === 0) throw new RangeError(`${name} must be a non-empty array of daily units`);
  forecast.forEach((f, i) => {
    if (typeof f !== 'number' || !Number.isFinite(f) || f < 0) throw new RangeError(`${name}[${i}] must be a finite number >= 0, got ${f}`);
  });
}

/** Mean units per day over the forecast. */
export function meanDaily(forecast: readonly number[]): number {
  checkForecast(forecast);
  let s = 0;
  for (const f of forecast) s += f;
  return s / forecast.length;
}

/** The first `days` days of the forecast, extended with its mean beyond the horizon. */
export function extendForecast(forecast: readonly number[], days: number): number[] {
  checkForecast(forecast);
  if (!Number.isInteger(days) || days < 0) throw new RangeError(`days must be an integer >= 0, got ${days}`);
  const out = forecast.slice(0, days);
  const mean = meanDaily(forecast);
  while (out.length < days) out.push(mean);
  return out;
}

/** Expected units over the next `days` days (extrapolated with the mean beyond the horizon). */
export function demandOver(forecast: readonly number[], days: number): number {
  return extendForecast(forecast, days).reduce((s, f) => s + f, 0);
}

/**
 * How many days `stock` lasts against the forecast, fractional: 30 units at 10/day = 3 days. Beyond the horizon the
 * mean daily demand is used. 0 when stock <= 0; null when the forecast has no demand at all (unbounded; never
 * Infinity, which JSON cannot carry).
 */
export function daysOfCover(forecast: readonly number[], stock: number): number | null {
  checkForecast(forecast);
  if (!Number.isFinite(stock)) throw new RangeError(`stock must be finite, got ${stock}`);
  if (stock <= 0) return 0;
  const mean = meanDaily(forecast);
  if (!(mean > 0)) return null;
  let left = stock;
  for (let t = 0; t < forecast.length; t++) {
    const d = forecast[t];
    if (d > 0 && left <= d) return t + left / d;
    left -= d;
  }
  return forecast.length + left / mean;
}

export interface DemandBreakdown {
  /** Mean units per day over the forecast. */
  daily: number;
  /** Expected units over the next 7, 30 and 91 days. */
  weekly: number;
  monthly: number;
  quarterly: number;
  /** Days of forecast given; sums over longer periods extrapolate with `daily`. */
  horizon_days: number;
  extrapolated: boolean;
}

const round2 = (x: number) => Math.round(x * 100) / 100;

/** Mean daily demand and 7-, 30- and 91-day sums (beyond the horizon: the mean per day), rounded to 0.01. */
export function demandBreakdown(forecast: readonly number[]): DemandBreakdown {
  checkForecast(forecast);
  return {
    daily: round2(meanDaily(forecast)),
    weekly: round2(demandOver(forecast, 7)),
    monthly: round2(demandOver(forecast, 30)),
    quarterly: round2(demandOver(forecast, 91)),
    horizon_days: forecast.length,
    extrapolated: forecast.length < 91,
  };
}
