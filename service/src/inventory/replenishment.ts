// Replenishment plan of one product at one location: a reorder-point, order-up-to policy reviewed every R days
// (order up to S when the stock position is at or below the reorder point s), driven by the daily forecast and the
// forecast error distribution. Pure: numbers in, plan out. See README.md for the choices.
import {
  combineDailyErrors,
  expectedShortfall,
  normaliseLevel,
  normalQuantile,
  periodCdf,
  periodDemand,
  periodQuantile,
  type IntervalModel,
  type PeriodDemand,
  type SumDistribution,
} from '../forecast/index';
import { REPLENISHMENT_DEFAULTS } from './attributes';
import { checkForecast, daysOfCover, extendForecast, meanDaily } from './demand';
import { count } from './wording';

export type StockStatus = 'CRITICAL' | 'LOW' | 'ADEQUATE' | 'EXCESS';
export type ServiceMeasure = 'cycle' | 'fill_rate';

/** 1 = act first. */
export const STATUS_PRIORITY: Readonly<Record<StockStatus, 1 | 2 | 3 | 4>> = { CRITICAL: 1, LOW: 2, ADEQUATE: 3, EXCESS: 4 };

/** Average correlation of daily errors assumed for 'sd' and 'interval' uncertainty when none is given. */
const DEFAULT_ERROR_CORRELATION = 0.2;

/**
 * Where the uncertainty of demand over the lead time comes from:
 * - model: the IntervalModel calibrated on the backtest (per-day bias and sd by horizon and level, correlation fitted
 *   so that backtest lead-time sums are covered as often as the service level says). Preferred. With `periodDays`
 *   the model is of a weekly or monthly store: its steps are periods of those many days (the last length repeats),
 *   and the daily path is summed into them before the model is asked (part of a period counts as its share).
 * - sd: daily error standard deviations (one value for every day, or one per day), average correlation in [0, 1].
 * - interval: a forecast interval per day at `level`; sd_t = (upper_t - lower_t) / (2 z_{(1 + level) / 2}).
 * - poisson: demand is Poisson around the forecast (variance = mean, independent days); forecast error ignored.
 *   The default when nothing else is known, with a note.
 */
export type DemandUncertainty =
  | { kind: 'model'; model: IntervalModel; periodDays?: readonly number[] }
  | { kind: 'sd'; sd: number | readonly number[]; correlation?: number }
  | { kind: 'interval'; lower: readonly number[]; upper: readonly number[]; level: number; correlation?: number }
  | { kind: 'poisson' };

export interface ReplenishmentInput {
  /** Expected units per day, day 1 = tomorrow. Extended with its mean when the lead time + review is longer. */
  dailyForecast: readonly number[];
  uncertainty?: DemandUncertainty;
  /** Shape of lead-time demand; default 'gamma' (see forecast/intervals.ts). */
  distribution?: SumDistribution;
  /** Units on hand (negative = backorders, counted in the inventory position). */
  currentStock: number;
  /** Units ordered and not yet received; assumed to arrive within the lead time. Default 0. */
  onOrder?: number;
  /** Days from placing an order to having it on the shelf (its mean); a fraction is rounded up to whole days. */
  leadTimeDays: number;
  /** Standard deviation of the lead time in days (a supplier's spread); default 0 (the lead time is known). */
  leadTimeSdDays?: number | null;
  /**
   * What serviceLevel means: 'cycle' (default) the probability of no stock-out before the next order arrives;
   * 'fill_rate' the share of units sold from the shelf.
   */
  serviceMeasure?: ServiceMeasure;
  /** Days until the next order opportunity; default 7. */
  reviewDays?: number;
  /** 0.95 or 95; default 0.95. */
  serviceLevel?: number;
  packSize?: number | null;
  minOrderQty?: number | null;
  unitCost?: number | null;
  /**
   * Price per unit sold: one value, or one per forecast day (day 1 = tomorrow; the last value beyond its end) when it
   * changes, e.g. in a what-if scenario. Money counts each day's units at that day's price.
   */
  price?: number | readonly number[] | null;
  /** EXCESS when the inventory position covers more than this multiple of (lead time + review) days; default 3. */
  excessCoverMultiple?: number;
  /** Echoed; default 'USD'. */
  currency?: string;
}

