// The trained forecasting model as one typed object (as mlforecast's MLForecast wraps its engine): fit, forecast,
// explain, intervals, and its versioned artifact. Training, serving, bulk plans and benchmarks all go through it.
import {
  addPeriods,
  cloneFrame,
  toDailyFrame,
  type DailyFrame,
  periodTimeDate,
  toPeriodTime,
  type Grain,
  recursiveForecast,
  type CalendarEvents,
  type Encodings,
  type FeatureSpec,
  type ScenarioOverride,
  type SeriesInput,
  type TargetTransform,
} from '../features/index';
import { interval, type BacktestResiduals, type IntervalModel } from '../forecast/index';
import type { ModelMetrics } from '../../../shared/schemas';
import { checkArtifact, MODEL_ARTIFACT_VERSION, ModelLoadError, type ModelArtifact } from './artifact';
import type { BacktestForecasts } from './backtest';
import { blendMembers, blendValues, type Partner } from './blend';
import type { Booster, Engine, TrainParams } from './engine/index';
import { boosterContributions, type Contribution } from './explain';
import { inWords, type ExplainedDay, type FeatureEffect } from './explain-words';
import { fitScope, type FitInput, type FittedDescription } from './fit';
import type { ModelSettings } from './settings';
import type { AppliedOverride } from '../../../shared/schemas';
import {
  referenceForecast,
  seriesKind,
  servedValues,
  type BaselineName,
  type MethodSelection,
  type SeriesKind,
  type ServedMethod,
} from './baselines';

export interface ProductForecast {
  productId: string;
  /** Start of each forecast period (days for a daily model). */
  dates: string[];
  /** Expected units per period, >= 0. */
  values: number[];
  /** What answered: 'model' (with its partner, when it has one), 'baseline:<name>' or 'blend:model+<name>'. */
  method: string;
  /** The kind of series that chose the method. */
  kind: SeriesKind;
  /** What the simple method it is judged against forecasts for the same periods (baselines.referenceForecast). */
  reference: { name: BaselineName; values: number[] };
  /** A buyer's override changed `values` (predictions/service.ts); `unadjusted` are the values before it. */
  override?: AppliedOverride;
  unadjusted?: number[];
}

export interface ForecastRequest {
  /** Start of the last stored period (the last stored day for daily models): forecasts start with the next period. */
  origin: string;
  /** Periods to forecast. */
  horizon: number;
  scenario?: ScenarioOverride[];
  calendar?: CalendarEvents | null;
}

export interface FitResult {
  /** The fitted model; it holds a booster: dispose() it when done. */
  model: ForecastModel;
  /** Its own backtest forecasts (before any blend), for a later scope to blend with (FitInput.partner). */
  backtest: BacktestForecasts;
}

export class ForecastModel {
  readonly settings: ModelSettings;
  readonly trainParams: TrainParams;
  readonly target: TargetTransform;
  readonly spec: FeatureSpec;
  readonly encodings: Encodings;
  readonly intervals: IntervalModel;
  readonly residuals: BacktestResiduals;
  /** Backtest accuracy of the model as served (the blend's, when it has a partner), next to the baselines'. */
  readonly metrics: ModelMetrics;
  readonly dataWindow: FittedDescription['dataWindow'];
  readonly records: number;
  /** The registry model it is served blended with, when it was scored as a blend. */
  readonly ensemble: FittedDescription['ensemble'];
  /** Present once loaded (fromArtifact) or fitted with a partner's model at hand. */
  readonly partner: Partner<ForecastModel> | null;
  /** How the API names this model (e.g. "store:CA_1@3"). */
  readonly label: string;
  readonly grain: Grain;
  readonly selection: MethodSelection;

  constructor(
    description: FittedDescription,
    readonly booster: Booster,
    options: { partner?: Partner<ForecastModel> | null; label?: string } = {},
  ) {
    this.settings = description.settings;
    this.trainParams = description.trainParams;
    this.target = description.target;
    this.spec = description.spec;
    this.encodings = description.encodings;
    this.intervals = description.intervals;
    this.residuals = description.residuals;
    this.metrics = description.metrics;
    this.dataWindow = description.dataWindow;
    this.records = description.records;
    this.ensemble = description.ensemble;
    this.partner = options.partner ?? null;
    this.label = options.label ?? 'unsaved';
    this.grain = description.grain;
    this.selection = description.selection;
  }

  /** Backtest, objective choice, blend scoring and the final fit of one scope (see fit.ts). */
  static async fit(input: FitInput): Promise<FitResult> {
    const { description, booster, backtest } = await fitScope(input);
    return { model: new ForecastModel(description, booster), backtest };
  }

