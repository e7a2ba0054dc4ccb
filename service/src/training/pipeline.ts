// Training of one scope (a store, or all stores): honest backtest on a time split the model never saw, objective
// chosen on that backtest, then a refit on all data. Pure domain: series in, model bytes and metrics out.
import {
  buildEncodings,
  formatDay,
  makeFeatureSpec,
  priceMonotonicity,
  parseDay,
  recursiveForecast,
  toDailyFrame,
  trainingMatrixFromFrames,
  type CalendarEvents,
  type DailyFrame,
  type Encodings,
  type FeatureContext,
  type FeatureSpec,
  type SeriesInput,
  type TargetTransform,
  type TrainingMatrix,
} from '../features/index';
import { evaluate, mae, meanOf, rmse, seasonalNaiveForecast, movingAverageForecast, wape, bias } from '../metrics/index';
import type { Booster, Engine, Objective, SavedModel, TrainParams } from '../model/engine/index';

export type ObjectiveChoice = Objective | 'auto';

export interface TrainingSettings {
  objective: ObjectiveChoice;
  rounds: number;
  learningRate: number;
  maxDepth: number;
  minChildWeight: number;
  subsample: number;
  colsampleByTree: number;
  lambda: number;
  tweedieVariancePower: number;
  /** Last days of each store held out for the backtest. */
  holdoutDays: number;
  seed: number;
  /**
   * At most this many training rows per fit: when a scope has more listed days, only its most recent days are rows
   * (lags and windows still read the whole history). Bounds the cost of the global model; null = every listed day.
   */
  maxTrainingRows: number | null;
  /** Price, discount and promotion may move a forecast one way only (features/spec.ts priceMonotonicity). */
  monotonePrice: boolean;
}

// Chosen on validation backtests before the M5 holdout (see README.md): tweedie won the objective comparison, so
// it is the fixed default ('auto' still compares all three, at 4 fits instead of 2).
export const DEFAULT_SETTINGS: TrainingSettings = {
  objective: 'tweedie',
  rounds: 30,
  learningRate: 0.2,
  maxDepth: 5,
  minChildWeight: 5,
  subsample: 0.8,
  colsampleByTree: 0.8,
  lambda: 1,
  tweedieVariancePower: 1.3,
  holdoutDays: 28,
  seed: 0,
  maxTrainingRows: 200_000,
  monotonePrice: true,
};

/**
 * The layout the pipeline trains with: the default columns less those whose training values (noisy observed units)
 * differ in kind from what the recursive forecast feeds them (smooth predictions): days since the last sale (every
 * prediction is > 0, so it would read 1 for the whole horizon) and the 7- and 28-day std / max. Stored with each model.
 */
export const TRAINING_FEATURE_SPEC: FeatureSpec = makeFeatureSpec({
  exclude: ['days_since_last_sale', 'roll_std_7', 'roll_max_7', 'roll_std_28', 'roll_max_28'],
});

export interface AccuracyFigures {
  mae: number | null;
  rmse: number | null;
  wape: number | null;
  mase: number | null;
  rmsse: number | null;
  bias: number | null;
}

export interface EnsembleMetrics {
  partner_scope: string;
  partner_model_id: number;
  weight: number;
  /** This scope's model alone, and the partner alone, on the same holdout. */
  own: AccuracyFigures;
  partner: AccuracyFigures;
}

export interface ModelMetrics extends AccuracyFigures {
  /** 100 * (1 - WAPE): the figure the pane shows. */
  accuracy: number | null;
  /** Seasonal naive (period 7) on the same holdout. */
  baseline: AccuracyFigures;
  /** 28-day moving average on the same holdout. */
  moving_average: AccuracyFigures;
  holdout: { from: string; to: string; days: number; series: number; points: number };
  objective: Objective;
  /** Backtest figures of every objective tried. */
  objectives: { objective: Objective; wape: number | null; rmsse: number | null; mase: number | null }[];
  /** Present when the model is served blended with a partner: the figures above are then the blend's. */
  ensemble?: EnsembleMetrics;
}

/** Backtest errors kept for prediction intervals: per forecast step h (1-based), predictions and actuals. */
export interface BacktestResiduals {
  horizon: number;
  /** predicted[h-1][k], actual[h-1][k]: the k-th series' forecast and actual h days after the origin. */
  predicted: number[][];
  actual: number[][];
  /** stockout[h-1][k] = 1 when the shelf was empty that day (its sales are not demand); absent = none. */
  stockout?: number[][];
}

/**
 * Another scope's backtest forecasts of the same holdout (the global model's, when a store is trained in an `all` job):
 * the saved model is scored, and later served, as the blend (1 - weight) * own + weight * partner.
 */
export interface BacktestPartner {
  /** Registry id of the partner's saved model: serving blends with exactly that model. */
  modelId: number;
  scope: string;
  weight: number;
  backtest: BacktestForecasts;
}

