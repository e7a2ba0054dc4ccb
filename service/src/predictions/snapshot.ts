// What of a store plan is kept to be scored when its sales arrive: for every product with a forecast, each period of
// the horizon with its expected units, interval and the simple method's forecast. Pure.
import type { Basis, Granularity } from '../../../shared/schemas';
import type { SnapshotPeriod } from '../db/snapshots';
import { addDays, type Grain } from '../features/index';
import type { IntervalModel } from '../forecast/index';
import type { ProductForecast } from '../model/index';
import { aggregate, answerPeriods, periodsCovering } from './periods';

/**
 * The periods a plan is kept in: a daily store's in the plan's own; a weekly or monthly store's in its own weeks or
 * months, whose stored rows are whole periods (a month of weekly rows would be scored on the weeks that start in it).
 */
export function snapshotGranularity(grain: Grain, asked: Granularity): Granularity {
  return grain === 'daily' ? asked : grain === 'weekly' ? 'week' : 'month';
}

export function planSnapshotPeriods(plan: {
  forecasts: ProductForecast[];
  bases: Basis[];
  grain: Grain;
  /** The store's last stored day: its forecasts start the day after. */
  lastDate: string;
  /** The plan's first day and length. */
  start: string;
  horizonDays: number;
  granularity: Granularity;
  level: number;
  intervals: IntervalModel;
}): SnapshotPeriod[] {
  const periods = answerPeriods(plan.start, plan.granularity, periodsCovering(plan.start, plan.granularity, plan.horizonDays));
  const firstDay = addDays(plan.lastDate, 1);
  const out: SnapshotPeriod[] = [];
  plan.forecasts.forEach((f, k) => {
    const basis = plan.bases[k];
    // No forecast was given for it (the plan says why): nothing to score.
    if (basis.confidence === 'none') return;
    const served = aggregate(f, plan.grain, firstDay, periods, [plan.level], plan.intervals);
    const reference = aggregate({ values: f.reference.values, dates: f.dates }, plan.grain, firstDay, periods, [], plan.intervals);
    const before = f.unadjusted
      ? aggregate({ values: f.unadjusted, dates: f.dates }, plan.grain, firstDay, periods, [], plan.intervals)
      : null;
    served.forEach((p, j) => {
      const unadjusted = before ? round(before[j].expected) : null;
      const overridden = f.override !== undefined && unadjusted !== null && Math.abs(unadjusted - round(p.expected)) > 1e-9;
      out.push({
        productId: f.productId,
        periodStart: p.date,
        periodEnd: p.period_end,
        expected: round(p.expected),
        lower: p.intervals[0].lower,
        upper: p.intervals[0].upper,
        reference: f.reference.name,
        referenceValue: round(reference[j].expected),
        method: basis.method,
        confidence: basis.confidence,
        overrideId: overridden ? f.override!.id : null,
        unadjusted: overridden ? unadjusted : null,
      });
    });
  });
  return out;
}

const round = (x: number) => Math.round(x * 1000) / 1000;
