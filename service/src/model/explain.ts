// Why a model predicts what it does for the first forecast day, per feature (native XGBoost: TreeSHAP) or per
// buyer-facing feature group (ml-xgboost: the change when the group is unknown). explain-words.ts names them.
import {
  decodeTarget,
  featureRow,
  resolveState,
  toDailyFrame,
  type CalendarEvents,
  type DailyFrame,
  type Encodings,
  type FeatureSpec,
  type ScenarioOverride,
  type SeriesInput,
  type TargetTransform,
} from '../features/index';
import type { Booster } from './engine/index';
import { groupColumns, type ExplainedDay, type FeatureEffect } from './explain-words';

export type { WordedContribution as Contribution } from './explain-words';

/** One booster's effects on its first-day prediction, and that day as it saw it (for the names of the groups). */
export interface BoosterExplanation {
  effects: FeatureEffect[];
  day: ExplainedDay;
}

/**
 * One booster's contributions in units to its first-day prediction. With native XGBoost: exact TreeSHAP contributions
 * (margin scale) shared out in units in proportion, one per column. Without contributions (ml-xgboost): for each
 * buyer-facing group (explain-words.ts), the change in the prediction when that group is unknown (set missing): an
 * approximation of its effect, under the group's id.
 */
export function boosterContributions(
  booster: Booster,
  ctx: { encodings: Encodings; spec: FeatureSpec; target: TargetTransform; calendar: CalendarEvents | null },
  series: SeriesInput,
  options: { origin: string; scenario?: ScenarioOverride[] },
): BoosterExplanation {
  const frame = toDailyFrame(series, { until: options.origin, horizon: 1, scenario: options.scenario });
  const names = ctx.spec.names;
  const cols = names.length;
  const row = new Float32Array(cols);
  featureRow(frame, frame.history, ctx, row, 0);
  const units = decodeTarget(booster.predict(row, 1, cols)[0], ctx.target);
  const day = explainedDay(frame, row, ctx);

  if (booster.contributions) {
    const shap = booster.contributions(row, 1, cols);
    const bias = shap[cols];
    const baseUnits = decodeTarget(ctx.target === 'log1p' ? bias : Math.exp(bias), ctx.target);
    let total = 0;
    for (let j = 0; j < cols; j++) total += shap[j];
    const scale = Math.abs(total) > 1e-12 ? (units - baseUnits) / total : 0;
    return { effects: names.map((feature, j) => ({ feature, contribution: shap[j] * scale })), day };
  }
  const groups = groupColumns(names, { grain: ctx.spec.grain ?? 'daily', spec: ctx.spec });
  const effects = [...groups].map(([group, columns]) => {
    const masked = Float32Array.from(row);
    names.forEach((name, j) => {
      if (columns.includes(name)) masked[j] = NaN;
    });
    const without = decodeTarget(booster.predict(masked, 1, cols)[0], ctx.target);
    return { feature: group, group, contribution: units - without };
  });
  return { effects, day };
}

const round4 = (x: number) => Math.round(x * 1e4) / 1e4;

/** The explained row's finite values by column, and the calendar's events on that day or the nearest ones. */
function explainedDay(frame: DailyFrame, row: Float32Array, ctx: { spec: FeatureSpec; calendar: CalendarEvents | null }): ExplainedDay {
  const values: Record<string, number> = {};
  ctx.spec.names.forEach((name, j) => {
    if (Number.isFinite(row[j])) values[name] = round4(row[j]);
  });
  const cal = ctx.calendar;
  const state = cal && !ctx.spec.grain ? resolveState(cal, frame.storeId, frame.region) : null;
  if (!cal || !state) return { values };
  const t = frame.start + frame.history - cal.start;
  const covered = (k: number) => k >= 0 && k < cal.length && state.covered[k] === 1;
  if (!covered(t)) return { values };
  const namesOn = (k: number) => [state.name1[k], state.name2[k]].filter((n): n is string => !!n);
  const events: NonNullable<ExplainedDay['events']> = { on: namesOn(t) };
  if (events.on.length > 0) return { values, events };
  for (let d = 1; d <= ctx.spec.eventCap; d++) {
    if (!events.next && covered(t + d) && namesOn(t + d).length > 0) events.next = { name: namesOn(t + d).join(', '), days: d };
    if (!events.previous && covered(t - d) && namesOn(t - d).length > 0) events.previous = { name: namesOn(t - d).join(', '), days: d };
  }
  return { values, events };
}