export interface ReplenishmentPlan {
  status: StockStatus;
  priority: 1 | 2 | 3 | 4;
  /**
   * Units to order now: 0 while the inventory position is above the reorder point; at or below it,
   * order_up_to - inventory_position rounded up to whole units, raised to the MOQ, rounded up to whole packs.
   */
  order_quantity: number;
  /** demand_over_lead_time + safety_stock. */
  reorder_point: number;
  /** Quantile of demand over the protection period at the service level minus its forecast, >= 0. */
  safety_stock: number;
  /** demand_over_protection + safety_stock. */
  order_up_to: number;
  /** current stock + on order. */
  inventory_position: number;
  /** Days the current (on-hand) stock lasts; null when the forecast has no demand. */
  days_of_cover: number | null;
  /** Expected units over the lead time and over the protection period (lead time + review). */
  demand_over_lead_time: number;
  demand_over_protection: number;
  lead_time_days: number;
  review_days: number;
  protection_days: number;
  /** Fraction: the target, of service_measure. */
  service_level: number;
  service_measure: ServiceMeasure;
  lead_time_sd_days: number;
  /** At order_up_to: P(demand over the protection period <= order_up_to), and the share of units served from the shelf. */
  expected_cycle_service_level: number;
  expected_fill_rate: number | null;
  /**
   * Expected units the inventory position cannot serve before an order placed now arrives: E[max(0, D_L - position)],
   * with D_L spread around demand_over_lead_time as the error model says; never more than demand_over_lead_time.
   */
  expected_unmet_demand: number;
  /** Price per unit the money uses: the price, or with prices by day the average over the protection period weighted by demand. */
  price: number | null;
  /** Sum over the protection period of each day's expected units x that day's price. */
  expected_revenue: number | null;
  /** expected_unmet_demand x the lead-time days' price (weighted by demand when it changes). */
  revenue_at_risk: number | null;
  /** order_quantity x unit cost. */
  order_value: number | null;
  /** Units of the inventory position above order_up_to, and their value at unit cost. */
  excess_units: number;
  excess_stock_value: number | null;
  currency: string;
  uncertainty: DemandUncertainty['kind'];
  notes: string[];
  /** Demand over the lead time and over the protection period as the plan modelled it (for a budget's ranking). */
  demand_model: { lead: PeriodDemand; protection: PeriodDemand; distribution: SumDistribution };
}

// Doubles from 2^52 up have no hundredths to round, and x * 100 could overflow to Infinity there.
const round2 = (x: number) => (Math.abs(x) >= 2 ** 52 ? x : Math.round(x * 100) / 100);
const fmt = (x: number) => String(round2(x));

function finite(name: string, x: unknown, min = -Infinity): number {
  if (typeof x !== 'number' || !Number.isFinite(x) || x < min) {
    throw new RangeError(`${name} must be a finite number${min > -Infinity ? ` >= ${min}` : ''}, got ${String(x)}`);
  }
  return x;
}

function optional(name: string, x: number | null | undefined, positive: boolean): number | null {
  if (x === null || x === undefined) return null;
  const v = finite(name, x, 0);
  if (positive && v === 0) throw new RangeError(`${name} must be > 0, got 0`);
  return v;
}

/** Whole days (a fraction rounded up, with a note naming the field as the API does). */
function wholeDays(name: string, field: string, x: number, notes: string[]): number {
  const v = finite(name, x, 0);
  const d = Math.ceil(v - 1e-9);
  if (d !== v) notes.push(`${field} ${v} rounded up to ${count(d, 'day')}`);
  return d;
}