  /**
   * A saved model, checked (artifact, feature layout and interval versions) and loaded in `engine`. A model saved as a
   * blend is served only with its partner, which `loadPartner` loads by registry id (the loaded model then owns it).
   */
  static async fromArtifact(
    stored: unknown,
    options: { engine: Engine; loadPartner?: (modelId: number) => Promise<ForecastModel>; label?: string },
  ): Promise<ForecastModel> {
    const artifact = checkArtifact(stored);
    if (artifact.ensemble && !options.loadPartner) {
      throw new ModelLoadError(`the saved model is served blended with model ${artifact.ensemble.model_id}, which was not given`);
    }
    const partnerModel = artifact.ensemble ? await options.loadPartner!(artifact.ensemble.model_id) : null;
    let booster: Booster;
    try {
      booster = await options.engine.load({ engine: artifact.engine, format: artifact.format, bytes: artifact.bytes });
    } catch (err) {
      partnerModel?.dispose();
      throw err;
    }
    if (booster.numFeatures !== artifact.spec.names.length) {
      booster.dispose();
      partnerModel?.dispose();
      throw new ModelLoadError(`the saved booster takes ${booster.numFeatures} features, its layout has ${artifact.spec.names.length}`);
    }
    const description: FittedDescription = {
      settings: artifact.settings,
      trainParams: artifact.train_params,
      target: artifact.target,
      spec: artifact.spec,
      encodings: artifact.encodings,
      intervals: artifact.intervals,
      residuals: artifact.residuals,
      metrics: artifact.metrics,
      dataWindow: artifact.data_window,
      records: artifact.records,
      ensemble: artifact.ensemble,
      grain: artifact.grain ?? 'daily',
      selection: (artifact.selection as MethodSelection | undefined) ?? {
        grain: artifact.grain ?? 'daily',
        fastFrom: 0,
        methods: { fast: 'model', slow: 'model', intermittent: 'model' },
      },
    };
    const partner = artifact.ensemble && partnerModel ? { model: partnerModel, weight: artifact.ensemble.weight } : null;
    return new ForecastModel(description, booster, { partner, label: options.label });
  }

  toArtifact(): ModelArtifact {
    const saved = this.booster.save();
    return {
      artifact_version: MODEL_ARTIFACT_VERSION,
      engine: saved.engine,
      format: saved.format,
      settings: this.settings,
      train_params: this.trainParams,
      target: this.target,
      spec: this.spec,
      encodings: this.encodings,
      intervals: this.intervals,
      residuals: this.residuals,
      metrics: this.metrics,
      data_window: this.dataWindow,
      records: this.records,
      ensemble: this.ensemble,
      bytes: saved.bytes,
      grain: this.grain,
      selection: this.selection,
    };
  }

  /**
   * Forecasts `horizon` periods after `origin` for every series (at the model's grain), each by the method its kind
   * of series chose on the backtest (MethodSelection). The model forecasts recursively: each period's features see the
   * predictions of the periods before it, exactly as in the backtest; a blend's members each forecast on their own.
   */
  forecast(series: SeriesInput[], request: ForecastRequest): ProductForecast[] {
    const grain = this.grain;
    const inTime = series.map((s) => toPeriodTime(s, grain));
    const origin = periodTimeDate(request.origin, grain);
    const scenario = this.periodScenario(request.scenario);
    // Each series' frame is built once: its history picks the method, and the model and its partner forecast into it.
    const frames = inTime.map((s) => toDailyFrame(s, { until: origin, horizon: request.horizon, scenario }));
    const histories = frames.map((f) => Array.from(f.units.subarray(0, f.history)));
    const kinds = histories.map((h) => seriesKind(h, grain, this.selection.fastFrom));
    const methods = kinds.map((k) => this.selection.methods[k] as ServedMethod);
    // A what-if reaches a simple method through the model: the served path times the model's response to it.
    const whatIf = methods.map((m, k) => m !== 'model' && touches(scenario, series[k]));
    const needModel = methods.map((m, k) => (m === 'model' || m.startsWith('blend:') || whatIf[k] ? k : -1)).filter((k) => k >= 0);
    const modelRun = (indices: number[], withScenario: ScenarioOverride[] | undefined, built?: DailyFrame[]) => {
      const out = new Map<number, number[]>();
      if (indices.length === 0) return out;
      const request_ = { ...request, origin, scenario: withScenario, calendar: grain === 'daily' ? request.calendar : null };
      const members = indices.map((k) => inTime[k]);
      const ownFrames = built ? indices.map((k) => built[k]) : undefined;
      // The partner forecasts into copies taken before the model fills the frames with its own forecast.
      const otherFrames = ownFrames && this.partner ? ownFrames.map(cloneFrame) : undefined;
      const own = this.forecastAlone(members, request_, ownFrames);
      const other = this.partner ? this.partner.model.forecastAlone(members, request_, otherFrames) : null;
      own.forEach((f, j) => out.set(indices[j], other ? blendValues(f.values, other[j].values, this.partner!.weight) : f.values));
      return out;
    };
    const modelPaths = modelRun(needModel, scenario, frames);
    const plainPaths = modelRun(
      needModel.filter((k) => whatIf[k]),
      undefined,
    );
    const dates = Array.from({ length: request.horizon }, (_, h) => addPeriods(request.origin, h + 1, grain));
    return series.map((s, k) => {
      const method = methods[k];
      let values: number[];
      if (!whatIf[k]) values = servedValues(method, () => modelPaths.get(k)!, histories[k], request.horizon, grain);
      else {
        const simple = method.replace('blend:model+', 'baseline:') as ServedMethod;
        const moved = scaled(
          servedValues(simple, () => [], histories[k], request.horizon, grain),
          modelPaths.get(k)!,
          plainPaths.get(k)!,
        );
        // A blend's model half answers the what-if itself; its simple half follows the model's response.
        values = method.startsWith('blend:') ? modelPaths.get(k)!.map((v, h) => (v + moved[h]) / 2) : moved;
      }
      const reference = referenceForecast(method, values, this.metrics?.best_baseline?.name, histories[k], request.horizon, grain);
      return { productId: s.productId, dates, values, method, kind: kinds[k], reference };
    });
  }

