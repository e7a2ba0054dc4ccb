// The feature layout: a versioned, JSON-serialisable description stored with every model.
import { UNKNOWN_CODE } from './encodings';

export interface FeatureSpec {
  /** Layout version of the code that computes the features; a model must be served with the same version. */
  version: string;
  /** Lags of units in days on the gap-filled calendar (lag L of day t = units of day t-L). */
  lags: number[];
  /** Rolling windows (days) for mean / std / max of units over [t-w, t-1]. */
  windows: number[];
  /** Same-weekday means over the last n weeks (units of t-7, t-14, ..., t-7n). */
  weekdayWeeks: number[];
  /** Window (days before t) of the mean price that price_rel_<n> divides by. */
  priceWindow: number;
  /** days_to_event / days_since_event are capped at this many days. */
  eventCap: number;
  unknownCode: number;
  /**
   * Columns of the full layout left out of the matrix (absent or empty = none). The training pipeline drops features
   * whose training values differ in kind from what the recursive forecast feeds them (model/README.md).
   */
  exclude?: string[];
  /** Column names, in matrix order. */
  names: string[];
  /**
   * Weekly and monthly layouts count lags and windows in periods and run on period time (features/period.ts); absent
   * for daily layouts, so they serialise as before.
   */
  grain?: 'weekly' | 'monthly';
}

export const FEATURE_VERSION = 'features-v1';

/** Column names of a layout, in matrix order (the full layout less `exclude`). */
export function featureNames(p: Pick<FeatureSpec, 'lags' | 'windows' | 'weekdayWeeks' | 'priceWindow' | 'exclude'>): string[] {
  const names = allFeatureNames(p);
  if (!p.exclude || p.exclude.length === 0) return names;
  const out = new Set(p.exclude);
  return names.filter((n) => !out.has(n));
}

/** Every column the layout's parameters define, before `exclude`. */
export function allFeatureNames(p: Pick<FeatureSpec, 'lags' | 'windows' | 'weekdayWeeks' | 'priceWindow'>): string[] {
  const names: string[] = [];
  for (const l of p.lags) names.push(`lag_${l}`);
  for (const w of p.windows) names.push(`roll_mean_${w}`, `roll_std_${w}`, `roll_max_${w}`);
  for (const n of p.weekdayWeeks) names.push(`weekday_mean_${n}w`);
  names.push(
    'days_since_last_sale',
    'days_since_first_sale',
    'days_listed',
    'day_of_week',
    'day_of_month',
    'week_of_year',
    'month',
    'price',
    `price_rel_${p.priceWindow}`,
    'price_rel_max',
    'discount',
    'promotion',
    'event_name_1',
    'event_type_1',
    'event_name_2',
    'event_type_2',
    'snap',
    'days_to_event',
    'days_since_event',
    'store',
    'product',
    'category',
  );
  return names;
}

function positiveInts(name: string, v: number[]): number[] {
  for (const x of v) if (!Number.isInteger(x) || x < 1 || x > 10_000) throw new RangeError(`${name}: ${x} is not a positive integer`);
  return [...v];
}

export function makeFeatureSpec(
  p: Partial<Pick<FeatureSpec, 'lags' | 'windows' | 'weekdayWeeks' | 'priceWindow' | 'eventCap' | 'exclude' | 'grain'>> = {},
): FeatureSpec {
  const lags = positiveInts('lags', p.lags ?? [1, 2, 3, 4, 5, 6, 7, 14, 21, 28, 35, 42, 56, 364]);
  const windows = positiveInts('windows', p.windows ?? [7, 28, 56, 112]);
  const weekdayWeeks = positiveInts('weekdayWeeks', p.weekdayWeeks ?? (p.grain ? [] : [4, 8]));
  const [priceWindow] = positiveInts('priceWindow', [p.priceWindow ?? 28]);
  const [eventCap] = positiveInts('eventCap', [p.eventCap ?? 30]);
  const all = allFeatureNames({ lags, windows, weekdayWeeks, priceWindow });
  const exclude = [...new Set(p.exclude ?? [])];
  for (const n of exclude) if (!all.includes(n)) throw new RangeError(`exclude: '${n}' is not a column of this layout`);
  if (exclude.length >= all.length) throw new RangeError('exclude leaves no column');
  const spec: FeatureSpec = {
    version: FEATURE_VERSION,
    lags,
    windows,
    weekdayWeeks,
    priceWindow,
    eventCap,
    unknownCode: UNKNOWN_CODE,
    names: featureNames({ lags, windows, weekdayWeeks, priceWindow, exclude }),
  };
  // Absent rather than empty, so the default layout serialises exactly as before.
  if (exclude.length > 0) spec.exclude = exclude;
  if (p.grain) spec.grain = p.grain;
  return spec;
}

/** The default layout. */
export const FEATURE_SPEC: FeatureSpec = makeFeatureSpec();

/** Throws if a stored spec cannot be served by this code (other version, or names that do not match its parameters). */
export function checkFeatureSpec(spec: FeatureSpec): void {
  if (spec.version !== FEATURE_VERSION) throw new RangeError(`feature spec ${spec.version} is not ${FEATURE_VERSION}`);
  const expected = featureNames(spec);
  if (expected.length !== spec.names.length || expected.some((n, i) => n !== spec.names[i])) {
    throw new RangeError('feature spec names do not match its parameters');
  }
  if (spec.unknownCode !== UNKNOWN_CODE) throw new RangeError('feature spec unknown code differs');
}

/**
 * Direction each column may move a forecast (XGBoost monotone constraints): a higher price (absolute, relative to
 * its recent average or to its highest) never raises it; a discount or a promotion never lowers it. 0 = free.
 */
export function priceMonotonicity(spec: FeatureSpec): number[] {
  return spec.names.map((n) => {
    if (n === 'price' || n === 'price_rel_max' || n.startsWith('price_rel_')) return -1;
    if (n === 'discount' || n === 'promotion') return 1;
    return 0;
  });
}
