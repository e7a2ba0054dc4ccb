// Fitting one scope (a store, or all stores): an honest backtest on a time split the model never saw, the objective
// chosen on that backtest, the blend with a partner scored on the same days, then a refit on all data. Pure domain:
// series in, a booster and what describes it out (ForecastModel.fit wraps it). See README.md.
import {
  buildEncodings,
  makeFeatureSpec,
  parseDay,
  recordCount,
  toDailyFrame,
  trainingMatrixFromFrames,
  type CalendarEvents,
  type Encodings,
  type FeatureContext,
  type FeatureSpec,
  type SeriesInput,
  type TargetTransform,
  type Grain,
  toPeriodTime,
  addPeriods,
  periodEnd,
} from '../features/index';
import { calibrateIntervals, type BacktestResiduals, type IntervalModel } from '../forecast/index';
import {
  applicableBaselines,
  baselineForecast,
  baselineLabel,
  type BaselineName,
  fastThreshold,
  seriesKind,
  type MethodSelection,
  type SeriesKind,
  type ServedMethod,
} from './baselines';
import { coarseFeatureSpec, GRAIN_SETTINGS } from './grain';
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
  type HoldoutActual,
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
  /** The period the series are kept at (every series of a scope has one grain); default daily. */
  grain?: Grain;
  /** Blend with another scope's model (see BacktestPartner); used only when it covers every series scored here. */
  partner?: BacktestPartner | null;
  calendar?: CalendarEvents | null;
  /** The active model's encodings: codes stay stable across retraining. */
  previousEncodings?: Encodings;
  settings?: Partial<ModelSettings>;
  engine: Engine;
  onProgress?: (fraction: number) => void;
  /**
   * Told each phase as it begins: 'backtest' (fits on all but the holdout, scored on it, the objective and the
   * methods chosen), then 'final_fit' (the refit on every day, waited for; with a fixed objective it already trains
   * beside the backtest, so this phase may be short).
   */
  onStage?: (stage: FitStage) => void;
  signal?: AbortSignal;
}

