// A model's holdout accuracy in a buyer's words: "typical daily error 41%; 9% better than the simple method (same
// weekday last week)". The typical error is the WAPE (units off per 100 sold) in the period the model was scored in;
// the comparison is with the best simple method on the same held-out weeks. "Accuracy" as 1 - WAPE is left to the
// API: on products that mostly sell nothing it reads high while the forecast is poor. The model's own terms (WAPE,
// MASE, objective, rounds) are for the "Advanced" area: `advancedFigures`. Pure.
import type { Grain, ModelMetrics, ModelSummary } from '../../../shared/schemas';
import { fmt, percent } from './numbers';

export interface AccuracyWords {
  /** "typical daily error 41%" */
  typicalError: string;
  /** "9% better than the simple method (same weekday last week)", or null without a comparison. */
  versusSimple: string | null;
  /** "measured on the last 28 days, which the model did not see" */
  measuredOn: string;
}

const ADJECTIVE: Record<Grain, string> = { daily: 'daily', weekly: 'weekly', monthly: 'monthly' };
const UNIT: Record<Grain, string> = { daily: 'day', weekly: 'week', monthly: 'month' };
/** The seasonal naive at each grain, as older models (without best_baseline) were compared with it only. */
const SEASONAL_NAIVE: Record<Grain, string> = {
  daily: 'same weekday last week',
  weekly: 'same week last year',
  monthly: 'same month last year',
};

const grainOf = (m: ModelMetrics): Grain => m.grain ?? 'daily';

function measuredOn(m: ModelMetrics): string {
  const h = m.holdout;
  if (!h) return 'measured on the last weeks of sales, which the model did not see';
  const n = h.periods ?? h.days;
  const unit = h.periods === undefined ? 'day' : UNIT[grainOf(m)];
  return `measured on the last ${n} ${unit}${n === 1 ? '' : 's'}, which the model did not see`;
}

/** The sentence line: "typical daily error 41%; 9% better than the simple method (same weekday last week)". */
export const accuracyLine = (w: AccuracyWords) => (w.versusSimple ? `${w.typicalError}; ${w.versusSimple}` : w.typicalError);

export function accuracyWords(m: ModelMetrics): AccuracyWords | null {
  if (m.wape === null) return null;
  const grain = grainOf(m);
  const typicalError = `typical ${ADJECTIVE[grain]} error ${Math.round(100 * m.wape)}%`;
  // The best simple method when the model reports one; older models compared with the seasonal naive only.
  const simple = m.best_baseline ?? { name: 'seasonal_naive', label: SEASONAL_NAIVE[grain], figures: m.baseline };
  const theirs = simple.figures.wape;
  const base = { typicalError, measuredOn: measuredOn(m) };
  if (theirs === null || theirs === 0) return { ...base, versusSimple: null };
  const gain = 1 - m.wape / theirs;
  const name = simple.label ?? (simple.name === 'seasonal_naive' ? SEASONAL_NAIVE[grain] : simple.name.replace(/_/g, ' '));
  const size = Math.abs(Math.round(100 * gain));
  const versusSimple =
    size === 0 ? `as good as the simple method (${name})` : `${size}% ${gain > 0 ? 'better' : 'worse'} than the simple method (${name})`;
  return { ...base, versusSimple };
}

/** The model's own terms, for the "Advanced" area: [label, value] pairs. */
export function advancedFigures(
  model: Pick<ModelSummary, 'metrics' | 'rounds'> & Partial<Pick<ModelSummary, 'engine'>>,
): [string, string][] {
  const m = model.metrics;
  const simple = m.best_baseline ?? { name: 'seasonal_naive', figures: m.baseline };
  return [
    ['WAPE', percent(m.wape)],
    ['MASE', fmt(m.mase, 2)],
    [`WAPE of the simple method (${simple.name})`, percent(simple.figures.wape)],
    ['Objective', m.objective ?? '—'],
    ['Rounds', model.rounds === undefined ? '—' : fmt(model.rounds)],
    ...(model.engine ? ([['Engine', model.engine]] as [string, string][]) : []),
  ];
}