/** Backtest forecasts by series key (seriesKey) and the origin each was made from. */
export type BacktestForecasts = Map<string, { origin: string; values: number[] }>;

export const seriesKey = (storeId: string, productId: string) => `${storeId}\u0000${productId}`;

/**
 * Weight of the global model in a store's blend. Chosen on the validation windows before the M5 holdout (README.md):
 * the average of the store and global models beat either alone (0.966 of MA28 vs 0.976 store, 0.971 global), and
 * weights 0.3 to 0.7 were within noise of each other.
 */
export const PARTNER_WEIGHT = 0.5;

export interface ScopeTrainingInput {
  series: SeriesInput[];
  /** Blend with another scope's model (see BacktestPartner); used only when it covers every series scored here. */
  partner?: BacktestPartner | null;
  calendar?: CalendarEvents | null;
  /** The active model's encodings: codes stay stable across retraining. */
  previousEncodings?: Encodings;
  settings?: Partial<TrainingSettings>;
  engine: Engine;
  onProgress?: (fraction: number) => void;
  signal?: AbortSignal;
}

export interface ScopeTrainingResult {
  model: SavedModel;
  settings: TrainingSettings;
  trainParams: TrainParams;
  target: TargetTransform;
  spec: FeatureSpec;
  encodings: Encodings;
  metrics: ModelMetrics;
  residuals: BacktestResiduals;
  dataWindow: { first_date: string; last_date: string; holdout_from: string; holdout_to: string };
  /** Training rows of the final model. */
  records: number;
  /** This model's own backtest forecasts (before any blend), for a later scope to blend with. */
  backtest: BacktestForecasts;
  /** The partner the saved model must be served with, or null. */
  ensemble: { modelId: number; scope: string; weight: number } | null;
}

const targetFor = (objective: Objective): TargetTransform => (objective === 'squared' ? 'log1p' : 'raw');

export function trainParamsFor(settings: TrainingSettings, objective: Objective, spec: FeatureSpec): TrainParams {
  return {
    ...(settings.monotonePrice ? { monotone: priceMonotonicity(spec) } : {}),
    objective,
    rounds: settings.rounds,
    learningRate: settings.learningRate,
    maxDepth: settings.maxDepth,
    minChildWeight: settings.minChildWeight,
    subsample: settings.subsample,
    colsampleByTree: settings.colsampleByTree,
    lambda: settings.lambda,
    tweedieVariancePower: settings.tweedieVariancePower,
    seed: settings.seed,
  };
}

