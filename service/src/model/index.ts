// The forecasting model: ForecastModel (fit, forecast, explain, artifact), its settings and its engines.
export { ForecastModel, type FitResult, type ForecastRequest, type ProductForecast } from './forecast-model';
export { ModelArtifact, ModelLoadError, MODEL_ARTIFACT_VERSION, checkArtifact, storedEncodings } from './artifact';
export { DEFAULT_SETTINGS, ModelSettings, resolveSettings, settingsFromParams, trainParamsFor, type ObjectiveChoice } from './settings';
export { PARTNER_WEIGHT, type Partner } from './blend';
export { TRAINING_FEATURE_SPEC, type BacktestPartner, type FitInput } from './fit';
export { holdoutSplit, seriesKey, type AccuracyFigures, type BacktestForecasts } from './backtest';
export type { Contribution } from './explain';
