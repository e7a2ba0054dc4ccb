// Training matrix: feature rows of every observed day of many series, built with featureRow.
import { formatDay, parseDay } from './dates';
import { toDailyFrame, type DailyFrame, type SeriesInput } from './frame';
import { featureRow, type FeatureContext } from './row';
import { FEATURE_SPEC } from './spec';
import { encodeTarget, type TargetTransform } from './target';

export interface TrainingOptions {
  /** Only target days in [from, to] (YYYY-MM-DD, inclusive). */
  from?: string;
  to?: string;
  /** Skip the first n listed days of each series (their lags/windows are mostly NaN). Default 0. */
  minHistoryDays?: number;
  /** Gap-fill every series up to this day (the data set's last day), so a product that stopped selling has trailing
   * zero-sales days. Default: each series ends at its last record. Ignored for series listed after it. */
  fillTo?: string;
  /** Keep the days the shelf was empty (DailyFrame.stockout) as rows; default false: their sales are not demand. */
  keepStockouts?: boolean;
}

export interface TrainingMatrix {
  /** Row-major rows x cols, NaN = missing. */
  features: Float32Array;
  rows: number;
  cols: number;
  names: string[];
  /** encodeTarget(units, target), never NaN. */
  labels: Float32Array;
  target: TargetTransform;
  /** Row r is series seriesIdx[r] (index into the input array), epoch day day[r] (see formatDay / rowDate). */
  seriesIdx: Int32Array;
  day: Int32Array;
}

export function rowDate(m: TrainingMatrix, r: number): string {
  return formatDay(m.day[r]);
}

/**
 * Builds the frames of all series (gap-filled to opts.fillTo when given) and the feature matrix of every observed day
 * (optionally within [from, to]). Labels are the day's units through the context's target transform.
 */
export function buildTrainingMatrix(series: SeriesInput[], ctx: FeatureContext, opts: TrainingOptions = {}): TrainingMatrix {
  const frames: DailyFrame[] = series.map((s) => toDailyFrame(s, opts.fillTo !== undefined ? { until: opts.fillTo } : {}));
  return trainingMatrixFromFrames(frames, ctx, opts);
}

/** Same as buildTrainingMatrix on frames already built (seriesIdx indexes `frames`). */
export function trainingMatrixFromFrames(frames: DailyFrame[], ctx: FeatureContext, opts: TrainingOptions = {}): TrainingMatrix {
  const spec = ctx.spec ?? FEATURE_SPEC;
  const target = ctx.target ?? 'log1p';
  const cols = spec.names.length;
  const from = opts.from !== undefined ? parseDay(opts.from) : -Infinity;
  const to = opts.to !== undefined ? parseDay(opts.to) : Infinity;
  const minHistory = opts.minHistoryDays ?? 0;
  const keep = opts.keepStockouts ?? false;
  if (!Number.isInteger(minHistory) || minHistory < 0) throw new RangeError('minHistoryDays must be a non-negative integer');
  const lo = new Int32Array(frames.length);
  const hi = new Int32Array(frames.length);
  let rows = 0;
  for (let s = 0; s < frames.length; s++) {
    const f = frames[s];
    const a = Math.max(minHistory, from - f.start, 0);
    const b = Math.min(f.history, to - f.start + 1);
    lo[s] = a;
    hi[s] = b > a ? b : a;
    for (let i = lo[s]; i < hi[s]; i++) if (keep || f.stockout[i] === 0) rows++;
  }
  const features = new Float32Array(rows * cols);
  const labels = new Float32Array(rows);
  const seriesIdx = new Int32Array(rows);
  const day = new Int32Array(rows);
  let r = 0;
  for (let s = 0; s < frames.length; s++) {
    const f = frames[s];
    for (let i = lo[s]; i < hi[s]; i++) {
      if (!keep && f.stockout[i] === 1) continue;
      featureRow(f, i, ctx, features, r * cols);
      labels[r] = encodeTarget(f.units[i], target);
      seriesIdx[r] = s;
      day[r] = f.start + i;
      r++;
    }
  }
  return { features, rows, cols, names: spec.names, labels, target, seriesIdx, day };
}