/** Per-day prices of `days` days, or null when unknown; a constant stays a constant. */
function pricesOf(x: number | readonly number[] | null | undefined): number | readonly number[] | null {
  if (Array.isArray(x)) {
    if (x.length === 0) throw new RangeError('price must be a number or a non-empty array of daily prices');
    x.forEach((p, i) => finite(`price[${i}]`, p, 0));
    return x;
  }
  return optional('price', x as number | null | undefined, false);
}

/** Units x price summed over the days of `path`, and the price per unit that makes (demand-weighted average). */
function valueOf(path: readonly number[], price: number | readonly number[]): { value: number; perUnit: number } {
  if (typeof price === 'number') return { value: path.reduce((s, f) => s + f, 0) * price, perUnit: price };
  let units = 0;
  let value = 0;
  path.forEach((f, t) => {
    units += f;
    value += f * dailyValue(price, t);
  });
  // Without demand the average is undefined: the first day's price stands for the period.
  return { value, perUnit: units > 0 ? value / units : dailyValue(price, 0) };
}

/** Error model of the days 1..days of `path` under the given uncertainty. */
function periodOf(path: readonly number[], u: DemandUncertainty): PeriodDemand {
  const mean = path.reduce((s, f) => s + f, 0);
  switch (u.kind) {
    case 'model':
      return periodDemand(u.model, u.periodDays ? inPeriods(path, u.periodDays) : path);
    case 'poisson':
      return { mean, bias: 0, sd: Math.sqrt(mean) };
    case 'sd': {
      const sds = path.map((_, t) => dailyValue(u.sd, t));
      return { mean, bias: 0, sd: combineDailyErrors(sds, u.correlation ?? DEFAULT_ERROR_CORRELATION) };
    }
    case 'interval': {
      const z = normalQuantile((1 + normaliseLevel(u.level)) / 2);
      const sds = path.map((_, t) => (dailyValue(u.upper, t) - dailyValue(u.lower, t)) / (2 * z));
      return { mean, bias: 0, sd: combineDailyErrors(sds, u.correlation ?? DEFAULT_ERROR_CORRELATION) };
    }
  }
}

/** Daily units summed into consecutive periods of the given day lengths (the last length repeats; the last period may be partial). */
function inPeriods(path: readonly number[], lengths: readonly number[]): number[] {
  const out: number[] = [];
  let t = 0;
  for (let k = 0; t < path.length; k++) {
    const n = lengths[Math.min(k, lengths.length - 1)];
    let sum = 0;
    for (let j = 0; j < n && t < path.length; j++, t++) sum += path[t];
    out.push(sum);
  }
  return out;
}

/** Day t's value of a constant or per-day array (the last value beyond its end). */
function dailyValue(v: number | readonly number[], t: number): number {
  if (typeof v === 'number') return v;
  return v[Math.min(t, v.length - 1)];
}

function checkUncertainty(u: DemandUncertainty): void {
  const arr = (name: string, a: readonly number[]) => {
    if (!Array.isArray(a) || a.length === 0) throw new RangeError(`${name} must be a non-empty array`);
    a.forEach((x, i) => finite(`${name}[${i}]`, x, 0));
  };
  if (u.kind === 'sd') {
    if (typeof u.sd === 'number') finite('uncertainty.sd', u.sd, 0);
    else arr('uncertainty.sd', u.sd);
  } else if (u.kind === 'interval') {
    arr('uncertainty.lower', u.lower);
    arr('uncertainty.upper', u.upper);
    if (u.lower.length !== u.upper.length) throw new RangeError('uncertainty.lower and uncertainty.upper differ in length');
    u.lower.forEach((l, i) => {
      if (u.upper[i] < l) throw new RangeError(`uncertainty.upper[${i}] is below uncertainty.lower[${i}]`);
    });
    normaliseLevel(u.level, 'uncertainty.level');
  } else if (u.kind === 'model') {
    if (!u.model || !Array.isArray(u.model.groups) || u.model.groups.length === 0)
      throw new RangeError('uncertainty.model is not an interval model');
    if (u.periodDays && !u.periodDays.every((n) => Number.isInteger(n) && n >= 1))
      throw new RangeError('uncertainty.periodDays must be whole days >= 1');
  }
  if ((u.kind === 'sd' || u.kind === 'interval') && u.correlation !== undefined) {
    if (!(u.correlation >= 0 && u.correlation <= 1))
      throw new RangeError(`uncertainty.correlation must be in [0, 1], got ${u.correlation}`);
  }
}

