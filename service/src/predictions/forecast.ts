// Serving-side forecasting: the same feature pipeline and recursive strategy as the backtest, plus calibrated
// intervals and explanations. Pure: a loaded model and series in, numbers out.
import {
  decodeTarget,
  featureRow,
  formatDay,
  parseDay,
  recursiveForecast,
  toDailyFrame,
  type CalendarEvents,
  type Encodings,
  type FeatureContext,
  type FeatureSpec,
  type ScenarioOverride,
  type SeriesInput,
  type TargetTransform,
} from '../features/index';
import { interval, type IntervalModel } from '../forecast/index';
import type { Booster } from '../model/engine/index';

export interface PredictiveModel {
  booster: Booster;
  encodings: Encodings;
  spec: FeatureSpec;
  target: TargetTransform;
  intervals: IntervalModel;
  /** Served as (1 - weight) * this model + weight * partner (a store model blended with the global model). */
  partner?: { model: PredictiveModel; weight: number };
}

export interface ProductForecast {
  productId: string;
  dates: string[];
  /** Expected units per day, >= 0. */
  values: number[];
}

const context = (model: PredictiveModel, calendar: CalendarEvents | null): FeatureContext => ({
  encodings: model.encodings,
  spec: model.spec,
  target: model.target,
  calendar,
});

/**
 * Forecasts `horizon` days after `origin` (the last stored day) for every series, recursively: each day's features
 * see the predictions of the days before it, exactly as in the backtest.
 */
export function forecastProducts(
  model: PredictiveModel,
  series: SeriesInput[],
  options: { origin: string; horizon: number; scenario?: ScenarioOverride[]; calendar?: CalendarEvents | null },
): ProductForecast[] {
  const own = forecastOneModel(model, series, options);
  if (!model.partner) return own;
  // Each member forecasts recursively from its own predictions, as in the backtest that scored the blend.
  const { model: partner, weight } = model.partner;
  const other = forecastOneModel(partner, series, options);
  return own.map((f, k) => ({ ...f, values: f.values.map((v, h) => (1 - weight) * v + weight * other[k].values[h]) }));
}

function forecastOneModel(
  model: PredictiveModel,
  series: SeriesInput[],
  options: { origin: string; horizon: number; scenario?: ScenarioOverride[]; calendar?: CalendarEvents | null },
): ProductForecast[] {
  const result = recursiveForecast(
    series,
    options.horizon,
    (features, rows, cols) => model.booster.predict(features, rows, cols),
    context(model, options.calendar ?? null),
    { origin: options.origin, scenario: options.scenario },
  );
  return result.map((r) => ({ productId: r.productId, dates: r.dates, values: r.values }));
}

/** Calibrated interval bounds of each day at each level (levels as fractions). */
export function dailyIntervals(model: PredictiveModel, values: number[], levels: number[], firstStep = 1) {
  return values.map((expected, i) =>
    levels.map((level) => ({
      level: round(level * 100, 1),
      ...roundBounds(interval(model.intervals, { expected, step: firstStep + i, level })),
    })),
  );
}

const FEATURE_GROUPS: { name: string; match: RegExp }[] = [
  { name: 'recent sales (last 7 days)', match: /^(lag_[1-7]|roll_(mean|std|max)_7)$/ },
  { name: 'sales history (weeks to a year)', match: /^(lag_\d+|roll_(mean|std|max)_\d+|weekday_mean_\d+w)$/ },
  { name: 'product lifecycle', match: /^(days_since_last_sale|days_since_first_sale|days_listed)$/ },
  { name: 'day of week', match: /^day_of_week$/ },
  { name: 'season (day, week, month)', match: /^(day_of_month|week_of_year|month)$/ },
  { name: 'price', match: /^price/ },
  { name: 'promotion and discount', match: /^(promotion|discount)$/ },
  { name: 'events and holidays', match: /^(event_|snap|days_to_event|days_since_event)/ },
  { name: 'store, product, category', match: /^(store|product|category)$/ },
];

