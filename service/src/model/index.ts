// The forecasting model: ForecastModel (fit, forecast, explain, artifact), its settings and its engines.
export { ForecastModel, type FitResult, type ForecastRequest, type ProductForecast } from './forecast-model';
export { ModelArtifact, ModelLoadError, MODEL_ARTIFACT_VERSION, checkArtifact, storedEncodings } from './artifact';
export { DEFAULT_SETTINGS, ModelSettings, resolveSettings, settingsFromParams, trainParamsFor, type ObjectiveChoice } from './settings';
export { PARTNER_WEIGHT, type Partner } from './blend';
export { TRAINING_FEATURE_SPEC, type BacktestPartner, type FitInput, type FitStage } from './fit';
export { holdoutSplit, seriesKey, type AccuracyFigures, type BacktestForecasts } from './backtest';
export type { Contribution } from './explain';
export { StoreBaseline } from './store-baseline';
export { GRAIN_SETTINGS, coarseFeatureSpec, periodsIn, type GrainSettings } from './grain';
export { storeShape, shapeFromSpan, untrainableReason, seriesBasis, type StoreShape, type BasisContext } from './basis';
export {
  BASELINES,
  baselineForecast,
  crostonSbaForecast,
  tsbForecast,
  methodLabel,
  seriesKind,
  type BaselineName,
  type MethodSelection,
  type SeriesKind,
  type ServedMethod,
} from './baselines';

import type { ForecastModel } from './forecast-model';
import type { StoreBaseline } from './store-baseline';
/** What answers a store's forecasts: a trained model, or the simple methods on the store's own history. */
export type Forecaster = ForecastModel | StoreBaseline;
