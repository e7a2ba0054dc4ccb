// The backtest's parts: the time split, the rows each fit trains on, the holdout actuals, the forecasts from each
// store's origin and their scores. Pure: frames and boosters in, numbers out.
import {
  formatDay,
  parseDay,
  recordSpan,
  recursiveForecast,
  trainingMatrixFromFrames,
  type DailyFrame,
  type FeatureContext,
  type SeriesInput,
  type TargetTransform,
  type TrainingMatrix,
} from '../features/index';
import type { BacktestResiduals } from '../forecast/index';
import { bias, evaluate, mae, meanOf, rmse, wape } from '../metrics/index';
import type { Booster } from './engine/index';

/** Accuracy of forecasts on a holdout (the API's AccuracyFigures, every figure computed). */
export type AccuracyFigures = {
  mae: number | null;
  rmse: number | null;
  wape: number | null;
  mase: number | null;
  rmsse: number | null;
  bias: number | null;
};

/** Backtest forecasts by series key (seriesKey) and the origin each was made from. */
export type BacktestForecasts = Map<string, { origin: string; values: number[] }>;

export const seriesKey = (storeId: string, productId: string) => `${storeId}\u0000${productId}`;

/** First target day of the training rows ending at `last`, or undefined for all of them. */
export function firstTrainingDay(last: string, days: number | null): string | undefined {
  return days === null ? undefined : formatDay(parseDay(last) - days + 1);
}

/**
 * The largest number of days d such that the listed days among the last d up to each series' end (epoch day) make at
 * most `maxRows` rows; null when every listed day fits.
 */
export function recentDays(frames: DailyFrame[], ends: number[], maxRows: number | null): number | null {
  if (maxRows === null) return null;
  if (!Number.isInteger(maxRows) || maxRows < 1) throw new RangeError(`maxTrainingRows must be a positive integer or null, got ${maxRows}`);
  const rowsWithin = (d: number) => {
    let rows = 0;
    frames.forEach((f, k) => {
      const last = Math.min(ends[k], f.start + f.history - 1);
      const first = Math.max(f.start, ends[k] - d + 1);
      if (last >= first) rows += last - first + 1;
    });
    return rows;
  };
  let longest = 1;
  frames.forEach((f, k) => (longest = Math.max(longest, ends[k] - f.start + 1)));
  if (rowsWithin(longest) <= maxRows) return null;
  let lo = 1; // rowsWithin(lo) may exceed maxRows only when there are more series than maxRows: one day is the floor
  let hi = longest;
  while (hi - lo > 1) {
    const mid = (lo + hi) >> 1;
    if (rowsWithin(mid) <= maxRows) lo = mid;
    else hi = mid;
  }
  return lo;
}

export interface HoldoutSplit {
  firstDate: string;
  lastDate: string;
  holdoutFrom: string;
  /** Per store: the last day the backtest model may see. */
  originByStore: Map<string, string>;
}

/** The last `days` days of each store are the holdout; a store's origin is the day before its holdout. */
export function holdoutSplit(series: SeriesInput[], days: number): HoldoutSplit {
  const lastByStore = new Map<string, string>();
  let firstDate = '9999-12-31';
  let lastDate = '0000-01-01';
  for (const s of series) {
    const span = recordSpan(s);
    if (Number.isNaN(span.first)) continue;
    const first = formatDay(span.first);
    const last = formatDay(span.last);
    if (first < firstDate) firstDate = first;
    if (last > lastDate) lastDate = last;
    if (last > (lastByStore.get(s.storeId) ?? '')) lastByStore.set(s.storeId, last);
  }
  const originByStore = new Map<string, string>();
  for (const [store, last] of lastByStore) originByStore.set(store, formatDay(parseDay(last) - days));
  if (parseDay(lastDate) - parseDay(firstDate) < days * 2) {
    throw new Error(`need at least ${days * 2} days of history to hold out ${days} days (have ${firstDate}..${lastDate})`);
  }
  return { firstDate, lastDate, holdoutFrom: formatDay(parseDay(lastDate) - days + 1), originByStore };
}

export function byStore(series: SeriesInput[]): Map<string, number[]> {
  const groups = new Map<string, number[]>();
  series.forEach((s, k) => groups.set(s.storeId, [...(groups.get(s.storeId) ?? []), k]));
  return groups;
}

/** Backtest training rows: each store's rows up to its own origin (nothing from the holdout). */
export function trainingMatrixByOrigin(
  series: SeriesInput[],
  frames: DailyFrame[],
  split: HoldoutSplit,
  ctx: FeatureContext,
  days: number | null,
): TrainingMatrix {
  const parts: TrainingMatrix[] = [];
  for (const [store, members] of byStore(series)) {
    const origin = split.originByStore.get(store)!;
    const from = firstTrainingDay(origin, days);
    parts.push(
      trainingMatrixFromFrames(
        members.map((k) => frames[k]),
        ctx,
        { to: origin, from },
      ),
    );
  }
  return concatMatrices(parts);
}

function concatMatrices(parts: TrainingMatrix[]): TrainingMatrix {
  if (parts.length === 1) return parts[0];
  const rows = parts.reduce((n, p) => n + p.rows, 0);
  const cols = parts[0].cols;
  const features = new Float32Array(rows * cols);
  const labels = new Float32Array(rows);
  const seriesIdx = new Int32Array(rows);
  const day = new Int32Array(rows);
  let at = 0;
  for (const p of parts) {
    features.set(p.features.subarray(0, p.rows * cols), at * cols);
    labels.set(p.labels.subarray(0, p.rows), at);
    day.set(p.day.subarray(0, p.rows), at);
    at += p.rows;
  }
  // seriesIdx of the parts index their own inputs; the backtest does not need them.
  return { ...parts[0], features, labels, rows, seriesIdx, day };
}