export interface Contribution {
  feature: string;
  /** Units this feature (group) adds to (or takes from) the prediction. */
  contribution: number;
}

/**
 * Why the model predicts what it does for the first forecast day. With native XGBoost: exact TreeSHAP contributions
 * (margin scale) shared out in units in proportion. Without contributions (ml-xgboost): for each feature group, the
 * change in the prediction when that group is unknown (set missing): an approximation of its effect.
 */
export function explainFirstDay(
  model: PredictiveModel,
  series: SeriesInput,
  options: { origin: string; scenario?: ScenarioOverride[]; calendar?: CalendarEvents | null; top?: number },
): Contribution[] {
  const top = options.top ?? 6;
  const members = model.partner
    ? [
        { model, weight: 1 - model.partner.weight },
        { model: model.partner.model, weight: model.partner.weight },
      ]
    : [{ model, weight: 1 }];
  // A blend's explanation is the weighted sum of its members' (each sums to its own prediction less its base value).
  const total = new Map<string, number>();
  for (const m of members) {
    for (const c of memberContributions(m.model, series, options))
      total.set(c.feature, (total.get(c.feature) ?? 0) + m.weight * c.contribution);
  }
  return [...total]
    .map(([feature, contribution]) => ({ feature, contribution }))
    .filter((c) => Number.isFinite(c.contribution) && Math.abs(c.contribution) > 1e-9)
    .sort((a, b) => Math.abs(b.contribution) - Math.abs(a.contribution))
    .slice(0, top)
    .map((c) => ({ feature: c.feature, contribution: round(c.contribution, 3) }));
}

function memberContributions(
  model: PredictiveModel,
  series: SeriesInput,
  options: { origin: string; scenario?: ScenarioOverride[]; calendar?: CalendarEvents | null },
): Contribution[] {
  const ctx = context(model, options.calendar ?? null);
  const frame = toDailyFrame(series, { until: options.origin, horizon: 1, scenario: options.scenario });
  const names = model.spec.names;
  const cols = names.length;
  const row = new Float32Array(cols);
  featureRow(frame, frame.history, ctx, row, 0);
  const predicted = model.booster.predict(row, 1, cols)[0];
  const units = decodeTarget(predicted, model.target);

  let contributions: Contribution[];
  if (model.booster.contributions) {
    const shap = model.booster.contributions(row, 1, cols);
    const bias = shap[cols];
    const baseUnits = decodeTarget(model.target === 'log1p' ? bias : Math.exp(bias), model.target);
    let total = 0;
    for (let j = 0; j < cols; j++) total += shap[j];
    const scale = Math.abs(total) > 1e-12 ? (units - baseUnits) / total : 0;
    contributions = names.map((feature, j) => ({ feature, contribution: shap[j] * scale }));
  } else {
    contributions = FEATURE_GROUPS.map((group) => {
      const masked = Float32Array.from(row);
      names.forEach((name, j) => {
        if (group.match.test(name) && !FEATURE_GROUPS.slice(0, FEATURE_GROUPS.indexOf(group)).some((g) => g.match.test(name)))
          masked[j] = NaN;
      });
      const without = decodeTarget(model.booster.predict(masked, 1, cols)[0], model.target);
      return { feature: group.name, contribution: units - without };
    });
  }
  return contributions;
}

/** Days from the store's last stored day to `date` (1 = the next day). */
export const daysAhead = (lastDate: string, date: string) => parseDay(date) - parseDay(lastDate);
export const addDays = (date: string, days: number) => formatDay(parseDay(date) + days);

const round = (x: number, digits = 3) => Math.round(x * 10 ** digits) / 10 ** digits;
const roundBounds = (b: { lower: number; upper: number }) => ({ lower: round(Math.max(0, b.lower)), upper: round(Math.max(0, b.upper)) });
