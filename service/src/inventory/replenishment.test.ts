import { describe, expect, it } from 'vitest';
import { calibrateIntervals, errorMoments } from '../forecast/intervals';
import { residualsOf, syntheticSeries } from '../forecast/testing';
import { REPLENISHMENT_DEFAULTS, resolveAttributes } from './attributes';
import { daysOfCover, demandBreakdown, demandOver, extendForecast } from './demand';
import { replenishmentPlan, STATUS_PRIORITY, type ReplenishmentInput } from './replenishment';

// Worked example used throughout: a flat forecast of 10 units/day for 28 days, lead time L = 5, review R = 7,
// service level 95%.
//   protection period P = L + R = 12 days
//   demand over lead time  = 5 x 10 = 50
//   demand over protection = 12 x 10 = 120
// Without an error model, demand is Poisson: variance = mean = 120 over the protection period. Lead-time demand is
// modelled as a gamma with that mean and variance: shape k = 120^2 / 120 = 120, scale 1. Its 95% quantile
// (Wilson-Hilferty: 120 (1 - 1/(9 x 120) + 1.644854 / (3 sqrt(120)))^3 = 120 x 1.049129^3 = 138.569) is 138.57:
//   safety stock  = 138.57 - 120 = 18.57
//   reorder point = 50 + 18.57 = 68.57
//   order-up-to   = 120 + 18.57 = 138.57
const flat = new Array<number>(28).fill(10);
const base: ReplenishmentInput = { dailyForecast: flat, currentStock: 30, leadTimeDays: 5, reviewDays: 7, serviceLevel: 0.95 };

