// The one feature pipeline of training, backtests and serving. See README.md.
export { daysFromCivil, parseDay, formatDay, addDays, daysAhead, dayOfWeek, isoWeek, writeDateParts } from './dates';
export { buildCalendar, calendarOrNull, resolveState, type CalendarDay, type CalendarEvents, type StateCalendar } from './calendar';
export { buildEncodings, emptyEncodings, codeOf, UNKNOWN_CODE, NO_EVENT_CODE, type Encodings } from './encodings';
export {
  FEATURE_SPEC,
  FEATURE_VERSION,
  makeFeatureSpec,
  featureNames,
  checkFeatureSpec,
  priceMonotonicity,
  type FeatureSpec,
} from './spec';
export { encodeTarget, decodeTarget, type TargetTransform } from './target';
export {
  toDailyFrame,
  cloneFrame,
  setUnits,
  seriesRegion,
  newColumns,
  setColumn,
  seriesColumns,
  ownColumns,
  recordCount,
  recordSpan,
  type SeriesColumns,
  dailyUnits,
  dailyValues,
  type SeriesInput,
  type DailyFrame,
  type FrameOptions,
  type ScenarioOverride,
} from './frame';
export { featureRow, featureCount, type FeatureContext } from './row';
export { buildTrainingMatrix, trainingMatrixFromFrames, rowDate, type TrainingMatrix, type TrainingOptions } from './matrix';
export { recursiveForecast, type PredictFn, type ForecastOptions, type SeriesForecast } from './forecast';
export {
  dailyView,
  monthStart,
  periodDays,
  periodEnd,
  periodOrdinal,
  periodOrdinalOfDay,
  periodRealDay,
  addPeriods,
  periodTimeDate,
  toPeriodTime,
  periodStartOf,
  type Grain,
} from './period';
