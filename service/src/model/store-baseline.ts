// What answers a store no model has been trained on (new, too short, or too sparse to train): the simple methods on
// its own history, chosen per kind of series on its own holdout when it has enough history for one, else the recent
// average (Croston's for series that mostly sell nothing). Its intervals come from the same methods' errors on that
// history. Labelled as such in every answer (basis), never passed off as a model. Pure.
import type { ModelMetrics } from '../../../shared/schemas';
import { addPeriods, dailyValues, periodTimeDate, toPeriodTime, type Grain, type SeriesInput } from '../features/index';
import { calibrateIntervals, interval, type BacktestResiduals, type IntervalModel } from '../forecast/index';
import {
  applicableBaselines,
  baselineForecast,
  fastThreshold,
  seriesKind,
  type BaselineName,
  type MethodSelection,
  type SeriesKind,
  type ServedMethod,
} from './baselines';
import { scoreForecasts, type HoldoutActual } from './backtest';
import { GRAIN_SETTINGS } from './grain';
import type { ForecastRequest, ProductForecast } from './forecast-model';

const KINDS: SeriesKind[] = ['fast', 'slow', 'intermittent'];

export class StoreBaseline {
  readonly partner = null;
  readonly ensemble = null;

  private constructor(
    readonly label: string,
    readonly grain: Grain,
    readonly sparse: boolean,
    readonly selection: MethodSelection,
    readonly intervals: IntervalModel,
    readonly metrics: ModelMetrics,
  ) {}

  /** Fitted on the store's own series (at its grain) up to `origin`, the start of its last stored period. */
  static fit(storeId: string, series: SeriesInput[], grain: Grain, origin: string, sparse: boolean): StoreBaseline {
    const g = GRAIN_SETTINGS[grain];
    const histories = series.map((s) => historyOf(s, grain, origin, sparse));
    const fastFrom = fastThreshold(histories, grain);
    const kinds = histories.map((h) => seriesKind(h, grain, fastFrom));
    const methods: Record<SeriesKind, ServedMethod> = sparse
      ? { fast: 'baseline:observed_mean', slow: 'baseline:observed_mean', intermittent: 'baseline:observed_mean' }
      : { fast: 'baseline:moving_average', slow: 'baseline:moving_average', intermittent: 'baseline:croston_sba' };
    // A holdout of the grain's length when every series has twice that, else a quarter of the history (at least 1).
    const longest = Math.max(0, ...histories.map((h) => h.length));
    const holdout = longest >= 2 * g.holdout + 1 ? g.holdout : Math.max(1, Math.floor(longest / 4));
    const actuals: HoldoutActual[] = [];
    histories.forEach((h, k) => {
      if (h.length > holdout + 1) {
        actuals.push({
          train: h.slice(0, h.length - holdout),
          actual: h.slice(h.length - holdout),
          stockout: new Array(holdout).fill(0),
          seriesIndex: k,
        });
      }
    });
    const pathOf = (method: ServedMethod, a: HoldoutActual) =>
      baselineForecast(method.slice('baseline:'.length) as BaselineName, a.train, holdout, grain);
    if (!sparse && longest >= 2 * g.holdout + 1) {
      for (const kind of KINDS) {
        const group = actuals.filter((a) => kinds[a.seriesIndex] === kind);
        if (group.length === 0) continue;
        const shortest = Math.min(...group.map((a) => a.train.length));
        const scored = applicableBaselines(shortest, grain).map((name) => {
          const figures = scoreForecasts(
            group,
            group.map((a) => baselineForecast(name, a.train, holdout, grain)),
            g.season,
          );
          return { method: `baseline:${name}` as ServedMethod, figures };
        });
        scored.sort(
          (a, b) =>
            (a.figures.rmsse ?? Infinity) - (b.figures.rmsse ?? Infinity) || (a.figures.wape ?? Infinity) - (b.figures.wape ?? Infinity),
        );
        if (scored[0]) methods[kind] = scored[0].method;
      }
    }
    const served = actuals.map((a) => pathOf(methods[kinds[a.seriesIndex]], a));
    const residuals: BacktestResiduals = {
      horizon: holdout,
      predicted: Array.from({ length: holdout }, (_, h) => served.map((p) => p[h])),
      actual: Array.from({ length: holdout }, (_, h) => actuals.map((a) => a.actual[h])),
    };
    const intervals =
      actuals.length > 0 ? calibrateIntervals(residuals, { minPointsPerCell: 20 }) : calibrateIntervals(flatResiduals(histories));
    const figures = actuals.length > 0 ? scoreForecasts(actuals, served, g.season) : emptyFigures();
    const metrics: ModelMetrics = {
      ...figures,
      accuracy: figures.wape === null ? null : Math.max(0, Math.min(100, 100 * (1 - figures.wape))),
      baseline: figures,
      grain,
      season: g.season,
      best_baseline: null,
    };
    return new StoreBaseline(
      `baseline:${storeId}`,
      grain,
      sparse,
      { grain, fastFrom: Number.isFinite(fastFrom) ? fastFrom : 1e12, methods },
      intervals,
      metrics,
    );
  }

