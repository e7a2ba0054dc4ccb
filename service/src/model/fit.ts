// Fitting one scope (a store, or all stores): an honest backtest on a time split the model never saw, the objective
// chosen on that backtest, the blend with a partner scored on the same days, then a refit on all data. Pure domain:
// series in, a booster and what describes it out (ForecastModel.fit wraps it). See README.md.
import {
  buildEncodings,
  makeFeatureSpec,
  parseDay,
  toDailyFrame,
  trainingMatrixFromFrames,
  type CalendarEvents,
  type Encodings,
  type FeatureContext,
  type FeatureSpec,
  type SeriesInput,
  type TargetTransform,
} from '../features/index';
import { calibrateIntervals, type BacktestResiduals, type IntervalModel } from '../forecast/index';
import { movingAverageForecast, seasonalNaiveForecast } from '../metrics/index';
import type { ModelMetrics } from '../../../shared/schemas';
import {
  backtestForecasts,
  coversHoldout,
  firstTrainingDay,
  forecastFromOrigins,
  holdoutActuals,
  holdoutSplit,
  recentDays,
  residualsByStep,
  scoreForecasts,
  seriesKey,
  trainingMatrixByOrigin,
  withTarget,
  type AccuracyFigures,
  type BacktestForecasts,
} from './backtest';
import { blendValues } from './blend';
import type { Booster, Engine, Objective, TrainParams } from './engine/index';
import { resolveSettings, trainParamsFor, type ModelSettings } from './settings';

/**
 * The layout the model trains with: the default columns less those whose training values (noisy observed units)
 * differ in kind from what the recursive forecast feeds them (smooth predictions): days since the last sale (every
 * prediction is > 0, so it would read 1 for the whole horizon) and the 7- and 28-day std / max. Stored with each model.
 */
export const TRAINING_FEATURE_SPEC: FeatureSpec = makeFeatureSpec({
  exclude: ['days_since_last_sale', 'roll_std_7', 'roll_max_7', 'roll_std_28', 'roll_max_28'],
});

/**
 * Another scope's backtest forecasts of the same holdout (the global model's, when a store is trained in an `all` job):
 * the model is scored, and later served, as the blend (1 - weight) * own + weight * partner.
 */
export interface BacktestPartner {
  /** Registry id of the partner's saved model: serving blends with exactly that model. */
  modelId: number;
  scope: string;
  weight: number;
  backtest: BacktestForecasts;
}

export interface FitInput {
  series: SeriesInput[];
  /** Blend with another scope's model (see BacktestPartner); used only when it covers every series scored here. */
  partner?: BacktestPartner | null;
  calendar?: CalendarEvents | null;
  /** The active model's encodings: codes stay stable across retraining. */
  previousEncodings?: Encodings;
  settings?: Partial<ModelSettings>;
  engine: Engine;
  onProgress?: (fraction: number) => void;
  signal?: AbortSignal;
}

/** Everything that describes a fitted model besides its booster (the artifact's fields). */
export interface FittedDescription {
  settings: ModelSettings;
  trainParams: TrainParams;
  target: TargetTransform;
  spec: FeatureSpec;
  encodings: Encodings;
  intervals: IntervalModel;
  residuals: BacktestResiduals;
  metrics: ModelMetrics;
  dataWindow: { first_date: string; last_date: string; holdout_from: string; holdout_to: string };
  /** Training rows of the final fit. */
  records: number;
  /** The partner the model must be served with, or null. */
  ensemble: { model_id: number; scope: string; weight: number } | null;
}

export interface ScopeFit {
  description: FittedDescription;
  /** The final fit, trained on every day. */
  booster: Booster;
  /** This model's own backtest forecasts (before any blend), for a later scope to blend with. */
  backtest: BacktestForecasts;
}

const targetFor = (objective: Objective): TargetTransform => (objective === 'squared' ? 'log1p' : 'raw');

export async function fitScope(input: FitInput): Promise<ScopeFit> {
  const settings = resolveSettings(input.settings);
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
    let ensemble: ModelMetrics['ensemble'];
    if (partner) {
      const blended = new Map<number, number[]>();
      const partnerOnly = new Map<number, number[]>();
      for (const a of actuals) {
        const s = series[a.seriesIndex];
        const other = partner.backtest.get(seriesKey(s.storeId, s.productId))!.values;
        partnerOnly.set(a.seriesIndex, other);
        blended.set(a.seriesIndex, blendValues(best.forecasts.get(a.seriesIndex)!, other, partner.weight));
      }
      scored = { objective: best.objective, metrics: scoreForecasts(actuals, blended), forecasts: blended };
      ensemble = {
        partner_scope: partner.scope,
        partner_model_id: partner.modelId,
        weight: partner.weight,
        own: best.metrics,
        partner: scoreForecasts(actuals, partnerOnly),
      };
    }

    final ??= finalFit(best.objective);
    const booster = await final.booster;
    input.onProgress?.(1);
    const residuals = residualsByStep(actuals, scored.forecasts, settings.holdoutDays);
    const holdoutPoints = actuals.reduce((n, a) => n + a.actual.length, 0);
    const description: FittedDescription = {
      settings,
      trainParams: final.trainParams,
      target: final.target,
      spec,
      encodings,
      intervals: calibrateIntervals(residuals),
      residuals,
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
      dataWindow: {
        first_date: split.firstDate,
        last_date: split.lastDate,
        holdout_from: split.holdoutFrom,
        holdout_to: split.lastDate,
      },
      records: final.rows,
      ensemble: partner ? { model_id: partner.modelId, scope: partner.scope, weight: partner.weight } : null,
    };
    return { description, booster, backtest: backtestForecasts(series, split, best.forecasts) };
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
