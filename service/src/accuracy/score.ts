// How far the forecasts a buyer was given turned out right: saved forecasts (db/snapshots.ts) against the units sold
// in their periods, next to what the best simple method forecast for the same periods. Pure.
import { dayOfWeek, formatDay, parseDay, type Grain } from '../features/index';
import { baselineLabel, type BaselineName } from '../model/baselines';

export interface ScoredPeriod {
  product_id: string;
  period_start: string;
  period_end: string;
  expected: number;
  lower: number | null;
  upper: number | null;
  reference: string | null;
  reference_value: number | null;
  /** Units sold in the period; null while the stored sales do not reach its last day. */
  actual: number | null;
  interval_level: number;
  /** A buyer's override changed the forecast: which, and the forecast before it. */
  override_id?: number | null;
  unadjusted?: number | null;
}

export interface OverrideEffect {
  periods: number;
  overrides: number;
  /** The error of the forecasts as overridden, and as they were before; value_added > 0: the overrides helped. */
  wape: number | null;
  wape_without: number | null;
  value_added: number | null;
}

export interface TrackedFigures {
  periods: number;
  products: number;
  actual: number;
  forecast: number;
  /** Sum of |forecast - actual|, in units. */
  absolute_error: number;
  /** absolute_error / actual; null when nothing sold. */
  wape: number | null;
  /** (forecast - actual) / actual: above 0 the forecasts were too high; null when nothing sold. */
  bias: number | null;
  /** Share of periods whose units fell within the forecast's interval; null when no period had one. */
  coverage: number | null;
  /** The intervals' nominal level (%), when all had the same. */
  interval_level: number | null;
  /** The simple method's forecast over the same periods, and its error; null when none was saved. */
  reference_forecast: number | null;
  reference_wape: number | null;
  /** reference_wape - wape: above 0 the forecasts beat the simple method. */
  value_added: number | null;
}

export interface AccuracyReport {
  scored_periods: number;
  pending_periods: number;
  first_period: string | null;
  last_period: string | null;
  /** The simple method the forecasts are compared with (the most frequent one, when they differ). */
  reference: string | null;
  overall: TrackedFigures;
  over_time_unit: 'week' | 'month';
  over_time: (TrackedFigures & { from: string; to: string })[];
  largest_error: (TrackedFigures & { product_id: string })[];
  largest_bias: (TrackedFigures & { product_id: string })[];
  /** Over the scored periods a buyer's override changed; null when none did. */
  override_effect: OverrideEffect | null;
}

const ratio = (n: number) => Math.round(n * 10_000) / 10_000;
const units = (n: number) => Math.round(n * 100) / 100;

export function trackedFigures(rows: ScoredPeriod[]): TrackedFigures {
  let actual = 0;
  let forecast = 0;
  let error = 0;
  let withBounds = 0;
  let inside = 0;
  let refCount = 0;
  let refForecast = 0;
  let refError = 0;
  const levels = new Set<number>();
  const products = new Set<string>();
  for (const r of rows) {
    const a = r.actual!;
    products.add(r.product_id);
    actual += a;
    forecast += r.expected;
    error += Math.abs(r.expected - a);
    if (r.lower !== null && r.upper !== null) {
      withBounds++;
      if (a >= r.lower && a <= r.upper) inside++;
      levels.add(r.interval_level);
    }
    if (r.reference_value !== null) {
      refCount++;
      refForecast += r.reference_value;
      refError += Math.abs(r.reference_value - a);
    }
  }
  const wape = actual > 0 ? error / actual : null;
  // The reference is compared only when every period has one: otherwise the two errors would be over other periods.
  const refWape = actual > 0 && refCount === rows.length && rows.length > 0 ? refError / actual : null;
  return {
    periods: rows.length,
    products: products.size,
    actual: units(actual),
    forecast: units(forecast),
    absolute_error: units(error),
    wape: wape === null ? null : ratio(wape),
    bias: actual > 0 ? ratio((forecast - actual) / actual) : null,
    coverage: withBounds > 0 ? ratio(inside / withBounds) : null,
    interval_level: levels.size === 1 ? [...levels][0] : null,
    reference_forecast: refCount === rows.length && rows.length > 0 ? units(refForecast) : null,
    reference_wape: refWape === null ? null : ratio(refWape),
    value_added: refWape === null || wape === null ? null : ratio(refWape - wape),
  };
}

