// An answer's basis in a buyer's words: which method answered, on how much history, and how far to trust it
// ("Forecast by: same week last year (simple method) · 5 weeks of history · Confidence: low"). Pure: the pages show
// it under a result, the forecast sheet writes it above its table.
import type { Basis, Confidence } from '../../../shared/schemas';
import { GRAIN_GRANULARITY, periodsText } from './periods';

export const CONFIDENCE_WORDS: Record<Confidence, string> = { normal: 'normal', low: 'low', none: 'none (no forecast)' };

/** A simple method (seasonal naive, moving average...) rather than a trained model. */
export const isSimpleMethod = (basis: Pick<Basis, 'method'>) => basis.method.startsWith('baseline:');

/** One line: method, history, confidence; with `reasons`, why the confidence is not normal after a dash. */
export function basisLine(basis: Basis, options: { reasons?: boolean } = {}): string {
  // The label names the method; "simple method" tells a buyer it is not the trained model (once, not after a parenthesis).
  const label = basis.method_label;
  const simple = isSimpleMethod(basis) ? (label.endsWith(')') ? ', a simple method' : ' (simple method)') : '';
  const method = `Forecast by: ${label}${simple}`;
  const history = `${periodsText(basis.history_periods, GRAIN_GRANULARITY[basis.grain])} of history`;
  const why = options.reasons && basis.reasons.length ? ` — ${basis.reasons.join(' ')}` : '';
  const adjusted = basis.override ? ` · ${overrideWords(basis.override)}` : '';
  return `${method} · ${history} · Confidence: ${CONFIDENCE_WORDS[basis.confidence]}${adjusted}${why}`;
}

/** A buyer's override in words: "Adjusted by a buyer: x2 from 2024-03-11 to 2024-03-13 (Promotion in the leaflet)". */
export function overrideWords(o: NonNullable<Basis['override']>): string {
  const more = o.others?.length ? ` and ${o.others.length} more` : '';
  return `Adjusted by ${o.by ?? 'a buyer'}: ${overrideChange(o.kind, o.value, o.from, o.to)} (${o.reason})${more}`;
}

/** What an override does, and when: "x2 from 2024-03-11 to 2024-03-13", "50 units a period on 2024-03-11". */
export function overrideChange(kind: 'multiplier' | 'quantity', value: number, from: string, to: string): string {
  const what = kind === 'multiplier' ? `x${value}` : `${value} units a period`;
  return `${what} ${from === to ? `on ${from}` : `from ${from} to ${to}`}`;
}