describe('replenishmentPlan: worked examples (flat 10/day, L = 5, R = 7, 95%)', () => {
  it('CRITICAL: 30 units last 3 days < 5 lead-time days; order rounded up to packs of 12', () => {
    const plan = replenishmentPlan({ ...base, packSize: 12, price: 5, unitCost: 3 });
    expect(plan.safety_stock).toBe(18.57);
    expect(plan.reorder_point).toBe(68.57);
    expect(plan.order_up_to).toBe(138.57);
    expect(plan.demand_over_lead_time).toBe(50);
    expect(plan.demand_over_protection).toBe(120);
    expect(plan.days_of_cover).toBe(3);
    expect(plan.status).toBe('CRITICAL');
    expect(plan.priority).toBe(1);
    // 138.57 - 30 = 108.57 -> 109 units -> ceil(109 / 12) = 10 packs = 120 units.
    expect(plan.order_quantity).toBe(120);
    expect(plan.notes).toContain('order rounded up from 109 to 120 (10 packs of 12)');
    // Lead-time demand ~ gamma(50, 1); 30 units in hand: E[max(0, D - 30)] = (50 - 30) + E[max(0, 30 - D)] = 20.00
    // (demand below 30 is 3 sd below the mean). Revenue at risk 20 x 5 = 100.
    expect(plan.expected_unmet_demand).toBe(20);
    expect(plan.revenue_at_risk).toBe(100);
    expect(plan.expected_revenue).toBe(600); // 120 units over the protection period x 5
    expect(plan.order_value).toBe(360); // 120 x 3
    expect(plan.excess_units).toBe(0);
    expect(plan.excess_stock_value).toBe(0);
    expect(plan.currency).toBe('USD');
    expect(plan.uncertainty).toBe('poisson');
    expect(plan.notes.join(' ')).toMatch(/Poisson/);
  });

  it('the textbook normal: safety stock = z sd = 1.644854 x sqrt(120) = 18.02', () => {
    const plan = replenishmentPlan({ ...base, distribution: 'normal' });
    expect(plan.safety_stock).toBe(18.02);
    expect(plan.reorder_point).toBe(68.02);
    expect(plan.order_up_to).toBe(138.02);
    expect(plan.order_quantity).toBe(109); // 108.02 -> 109 whole units, no pack
  });

  it('LOW: 60 units last 6 days (>= lead time) but sit below the reorder point 68.57', () => {
    const plan = replenishmentPlan({ ...base, currentStock: 60, packSize: 12 });
    expect(plan.days_of_cover).toBe(6);
    expect(plan.status).toBe('LOW');
    expect(plan.priority).toBe(2);
    // 138.57 - 60 = 78.57 -> 79 -> 7 packs = 84.
    expect(plan.order_quantity).toBe(84);
  });

  it('ADEQUATE: 100 units, above the reorder point, 10 days of cover (EXCESS only above 3 x 12 = 36): no order', () => {
    const plan = replenishmentPlan({ ...base, currentStock: 100 });
    expect(plan.status).toBe('ADEQUATE');
    expect(plan.priority).toBe(3);
    // Above the reorder point 68.57 nothing is ordered, though 100 is below the order-up-to level 138.57.
    expect(plan.order_quantity).toBe(0);
    expect(plan.notes).toContain('stock position 100 is above the reorder point 68.57: no order needed');
    // A minimum order does not force one either.
    expect(replenishmentPlan({ ...base, currentStock: 100, minOrderQty: 500 }).order_quantity).toBe(0);
  });

  it('at or below the reorder point: LOW, and an order up to the order-up-to level', () => {
    // 68 < 68.57: 138.57 - 68 = 70.57 -> 71.
    const plan = replenishmentPlan({ ...base, currentStock: 68 });
    expect(plan.status).toBe('LOW');
    expect(plan.order_quantity).toBe(71);
    expect(plan.notes).toContain('stock position 68 is at or below the reorder point 68.57: order up to 138.57');
    // Exactly at the reorder point (as reported, to the cent) orders too; a cent above does not.
    expect(replenishmentPlan({ ...base, currentStock: 68.57 }).order_quantity).toBe(70);
    expect(replenishmentPlan({ ...base, currentStock: 68.58 }).order_quantity).toBe(0);
    expect(replenishmentPlan({ ...base, currentStock: 68.58 }).status).toBe('ADEQUATE');
  });

  it('an order is suggested exactly when the status is CRITICAL or LOW', () => {
    for (let stock = -20; stock <= 500; stock += 0.5) {
      for (const extra of [{}, { onOrder: 15 }, { leadTimeDays: 0 }, { reviewDays: 0 }, { minOrderQty: 200, packSize: 24 }]) {
        const plan = replenishmentPlan({ ...base, ...extra, currentStock: stock });
        expect(plan.order_quantity > 0, `${stock} ${JSON.stringify(extra)}: ${plan.status} ${plan.order_quantity}`).toBe(
          plan.status === 'CRITICAL' || plan.status === 'LOW',
        );
      }
    }
  });

  it('EXCESS: 400 units cover 40 days > 3 x 12; excess above order-up-to valued at cost', () => {
    const plan = replenishmentPlan({ ...base, currentStock: 400, unitCost: 2 });
    expect(plan.days_of_cover).toBe(40);
    expect(plan.status).toBe('EXCESS');
    expect(plan.priority).toBe(4);
    expect(plan.order_quantity).toBe(0);
    expect(plan.order_value).toBe(0);
    // 400 - 138.57 = 261.43 units x 2 = 522.86 (days 29..40 extrapolated with the mean 10/day).
    expect(plan.excess_units).toBe(261.43);
    expect(plan.excess_stock_value).toBe(522.86);
    expect(replenishmentPlan({ ...base, currentStock: 400, excessCoverMultiple: 4 }).status).toBe('ADEQUATE'); // 40 <= 48
  });

  it('unknown cost or price: null, with a note, never invented', () => {
    const plan = replenishmentPlan({ ...base });
    expect(plan.order_quantity).toBe(109);
    expect(plan.order_value).toBeNull();
    expect(plan.expected_revenue).toBeNull();
    expect(plan.revenue_at_risk).toBeNull();
    expect(plan.notes).toContain('unit cost unknown: order value and excess stock value not computed');
    expect(plan.notes).toContain('price unknown: expected revenue and revenue at risk not computed');
    const excess = replenishmentPlan({ ...base, currentStock: 400, price: 4 });
    expect(excess.excess_stock_value).toBeNull();
    expect(excess.expected_revenue).toBe(480);
  });

  it('zero demand: days of cover null (no Infinity in JSON), no order, stock is excess', () => {
    const zero = new Array<number>(28).fill(0);
    const plan = replenishmentPlan({ ...base, dailyForecast: zero, currentStock: 25, unitCost: 4 });
    expect(plan.days_of_cover).toBeNull();
    expect(plan.status).toBe('EXCESS');
    expect(plan.order_quantity).toBe(0);
    expect(plan.safety_stock).toBe(0);
    expect(plan.excess_units).toBe(25);
    expect(plan.excess_stock_value).toBe(100);
    expect(JSON.stringify(plan)).not.toMatch(/Infinity|NaN/);
    expect(JSON.parse(JSON.stringify(plan)).days_of_cover).toBeNull();
    const empty = replenishmentPlan({ ...base, dailyForecast: zero, currentStock: 0 });
    expect(empty.status).toBe('ADEQUATE');
    expect(empty.days_of_cover).toBe(0);
    expect(empty.order_quantity).toBe(0);
  });

  it('minimum order quantity, alone and with a pack size', () => {
    // 60 in stock (below the reorder point): 138.57 - 60 = 78.57 -> 79 units, raised to the MOQ of 100.
    const moq = replenishmentPlan({ ...base, currentStock: 60, minOrderQty: 100 });
    expect(moq.order_quantity).toBe(100);
    expect(moq.notes).toContain('order raised from 79 to the minimum order quantity 100');
    // MOQ 100 with packs of 12: 100 -> 9 packs = 108.
    expect(replenishmentPlan({ ...base, currentStock: 60, minOrderQty: 100, packSize: 12 }).order_quantity).toBe(108);
    // One pack, said in the singular.
    expect(replenishmentPlan({ ...base, currentStock: 60, packSize: 1000 }).notes).toContain(
      'order rounded up from 79 to 1000 (1 pack of 1000)',
    );
    // No order needed: the MOQ does not force one.
    expect(replenishmentPlan({ ...base, currentStock: 200, minOrderQty: 50 }).order_quantity).toBe(0);
  });

  it('on-order stock counts in the inventory position (assumed to arrive within the lead time)', () => {
    // 30 on hand + 40 on order = 70: lasts 7 days >= 5, and 70 > 68.57: ADEQUATE, nothing to order.
    const plan = replenishmentPlan({ ...base, onOrder: 40, packSize: 12, price: 5 });
    expect(plan.inventory_position).toBe(70);
    expect(plan.days_of_cover).toBe(3); // on hand only
    expect(plan.status).toBe('ADEQUATE');
    expect(plan.order_quantity).toBe(0);
    expect(plan.notes).toContain('stock position 70 (stock + on order) is above the reorder point 68.57: no order needed');
    // 30 + 35 on order = 65 <= 68.57: LOW; 138.57 - 65 = 73.57 -> 74 -> 7 packs = 84.
    expect(replenishmentPlan({ ...base, onOrder: 35, packSize: 12 }).order_quantity).toBe(84);
    expect(plan.notes.join(' ')).toMatch(/on-hand stock lasts 3 days, less than the lead time/);
    // 70 units against gamma(50, 1) lead-time demand: shortfall only if demand > 70 (2.8 sd): a fraction of a unit.
    expect(plan.expected_unmet_demand).toBeLessThan(0.1);
    // 30 + 10 on order = 40 < 50: still CRITICAL.
    expect(replenishmentPlan({ ...base, onOrder: 10 }).status).toBe('CRITICAL');
  });

  it('service level as 0.95 or 95; higher level, more safety stock; nonsense rejected', () => {
    expect(replenishmentPlan({ ...base, serviceLevel: 95 })).toEqual(replenishmentPlan(base));
    expect(replenishmentPlan({ dailyForecast: flat, currentStock: 30, leadTimeDays: 5, reviewDays: 7 }).service_level).toBe(0.95);
    expect(replenishmentPlan({ ...base, serviceLevel: 99 }).safety_stock).toBeGreaterThan(replenishmentPlan(base).safety_stock);
    expect(replenishmentPlan({ ...base, serviceLevel: 50 }).safety_stock).toBeLessThan(1);
    for (const bad of [0, 100, -5, NaN]) expect(() => replenishmentPlan({ ...base, serviceLevel: bad })).toThrow(RangeError);
  });
});

