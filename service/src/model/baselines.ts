// The simple methods, as competitors of the model and as what answers where no model may: seasonal naive at the
// grain's season, a moving average, exponential smoothing, and two intermittent-demand methods (Croston with the
// Syntetos-Boylan correction, and TSB). Each turns a series' history at its grain into a forecast. Pure.
import { exponentialSmoothingForecast, movingAverageForecast, seasonalNaiveForecast } from '../metrics/index';
import type { Grain } from '../features/index';
import { GRAIN_SETTINGS } from './grain';

export const BASELINES = ['seasonal_naive', 'moving_average', 'exponential_smoothing', 'croston_sba', 'tsb'] as const;
export type BaselineName = (typeof BASELINES)[number] | 'observed_mean';

/** The methods a series can be served by: the model (or its blend with the global model), a baseline, or a blend of both. */
export type ServedMethod = 'model' | `baseline:${BaselineName}` | `blend:model+${BaselineName}`;

/** Croston / TSB smoothing constants: the usual 0.1 (slow adaptation suits sparse demand). */
const ALPHA = 0.1;
const BETA = 0.1;

/** Croston's method with the Syntetos-Boylan bias correction: (1 - a/2) x smoothed size / smoothed interval. */
export function crostonSbaForecast(history: ArrayLike<number>, horizon: number, alpha = ALPHA): number[] {
  let size = NaN;
  let interval = NaN;
  let gap = 1;
  for (let t = 0; t < history.length; t++) {
    const y = history[t];
    if (y > 0) {
      if (Number.isNaN(size)) {
        size = y;
        interval = gap;
      } else {
        size += alpha * (y - size);
        interval += alpha * (gap - interval);
      }
      gap = 1;
    } else gap++;
  }
  const value = Number.isNaN(size) ? 0 : ((1 - alpha / 2) * size) / interval;
  return new Array<number>(horizon).fill(value);
}

/** Teunter-Syntetos-Babai: smoothed probability of a sale (updated every period) x smoothed size (updated on sales). */
export function tsbForecast(history: ArrayLike<number>, horizon: number, alpha = ALPHA, beta = BETA): number[] {
  let p = NaN;
  let size = NaN;
  for (let t = 0; t < history.length; t++) {
    const y = history[t];
    const sold = y > 0 ? 1 : 0;
    if (Number.isNaN(p)) p = sold;
    else p += alpha * (sold - p);
    if (y > 0) size = Number.isNaN(size) ? y : size + beta * (y - size);
  }
  const value = Number.isNaN(size) || Number.isNaN(p) ? 0 : p * size;
  return new Array<number>(horizon).fill(value);
}

/** The baseline's forecast of `horizon` periods after `history` (at the grain). */
export function baselineForecast(name: BaselineName, history: ArrayLike<number>, horizon: number, grain: Grain): number[] {
  const g = GRAIN_SETTINGS[grain];
  switch (name) {
    case 'seasonal_naive':
      return seasonalNaiveForecast(history, horizon, g.season);
    case 'moving_average':
      return movingAverageForecast(history, horizon, g.movingAverage);
    case 'exponential_smoothing':
      return exponentialSmoothingForecast(history, horizon);
    case 'croston_sba':
      return crostonSbaForecast(history, horizon);
    case 'tsb':
      return tsbForecast(history, horizon);
    case 'observed_mean':
      // Sparse series: the history holds only the periods that have a record; their recent mean.
      return movingAverageForecast(history, horizon, Math.min(8, g.movingAverage));
  }
}

/** Which baselines can compete on a history this long: seasonal naive needs a season and a little more. */
export function applicableBaselines(historyLength: number, grain: Grain): BaselineName[] {
  return BASELINES.filter((b) => b !== 'seasonal_naive' || historyLength >= GRAIN_SETTINGS[grain].season + 1);
}

export const BASELINE_LABELS: Record<BaselineName, string> = {
  seasonal_naive: 'same period last season',
  moving_average: 'recent average',
  exponential_smoothing: 'smoothed recent level',
  croston_sba: 'average for occasional sellers (Croston)',
  tsb: 'chance of a sale x usual size (TSB)',
  observed_mean: 'average of the recorded periods',
};

