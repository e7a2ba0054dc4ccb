// A buyer's overrides applied to forecasts: for a product (or each product of a category) of a store, over a date
// range, the forecast of each store period that starts in it is multiplied, or replaced by a quantity. A product's own
// override comes before its category's, a newer one before an older. Pure.

export interface ForecastOverride {
  id: number;
  productId: string | null;
  category: string | null;
  from: string;
  to: string;
  multiplier: number | null;
  /** Units per store period (a day, week or month, as the store's sales are kept). */
  quantity: number | null;
  reason: string;
  by: string | null;
  createdAt: string;
}

export interface AppliedOverride {
  id: number;
  kind: 'multiplier' | 'quantity';
  value: number;
  from: string;
  to: string;
  reason: string;
  by: string | null;
  /** Other overrides that changed other periods of the same forecast. */
  others?: number[];
}

/** The overrides that may touch a product, in the order they take precedence. */
export function overridesFor(overrides: readonly ForecastOverride[], productId: string, category: string | null): ForecastOverride[] {
  const newestFirst = (a: ForecastOverride, b: ForecastOverride) => b.createdAt.localeCompare(a.createdAt) || b.id - a.id;
  const own = overrides.filter((o) => o.productId === productId).sort(newestFirst);
  const ofCategory = category === null ? [] : overrides.filter((o) => o.productId === null && o.category === category).sort(newestFirst);
  return [...own, ...ofCategory];
}

/**
 * The forecast (`values` per store period starting on `dates`) with the overrides applied, and which of them did;
 * null when none covers any of its periods.
 */
export function applyOverrides(
  values: readonly number[],
  dates: readonly string[],
  applicable: readonly ForecastOverride[],
): { values: number[]; applied: AppliedOverride } | null {
  if (applicable.length === 0) return null;
  const used = new Set<ForecastOverride>();
  const out = values.map((v, k) => {
    const o = applicable.find((x) => x.from <= dates[k] && dates[k] <= x.to);
    if (!o) return v;
    used.add(o);
    return o.multiplier !== null ? v * o.multiplier : o.quantity!;
  });
  if (used.size === 0) return null;
  const [first, ...others] = applicable.filter((o) => used.has(o));
  return {
    values: out,
    applied: {
      id: first.id,
      kind: first.multiplier !== null ? 'multiplier' : 'quantity',
      value: first.multiplier ?? first.quantity!,
      from: first.from,
      to: first.to,
      reason: first.reason,
      by: first.by,
      ...(others.length > 0 ? { others: others.map((o) => o.id) } : {}),
    },
  };
}