export async function trainScope(input: ScopeTrainingInput): Promise<ScopeTrainingResult> {
  const settings: TrainingSettings = { ...DEFAULT_SETTINGS, ...input.settings };
  const series = input.series.filter((s) => s.records.length > 0);
  if (series.length === 0) throw new Error('no sales to train on');
  const encodings = buildEncodings(series, { previous: input.previousEncodings, calendar: input.calendar });
  const split = holdoutSplit(series, settings.holdoutDays);
  const candidates: Objective[] = settings.objective === 'auto' ? ['squared', 'poisson', 'tweedie'] : [settings.objective];
  // Progress: each backtest fit and the final fit weigh the same (two of them may run at once).
  const fits = candidates.length + 1;
  const done = new Array<number>(fits).fill(0);
  const progressOf = (fit: number) => (round: number, total: number) => {
    done[fit] = round / total;
    input.onProgress?.(done.reduce((a, b) => a + b, 0) / fits);
  };

  const spec = TRAINING_FEATURE_SPEC;
  const baseCtx = { encodings, calendar: input.calendar ?? null, spec };
  // One frame per series, gap-filled to the last day, serves the backtest rows (a row only reads days before it, so
  // rows up to a store's origin are those of a frame cut at the origin), the holdout actuals and the final rows.
  const frames = series.map((s) => toDailyFrame(s, { until: split.lastDate }));
  // One backtest matrix for all objectives: features do not depend on the target, only the labels do.
  const lastDay = parseDay(split.lastDate);
  const backtestDays = recentDays(
    frames,
    series.map((s) => parseDay(split.originByStore.get(s.storeId)!)),
    settings.maxTrainingRows,
  );
  const finalDays = recentDays(
    frames,
    series.map(() => lastDay),
    settings.maxTrainingRows,
  );
  const backtestRaw = trainingMatrixByOrigin(series, frames, split, { ...baseCtx, target: 'raw' }, backtestDays);
  const actuals = holdoutActuals(series, frames, split, settings.holdoutDays);

  // Every fit listens to `stop`: the caller's signal, or a failure of this scope while another fit still trains.
  const stop = new AbortController();
  const onAbort = () => stop.abort(input.signal?.reason);
  if (input.signal?.aborted) onAbort();
  else input.signal?.addEventListener('abort', onAbort, { once: true });

  const backtestFit = (fit: number, objective: Objective) => {
    const booster = input.engine.train(withTarget(backtestRaw, targetFor(objective)), trainParamsFor(settings, objective, spec), {
      onProgress: progressOf(fit),
      signal: stop.signal,
    });
    booster.catch(() => {}); // awaited below; never an unhandled rejection meanwhile
    return booster;
  };
  // The final fit: the most recent rows up to the last day (the saved model has seen the latest weeks too).
  const finalFit = (objective: Objective) => {
    const target = targetFor(objective);
    const full = trainingMatrixFromFrames(frames, { ...baseCtx, target }, { from: firstTrainingDay(split.lastDate, finalDays) });
    const trainParams = trainParamsFor(settings, objective, spec);
    const booster = input.engine.train(full, trainParams, { onProgress: progressOf(fits - 1), signal: stop.signal });
    booster.catch(() => {}); // awaited below
    return { objective, target, trainParams, rows: full.rows, booster };
  };
  // With a fixed objective the final fit does not depend on the backtest: it trains at the same time, in its own
  // process, so the two process start-ups and the backtest's forecasts overlap with training.
  const firstFit = backtestFit(0, candidates[0]);
  let final: ReturnType<typeof finalFit> | null = null;
  try {
    if (candidates.length === 1) final = finalFit(candidates[0]);
    const tried: { objective: Objective; metrics: AccuracyFigures; forecasts: Map<number, number[]> }[] = [];
    for (const [fit, objective] of candidates.entries()) {
      const target = targetFor(objective);
      const booster = await (fit === 0 ? firstFit : backtestFit(fit, objective));
      try {
        const ctx: FeatureContext = { ...baseCtx, target };
        const forecasts = forecastFromOrigins(series, split, settings.holdoutDays, booster, ctx);
        tried.push({ objective, metrics: scoreForecasts(actuals, forecasts), forecasts });
      } finally {
        booster.dispose();
      }
    }
    // The M5 measure (RMSSE) decides; WAPE breaks ties and stands in where RMSSE is undefined.
    const best = [...tried].sort(
      (a, b) =>
        (a.metrics.rmsse ?? Infinity) - (b.metrics.rmsse ?? Infinity) || (a.metrics.wape ?? Infinity) - (b.metrics.wape ?? Infinity),
    )[0];
    const baseline = scoreForecasts(
      actuals,
      actuals.map((a) => seasonalNaiveForecast(a.train, settings.holdoutDays)),
    );
    const movingAverage = scoreForecasts(
      actuals,
      actuals.map((a) => movingAverageForecast(a.train, settings.holdoutDays)),
    );

    // Blend with the partner when it forecast every scored series from the same origin.
    const partner = input.partner && coversHoldout(input.partner.backtest, series, split, actuals) ? input.partner : null;
    let scored = best;
    let ensemble: EnsembleMetrics | undefined;
    if (partner) {
      const w = partner.weight;
      const blended = new Map<number, number[]>();
      const partnerOnly = new Map<number, number[]>();
      for (const a of actuals) {
        const s = series[a.seriesIndex];
        const other = partner.backtest.get(seriesKey(s.storeId, s.productId))!.values;
        partnerOnly.set(a.seriesIndex, other);
        blended.set(
          a.seriesIndex,
          best.forecasts.get(a.seriesIndex)!.map((v, h) => (1 - w) * v + w * other[h]),
        );
      }
      scored = { objective: best.objective, metrics: scoreForecasts(actuals, blended), forecasts: blended };
      ensemble = {
        partner_scope: partner.scope,
        partner_model_id: partner.modelId,
        weight: w,
        own: best.metrics,
        partner: scoreForecasts(actuals, partnerOnly),
      };
    }

    final ??= finalFit(best.objective);
    const finalBooster = await final.booster;
    const model = finalBooster.save();
    finalBooster.dispose();
    input.onProgress?.(1);
    const { target, trainParams } = final;

    const holdoutPoints = actuals.reduce((n, a) => n + a.actual.length, 0);
    return {
      model,
      settings,
      trainParams,
      target,
      spec,
      encodings,
      metrics: {
        ...scored.metrics,
        accuracy: scored.metrics.wape === null ? null : Math.max(0, Math.min(100, 100 * (1 - scored.metrics.wape))),
        baseline,
        moving_average: movingAverage,
        holdout: {
          from: split.holdoutFrom,
          to: split.lastDate,
          days: settings.holdoutDays,
          series: actuals.length,
          points: holdoutPoints,
        },
        objective: best.objective,
        objectives: tried.map((t) => ({ objective: t.objective, wape: t.metrics.wape, rmsse: t.metrics.rmsse, mase: t.metrics.mase })),
        ...(ensemble ? { ensemble } : {}),
      },
      residuals: residualsByStep(actuals, scored.forecasts, settings.holdoutDays),
      dataWindow: {
        first_date: split.firstDate,
        last_date: split.lastDate,
        holdout_from: split.holdoutFrom,
        holdout_to: split.lastDate,
      },
      records: final.rows,
      backtest: backtestForecasts(series, split, best.forecasts),
      ensemble: partner ? { modelId: partner.modelId, scope: partner.scope, weight: partner.weight } : null,
    };
  } catch (err) {
    // Nothing may keep training after a failure: stop the other fit, wait for its process, free what it delivered.
    stop.abort(err);
    const pending = await Promise.allSettled([firstFit, ...(final ? [final.booster] : [])]);
    for (const p of pending) if (p.status === 'fulfilled') p.value.dispose();
    throw err;
  } finally {
    input.signal?.removeEventListener('abort', onAbort);
  }
}

