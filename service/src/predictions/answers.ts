// What the prediction answers read off a series and how they word and shape a plan: pure helpers of service.ts.
import type { BulkPrediction, PredictWithContextResponse } from '../../../shared/schemas';
import { daysAhead, ownColumns, parseDay, type SeriesInput } from '../features/index';
import { count, type replenishmentPlan } from '../inventory/index';

type StockRecommendation = PredictWithContextResponse['stock_recommendation'];

/**
 * A bulk row of a product whose stock is unknown (no stored inventory level; /bulk_predict takes no stock figure):
 * what depends on the stock is not claimed. Status UNKNOWN (listed last), no order, no days of cover, no revenue at
 * risk. Demand, interval, reorder point, safety stock and expected revenue do not depend on the stock.
 */
export function unknownStock(row: BulkPrediction): BulkPrediction {
  return { ...row, status: 'UNKNOWN', priority: 5, order_quantity: 0, order_value: 0, days_of_cover: null, revenue_at_risk: null };
}

/** A plan row the data gives no basis for: no forecast, no status, no order; its note says what is missing. */
export function noBasis(row: BulkPrediction): BulkPrediction {
  return {
    ...unknownStock(row),
    predicted_demand: null,
    lower: null,
    upper: null,
    per_period: [],
    order_value: null,
    expected_revenue: null,
    reorder_point: 0,
    safety_stock: 0,
  };
}

export function stockRecommendation(plan: ReturnType<typeof replenishmentPlan>, stock: number): StockRecommendation {
  return {
    status: plan.status,
    priority: plan.priority,
    current_stock: stock,
    order_quantity: plan.order_quantity,
    reorder_point: round(plan.reorder_point),
    safety_stock: round(plan.safety_stock),
    order_up_to: round(plan.order_up_to),
    days_of_cover: plan.days_of_cover === null ? null : round(plan.days_of_cover),
    lead_time_days: plan.lead_time_days,
    review_days: plan.review_days,
    service_level: plan.service_level,
    service_measure: plan.service_measure,
    lead_time_sd_days: plan.lead_time_sd_days,
    expected_cycle_service_level: plan.expected_cycle_service_level,
    expected_fill_rate: plan.expected_fill_rate,
  };
}

export function lastInventory(series: SeriesInput): number | null {
  const own = ownColumns(series);
  if (own) {
    for (let i = own.inventory.length - 1; i >= 0; i--) if (!Number.isNaN(own.inventory[i])) return own.inventory[i];
    return null;
  }
  for (let i = series.records.length - 1; i >= 0; i--) {
    const v = series.records[i].inventoryLevel;
    if (v !== null) return v;
  }
  return null;
}

export function lastPrice(series: SeriesInput): number | null {
  const own = ownColumns(series);
  if (own) {
    for (let i = own.price.length - 1; i >= 0; i--) if (!Number.isNaN(own.price[i])) return own.price[i];
    return null;
  }
  for (let i = series.records.length - 1; i >= 0; i--) {
    const v = series.records[i].price;
    if (v !== null && v > 0) return v;
  }
  return null;
}

/** Units sold in each of the last `weeks` weeks up to `lastDate`, oldest first. */
export function lastWeeks(series: SeriesInput, lastDate: string, weeks: number): number[] {
  const sums = new Array<number>(weeks).fill(0);
  const own = ownColumns(series);
  if (own) {
    const last = parseDay(lastDate);
    for (let i = own.day.length - 1; i >= 0; i--) {
      const back = last - own.day[i];
      if (back >= weeks * 7) break;
      sums[weeks - 1 - Math.floor(back / 7)] += Math.max(0, own.units[i]);
    }
    return sums.map((x) => round(x));
  }
  for (let i = series.records.length - 1; i >= 0; i--) {
    const r = series.records[i];
    const back = -daysAhead(lastDate, r.date);
    if (back >= weeks * 7) break;
    sums[weeks - 1 - Math.floor(back / 7)] += Math.max(0, r.unitsSold);
  }
  return sums.map((x) => round(x));
}

export function summarise(productId: string, status: string, order: number, tomorrow: number, cover: number | null): string {
  const coverText = cover === null ? 'no expected demand' : `${count(round(cover, 1), 'day')} of cover`;
  const action = order > 0 ? `order ${count(order, 'unit')}` : 'no order needed';
  return `${productId}: ${status.toLowerCase()} stock (${coverText}); ${action}. Expected demand next day: ${count(round(tomorrow, 1), 'unit')}.`;
}

const round = (x: number, digits = 3) => Math.round(x * 10 ** digits) / 10 ** digits;
