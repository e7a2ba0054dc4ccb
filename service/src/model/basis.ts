// How far an answer can be trusted: a store's history at its grain (how long, how sparse), whether it can be
// trained, and the `basis` of each answer (which method, on how much history, with what confidence and why). Pure.
import type { Basis, Confidence } from '../../../shared/schemas';
import { ownColumns, parseDay, periodOrdinal, periodOrdinalOfDay, type Grain, type SeriesInput } from '../features/index';
import { methodLabel, type SeriesKind } from './baselines';
import { GRAIN_SETTINGS, periodsIn } from './grain';

/** Below this share of the periods in its span having any record, a store's missing periods are unknown, not zero. */
const SPARSE_MIN_SPAN = 14;
const SPARSE_SHARE = 0.3;

export interface StoreShape {
  grain: Grain;
  /** Periods from the store's first to its last record. */
  spanPeriods: number;
  /** Distinct periods with a record. */
  observedPeriods: number;
  /**
   * Records on fewer than 30% of the periods its dates span (over at least 14 periods): a file of scattered dates is
   * not years of zero sales, so the periods without a row are treated as missing.
   */
  sparse: boolean;
}

export function storeShape(series: SeriesInput[], grain: Grain): StoreShape {
  const periods = new Set<number>();
  for (const s of series) {
    const own = ownColumns(s);
    if (own) for (const day of own.day) periods.add(periodOrdinalOfDay(day, grain));
    else for (const r of s.records) periods.add(periodOrdinal(r.date, grain));
  }
  if (periods.size === 0) return { grain, spanPeriods: 0, observedPeriods: 0, sparse: false };
  let first = Infinity;
  let last = -Infinity;
  for (const p of periods) {
    if (p < first) first = p;
    if (p > last) last = p;
  }
  const span = last - first + 1;
  return { grain, spanPeriods: span, observedPeriods: periods.size, sparse: span >= SPARSE_MIN_SPAN && periods.size / span < SPARSE_SHARE };
}

/** The shape from a store's first and last dates and its count of distinct dates (one date per period). */
export function shapeFromSpan(span: { first: string; last: string; dates: number }, grain: Grain): StoreShape {
  const spanPeriods = periodOrdinal(span.last, grain) - periodOrdinal(span.first, grain) + 1;
  return {
    grain,
    spanPeriods,
    observedPeriods: span.dates,
    sparse: spanPeriods >= SPARSE_MIN_SPAN && span.dates / spanPeriods < SPARSE_SHARE,
  };
}

/** Why a store cannot be trained (too short or sparse), in plain words; null when it can. */
export function untrainableReason(storeId: string, shape: StoreShape): string | null {
  const g = GRAIN_SETTINGS[shape.grain];
  if (shape.observedPeriods === 0) return `Store "${storeId}" has no sales stored.`;
  if (shape.sparse) {
    return (
      `Store "${storeId}" has sales on only ${periodsIn(shape.observedPeriods, shape.grain)} of the ${periodsIn(shape.spanPeriods, shape.grain)} ` +
      `its dates span, too scattered to train a model on: it is answered from the average of its recorded ${GRAIN_SETTINGS[shape.grain].unit[1]}. ` +
      `Upload its sales for every ${GRAIN_SETTINGS[shape.grain].unit[0]} to train it.`
    );
  }
  const needed = 2 * g.holdout + 1;
  if (shape.spanPeriods < needed) {
    return (
      `Store "${storeId}" has ${periodsIn(shape.spanPeriods, shape.grain)} of sales; a model needs at least ${periodsIn(needed, shape.grain)} ` +
      `(${periodsIn(g.holdout, shape.grain)} are held back to check its accuracy). Until then it is answered by a simple method on its own history.`
    );
  }
  return null;
}

/** History of one series at its grain: periods from its first record to the origin, and those with a record. */
export function seriesHistory(series: SeriesInput, grain: Grain, originPeriod: number): { periods: number; observed: number } {
  const seen = new Set<number>();
  let first = Infinity;
  const see = (p: number) => {
    if (p > originPeriod) return;
    seen.add(p);
    if (p < first) first = p;
  };
  const own = ownColumns(series);
  if (own) for (const day of own.day) see(periodOrdinalOfDay(day, grain));
  else for (const r of series.records) see(periodOrdinal(r.date, grain));
  return { periods: Number.isFinite(first) ? originPeriod - first + 1 : 0, observed: seen.size };
}

export interface BasisContext {
  storeId: string;
  grain: Grain;
  /** What kind of answerer: the store's own model, the global model (which saw this store), or its own-history baseline. */
  answerer: 'model' | 'global_model' | 'store_baseline';
  /** Why no model answers, when the answerer is the store's baseline. */
  untrained?: string | null;
  sparse: boolean;
  /** Start of the last stored period. */
  origin: string;
}

/** The basis of one series' answer. */
export function seriesBasis(series: SeriesInput, method: string, kind: SeriesKind | null, ctx: BasisContext): Basis {
  const g = GRAIN_SETTINGS[ctx.grain];
  const history = seriesHistory(series, ctx.grain, periodOrdinal(ctx.origin, ctx.grain));
  const reasons: string[] = [];
  let confidence: Confidence = 'normal';
  const served = ctx.answerer === 'global_model' && method === 'model' ? 'global_model' : method;
  if (history.observed < g.minPeriods) {
    confidence = 'none';
    reasons.push(
      `"${series.productId}" has sales records for ${periodsIn(history.observed, ctx.grain)}: at least ${periodsIn(g.minPeriods, ctx.grain)} are needed for any forecast. Upload more of its sales history.`,
    );
  } else {
    if (ctx.sparse) {
      confidence = 'low';
      reasons.push(
        `Sales are recorded on only ${periodsIn(history.observed, ctx.grain)} of ${periodsIn(history.periods, ctx.grain)}: ${GRAIN_SETTINGS[ctx.grain].unit[1]} without a record are treated as unknown, not as zero sales, so this is the average of the recorded ${GRAIN_SETTINGS[ctx.grain].unit[1]}.`,
      );
    }
    if (history.periods < g.shortHistory) {
      confidence = 'low';
      reasons.push(
        `"${series.productId}" has ${periodsIn(history.periods, ctx.grain)} of history: a rough estimate from its own recent sales.`,
      );
    }
    if (ctx.answerer === 'store_baseline' && !ctx.sparse) {
      confidence = 'low';
      reasons.push(
        ctx.untrained ??
          `No model has been trained on store "${ctx.storeId}" yet: a simple method on its own history answers. Train the store for a checked forecast.`,
      );
    }
  }
  return {
    method: served,
    method_label: methodLabel(served, ctx.grain),
    grain: ctx.grain,
    history_periods: history.periods,
    observed_periods: history.observed,
    series_kind: ctx.sparse ? 'sparse' : history.periods < g.shortHistory ? 'new' : (kind ?? 'slow'),
    confidence,
    reasons,
  };
}

/** Epoch days between two dates, for callers converting days of lead time into periods. */
export const daysBetween = (from: string, to: string) => parseDay(to) - parseDay(from);