/** The seasonal naive in a buyer's words at a grain. */
export function baselineLabel(name: BaselineName, grain: Grain): string {
  if (name === 'seasonal_naive') {
    return grain === 'daily' ? 'same weekday last week' : grain === 'weekly' ? 'same week last year' : 'same month last year';
  }
  if (name === 'moving_average') {
    const g = GRAIN_SETTINGS[grain];
    return `average of the last ${g.movingAverage} ${g.unit[1]}`;
  }
  return BASELINE_LABELS[name];
}

export function methodLabel(method: string, grain: Grain): string {
  if (method === 'model') return 'forecasting model trained on this store';
  if (method === 'global_model') return 'forecasting model trained on all stores';
  if (method.startsWith('baseline:')) return baselineLabel(method.slice('baseline:'.length) as BaselineName, grain);
  if (method.startsWith('blend:model+')) {
    return `forecasting model averaged with ${baselineLabel(method.slice('blend:model+'.length) as BaselineName, grain)}`;
  }
  return method;
}

// ---------------------------------------------------------------- kinds of series

export type SeriesKind = 'fast' | 'slow' | 'intermittent';

/**
 * A series' kind from its recent history at its grain: intermittent when more than half its recent periods sold
 * nothing (Syntetos-Boylan's average interval between sales > 2); otherwise fast when its recent mean is at least
 * `fastFrom` (the median recent mean of the scope's non-intermittent series at training), else slow.
 */
export function seriesKind(history: ArrayLike<number>, grain: Grain, fastFrom: number): SeriesKind {
  const { mean, zeroShare } = recentShape(history, grain);
  if (zeroShare > 0.5) return 'intermittent';
  return mean >= fastFrom ? 'fast' : 'slow';
}

export function recentShape(history: ArrayLike<number>, grain: Grain): { mean: number; zeroShare: number } {
  const n = history.length;
  const a = Math.max(0, n - GRAIN_SETTINGS[grain].kindWindow);
  let sum = 0;
  let zeros = 0;
  for (let t = a; t < n; t++) {
    sum += history[t];
    if (!(history[t] > 0)) zeros++;
  }
  const len = n - a;
  return len === 0 ? { mean: 0, zeroShare: 1 } : { mean: sum / len, zeroShare: zeros / len };
}

/** The fast/slow threshold of a scope: the median recent mean of its non-intermittent series. */
export function fastThreshold(histories: ArrayLike<number>[], grain: Grain): number {
  const means = histories
    .map((h) => recentShape(h, grain))
    .filter((s) => s.zeroShare <= 0.5)
    .map((s) => s.mean)
    .sort((a, b) => a - b);
  return means.length === 0 ? Infinity : means[Math.floor(means.length / 2)];
}

/** What serves each kind of series of a scope, chosen on its backtest. */
export interface MethodSelection {
  grain: Grain;
  fastFrom: number;
  methods: Record<SeriesKind, ServedMethod>;
}

/**
 * What the simple method a forecast is judged against forecasts for the same periods: the method itself when a simple
 * method answered, else `best` (the best simple method on the model's backtest) where the history allows it, else the
 * moving average.
 */
export function referenceForecast(
  method: string,
  served: number[],
  best: string | null | undefined,
  history: ArrayLike<number>,
  horizon: number,
  grain: Grain,
): { name: BaselineName; values: number[] } {
  if (method.startsWith('baseline:')) return { name: method.slice('baseline:'.length) as BaselineName, values: served };
  const usable = applicableBaselines(history.length, grain) as string[];
  const name = (best && usable.includes(best) ? best : 'moving_average') as BaselineName;
  return { name, values: baselineForecast(name, history, horizon, grain) };
}

/** The served values of one series: the model's path, a baseline's, or their average. */
export function servedValues(method: ServedMethod, modelValues: () => number[], history: ArrayLike<number>, horizon: number, grain: Grain) {
  if (method === 'model') return modelValues();
  if (method.startsWith('baseline:')) return baselineForecast(method.slice('baseline:'.length) as BaselineName, history, horizon, grain);
  const base = baselineForecast(method.slice('blend:model+'.length) as BaselineName, history, horizon, grain);
  const m = modelValues();
  return m.map((v, i) => (v + base[i]) / 2);
}
