// Why a model predicts what it does for the first forecast day, per feature (native XGBoost: TreeSHAP) or per
// feature group (ml-xgboost: the change when the group is unknown).
import {
  decodeTarget,
  featureRow,
  toDailyFrame,
  type CalendarEvents,
  type Encodings,
  type FeatureSpec,
  type ScenarioOverride,
  type SeriesInput,
  type TargetTransform,
} from '../features/index';
import type { Booster } from './engine/index';

export interface Contribution {
  feature: string;
  /** Units this feature (group) adds to (or takes from) the prediction. */
  contribution: number;
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

/**
 * One booster's contributions in units to its first-day prediction. With native XGBoost: exact TreeSHAP contributions
 * (margin scale) shared out in units in proportion. Without contributions (ml-xgboost): for each feature group, the
 * change in the prediction when that group is unknown (set missing): an approximation of its effect.
 */
export function boosterContributions(
  booster: Booster,
  ctx: { encodings: Encodings; spec: FeatureSpec; target: TargetTransform; calendar: CalendarEvents | null },
  series: SeriesInput,
  options: { origin: string; scenario?: ScenarioOverride[] },
): Contribution[] {
  const frame = toDailyFrame(series, { until: options.origin, horizon: 1, scenario: options.scenario });
  const names = ctx.spec.names;
  const cols = names.length;
  const row = new Float32Array(cols);
  featureRow(frame, frame.history, ctx, row, 0);
  const units = decodeTarget(booster.predict(row, 1, cols)[0], ctx.target);

  if (booster.contributions) {
    const shap = booster.contributions(row, 1, cols);
    const bias = shap[cols];
    const baseUnits = decodeTarget(ctx.target === 'log1p' ? bias : Math.exp(bias), ctx.target);
    let total = 0;
    for (let j = 0; j < cols; j++) total += shap[j];
    const scale = Math.abs(total) > 1e-12 ? (units - baseUnits) / total : 0;
    return names.map((feature, j) => ({ feature, contribution: shap[j] * scale }));
  }
  return FEATURE_GROUPS.map((group, g) => {
    const masked = Float32Array.from(row);
    names.forEach((name, j) => {
      // A column belongs to the first group that matches it.
      if (group.match.test(name) && !FEATURE_GROUPS.slice(0, g).some((earlier) => earlier.match.test(name))) masked[j] = NaN;
    });
    const without = decodeTarget(booster.predict(masked, 1, cols)[0], ctx.target);
    return { feature: group.name, contribution: units - without };
  });
}