export function withTarget(raw: TrainingMatrix, target: TargetTransform): TrainingMatrix {
  if (target === 'raw') return raw;
  const labels = new Float32Array(raw.rows);
  for (let r = 0; r < raw.rows; r++) labels[r] = Math.log1p(raw.labels[r]);
  return { ...raw, labels, target };
}

export interface HoldoutActual {
  /** Gap-filled units before the origin (for scaled metrics and baselines). */
  train: number[];
  /** Units of the holdout days, origin+1 .. origin+days. */
  actual: number[];
  /** 1 on holdout days the shelf was empty. */
  stockout: number[];
  seriesIndex: number;
}

/**
 * Actual units of each series over its store's holdout, read from its frame (gap-filled to the last day, as
 * dailyUnits would give them); series not listed before the origin are left out.
 */
export function holdoutActuals(series: SeriesInput[], frames: DailyFrame[], split: HoldoutSplit, days: number): HoldoutActual[] {
  const out: HoldoutActual[] = [];
  series.forEach((s, seriesIndex) => {
    const f = frames[seriesIndex];
    const cut = parseDay(split.originByStore.get(s.storeId)!) - f.start + 1; // listed days up to the origin
    if (cut <= 0 || cut + days > f.history) return;
    out.push({
      train: Array.from(f.units.subarray(0, cut)),
      actual: Array.from(f.units.subarray(cut, cut + days)),
      stockout: Array.from(f.stockout.subarray(cut, cut + days)),
      seriesIndex,
    });
  });
  return out;
}

export function forecastFromOrigins(
  series: SeriesInput[],
  split: HoldoutSplit,
  days: number,
  booster: Booster,
  ctx: FeatureContext,
): Map<number, number[]> {
  const forecasts = new Map<number, number[]>();
  for (const [store, members] of byStore(series)) {
    const origin = split.originByStore.get(store)!;
    const result = recursiveForecast(
      members.map((k) => series[k]),
      days,
      (f, rows, cols) => booster.predict(f, rows, cols),
      ctx,
      { origin },
    );
    result.forEach((r, j) => forecasts.set(members[j], r.values));
  }
  return forecasts;
}

export function backtestForecasts(series: SeriesInput[], split: HoldoutSplit, forecasts: Map<number, number[]>): BacktestForecasts {
  const out: BacktestForecasts = new Map();
  for (const [k, values] of forecasts) {
    const s = series[k];
    out.set(seriesKey(s.storeId, s.productId), { origin: split.originByStore.get(s.storeId)!, values });
  }
  return out;
}

/** True when the partner forecast every scored series of this scope, from the same origin, over the same days. */
export function coversHoldout(partner: BacktestForecasts, series: SeriesInput[], split: HoldoutSplit, actuals: HoldoutActual[]): boolean {
  return actuals.every((a) => {
    const s = series[a.seriesIndex];
    const p = partner.get(seriesKey(s.storeId, s.productId));
    return p !== undefined && p.origin === split.originByStore.get(s.storeId) && p.values.length === a.actual.length;
  });
}

/** Accuracy over the series; `season` is the period of MASE's in-sample seasonal naive (7 days, 52 weeks, 12 months). */
export function scoreForecasts(actuals: HoldoutActual[], forecasts: Map<number, number[]> | number[][], season = 7): AccuracyFigures {
  const predOf = (a: HoldoutActual, i: number) => (forecasts instanceof Map ? forecasts.get(a.seriesIndex)! : forecasts[i]);
  const allActual: number[] = [];
  const allPred: number[] = [];
  const mases: (number | null)[] = [];
  const rmsses: (number | null)[] = [];
  actuals.forEach((a, i) => {
    const pred = predOf(a, i);
    allActual.push(...a.actual);
    allPred.push(...pred);
    const e = evaluate(a.actual, pred, a.train, season);
    mases.push(e.mase);
    rmsses.push(e.rmsse);
  });
  return {
    mae: mae(allActual, allPred),
    rmse: rmse(allActual, allPred),
    wape: wape(allActual, allPred),
    bias: bias(allActual, allPred),
    mase: meanOf(mases),
    rmsse: meanOf(rmsses),
  };
}

export function residualsByStep(actuals: HoldoutActual[], forecasts: Map<number, number[]>, days: number): BacktestResiduals {
  const predicted: number[][] = Array.from({ length: days }, () => []);
  const actual: number[][] = Array.from({ length: days }, () => []);
  const stockout: number[][] = Array.from({ length: days }, () => []);
  let anyStockout = false;
  for (const a of actuals) {
    const pred = forecasts.get(a.seriesIndex)!;
    for (let h = 0; h < days; h++) {
      predicted[h].push(round4(pred[h]));
      actual[h].push(a.actual[h]);
      stockout[h].push(a.stockout[h]);
      if (a.stockout[h] === 1) anyStockout = true;
    }
  }
  return { horizon: days, predicted, actual, ...(anyStockout ? { stockout } : {}) };
}

const round4 = (x: number) => Math.round(x * 1e4) / 1e4;