/** The phases of a fit, in order (see FitInput.onStage). */
export type FitStage = 'backtest' | 'final_fit';

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
  grain: Grain;
  /** What serves each kind of series (chosen on the backtest). */
  selection: MethodSelection;
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
  input.onStage?.('backtest');
  const settings = resolveSettings(input.settings);
  const grain = input.grain ?? 'daily';
  const g = GRAIN_SETTINGS[grain];
  // Weekly and monthly scopes run on period time: every day count below counts periods (features/period.ts).
  const series = input.series.filter((s) => recordCount(s) > 0).map((s) => toPeriodTime(s, grain));
  if (series.length === 0) throw new Error('no sales to train on');
  const realDate = realDates(input.series, grain);
  const holdout = grain === 'daily' ? settings.holdoutDays : g.holdout;
  const calendar = grain === 'daily' ? (input.calendar ?? null) : null;
  const encodings = buildEncodings(series, { previous: input.previousEncodings, calendar });
  const split = holdoutSplit(series, holdout);
  const candidates: Objective[] = settings.objective === 'auto' ? ['squared', 'poisson', 'tweedie'] : [settings.objective];
  // Progress: each backtest fit and the final fit weigh the same (two of them may run at once).
  const fits = candidates.length + 1;
  const done = new Array<number>(fits).fill(0);
  const progressOf = (fit: number) => (round: number, total: number) => {
    done[fit] = round / total;
    input.onProgress?.(done.reduce((a, b) => a + b, 0) / fits);
  };

  const spec = grain === 'daily' ? TRAINING_FEATURE_SPEC : coarseFeatureSpec(grain);
  const baseCtx = { encodings, calendar, spec };
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
  const actuals = holdoutActuals(series, frames, split, holdout);

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
        const forecasts = forecastFromOrigins(series, split, holdout, booster, ctx);
        tried.push({ objective, metrics: scoreForecasts(actuals, forecasts, g.season), forecasts });
      } finally {
        booster.dispose();
      }
    }
    // The M5 measure (RMSSE) decides; WAPE breaks ties and stands in where RMSSE is undefined.
    const best = [...tried].sort(
      (a, b) =>
        (a.metrics.rmsse ?? Infinity) - (b.metrics.rmsse ?? Infinity) || (a.metrics.wape ?? Infinity) - (b.metrics.wape ?? Infinity),
    )[0];
    // Every simple method on the same holdout: competitors of the model, not only yardsticks.
    const baselineForecasts = new Map<string, number[][]>();
    const baselines: Record<string, AccuracyFigures> = {};
    for (const name of ['seasonal_naive', 'moving_average', 'exponential_smoothing', 'croston_sba', 'tsb'] as const) {
      const forecasts = actuals.map((a) => baselineForecast(name, a.train, holdout, grain));
      baselineForecasts.set(name, forecasts);
      baselines[name] = scoreForecasts(actuals, forecasts, g.season);
    }
    const baseline = baselines.seasonal_naive;
    const movingAverage = baselines.moving_average;

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
      scored = { objective: best.objective, metrics: scoreForecasts(actuals, blended, g.season), forecasts: blended };
      ensemble = {
        partner_scope: partner.scope,
        partner_model_id: partner.modelId,
        weight: partner.weight,
        own: best.metrics,
        partner: scoreForecasts(actuals, partnerOnly, g.season),
      };
    }

    const chosen = chooseMethods(actuals, scored.forecasts, baselineForecasts, grain, g.season);
    input.onStage?.('final_fit');
    final ??= finalFit(best.objective);
    const booster = await final.booster;
    input.onProgress?.(1);
    const residuals = residualsByStep(actuals, chosen.forecasts, holdout);
    const bestBaseline = Object.entries(baselines)
      .filter(([name]) => name !== 'seasonal_naive' || actuals.every((a) => a.train.length > g.season))
      .sort(([, a], [, b]) => (a.rmsse ?? Infinity) - (b.rmsse ?? Infinity) || (a.wape ?? Infinity) - (b.wape ?? Infinity))[0];
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
        ...chosen.metrics,
        accuracy: chosen.metrics.wape === null ? null : Math.max(0, Math.min(100, 100 * (1 - chosen.metrics.wape))),
        baseline,
        moving_average: movingAverage,
        grain,
        season: g.season,
        model: scored.metrics,
        baselines,
        best_baseline: bestBaseline
          ? { name: bestBaseline[0], label: baselineLabel(bestBaseline[0] as BaselineName, grain), figures: bestBaseline[1] }
          : null,
        selection: chosen.report,
        ...(chosen.selection_check ? { selection_check: chosen.selection_check } : {}),
        holdout: {
          from: realDate(split.holdoutFrom),
          to: realDate(split.lastDate),
          days: holdoutSpanDays(realDate(split.holdoutFrom), realDate(split.lastDate), grain),
          periods: holdout,
          series: actuals.length,
          points: holdoutPoints,
        },
        objective: best.objective,
        objectives: tried.map((t) => ({ objective: t.objective, wape: t.metrics.wape, rmsse: t.metrics.rmsse, mase: t.metrics.mase })),
        ...(ensemble ? { ensemble } : {}),
      },
      dataWindow: {
        first_date: realDate(split.firstDate),
        last_date: realDate(split.lastDate),
        holdout_from: realDate(split.holdoutFrom),
        holdout_to: realDate(split.lastDate),
      },
      records: final.rows,
      ensemble: partner ? { model_id: partner.modelId, scope: partner.scope, weight: partner.weight } : null,
      grain,
      selection: chosen.selection,
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

/** Period-time dates back to the periods' real start dates (features/period.ts); daily dates are their own. */
function realDates(series: SeriesInput[], grain: Grain): (periodTime: string) => string {
  if (grain === 'daily') return (d) => d;
  const real = new Map<string, string>();
  for (const s of series) for (const r of s.records) real.set(toPeriodTime({ ...s, records: [r] }, grain).records[0].date, r.date);
  const [anyTime, anyReal] = real.entries().next().value as [string, string];
  return (d) => {
    const known = real.get(d);
    if (known) return known;
    const k = parseDay(d) - parseDay(anyTime);
    return addPeriods(anyReal, k, grain);
  };
}

function holdoutSpanDays(from: string, lastStart: string, grain: Grain): number {
  return parseDay(periodEnd(lastStart, grain)) - parseDay(from) + 1;
}

const KINDS: SeriesKind[] = ['fast', 'slow', 'intermittent'];

/**
 * For each kind of series (fast, slow, intermittent), the method that serves it: the one with the lowest mean RMSSE
 * on the holdout (WAPE breaks ties) among the model (as served: with its partner when it has one), every baseline that
 * applies, and the model averaged with the best of them. The model keeps a kind only when no baseline beat it there.
 */
