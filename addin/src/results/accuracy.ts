// A model's holdout accuracy in a buyer's words: the typical error (WAPE: units off per 100 sold) and how much better
// or worse that is than the best simple method on the same held-out weeks. "Accuracy" as 1 - WAPE is left to the API:
// on products that mostly sell nothing it reads high while the forecast is poor. Pure.
import type { ModelMetrics } from '../../../shared/schemas';

export interface AccuracyWords {
  /** "off by 48 units in 100 on the last 28 days it did not see" */
  typicalError: string;
  /** "7% better than the best simple method (average of the last 28 days)", or null without a comparison. */
  versusSimple: string | null;
}

const periodWords = (m: ModelMetrics) => {
  const h = m.holdout;
  if (!h) return 'the held-out period';
  const n = h.periods ?? h.days;
  const unit = m.grain === 'weekly' ? 'week' : m.grain === 'monthly' ? 'month' : 'day';
  return `the last ${n} ${unit}${n === 1 ? '' : 's'} it did not see`;
};

export function accuracyWords(m: ModelMetrics): AccuracyWords | null {
  if (m.wape === null) return null;
  const typicalError = `off by ${Math.round(100 * m.wape)} units in 100 on ${periodWords(m)}`;
  // The best simple method when the model reports one; older models compared with the seasonal naive only.
  const simple = m.best_baseline ?? { name: 'seasonal_naive', label: 'same period last season', figures: m.baseline };
  const theirs = simple.figures.wape;
  if (theirs === null || theirs === 0) return { typicalError, versusSimple: null };
  const gain = 1 - m.wape / theirs;
  const name = simple.label ?? simple.name.replace(/_/g, ' ');
  const size = Math.abs(Math.round(100 * gain));
  const versusSimple =
    size === 0
      ? `as good as the best simple method (${name})`
      : `${size}% ${gain > 0 ? 'better' : 'worse'} than the best simple method (${name})`;
  return { typicalError, versusSimple };
}
