// A store's bulk plan as one sheet, line by line: a title, the header block saying what the plan was made with
// (store, planning day, horizon, lead time, review period, service level, model, basis, currency), a note on how far
// to trust it, then the table of bulk-plan-columns.ts. The service's export (GET /bulk_predict/{store}.csv / .xlsx)
// and the pane's "Bulk Predictions" sheet or download both write exactly these lines, so they cannot drift apart.
import { BULK_PLAN_COLUMNS, bulkPlanHeaders, type BulkPlanCell } from './bulk-plan-columns';
import type { BulkPredictResponse, Confidence } from './schemas';

/** The parameters a plan was asked with, as the request gave them (absent: the product's own value, else the service's). */
export interface PlanParameters {
  lead_time_days?: number;
  review_days?: number;
  /** Percent (95) or fraction (0.95), as sent. */
  service_level?: number;
}

const numbers = new Map<number, Intl.NumberFormat>();
/** 1,234.5: the pane's way of writing numbers (addin/src/results/numbers.ts), which the header block shares. */
function fmt(value: number, digits = 0): string {
  let f = numbers.get(digits);
  if (!f) numbers.set(digits, (f = new Intl.NumberFormat('en-US', { maximumFractionDigits: digits, minimumFractionDigits: digits })));
  return f.format(value);
}

const addDays = (iso: string, days: number) => new Date(Date.parse(`${iso}T00:00:00Z`) + days * 86_400_000).toISOString().slice(0, 10);
const days = (n: number) => `${fmt(n, n % 1 ? 1 : 0)} day${n === 1 ? '' : 's'}`;
const levelText = (x: number) => `${fmt(x > 1 ? x : x * 100, 1).replace(/\.0$/, '')}%`;
const products = (n: number) => `${fmt(n)} product${n === 1 ? '' : 's'}`;

/** The method labels of a plan's rows by method code ("model" -> "forecasting model trained on this store"). */
function methodLabels(plan: Pick<BulkPredictResponse, 'predictions'>): Map<string, string> {
  const labels = new Map<string, string>();
  for (const p of plan.predictions) if (!labels.has(p.basis.method)) labels.set(p.basis.method, p.basis.method_label);
  return labels;
}

const CONFIDENCE_NAMES: Record<Confidence, string> = { normal: 'normal', low: 'low (rough estimate)', none: 'no forecast' };

/** "forecasting model: 118 products; same week last year: 3 products · confidence: 118 normal, 2 low (rough estimate), 1 no forecast". */
export function basisSummary(plan: Pick<BulkPredictResponse, 'predictions' | 'summary'>): string {
  const labels = methodLabels(plan);
  const methods = Object.entries(plan.summary.by_method)
    .sort(([, a], [, b]) => b - a)
    .map(([method, n]) => `${labels.get(method) ?? method.replace(/^baseline:/, '').replace(/_/g, ' ')}: ${products(n)}`);
  const confidence = (['normal', 'low', 'none'] as const)
    .filter((c) => plan.summary.by_confidence[c])
    .map((c) => `${fmt(plan.summary.by_confidence[c])} ${CONFIDENCE_NAMES[c]}`);
  return [methods.join('; '), confidence.length ? `confidence: ${confidence.join(', ')}` : ''].filter(Boolean).join(' · ');
}

/** What a plan was made with, as [label, value] lines: the header block above the table. */
export function bulkPlanHeader(plan: BulkPredictResponse, asked: PlanParameters, currency = plan.summary.currency): [string, string][] {
  const fromData = "each product's own from the data, else the service's default";
  return [
    ['Store', plan.store_id],
    ['Planning day', plan.prediction_date],
    ['Horizon', `${days(plan.horizon_days)} (${plan.prediction_date} to ${addDays(plan.prediction_date, plan.horizon_days - 1)})`],
    ['Lead time', asked.lead_time_days === undefined ? fromData : days(asked.lead_time_days)],
    ['Review period', asked.review_days === undefined ? fromData : days(asked.review_days)],
    ['Service level', asked.service_level === undefined ? "the service's default" : levelText(asked.service_level)],
    ['Model', plan.model_version],
    ['Basis', basisSummary(plan)],
    ['Currency', currency],
  ];
}

/** The line above everything: "Bulk predictions, store S001: planning day 2025-07-01, horizon 7 days, model store:S001@1". */
export const bulkPlanTitle = (plan: Pick<BulkPredictResponse, 'store_id' | 'prediction_date' | 'horizon_days' | 'model_version'>) =>
  `Bulk predictions, store ${plan.store_id}: planning day ${plan.prediction_date}, horizon ${plan.horizon_days} days, ` +
  `model ${plan.model_version}`;

/** "3 products have too little history for an order · 2 products are rough estimates (low confidence)"; '' when all are normal. */
export function confidenceSummary(plan: Pick<BulkPredictResponse, 'summary'>): string {
  const none = plan.summary.by_confidence.none ?? 0;
  const low = plan.summary.by_confidence.low ?? 0;
  return [
    none ? `${products(none)} ${none === 1 ? 'has' : 'have'} too little history for an order` : '',
    low ? `${products(low)} ${low === 1 ? 'is a rough estimate' : 'are rough estimates'} (low confidence)` : '',
  ]
    .filter(Boolean)
    .join(' · ');
}

/** Said in place of the table when the store has no products. */
export const EMPTY_PLAN_TEXT = 'The store has no products to predict.';

/** The lines of the sheet: the row (0-based) of the table's header, and every row of cells in order. */
export interface BulkPlanSheetLines {
  headerRow: number;
  rows: BulkPlanCell[][];
}

/**
 * The whole sheet, row by row, as both producers write it: the title, the header block, the note (an empty row
 * when every row is of normal confidence), then the table's header and one row per product, in the plan's order.
 */
export function bulkPlanSheetLines(plan: BulkPredictResponse, asked: PlanParameters, currency?: string): BulkPlanSheetLines {
  const header = bulkPlanHeader(plan, asked, currency);
  const note = confidenceSummary(plan);
  const top: BulkPlanCell[][] = [[bulkPlanTitle(plan)], ...header.map(([label, value]) => [label, value]), note ? [note] : []];
  if (plan.predictions.length === 0) return { headerRow: top.length, rows: [...top, [EMPTY_PLAN_TEXT]] };
  return {
    headerRow: top.length,
    rows: [...top, bulkPlanHeaders(plan), ...plan.predictions.map((p) => BULK_PLAN_COLUMNS.map((c) => c.value(p)))],
  };
}