  /** Scenario days as period time: an override covers the periods whose start it covers. */
  private periodScenario(scenario: ScenarioOverride[] | undefined): ScenarioOverride[] | undefined {
    if (!scenario || this.grain === 'daily') return scenario;
    return scenario.map((o) => ({
      ...o,
      ...(o.from !== undefined ? { from: periodTimeDate(o.from, this.grain) } : {}),
      ...(o.to !== undefined ? { to: periodTimeDate(o.to, this.grain) } : {}),
    }));
  }

  private forecastAlone(series: SeriesInput[], request: ForecastRequest, frames?: DailyFrame[]): { productId: string; values: number[] }[] {
    const result = recursiveForecast(
      series,
      request.horizon,
      (features, rows, cols) => this.booster.predict(features, rows, cols),
      { encodings: this.encodings, spec: this.spec, target: this.target, calendar: request.calendar ?? null },
      { origin: request.origin, scenario: request.scenario, frames },
    );
    return result.map((r) => ({ productId: r.productId, values: r.values }));
  }

  /** Calibrated interval bounds of each day at each level (levels as fractions); `firstStep` = days ahead of values[0]. */
  dailyIntervals(values: number[], levels: number[], firstStep = 1) {
    return values.map((expected, i) =>
      levels.map((level) => ({
        level: round(level * 100, 1),
        ...roundBounds(interval(this.intervals, { expected, step: firstStep + i, level })),
      })),
    );
  }

  /**
   * Why the model predicts what it does for its first forecast period: every column's contribution in units per period
   * (the `top` largest, default all), largest first, each with its buyer-facing group and that group's label
   * (explain-words.ts). A blend's explanation is the weighted sum of its members' (each sums to its own prediction less
   * its base value); the labels and values are of the model's own row.
   */
  explain(
    series: SeriesInput,
    options: { origin: string; scenario?: ScenarioOverride[]; calendar?: CalendarEvents | null; top?: number },
  ): Contribution[] {
    const total = new Map<string, FeatureEffect>();
    const grain = this.grain;
    const inTime = toPeriodTime(series, grain);
    const at = {
      ...options,
      origin: periodTimeDate(options.origin, grain),
      scenario: this.periodScenario(options.scenario),
      calendar: grain === 'daily' ? (options.calendar ?? null) : null,
    };
    let day: ExplainedDay | null = null;
    for (const member of blendMembers<ForecastModel>(this, this.partner)) {
      const m = member.model;
      const ctx = { encodings: m.encodings, spec: m.spec, target: m.target, calendar: at.calendar };
      const explained = boosterContributions(m.booster, ctx, inTime, at);
      day ??= explained.day;
      for (const c of explained.effects) {
        const sum = total.get(c.feature) ?? { ...c, contribution: 0 };
        sum.contribution += member.weight * c.contribution;
        total.set(c.feature, sum);
      }
    }
    const effects = [...total.values()]
      .filter((c) => Number.isFinite(c.contribution) && Math.abs(c.contribution) > 1e-9)
      .sort((a, b) => Math.abs(b.contribution) - Math.abs(a.contribution))
      .slice(0, options.top ?? Infinity)
      .map((c) => ({ ...c, contribution: round(c.contribution, 3) }));
    return inWords(effects, { grain, spec: this.spec }, day ?? { values: {} });
  }

  /** Frees its booster and its partner's (a loaded model owns the partner it was given). */
  dispose(): void {
    this.booster.dispose();
    this.partner?.model.dispose();
  }
}

const round = (x: number, digits = 3) => Math.round(x * 10 ** digits) / 10 ** digits;
const roundBounds = (b: { lower: number; upper: number }) => ({ lower: round(Math.max(0, b.lower)), upper: round(Math.max(0, b.upper)) });

/** Whether any override of the scenario applies to the series. */
function touches(scenario: ScenarioOverride[] | undefined, s: SeriesInput): boolean {
  return !!scenario?.some(
    (o) => (o.storeId === undefined || o.storeId === s.storeId) && (o.productId === undefined || o.productId === s.productId),
  );
}

/** A path moved as the model moves under a what-if: each period times (model with it) / (model without it). */
function scaled(values: number[], withIt: number[], without: number[]): number[] {
  // Half a unit keeps a near-zero model forecast from blowing the ratio up.
  return values.map((v, h) => (v * (withIt[h] + 0.5)) / (without[h] + 0.5));
}