/** The first day of the week (Monday) or month a day falls in, and that period's last day. */
function bucketOf(date: string, unit: 'week' | 'month'): { from: string; to: string } {
  const day = parseDay(date);
  if (unit === 'week') {
    const monday = day - dayOfWeek(day);
    return { from: formatDay(monday), to: formatDay(monday + 6) };
  }
  const first = `${date.slice(0, 7)}-01`;
  const next = new Date(Date.UTC(Number(date.slice(0, 4)), Number(date.slice(5, 7)), 1));
  return { from: first, to: formatDay(parseDay(next.toISOString().slice(0, 10)) - 1) };
}

/**
 * The report over the saved forecasts of one store at one granularity (`rows`: one per product and period, the
 * forecast a buyer last had for it). Monthly periods are followed month by month, the others week by week (of the
 * period's first day); the products with the largest error and the largest bias, `top` of each.
 */
export function accuracyReport(rows: ScoredPeriod[], granularity: 'day' | 'week' | 'month', top: number): AccuracyReport {
  const scored = rows.filter((r) => r.actual !== null);
  const unit = granularity === 'month' ? 'month' : 'week';
  const byBucket = new Map<string, { from: string; to: string; rows: ScoredPeriod[] }>();
  const byProduct = new Map<string, ScoredPeriod[]>();
  const references = new Map<string, number>();
  for (const r of scored) {
    const b = bucketOf(r.period_start, unit);
    const bucket = byBucket.get(b.from) ?? { ...b, rows: [] };
    bucket.rows.push(r);
    byBucket.set(b.from, bucket);
    const own = byProduct.get(r.product_id) ?? [];
    own.push(r);
    byProduct.set(r.product_id, own);
    if (r.reference !== null) references.set(r.reference, (references.get(r.reference) ?? 0) + 1);
  }
  const products = [...byProduct.entries()].map(([product_id, own]) => ({ product_id, ...trackedFigures(own) }));
  const signed = (f: TrackedFigures) => Math.abs(f.forecast - f.actual);
  const starts = scored.map((r) => r.period_start).sort();
  return {
    scored_periods: scored.length,
    pending_periods: rows.length - scored.length,
    first_period: starts[0] ?? null,
    last_period: scored.length > 0 ? scored.map((r) => r.period_end).sort()[scored.length - 1] : null,
    reference: [...references.entries()].sort((a, b) => b[1] - a[1] || a[0].localeCompare(b[0]))[0]?.[0] ?? null,
    overall: trackedFigures(scored),
    over_time_unit: unit,
    over_time: [...byBucket.values()]
      .sort((a, b) => a.from.localeCompare(b.from))
      .map((b) => ({ from: b.from, to: b.to, ...trackedFigures(b.rows) })),
    largest_error: [...products]
      .sort((a, b) => b.absolute_error - a.absolute_error || a.product_id.localeCompare(b.product_id))
      .slice(0, top),
    largest_bias: [...products]
      .filter((p) => signed(p) > 0)
      .sort((a, b) => signed(b) - signed(a) || a.product_id.localeCompare(b.product_id))
      .slice(0, top),
    override_effect: overrideEffect(scored),
  };
}

/** What the overrides did to the error of the periods they changed (forecast value added). */
function overrideEffect(scored: ScoredPeriod[]): OverrideEffect | null {
  const changed = scored.filter((r) => r.override_id != null && r.unadjusted != null);
  if (changed.length === 0) return null;
  let actual = 0;
  let withIt = 0;
  let without = 0;
  for (const r of changed) {
    actual += r.actual!;
    withIt += Math.abs(r.expected - r.actual!);
    without += Math.abs(r.unadjusted! - r.actual!);
  }
  const wape = actual > 0 ? withIt / actual : null;
  const wapeWithout = actual > 0 ? without / actual : null;
  return {
    periods: changed.length,
    overrides: new Set(changed.map((r) => r.override_id)).size,
    wape: wape === null ? null : ratio(wape),
    wape_without: wapeWithout === null ? null : ratio(wapeWithout),
    value_added: wape === null || wapeWithout === null ? null : ratio(wapeWithout - wape),
  };
}

const pct = (x: number) => `${Math.round(Math.abs(x) * 1000) / 10}%`;
const points = (x: number) => `${Math.round(Math.abs(x) * 1000) / 10} points`;
const count = (n: number, one: string) => `${n.toLocaleString('en-US')} ${one}${n === 1 ? '' : 's'}`;