describe('replenishmentPlan: sources of uncertainty', () => {
  // Daily error sd 3 over the 12-day protection period (normal, to keep the arithmetic by hand):
  //   independent (rho 0): sd = 3 sqrt(12) = 10.392 -> SS = 1.644854 x 10.392 = 17.09
  //   fully correlated (rho 1): sd = 12 x 3 = 36 -> SS = 59.21
  //   rho 0.5: sd = sqrt(0.5 x 108 + 0.5 x 1296) = sqrt(702) = 26.495 -> SS = 43.58
  it('daily sd with a correlation: quadrature, linear, and in between', () => {
    const plan = (correlation: number) =>
      replenishmentPlan({ ...base, distribution: 'normal', uncertainty: { kind: 'sd', sd: 3, correlation } });
    expect(plan(0).safety_stock).toBe(17.09);
    expect(plan(1).safety_stock).toBe(59.21);
    expect(plan(0.5).safety_stock).toBe(43.58);
    expect(plan(0.5).uncertainty).toBe('sd');
    // Gamma with the same mean and sd (k = 120^2 / 108 = 133.3): a little more, for the right skew.
    const g = replenishmentPlan({ ...base, uncertainty: { kind: 'sd', sd: 3, correlation: 0 } });
    expect(g.safety_stock).toBe(17.59);
  });

  it('a forecast interval is read as sd = width / (2 z): 80% interval 10 +- 3.8447 is sd 3', () => {
    const half = 1.2815515655446004 * 3;
    const viaInterval = replenishmentPlan({
      ...base,
      uncertainty: { kind: 'interval', lower: flat.map((f) => f - half), upper: flat.map((f) => f + half), level: 80, correlation: 0.3 },
    });
    const viaSd = replenishmentPlan({ ...base, uncertainty: { kind: 'sd', sd: 3, correlation: 0.3 } });
    expect(viaInterval.safety_stock).toBe(viaSd.safety_stock);
    expect(viaInterval.order_quantity).toBe(viaSd.order_quantity);
  });

  it('a calibrated interval model: order-up-to covers held-out 12-day demand about 95% of the time', () => {
    const all = syntheticSeries({ series: 4000, seed: 21, size: 3, minMean: 0.5, maxMean: 40 });
    const model = calibrateIntervals(residualsOf(all.filter((_, i) => i % 2 === 0)));
    const test = all.filter((_, i) => i % 2 === 1);
    let covered = 0;
    for (const s of test) {
      const plan = replenishmentPlan({
        dailyForecast: new Array<number>(28).fill(s.mean),
        currentStock: 0,
        leadTimeDays: 5,
        reviewDays: 7,
        serviceLevel: 95,
        uncertainty: { kind: 'model', model },
      });
      if (s.actual.slice(0, 12).reduce((a, b) => a + b, 0) <= plan.order_up_to) covered++;
    }
    expect(Math.abs(covered / test.length - 0.95)).toBeLessThan(0.02);
    // Negative binomial errors are wider than Poisson: more safety stock than the Poisson fallback at 10/day.
    const withModel = replenishmentPlan({ ...base, uncertainty: { kind: 'model', model } });
    expect(withModel.safety_stock).toBeGreaterThan(replenishmentPlan(base).safety_stock);
    expect(withModel.uncertainty).toBe('model');
  });

  it('slow movers: a whole-unit order and positive safety stock', () => {
    const plan = replenishmentPlan({ dailyForecast: new Array<number>(28).fill(0.2), currentStock: 0, leadTimeDays: 7, reviewDays: 7 });
    // 14 days x 0.2 = 2.8 expected; Poisson-gamma 95% quantile ~ 6: safety stock ~ 3.
    expect(plan.demand_over_protection).toBe(2.8);
    expect(plan.safety_stock).toBeGreaterThan(2);
    expect(plan.safety_stock).toBeLessThan(4.5);
    expect(Number.isInteger(plan.order_quantity)).toBe(true);
    expect(plan.status).toBe('CRITICAL');
    expect(plan.notes).toContain('out of stock now');
  });
});

