// The safety stock against simulation, on made-up data: daily demand Poisson(20), a supplier whose lead time is 3 to
// 9 days (mean 6, sd 2), an order every 7 days up to the plan's order-up-to level, backorders allowed. The service
// target, as a cycle service level or as a fill rate, must be what the simulated system delivers, within 2 points.
import { describe, expect, it } from 'vitest';
import { poisson, rng } from '../forecast/testing';
import { replenishmentPlan } from './replenishment';

const DAILY = 20;
const REVIEW = 7;
const LEAD_MEAN = 6;
const LEAD_SD = 2; // a lead time uniform on 3..9 days has mean 6 and sd 2

const leadTime = (rand: () => number) => 3 + Math.floor(rand() * 7);

const plan = (serviceLevel: number, serviceMeasure: 'cycle' | 'fill_rate', leadTimeSdDays: number) =>
  replenishmentPlan({
    dailyForecast: Array(60).fill(DAILY),
    uncertainty: { kind: 'poisson' },
    currentStock: 0,
    leadTimeDays: LEAD_MEAN,
    leadTimeSdDays,
    reviewDays: REVIEW,
    serviceLevel,
    serviceMeasure,
  });

/**
 * The share of review cycles without a stock-out: after an order brings the position to S, none happens before the
 * next order arrives exactly when the demand over the review period plus that order's lead time is at most S.
 */
function simulatedCycleServiceLevel(orderUpTo: number, cycles: number, seed: number): number {
  const rand = rng(seed);
  let served = 0;
  for (let c = 0; c < cycles; c++) {
    const days = REVIEW + leadTime(rand);
    let demand = 0;
    for (let d = 0; d < days; d++) demand += poisson(rand, DAILY);
    if (demand <= orderUpTo) served++;
  }
  return served / cycles;
}

/** Day by day: orders every REVIEW days up to S, random lead times, backorders; the share of units sold off the shelf. */
function simulatedFillRate(orderUpTo: number, days: number, seed: number): number {
  const rand = rng(seed);
  let onHand = orderUpTo;
  const arrivals = new Map<number, number>();
  let onOrder = 0;
  let demanded = 0;
  let fromShelf = 0;
  for (let t = 0; t < days; t++) {
    const arriving = arrivals.get(t) ?? 0;
    onHand += arriving;
    onOrder -= arriving;
    arrivals.delete(t);
    if (t % REVIEW === 0) {
      const order = Math.max(0, orderUpTo - (onHand + onOrder));
      if (order > 0) {
        const at = t + leadTime(rand);
        arrivals.set(at, (arrivals.get(at) ?? 0) + order);
        onOrder += order;
      }
    }
    const demand = poisson(rand, DAILY);
    // The first weeks fill the pipeline: counted from then on.
    if (t >= 70) {
      demanded += demand;
      fromShelf += Math.min(demand, Math.max(0, onHand));
    }
    onHand -= demand;
  }
  return fromShelf / demanded;
}

describe('service targets against simulation', () => {
  it('a cycle service level holds with a supplier whose lead time varies, and only with its spread in the safety stock', () => {
    for (const level of [0.9, 0.95, 0.98]) {
      const p = plan(level, 'cycle', LEAD_SD);
      const simulated = simulatedCycleServiceLevel(p.order_up_to, 40_000, 7);
      expect(Math.abs(simulated - level), `target ${level}, simulated ${simulated}`).toBeLessThanOrEqual(0.02);
      expect(p.expected_cycle_service_level).toBeCloseTo(level, 2);
    }
    // The same target with the lead time taken as fixed falls well short.
    const fixed = plan(0.95, 'cycle', 0);
    expect(simulatedCycleServiceLevel(fixed.order_up_to, 40_000, 7)).toBeLessThan(0.9);
    expect(plan(0.95, 'cycle', LEAD_SD).safety_stock).toBeGreaterThan(fixed.safety_stock + 20);
  });

  it('a fill rate holds: the share of units sold off the shelf is the target, within 2 points', () => {
    for (const level of [0.95, 0.98, 0.99]) {
      const p = plan(level, 'fill_rate', LEAD_SD);
      expect(p.service_measure).toBe('fill_rate');
      const simulated = simulatedFillRate(p.order_up_to, 150_000, 11);
      expect(Math.abs(simulated - level), `target ${level}, simulated ${simulated}`).toBeLessThanOrEqual(0.02);
      expect(p.expected_fill_rate).toBeCloseTo(level, 2);
    }
  });

  it('a fill rate asks for less safety stock than the same cycle service level, and says what each delivers', () => {
    const cycle = plan(0.95, 'cycle', LEAD_SD);
    const fill = plan(0.95, 'fill_rate', LEAD_SD);
    expect(fill.safety_stock).toBeLessThan(cycle.safety_stock);
    // A 95% cycle service level serves far more than 95% of units; a 95% fill rate leaves cycles short more often.
    expect(cycle.expected_fill_rate!).toBeGreaterThan(0.99);
    expect(fill.expected_cycle_service_level).toBeLessThan(0.95);
    expect(cycle.notes.join(' ')).toMatch(/lead time 6 days give or take 2/);
  });

  it('plans a forecast of almost nothing with a spread without failing (an override of x5e-324, found by fuzzing)', () => {
    for (const serviceMeasure of ['cycle', 'fill_rate'] as const) {
      const p = replenishmentPlan({
        dailyForecast: Array(30).fill(5e-324),
        uncertainty: { kind: 'sd', sd: 1 },
        currentStock: 0,
        leadTimeDays: 5,
        leadTimeSdDays: 2,
        serviceLevel: 0.95,
        serviceMeasure,
      });
      expect(Number.isFinite(p.order_up_to)).toBe(true);
      expect(p.expected_unmet_demand).toBeGreaterThanOrEqual(0);
    }
  });
});
