// The columns of a store's bulk plan as a spreadsheet, in order: one table for the service's export
// (GET /bulk_predict/{store}.csv / .xlsx) and the pane's "Bulk Predictions" sheet or download, so both always have
// the same columns in the same order, with the same headers and number formats (the lines above the table, the
// title and the header block, are in bulk-plan-sheet.ts).
import type { BulkPrediction, BulkPredictResponse } from './schemas';

/** What a column holds; it decides the number format, and 'status' columns get status colours in the pane. */
export type BulkPlanColumnKind = 'text' | 'status' | 'int' | 'number' | 'money';

/** Excel number formats per kind ('@' keeps ids such as "00123" as text). */
export const BULK_PLAN_NUMBER_FORMATS: Record<BulkPlanColumnKind, string> = {
  text: '@',
  status: '@',
  int: '#,##0',
  number: '#,##0.0',
  money: '#,##0.00',
};

/** What a header may name besides the column itself: the plan's horizon and currency. */
export type BulkPlanHeading = Pick<BulkPredictResponse, 'horizon_days'> & { summary: Pick<BulkPredictResponse['summary'], 'currency'> };

export type BulkPlanCell = string | number | null;

export interface BulkPlanColumn {
  /** Stable id of the column (the XLSX column key). */
  key: string;
  header: (plan: BulkPlanHeading) => string;
  kind: BulkPlanColumnKind;
  /** The cell of one product; null for an empty cell. */
  value: (p: BulkPrediction) => BulkPlanCell;
}

/** Written beside a product whose stock is unknown: its status, order and revenue at risk are not assessed. */
export const UNKNOWN_STOCK_NOTE =
  'stock unknown: no inventory level stored, so no status, order or revenue at risk assessed; upload inventory levels, or enter the stock on hand on the Smart page';

/** Written beside an order whose value is unknown: no unit cost is stored for the product (its value is not 0). */
export const UNKNOWN_COST_NOTE = 'unit cost unknown: the order is not priced (its value is not in the total)';

function planNote(p: BulkPrediction): string | null {
  const unpriced = p.basis.confidence !== 'none' && p.order_quantity > 0 && p.order_value === null;
  const notes = [p.note, p.current_stock === null ? UNKNOWN_STOCK_NOTE : null, unpriced ? UNKNOWN_COST_NOTE : null].filter(
    (n): n is string => !!n,
  );
  return notes.length > 0 ? notes.join('; ') : null;
}

/** Whole units, a part unit rounded up (a reorder point of 8.2 means 9 on the shelf). */
const wholeUnits = (x: number) => Math.max(0, Math.ceil(x - 1e-9));

const unlessNoBasis = (value: (p: BulkPrediction) => BulkPlanCell) => (p: BulkPrediction) =>
  p.basis.confidence === 'none' ? null : value(p);

const named = (header: string) => () => header;
const nextDays = (plan: BulkPlanHeading) => `next ${plan.horizon_days} day${plan.horizon_days === 1 ? '' : 's'}`;
const inCurrency = (header: string) => (plan: BulkPlanHeading) => `${header} (${plan.summary.currency})`;
/** Units sold `weeks` weeks before the planning day (1 = last week); empty when the history is shorter. */
const soldWeeksAgo = (weeks: number) => (p: BulkPrediction) => p.last_4_weeks[p.last_4_weeks.length - weeks] ?? null;