describe('replenishmentPlan: horizon, lead time and input checks', () => {
  it('a forecast shorter than lead time + review is extended with its mean', () => {
    const plan = replenishmentPlan({ ...base, dailyForecast: [8, 12, 10, 10, 10, 10, 10] });
    expect(plan.demand_over_protection).toBe(120); // 70 + 5 x 10
    expect(plan.notes.join(' ')).toMatch(/forecast covers 7 days; days 8..12 use its mean of 10 units\/day/);
  });

  it('a fractional lead time is rounded up to whole days, in notes that name the API fields', () => {
    const plan = replenishmentPlan({ ...base, leadTimeDays: 4.5, reviewDays: 0.5 });
    expect(plan.lead_time_days).toBe(5);
    expect(plan.notes).toContain('lead_time_days 4.5 rounded up to 5 days');
    expect(plan.notes).toContain('review_days 0.5 rounded up to 1 day');
  });

  it('zero lead time: nothing runs out before an order arrives; no order above the reorder point (the safety stock)', () => {
    // L = 0, R = 7: reorder point = the safety stock over the 7-day review (about 14), order-up-to about 84. 50 units
    // are below the order-up-to level but well above the reorder point: no order yet.
    const plan = replenishmentPlan({ ...base, leadTimeDays: 0, currentStock: 50 });
    expect(plan.reorder_point).toBe(plan.safety_stock);
    expect(plan.order_up_to).toBeGreaterThan(50);
    expect(plan.status).toBe('ADEQUATE');
    expect(plan.order_quantity).toBe(0);
    const low = replenishmentPlan({ ...base, leadTimeDays: 0, currentStock: 10 });
    expect(low.status).toBe('LOW');
    expect(low.order_quantity).toBe(Math.ceil(low.order_up_to - 10));
  });

  it('zero lead time and review: nothing to protect', () => {
    const plan = replenishmentPlan({ ...base, leadTimeDays: 0, reviewDays: 0 });
    expect(plan.order_up_to).toBe(0);
    expect(plan.order_quantity).toBe(0);
    expect(plan.status).toBe('ADEQUATE'); // 3 days of cover <= 3 x max(1, 0)
  });

  it('rejects bad input with a RangeError', () => {
    const bad: Partial<ReplenishmentInput>[] = [
      { dailyForecast: [] },
      { dailyForecast: [1, -1] },
      { dailyForecast: [1, NaN] },
      { currentStock: NaN },
      { onOrder: -1 },
      { leadTimeDays: -1 },
      { packSize: 0 },
      { unitCost: -2 },
      { excessCoverMultiple: 0 },
      { uncertainty: { kind: 'sd', sd: 1, correlation: 2 } },
      { uncertainty: { kind: 'interval', lower: [2], upper: [1], level: 0.8 } },
    ];
    for (const b of bad) expect(() => replenishmentPlan({ ...base, ...b }), JSON.stringify(b)).toThrow(RangeError);
  });

  it('priorities', () => {
    expect(STATUS_PRIORITY).toEqual({ CRITICAL: 1, LOW: 2, ADEQUATE: 3, EXCESS: 4 });
  });
});