/** What the report says, in a buyer's words. `saved`: the granularities plans were saved at, latest first. */
export function accuracyNotes(report: AccuracyReport, ctx: { saved: string[]; granularity: string | null; grain: Grain }): string[] {
  if (ctx.saved.length === 0) {
    return [
      'No plan of this store has been saved yet. Plans the pane writes to a sheet are saved; through the API, ask /bulk_predict with "save": true. ' +
        'Once the sales of their days are uploaded, they are checked here.',
    ];
  }
  if (ctx.granularity !== null && !ctx.saved.includes(ctx.granularity)) {
    return [`No plan was saved in ${ctx.granularity}s; plans were saved in ${ctx.saved.map((g) => `${g}s`).join(' and ')}.`];
  }
  const notes: string[] = [];
  const o = report.overall;
  if (report.scored_periods === 0) {
    notes.push('None of the saved periods has its sales stored yet: upload the sales of those days and they are checked here.');
  } else {
    if (o.wape !== null && o.bias !== null) {
      const direction =
        o.bias > 0.005
          ? `too high by ${pct(o.bias)} overall`
          : o.bias < -0.005
            ? `too low by ${pct(o.bias)} overall`
            : 'about right overall';
      notes.push(
        `Over ${count(o.periods, 'product-period')} (${report.first_period} to ${report.last_period}) the forecasts were off by ${pct(o.wape)} of the units sold, and ${direction}.`,
      );
    } else notes.push(`Over ${count(o.periods, 'product-period')} nothing sold, against ${o.forecast} units forecast.`);
    if (o.reference_wape !== null && o.value_added !== null && report.reference !== null) {
      const label = baselineLabel(report.reference as BaselineName, ctx.grain);
      const verdict =
        o.value_added > 0.005
          ? `better by ${points(o.value_added)}`
          : o.value_added < -0.005
            ? `worse by ${points(o.value_added)}`
            : 'as well';
      notes.push(`The simple method (${label}) would have been off by ${pct(o.reference_wape)}: the forecasts did ${verdict}.`);
    }
    if (o.coverage !== null && o.interval_level !== null) {
      notes.push(`${pct(o.coverage)} of the periods sold within the forecast range, which should hold about ${o.interval_level}% of them.`);
    }
  }
  const effect = report.override_effect;
  if (effect && effect.wape !== null && effect.wape_without !== null && effect.value_added !== null) {
    const verdict =
      effect.value_added > 0.005
        ? `they helped by ${points(effect.value_added)}`
        : effect.value_added < -0.005
          ? `they hurt by ${points(effect.value_added)}`
          : 'they changed little';
    notes.push(
      `Overrides changed ${count(effect.periods, 'product-period')}: off by ${pct(effect.wape)} with them, ${pct(effect.wape_without)} without; ${verdict}.`,
    );
  }
  if (report.pending_periods > 0) notes.push(`${count(report.pending_periods, 'product-period')} still wait for their sales.`);
  return notes;
}

/** A model is reported when its error on what sold exceeds its backtest error by this share (25%: 0.20 -> 0.25)... */
export const DRIFT_MARGIN = 0.25;
/** ...on at least this many scored product-periods (fewer say too little either way). */
export const DRIFT_MIN_PERIODS = 28;

export interface ModelDrift {
  periods: number;
  wape: number | null;
  backtest_wape: number | null;
  drifting: boolean;
  note: string;
}

/** The active model's saved forecasts against what sold, next to its backtest error. */
export function modelDrift(backtestWape: number | null, tracked: { periods: number; absolute_error: number; actual: number }): ModelDrift {
  const wape = tracked.actual > 0 ? ratio(tracked.absolute_error / tracked.actual) : null;
  const base = { periods: tracked.periods, wape, backtest_wape: backtestWape };
  if (tracked.periods < DRIFT_MIN_PERIODS || wape === null || backtestWape === null) {
    return {
      ...base,
      drifting: false,
      note: `Too few saved forecasts checked against sales yet (${tracked.periods} product-periods) to tell.`,
    };
  }
  const drifting = wape > backtestWape * (1 + DRIFT_MARGIN);
  return {
    ...base,
    drifting,
    note: drifting
      ? `Its forecasts missed by ${pct(wape)} of what sold, against ${pct(backtestWape)} in its test: train it again on the newer sales.`
      : `Its forecasts missed by ${pct(wape)} of what sold, in line with ${pct(backtestWape)} in its test.`,
  };
}