  forecast(series: SeriesInput[], request: ForecastRequest): ProductForecast[] {
    const dates = Array.from({ length: request.horizon }, (_, h) => addPeriods(request.origin, h + 1, this.grain));
    return series.map((s) => {
      const history = historyOf(s, this.grain, request.origin, this.sparse);
      const kind = seriesKind(history, this.grain, this.selection.fastFrom);
      const method = this.selection.methods[kind];
      const name = method.slice('baseline:'.length) as BaselineName;
      const values = baselineForecast(name, history, request.horizon, this.grain);
      return { productId: s.productId, dates, values, method, kind, reference: { name, values } };
    });
  }

  dailyIntervals(values: number[], levels: number[], firstStep = 1) {
    return values.map((expected, i) =>
      levels.map((level) => {
        const b = interval(this.intervals, { expected, step: firstStep + i, level });
        return { level: Math.round(level * 1000) / 10, lower: round(Math.max(0, b.lower)), upper: round(Math.max(0, b.upper)) };
      }),
    );
  }

  /** A simple method has no drivers to explain. */
  explain(): { feature: string; contribution: number }[] {
    return [];
  }

  dispose(): void {}
}

/** A series' history at its grain up to the origin: gap-filled, or (sparse data) only the periods with a record. */
function historyOf(s: SeriesInput, grain: Grain, origin: string, sparse: boolean): number[] {
  if (sparse) return s.records.filter((r) => r.date <= origin).map((r) => Math.max(0, r.unitsSold));
  return dailyValues(toPeriodTime(s, grain), { to: periodTimeDate(origin, grain) });
}

/** One-step errors of the recent mean over the history: the spread of a store too short for a holdout. */
function flatResiduals(histories: number[][]): BacktestResiduals {
  const predicted: number[] = [];
  const actual: number[] = [];
  for (const h of histories) {
    let sum = h[0] ?? 0;
    for (let t = 1; t < h.length; t++) {
      predicted.push(sum / t);
      actual.push(h[t]);
      sum += h[t];
    }
  }
  // A single period each: no error seen yet, so the spread of the values themselves around zero error.
  if (predicted.length === 0) {
    for (const h of histories) {
      for (const v of h) {
        predicted.push(v);
        actual.push(v);
      }
    }
  }
  if (predicted.length === 0) {
    predicted.push(0);
    actual.push(0);
  }
  return { horizon: 1, predicted: [predicted], actual: [actual] };
}

const emptyFigures = () => ({ mae: null, rmse: null, wape: null, mase: null, rmsse: null, bias: null });
const round = (x: number) => Math.round(x * 1000) / 1000;