/**
 * Replenishment plan (reorder point s, order-up-to S, reviewed every R days):
 *   protection = lead time L + review period R days
 *   safety stock SS = max(0, Q_sl(D_protection) - E[D_protection])   (Q from the error model, see DemandUncertainty)
 *   reorder point s = E[D_L] + SS ; order-up-to S = E[D_protection] + SS
 *   position = stock + on order; above s: order 0; at or below s: S - position rounded up to whole units, raised to
 *   the MOQ, rounded up to the pack.
 * Status from the inventory position (on-order assumed to arrive within the lead time):
 *   CRITICAL (1) it covers fewer days than the lead time: a stock-out is expected before an order placed now arrives;
 *   LOW (2) at or below the reorder point (an order is due); EXCESS (4) above it and covering more than
 *   excessCoverMultiple x max(1, L + R) days (or the forecast has no demand and there is stock); ADEQUATE (3) otherwise.
 * So an order is suggested exactly when the status is CRITICAL or LOW.
 */
export function replenishmentPlan(input: ReplenishmentInput): ReplenishmentPlan {
  const notes: string[] = [];
  checkForecast(input.dailyForecast);
  const forecast = input.dailyForecast;
  const stock = finite('currentStock', input.currentStock);
  const onOrder = finite('onOrder', input.onOrder ?? 0, 0);
  const L = wholeDays('leadTimeDays', 'lead_time_days', input.leadTimeDays, notes);
  const R = wholeDays('reviewDays', 'review_days', input.reviewDays ?? REPLENISHMENT_DEFAULTS.reviewDays, notes);
  const P = L + R;
  const serviceLevel = normaliseLevel(input.serviceLevel ?? REPLENISHMENT_DEFAULTS.serviceLevel, 'serviceLevel');
  const pack = optional('packSize', input.packSize, true);
  const moq = optional('minOrderQty', input.minOrderQty, false);
  const unitCost = optional('unitCost', input.unitCost, false);
  const price = pricesOf(input.price);
  const multiple = finite('excessCoverMultiple', input.excessCoverMultiple ?? REPLENISHMENT_DEFAULTS.excessCoverMultiple, 0);
  if (multiple === 0) throw new RangeError('excessCoverMultiple must be > 0');
  const distribution = input.distribution ?? 'gamma';
  const uncertainty: DemandUncertainty = input.uncertainty ?? { kind: 'poisson' };
  checkUncertainty(uncertainty);
  if (!input.uncertainty)
    notes.push('no error model: demand assumed Poisson around the forecast (variance = mean), forecast error not included');
  if (uncertainty.kind === 'model' && !uncertainty.periodDays && P > uncertainty.model.horizon) {
    notes.push(`error model calibrated for ${uncertainty.model.horizon} days; later days use its last horizon group`);
  }

  const mean = meanDaily(forecast);
  if (P > forecast.length) {
    notes.push(
      `forecast covers ${count(forecast.length, 'day')}; days ${forecast.length + 1}..${P} use its mean of ${count(fmt(mean), 'unit')}/day`,
    );
  }
  const path = extendForecast(forecast, Math.max(P, forecast.length));
  const leadPath = path.slice(0, L);
  const protPath = path.slice(0, P);
  const leadSd = optional('leadTimeSdDays', input.leadTimeSdDays, false) ?? 0;
  const measure: ServiceMeasure = input.serviceMeasure ?? 'cycle';
  if (measure !== 'cycle' && measure !== 'fill_rate')
    throw new RangeError(`serviceMeasure must be cycle or fill_rate, got ${String(measure)}`);
  // Demand over a lead time that varies: Var = Var(demand over the mean lead time) + (daily demand x lead-time sd)^2.
  const perDay = P > 0 ? path.slice(0, P).reduce((a, b) => a + b, 0) / P : mean;
  const spread = (d: PeriodDemand): PeriodDemand => (leadSd > 0 ? { ...d, sd: Math.sqrt(d.sd ** 2 + (perDay * leadSd) ** 2) } : d);
  const dLead = spread(periodOf(leadPath, uncertainty));
  const dProt = spread(periodOf(protPath, uncertainty));
  if (leadSd > 0) notes.push(`lead time ${L} days give or take ${fmt(leadSd)}: the safety stock covers that spread too`);
  // Units a review cycle sells (at least a day's, when orders can be placed every day).
  const cycleDemand = path.slice(L, L + Math.max(1, R)).reduce((a, b) => a + b, 0);
  const fillRateAt = (level: number) =>
    cycleDemand > 0
      ? 1 - Math.max(0, expectedShortfall(dProt, level, distribution) - expectedShortfall(dLead, level, distribution)) / cycleDemand
      : null;

  // Safety stock over the protection period: the quantile of its demand at the service level, or (fill rate) the
  // least order-up-to level whose expected shortage per cycle leaves that share of the cycle's units served.
  let target = P > 0 ? periodQuantile(dProt, serviceLevel, distribution) : 0;
  if (measure === 'fill_rate' && P > 0 && cycleDemand > 0) {
    let lo = 0;
    let hi = Math.max(target, periodQuantile(dProt, 0.99999, distribution));
    for (let i = 0; i < 80 && hi - lo > 1e-6 * Math.max(1, hi); i++) {
      const mid = (lo + hi) / 2;
      if (fillRateAt(mid)! >= serviceLevel) hi = mid;
      else lo = mid;
    }
    target = hi;
  }
  const rawSafety = target - dProt.mean;
  const safety = Math.max(0, rawSafety);
  if (rawSafety < -1e-9) notes.push('safety stock floored at 0: the error model says the forecast runs high');
  const reorderPoint = dLead.mean + safety;
  const orderUpTo = dProt.mean + safety;
  const position = stock + onOrder;
  if (stock < 0) notes.push(`negative stock ${fmt(stock)} read as backorders: it lowers the inventory position`);

  // Order quantity: only at or below the reorder point (compared as reported, to the cent), then up to S.
  let order = 0;
  const raw = orderUpTo - position;
  const due = round2(position) <= round2(reorderPoint) && raw > 1e-9;
  if (due) {
    order = Math.ceil(raw - 1e-9);
    if (moq !== null && order < moq) {
      notes.push(`order raised from ${order} to the minimum order quantity ${moq}`);
      order = Math.ceil(moq - 1e-9);
    }
    if (pack !== null) {
      // At least one pack: the epsilon (float noise) would round order / pack below 1e-9 down to 0 packs.
      const packs = Math.max(1, Math.ceil(order / pack - 1e-9));
      // A pack so small that the count of packs overflows (5e-324) constrains whole units in no way.
      const packed = Number.isFinite(packs) ? packs * pack : order;
      if (packed !== order) notes.push(`order rounded up from ${order} to ${packed} (${count(packed / pack, 'pack')} of ${pack})`);
      order = round2(packed);
    }
  }

  // Cover and status.
  const cover = daysOfCover(forecast, stock);
  const positionCover = daysOfCover(forecast, position);
  const noDemand = !(mean > 0);
  const excessDays = multiple * Math.max(1, P);
  let status: StockStatus;
  if (noDemand) {
    status = position > 0 ? 'EXCESS' : 'ADEQUATE';
    notes.push('the forecast has no demand: days of cover are unbounded (null)' + (position > 0 ? ', all stock is excess' : ''));
  } else if (positionCover! < L) {
    status = 'CRITICAL';
    notes.push(
      `${onOrder > 0 ? 'stock and on-order units last' : 'stock lasts'} ${count(fmt(positionCover!), 'day')}, less than the ${L}-day lead time: a stock-out is expected before an order placed now arrives`,
    );
  } else if (due) {
    status = 'LOW';
  } else if (positionCover! > excessDays) {
    status = 'EXCESS';
    notes.push(
      `${onOrder > 0 ? 'stock and on-order units cover' : 'stock covers'} ${count(fmt(positionCover!), 'day')}, more than ${multiple} x ${count(Math.max(1, P), 'day')}`,
    );
  } else {
    status = 'ADEQUATE';
  }
  if (!noDemand) {
    const what = `stock position ${fmt(position)}${onOrder > 0 ? ' (stock + on order)' : ''}`;
    if (due) notes.push(`${what} is at or below the reorder point ${fmt(reorderPoint)}: order up to ${fmt(orderUpTo)}`);
    else if (round2(position) > round2(reorderPoint))
      notes.push(`${what} is above the reorder point ${fmt(reorderPoint)}: no order needed`);
    else notes.push(`${what} is already at the order-up-to level ${fmt(orderUpTo)}: no order needed`);
  }
  if (!noDemand && onOrder > 0 && cover! < L && status !== 'CRITICAL') {
    notes.push(`on-hand stock lasts ${count(fmt(cover!), 'day')}, less than the lead time: on-order units are assumed to arrive in time`);
  }
  if (!noDemand && stock <= 0) notes.push('out of stock now');

  // Money. Lost units are spread around the forecast shown as expected demand, without the calibrated bias (which
  // only moves the safety-stock quantile): with it they could exceed demand_over_lead_time.
  const unmet = L > 0 ? expectedShortfall({ ...dLead, bias: 0 }, position, distribution) : 0;
  const revenue = price === null ? null : valueOf(protPath, price);
  const leadPrice = price === null ? null : valueOf(leadPath.length > 0 ? leadPath : path.slice(0, 1), price).perUnit;
  const excessUnits = round2(Math.max(0, position - orderUpTo));
  if (price === null) notes.push('price unknown: expected revenue and revenue at risk not computed');
  if (unitCost === null && (order > 0 || excessUnits > 0)) notes.push('unit cost unknown: order value and excess stock value not computed');

  return {
    status,
    priority: STATUS_PRIORITY[status],
    order_quantity: order,
    reorder_point: round2(reorderPoint),
    safety_stock: round2(safety),
    order_up_to: round2(orderUpTo),
    inventory_position: round2(position),
    days_of_cover: cover === null ? null : round2(cover),
    demand_over_lead_time: round2(dLead.mean),
    demand_over_protection: round2(dProt.mean),
    lead_time_days: L,
    review_days: R,
    protection_days: P,
    service_level: serviceLevel,
    service_measure: measure,
    lead_time_sd_days: leadSd,
    expected_cycle_service_level: P > 0 ? Math.round(periodCdf(dProt, orderUpTo, distribution) * 10_000) / 10_000 : 1,
    expected_fill_rate: (() => {
      const f = fillRateAt(orderUpTo);
      return f === null ? null : Math.round(Math.min(1, f) * 10_000) / 10_000;
    })(),
    expected_unmet_demand: round2(unmet),
    price: revenue === null ? null : revenue.perUnit,
    expected_revenue: revenue === null ? null : round2(revenue.value),
    revenue_at_risk: leadPrice === null ? null : round2(unmet * leadPrice),
    order_value: order === 0 ? 0 : unitCost === null ? null : round2(order * unitCost),
    excess_units: excessUnits,
    excess_stock_value: excessUnits === 0 ? 0 : unitCost === null ? null : round2(excessUnits * unitCost),
    currency: input.currency ?? REPLENISHMENT_DEFAULTS.currency,
    uncertainty: uncertainty.kind,
    notes,
    demand_model: { lead: dLead, protection: dProt, distribution },
  };
}
