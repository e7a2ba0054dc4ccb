// Recursive multi-step forecast: one model; day t+k's features come from the history extended with the predictions
// of t+1..t+k-1, through the same featureRow as training.
import { formatDay } from './dates';
import { setUnits, toDailyFrame, type DailyFrame, type FrameOptions, type ScenarioOverride, type SeriesInput } from './frame';
import { featureRow, type FeatureContext } from './row';
import { FEATURE_SPEC } from './spec';
import { decodeTarget } from './target';

/** Model call: `rows` feature rows (row-major, `cols` wide) -> `rows` predictions on the target scale. */
export type PredictFn = (features: Float32Array, rows: number, cols: number) => Float32Array | Float64Array | number[];

export interface ForecastOptions {
  /** Last known day (YYYY-MM-DD) for every series; data after it is ignored (backtests). Default: each series' last record. */
  origin?: string;
  scenario?: ScenarioOverride[];
  /** See FrameOptions.futureInputs. Default 'last'. */
  futureInputs?: FrameOptions['futureInputs'];
  /** The series' frames, already built with these options (toDailyFrame): forecast into in place. */
  frames?: DailyFrame[];
}

export interface SeriesForecast {
  storeId: string;
  productId: string;
  /** Forecast days, origin+1 .. origin+horizon. Empty for a series without records when no origin is given. */
  dates: string[];
  /** Units, >= 0. */
  values: number[];
}

/**
 * Forecasts `horizon` days after the origin for every series. Each step builds one feature row per series (batched into
 * one predict call), inverse-transforms the predictions (ctx.target) and writes them into the frames as the units of
 * that day, so the next step's lags and windows see them.
 */
export function recursiveForecast(
  series: SeriesInput[],
  horizon: number,
  predict: PredictFn,
  ctx: FeatureContext,
  opts: ForecastOptions = {},
): SeriesForecast[] {
  if (!Number.isInteger(horizon) || horizon < 1) throw new RangeError(`horizon must be a positive integer, got ${horizon}`);
  const frameOpts: FrameOptions = { until: opts.origin, horizon, scenario: opts.scenario, futureInputs: opts.futureInputs };
  if (opts.frames && opts.frames.length !== series.length) throw new RangeError(`${opts.frames.length} frames for ${series.length} series`);
  const frames: DailyFrame[] = opts.frames ?? series.map((s) => toDailyFrame(s, frameOpts));
  const active = frames.map((f, k) => k).filter((k) => frames[k].length > 0);
  const spec = ctx.spec ?? FEATURE_SPEC;
  const target = ctx.target ?? 'log1p';
  const cols = spec.names.length;
  const batch = new Float32Array(active.length * cols);
  for (let step = 0; step < horizon; step++) {
    for (let r = 0; r < active.length; r++) {
      const f = frames[active[r]];
      featureRow(f, f.history + step, ctx, batch, r * cols);
    }
    const pred = active.length > 0 ? predict(batch, active.length, cols) : [];
    if (pred.length !== active.length) throw new RangeError(`predict returned ${pred.length} values for ${active.length} rows`);
    for (let r = 0; r < active.length; r++) {
      const f = frames[active[r]];
      setUnits(f, f.history + step, decodeTarget(pred[r], target));
    }
  }
  return frames.map((f, k) => {
    const dates: string[] = [];
    const values: number[] = [];
    for (let i = f.history; i < f.length; i++) {
      dates.push(formatDay(f.start + i));
      values.push(f.units[i]);
    }
    return { storeId: series[k].storeId, productId: series[k].productId, dates, values };
  });
}