function chooseMethods(
  actuals: HoldoutActual[],
  model: Map<number, number[]>,
  baselines: Map<string, number[][]>,
  grain: Grain,
  season: number,
) {
  const fastFrom = fastThreshold(
    actuals.map((a) => a.train),
    grain,
  );
  const kinds = actuals.map((a) => seriesKind(a.train, grain, fastFrom));
  const holdoutLength = actuals[0]?.actual.length ?? 0;
  const halves = holdoutLength >= 4 ? splitHoldout(actuals, Math.floor(holdoutLength / 2)) : null;
  const check = { served: [] as number[][], model: [] as number[][], actuals: [] as HoldoutActual[] };
  const methods = { fast: 'model', slow: 'model', intermittent: 'model' } as Record<SeriesKind, ServedMethod>;
  const forecasts = new Map<number, number[]>();
  const report: NonNullable<ModelMetrics['selection']> = [];
  for (const kind of KINDS) {
    const members = actuals.map((a, i) => ({ a, i })).filter(({ i }) => kinds[i] === kind);
    if (members.length === 0) continue;
    const group = members.map((m) => m.a);
    const shortest = Math.min(...group.map((a) => a.train.length));
    const pathsOf = (method: ServedMethod): number[][] => {
      if (method === 'model') return members.map(({ a }) => model.get(a.seriesIndex)!);
      if (method.startsWith('baseline:')) return members.map(({ i }) => baselines.get(method.slice(9))![i]);
      const base = method.slice('blend:model+'.length);
      return members.map(({ a, i }) => model.get(a.seriesIndex)!.map((v, h) => (v + baselines.get(base)![i][h]) / 2));
    };
    const candidates: { method: ServedMethod; figures: AccuracyFigures; paths: number[][] }[] = [];
    const add = (method: ServedMethod) => {
      const paths = pathsOf(method);
      candidates.push({ method, figures: scoreForecasts(group, paths, season), paths });
    };
    add('model');
    for (const name of applicableBaselines(shortest, grain)) add(`baseline:${name}`);
    const bestBase = candidates.filter((c) => c.method !== 'model').sort(byError)[0];
    if (bestBase) add(`blend:model+${bestBase.method.slice(9) as never}` as ServedMethod);
    // A stable sort keeps the model first among equals: a baseline serves only when it did better.
    const winner = [...candidates].sort(byError)[0];
    // The check of the choice itself: chosen on the holdout's first half alone, scored on its second half.
    if (halves) {
      const early = members.map(({ i }) => halves.first[i]);
      const late = members.map(({ i }) => halves.second[i]);
      const firstScores = candidates.map((c) => ({
        c,
        figures: scoreForecasts(
          early,
          c.paths.map((p) => p.slice(0, halves.cut)),
          season,
        ),
      }));
      const pick = [...firstScores].sort(byError)[0].c;
      const second = (c: (typeof candidates)[number]) => c.paths.map((p) => p.slice(halves.cut));
      check.served.push(...second(pick));
      check.model.push(...second(candidates[0]));
      check.actuals.push(...late);
    }
    methods[kind] = winner.method;
    members.forEach(({ a }, j) => forecasts.set(a.seriesIndex, winner.paths[j]));
    report.push({
      kind,
      series: members.length,
      method: winner.method,
      figures: winner.figures,
      candidates: candidates.map((c) => ({ method: c.method, rmsse: c.figures.rmsse, wape: c.figures.wape })),
    });
  }
  let selectionCheck: ModelMetrics['selection_check'];
  if (halves && check.actuals.length > 0) {
    const late = actuals.map((_, i) => halves.second[i]);
    const bestLate = [...baselines.entries()]
      .map(([name, paths]) => ({
        name,
        figures: scoreForecasts(
          late,
          paths.map((p) => p.slice(halves.cut)),
          season,
        ),
      }))
      .filter((b) => b.name !== 'seasonal_naive' || actuals.every((a) => a.train.length > season))
      .sort(byError)[0];
    selectionCheck = {
      periods: holdoutLength - halves.cut,
      served: scoreForecasts(check.actuals, check.served, season),
      model: scoreForecasts(check.actuals, check.model, season),
      best_baseline: bestLate ? { name: bestLate.name, figures: bestLate.figures } : null,
    };
  }
  return {
    selection_check: selectionCheck,
    selection: { grain, fastFrom: Number.isFinite(fastFrom) ? fastFrom : 1e12, methods } satisfies MethodSelection,
    forecasts,
    metrics: scoreForecasts(actuals, forecasts, season),
    report,
  };
}

/** The holdout cut in two: its first `cut` periods, and the rest (whose history then includes the first part). */
function splitHoldout(actuals: HoldoutActual[], cut: number) {
  return {
    cut,
    first: actuals.map((a) => ({ ...a, actual: a.actual.slice(0, cut), stockout: a.stockout.slice(0, cut) })),
    second: actuals.map((a) => ({
      ...a,
      train: [...a.train, ...a.actual.slice(0, cut)],
      actual: a.actual.slice(cut),
      stockout: a.stockout.slice(cut),
    })),
  };
}

const byError = (a: { figures: AccuracyFigures }, b: { figures: AccuracyFigures }) =>
  (a.figures.rmsse ?? Infinity) - (b.figures.rmsse ?? Infinity) || (a.figures.wape ?? Infinity) - (b.figures.wape ?? Infinity);