export const BULK_PLAN_COLUMNS: readonly BulkPlanColumn[] = [
  { key: 'product_id', header: named('Product'), kind: 'text', value: (p) => p.product_id },
  // The name in words from an upload's description column; empty when none was uploaded (or the service is older).
  { key: 'product_name', header: named('Product name'), kind: 'text', value: (p) => p.product_name ?? null },
  { key: 'category', header: named('Category'), kind: 'text', value: (p) => p.category },
  { key: 'status', header: named('Status'), kind: 'status', value: (p) => p.status },
  { key: 'priority', header: named('Priority'), kind: 'int', value: (p) => p.priority },
  { key: 'current_stock', header: named('Current stock'), kind: 'int', value: (p) => p.current_stock },
  { key: 'predicted_demand', header: (plan) => `Demand (${nextDays(plan)})`, kind: 'number', value: (p) => p.predicted_demand },
  { key: 'lower', header: (plan) => `Demand low (${nextDays(plan)})`, kind: 'number', value: (p) => p.lower },
  { key: 'upper', header: (plan) => `Demand high (${nextDays(plan)})`, kind: 'number', value: (p) => p.upper },
  // Without a basis there is no order to speak of: an empty cell, not a 0 that reads as "enough stock".
  { key: 'order_quantity', header: named('Order quantity'), kind: 'int', value: unlessNoBasis((p) => p.order_quantity) },
  // Stock levels in whole units: what can be on a shelf.
  { key: 'reorder_point', header: named('Reorder point'), kind: 'int', value: unlessNoBasis((p) => wholeUnits(p.reorder_point)) },
  { key: 'safety_stock', header: named('Safety stock'), kind: 'int', value: unlessNoBasis((p) => wholeUnits(p.safety_stock)) },
  { key: 'days_of_cover', header: named('Days of cover'), kind: 'number', value: (p) => p.days_of_cover },
  { key: 'expected_revenue', header: inCurrency('Expected revenue'), kind: 'money', value: (p) => p.expected_revenue },
  { key: 'revenue_at_risk', header: inCurrency('Revenue at risk'), kind: 'money', value: (p) => p.revenue_at_risk },
  { key: 'order_value', header: inCurrency('Order value'), kind: 'money', value: (p) => p.order_value },
  // Demand in named periods: the average per day over the planning window, and the next 7, 30 and 91 days.
  { key: 'demand_daily', header: named('Per day (average)'), kind: 'number', value: unlessNoBasis((p) => p.demand_breakdown.daily) },
  { key: 'demand_weekly', header: named('Next 7 days'), kind: 'number', value: unlessNoBasis((p) => p.demand_breakdown.weekly) },
  { key: 'demand_monthly', header: named('Next 30 days'), kind: 'number', value: unlessNoBasis((p) => p.demand_breakdown.monthly) },
  { key: 'demand_quarterly', header: named('Next 91 days'), kind: 'number', value: unlessNoBasis((p) => p.demand_breakdown.quarterly) },
  { key: 'sold_4_weeks_ago', header: named('Sold 4 weeks ago'), kind: 'int', value: soldWeeksAgo(4) },
  { key: 'sold_3_weeks_ago', header: named('Sold 3 weeks ago'), kind: 'int', value: soldWeeksAgo(3) },
  { key: 'sold_2_weeks_ago', header: named('Sold 2 weeks ago'), kind: 'int', value: soldWeeksAgo(2) },
  { key: 'sold_last_week', header: named('Sold last week'), kind: 'int', value: soldWeeksAgo(1) },
  { key: 'method', header: named('Forecast method'), kind: 'text', value: (p) => p.basis.method_label },
  { key: 'confidence', header: named('Confidence'), kind: 'text', value: (p) => p.basis.confidence },
  // What is missing: the basis' reasons (no forecast on "none"), and for a product without a stored inventory level
  // that it gets no stock status worth the name (the JSON has no field for that).
  { key: 'note', header: named('Note'), kind: 'text', value: planNote },
];

/** The header row of a plan's spreadsheet, in column order. */
export const bulkPlanHeaders = (plan: BulkPlanHeading): string[] => BULK_PLAN_COLUMNS.map((c) => c.header(plan));

/** One column of the table by key, for sheets that show a few of them (the pane's reorder plan). */
export function bulkPlanColumn(key: string): BulkPlanColumn {
  const column = BULK_PLAN_COLUMNS.find((c) => c.key === key);
  if (!column) throw new Error(`no bulk plan column "${key}"`);
  return column;
}