describe('demand over periods', () => {
  it('demandBreakdown: mean daily and 7/30/91-day sums, extrapolated with the mean', () => {
    // 28 days of a weekly pattern 1..7: mean 4/day; week 1+..+7 = 28; 30 days = 4 weeks (112) + 2 x 4 = 120;
    // 91 days = 112 + 63 x 4 = 364.
    const weekly = Array.from({ length: 28 }, (_, i) => (i % 7) + 1);
    expect(demandBreakdown(weekly)).toEqual({ daily: 4, weekly: 28, monthly: 120, quarterly: 364, horizon_days: 28, extrapolated: true });
    // Three days 1, 2, 3: mean 2; a week = 6 + 4 x 2 = 14.
    expect(demandBreakdown([1, 2, 3]).weekly).toBe(14);
    expect(demandBreakdown(new Array<number>(100).fill(0.5)).quarterly).toBe(45.5);
    expect(() => demandBreakdown([])).toThrow(RangeError);
  });

  it('daysOfCover: fractional, skips zero days, extrapolates, null without demand', () => {
    expect(daysOfCover([10, 10, 10], 30)).toBe(3);
    expect(daysOfCover([10, 0, 10], 15)).toBe(2.5); // day 1 takes 10, day 2 nothing, day 3 half
    expect(daysOfCover([10, 10], 50)).toBe(5); // 2 days, then 30 / 10
    expect(daysOfCover([10], 0)).toBe(0);
    expect(daysOfCover([10], -5)).toBe(0);
    expect(daysOfCover([0, 0], 5)).toBeNull();
  });

  it('extendForecast and demandOver', () => {
    expect(extendForecast([2, 4], 4)).toEqual([2, 4, 3, 3]);
    expect(extendForecast([2, 4, 6], 2)).toEqual([2, 4]);
    expect(demandOver([2, 4], 5)).toBe(15);
  });
});

