// The trained forecasting model as one typed object (as mlforecast's MLForecast wraps its engine): fit, forecast,
// explain, intervals, and its versioned artifact. Training, serving, bulk plans and benchmarks all go through it.
import {
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
import { fitScope, type FitInput, type FittedDescription } from './fit';
import type { ModelSettings } from './settings';

export interface ProductForecast {
  productId: string;
  dates: string[];
  /** Expected units per day, >= 0. */
  values: number[];
}

export interface ForecastRequest {
  /** The last stored day: forecasts start the day after. */
  origin: string;
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
    };
  }

  /**
   * Forecasts `horizon` days after `origin` for every series, recursively: each day's features see the predictions of
   * the days before it, exactly as in the backtest. A blend's members each forecast on their own predictions.
   */
  forecast(series: SeriesInput[], request: ForecastRequest): ProductForecast[] {
    const own = this.forecastAlone(series, request);
    if (!this.partner) return own;
    const other = this.partner.model.forecastAlone(series, request);
    return own.map((f, k) => ({ ...f, values: blendValues(f.values, other[k].values, this.partner!.weight) }));
  }

  private forecastAlone(series: SeriesInput[], request: ForecastRequest): ProductForecast[] {
    const result = recursiveForecast(
      series,
      request.horizon,
      (features, rows, cols) => this.booster.predict(features, rows, cols),
      { encodings: this.encodings, spec: this.spec, target: this.target, calendar: request.calendar ?? null },
      { origin: request.origin, scenario: request.scenario },
    );
    return result.map((r) => ({ productId: r.productId, dates: r.dates, values: r.values }));
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
   * Why the model predicts what it does for the first forecast day: the `top` largest contributions in units. A blend's
   * explanation is the weighted sum of its members' (each sums to its own prediction less its base value).
   */
  explain(
    series: SeriesInput,
    options: { origin: string; scenario?: ScenarioOverride[]; calendar?: CalendarEvents | null; top?: number },
  ): Contribution[] {
    const total = new Map<string, number>();
    for (const member of blendMembers<ForecastModel>(this, this.partner)) {
      const m = member.model;
      const ctx = { encodings: m.encodings, spec: m.spec, target: m.target, calendar: options.calendar ?? null };
      for (const c of boosterContributions(m.booster, ctx, series, options)) {
        total.set(c.feature, (total.get(c.feature) ?? 0) + member.weight * c.contribution);
      }
    }
    return [...total]
      .map(([feature, contribution]) => ({ feature, contribution }))
      .filter((c) => Number.isFinite(c.contribution) && Math.abs(c.contribution) > 1e-9)
      .sort((a, b) => Math.abs(b.contribution) - Math.abs(a.contribution))
      .slice(0, options.top ?? 6)
      .map((c) => ({ feature: c.feature, contribution: round(c.contribution, 3) }));
  }

  /** Frees its booster and its partner's (a loaded model owns the partner it was given). */
  dispose(): void {
    this.booster.dispose();
    this.partner?.model.dispose();
  }
}

const round = (x: number, digits = 3) => Math.round(x * 10 ** digits) / 10 ** digits;
const roundBounds = (b: { lower: number; upper: number }) => ({ lower: round(Math.max(0, b.lower)), upper: round(Math.max(0, b.upper)) });
