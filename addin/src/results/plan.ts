// A store plan as a buyer reads it: the parameters it was made with (the header block written above the sheets),
// totals that say when part of the money is unknown rather than counting it as 0.00, how many of a card's products
// are rough estimates, and per-day vs 7-day figures that agree or say why not. Pure.
import type { BulkPrediction, BulkPredictResponse } from '../../../shared/schemas';
import { fmt, money } from './numbers';

// The header block is the service export's as well (shared/bulk-plan-sheet.ts): one definition for both.
export { basisSummary, bulkPlanHeader as planHeader, type PlanParameters } from '../../../shared/bulk-plan-sheet';

/** Products to order: without a forecast there is no order to speak of. */
const ordering = (p: BulkPrediction) => p.basis.confidence !== 'none' && p.order_quantity > 0;

export interface OrderTotals {
  units: number;
  /** The priced orders' value; null when no order could be priced. */
  value: number | null;
  /** Products to order whose value is unknown (no unit cost). */
  unpriced: number;
  /** Products to order. */
  products: number;
}

export function orderTotals(plan: Pick<BulkPredictResponse, 'predictions'>): OrderTotals {
  const orders = plan.predictions.filter(ordering);
  const priced = orders.filter((p) => p.order_value !== null);
  return {
    units: orders.reduce((n, p) => n + p.order_quantity, 0),
    value: priced.length || orders.length === 0 ? priced.reduce((n, p) => n + (p.order_value ?? 0), 0) : null,
    unpriced: orders.length - priced.length,
    products: orders.length,
  };
}

const products = (n: number) => `${fmt(n)} product${n === 1 ? '' : 's'}`;

/** "210.50 USD", "unknown" (no order could be priced) or "150.00 USD + unknown" (some could not). */
export function orderValueText(totals: OrderTotals, currency: string): string {
  if (totals.value === null) return 'unknown';
  return `${money(totals.value, currency)}${totals.unpriced ? ' + unknown' : ''}`;
}

/** Why an order total is not the whole story; '' when it is. */
export function unpricedNote(totals: OrderTotals): string {
  if (!totals.unpriced) return '';
  return `${products(totals.unpriced)} to order ${totals.unpriced === 1 ? 'has' : 'have'} no unit cost: ${totals.unpriced === totals.products ? 'the value is unknown' : 'not in the total'}`;
}

/** Revenue at risk of the products whose price is known; null when none is. */
export function revenueAtRisk(plan: Pick<BulkPredictResponse, 'predictions'>): { value: number | null; unknown: number } {
  const assessed = plan.predictions.filter((p) => p.basis.confidence !== 'none' && p.current_stock !== null);
  const known = assessed.filter((p) => p.revenue_at_risk !== null);
  return {
    value: known.length || assessed.length === 0 ? known.reduce((n, p) => n + (p.revenue_at_risk ?? 0), 0) : null,
    unknown: assessed.length - known.length,
  };
}

/** "1 rough estimate, 1 without a forecast" among some rows; '' when all are normal. */
export function doubtsAmong(rows: readonly BulkPrediction[]): string {
  const low = rows.filter((p) => p.basis.confidence === 'low').length;
  const none = rows.filter((p) => p.basis.confidence === 'none').length;
  return [low ? `${fmt(low)} rough estimate${low === 1 ? '' : 's'} (low confidence)` : '', none ? `${fmt(none)} without a forecast` : '']
    .filter(Boolean)
    .join(', ');
}

/**
 * Why 7 x the per-day figure is not the next 7 days' figure on the same card, or null when it is (to the units
 * shown): the per-day figure is the average over the whole planning window, the 7 days are forecast day by day.
 */
export function perDayVsWeek(daily: number, week: number): string | null {
  if (Math.abs(daily * 7 - week) <= Math.max(0.5, 0.02 * week)) return null;
  return (
    `Per day is the average over the coming weeks; the next 7 days are forecast day by day (weekdays, promotions, trend), ` +
    `so they come to ${fmt(week, 1)} rather than 7 × ${fmt(daily, 1)} = ${fmt(daily * 7, 1)}.`
  );
}