describe('resolveAttributes', () => {
  it('request over product over configuration; cost and price never defaulted', () => {
    const r = resolveAttributes({ leadTimeDays: 3, unitCost: null }, { leadTimeDays: 10, packSize: 6, unitCost: 2.5 });
    expect(r.leadTimeDays).toBe(3);
    expect(r.packSize).toBe(6);
    expect(r.unitCost).toBe(2.5);
    expect(r.price).toBeNull();
    expect(r.reviewDays).toBe(REPLENISHMENT_DEFAULTS.reviewDays);
    expect(r.sources).toEqual({
      unitCost: 'product',
      price: 'unknown',
      leadTimeDays: 'request',
      leadTimeSdDays: 'unknown',
      reviewDays: 'default',
      packSize: 'product',
      minOrderQty: 'unknown',
    });
    expect(r.notes).toEqual(['review period: 7 days (configuration default)']);
    const d = resolveAttributes({}, null, { ...REPLENISHMENT_DEFAULTS, leadTimeDays: 14 });
    expect(d.leadTimeDays).toBe(14);
    expect(d.sources.leadTimeDays).toBe('default');
  });
});

describe('replenishmentPlan: money with prices by day', () => {
  it("expected revenue counts each day at its price; revenue at risk at the lead-time days' price", () => {
    // Days 1..3 at 2.5 (a what-if), then 5: protection revenue = 3 x 10 x 2.5 + 9 x 10 x 5 = 525.
    const prices = [2.5, 2.5, 2.5, ...new Array<number>(25).fill(5)];
    const plan = replenishmentPlan({ ...base, currentStock: 0, price: prices });
    expect(plan.expected_revenue).toBe(525);
    expect(plan.price).toBeCloseTo(525 / 120, 10);
    // Nothing on hand: all 50 lead-time units are lost, 30 at 2.5 and 20 at 5 = 175.
    expect(plan.expected_unmet_demand).toBe(50);
    expect(plan.revenue_at_risk).toBe(175);
    // One price throughout, as an array or a number, is the same plan.
    expect(replenishmentPlan({ ...base, price: new Array<number>(28).fill(4) })).toEqual(replenishmentPlan({ ...base, price: 4 }));
    // Beyond the array its last value holds.
    expect(replenishmentPlan({ ...base, price: [3] }).expected_revenue).toBe(360);
    expect(() => replenishmentPlan({ ...base, price: [1, -1] })).toThrow(RangeError);
    expect(() => replenishmentPlan({ ...base, price: [] })).toThrow(RangeError);
  });
});