/** First target day of the training rows ending at `last`, or undefined for all of them. */
function firstTrainingDay(last: string, days: number | null): string | undefined {
  return days === null ? undefined : formatDay(parseDay(last) - days + 1);
}

/**
 * The largest number of days d such that the listed days among the last d up to each series' end (epoch day) make at
 * most `maxRows` rows; null when every listed day fits.
 */
function recentDays(frames: DailyFrame[], ends: number[], maxRows: number | null): number | null {
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

// ---------------------------------------------------------------- time split

interface HoldoutSplit {
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
    for (const r of s.records) {
      if (r.date < firstDate) firstDate = r.date;
      if (r.date > lastDate) lastDate = r.date;
      if (r.date > (lastByStore.get(s.storeId) ?? '')) lastByStore.set(s.storeId, r.date);
    }
  }
  const originByStore = new Map<string, string>();
  for (const [store, last] of lastByStore) originByStore.set(store, formatDay(parseDay(last) - days));
  if (parseDay(lastDate) - parseDay(firstDate) < days * 2) {
    throw new Error(`need at least ${days * 2} days of history to hold out ${days} days (have ${firstDate}..${lastDate})`);
  }
  return { firstDate, lastDate, holdoutFrom: formatDay(parseDay(lastDate) - days + 1), originByStore };
}

function byStore(series: SeriesInput[]): Map<string, number[]> {
  const groups = new Map<string, number[]>();
  series.forEach((s, k) => groups.set(s.storeId, [...(groups.get(s.storeId) ?? []), k]));
  return groups;
}

/** Backtest training rows: each store's rows up to its own origin (nothing from the holdout). */
function trainingMatrixByOrigin(
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

function withTarget(raw: TrainingMatrix, target: TargetTransform): TrainingMatrix {
  if (target === 'raw') return raw;
  const labels = new Float32Array(raw.rows);
  for (let r = 0; r < raw.rows; r++) labels[r] = Math.log1p(raw.labels[r]);
  return { ...raw, labels, target };
}

interface HoldoutActual {
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
function holdoutActuals(series: SeriesInput[], frames: DailyFrame[], split: HoldoutSplit, days: number): HoldoutActual[] {
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

function forecastFromOrigins(
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

function backtestForecasts(series: SeriesInput[], split: HoldoutSplit, forecasts: Map<number, number[]>): BacktestForecasts {
  const out: BacktestForecasts = new Map();
  for (const [k, values] of forecasts) {
    const s = series[k];
    out.set(seriesKey(s.storeId, s.productId), { origin: split.originByStore.get(s.storeId)!, values });
  }
  return out;
}

/** True when the partner forecast every scored series of this scope, from the same origin, over the same days. */
function coversHoldout(partner: BacktestForecasts, series: SeriesInput[], split: HoldoutSplit, actuals: HoldoutActual[]): boolean {
  return actuals.every((a) => {
    const s = series[a.seriesIndex];
    const p = partner.get(seriesKey(s.storeId, s.productId));
    return p !== undefined && p.origin === split.originByStore.get(s.storeId) && p.values.length === a.actual.length;
  });
}

function scoreForecasts(actuals: HoldoutActual[], forecasts: Map<number, number[]> | number[][]): AccuracyFigures {
  const predOf = (a: HoldoutActual, i: number) => (forecasts instanceof Map ? forecasts.get(a.seriesIndex)! : forecasts[i]);
  const allActual: number[] = [];
  const allPred: number[] = [];
  const mases: (number | null)[] = [];
  const rmsses: (number | null)[] = [];
  actuals.forEach((a, i) => {
    const pred = predOf(a, i);
    allActual.push(...a.actual);
    allPred.push(...pred);
    const e = evaluate(a.actual, pred, a.train);
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

function residualsByStep(actuals: HoldoutActual[], forecasts: Map<number, number[]>, days: number): BacktestResiduals {
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