describe("replenishmentPlan: lost units and the error model's bias", () => {
  // Calibrated on a model that forecasts 80% of the true mean: the bias says actual demand runs ~25% above the forecast.
  const all = syntheticSeries({ series: 3000, seed: 8, size: 3 });
  const under = calibrateIntervals(residualsOf(all.map((s) => ({ ...s, mean: 0.8 * s.mean }))));
  const over = calibrateIntervals(residualsOf(all.map((s) => ({ ...s, mean: 1.2 * s.mean }))));

  it('never more lost units than the expected demand over the lead time, whichever way the model errs', () => {
    expect(errorMoments(under, { expected: 20, step: 1 }).bias).toBeGreaterThan(1);
    expect(errorMoments(over, { expected: 20, step: 1 }).bias).toBeLessThan(-1);
    for (const model of [under, over]) {
      for (const L of [1, 3, 7, 14]) {
        for (const stock of [0, 10, 50, 200]) {
          const plan = replenishmentPlan({
            ...base,
            leadTimeDays: L,
            currentStock: stock,
            price: 5,
            uncertainty: { kind: 'model', model },
          });
          expect(plan.expected_unmet_demand, `L ${L} stock ${stock}`).toBeLessThanOrEqual(plan.demand_over_lead_time + 1e-9);
          expect(plan.expected_unmet_demand).toBeGreaterThanOrEqual(Math.max(0, plan.demand_over_lead_time - stock) - 0.01);
          expect(plan.revenue_at_risk!).toBeLessThanOrEqual(round2(plan.demand_over_lead_time * 5) + 0.01);
          // Nothing on hand: every unit demanded before an order arrives is lost.
          if (stock === 0) expect(plan.expected_unmet_demand).toBeCloseTo(plan.demand_over_lead_time, 2);
        }
      }
    }
    // The bias still moves the safety stock: a model that runs low needs more of it.
    const plan = (model: typeof under) => replenishmentPlan({ ...base, uncertainty: { kind: 'model', model } });
    expect(plan(under).safety_stock).toBeGreaterThan(plan(over).safety_stock);
  });

  it('more stock never raises the order; a higher service level or a longer lead time never lowers it', () => {
    const weekly = Array.from({ length: 28 }, (_, i) => [6, 5, 5, 6, 8, 12, 11][i % 7]);
    for (const model of [under, over]) {
      const order = (currentStock: number, serviceLevel: number, leadTimeDays: number, extra: Partial<ReplenishmentInput>) =>
        replenishmentPlan({
          dailyForecast: weekly,
          currentStock,
          serviceLevel,
          leadTimeDays,
          reviewDays: 7,
          uncertainty: { kind: 'model', model },
          ...extra,
        }).order_quantity;
      for (const extra of [{}, { packSize: 12 }, { minOrderQty: 150, packSize: 10 }, { onOrder: 20 }]) {
        for (const level of [80, 90, 95, 99]) {
          for (const lead of [0, 1, 3, 7, 13]) {
            let previous = Infinity;
            for (let stock = 0; stock <= 300; stock += 5) {
              const q = order(stock, level, lead, extra);
              const where = `stock ${stock} level ${level} lead ${lead} ${JSON.stringify(extra)}`;
              expect(q, where).toBeLessThanOrEqual(previous);
              previous = q;
              if (level < 99)
                expect(order(stock, level + (level === 80 ? 10 : level === 90 ? 5 : 4), lead, extra), where).toBeGreaterThanOrEqual(q);
              expect(order(stock, level, lead + 1, extra), where).toBeGreaterThanOrEqual(q);
            }
          }
        }
      }
    }
  });
});

const round2 = (x: number) => Math.round(x * 100) / 100;
